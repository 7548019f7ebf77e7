from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from campaign.access import get_in_scope, role_required
from villages import selectors, services
from villages.filters import PartyOrganizationFilter
from villages.forms import PartyOrganizationForm
from villages.models import PartyOrganization
from villages.permissions import COUNTY_LEVEL_EDITORS, TOWNSHIP_LEVEL_EDITORS, may_edit
from villages.views.common import list_page, object_delete, object_form


def _may_edit_org(user, org):
    level = COUNTY_LEVEL_EDITORS if org.department_id else TOWNSHIP_LEVEL_EDITORS
    return may_edit(user, level)


@login_required
def party_org_list(request):
    filterset = PartyOrganizationFilter(
        request.GET, queryset=selectors.party_org_list(request.user), request=request
    )
    context = list_page(request, filterset)
    context["can_create"] = may_edit(request.user, TOWNSHIP_LEVEL_EDITORS)
    return render(request, "villages/party_org_list.html", context)


@login_required
def party_org_detail(request, pk):
    user = request.user
    org = get_in_scope(selectors.party_organizations_for(user), pk=pk)
    return render(
        request,
        "villages/party_org_detail.html",
        {
            "org": org,
            "children": selectors.party_organizations_for(user).filter(parent=org).order_by("name"),
            "can_edit": _may_edit_org(user, org),
            "can_create": may_edit(user, TOWNSHIP_LEVEL_EDITORS),
        },
    )


def _editable_org(user, pk):
    org = get_in_scope(selectors.party_organizations_for(user), pk=pk)
    if not _may_edit_org(user, org):
        # Seen but not theirs to change (a township user and a department's organization).
        raise PermissionDenied
    return org


@role_required(*TOWNSHIP_LEVEL_EDITORS)
def party_org_create(request):
    user = request.user
    initial = {k: request.GET[k] for k in ("parent", "village", "kind") if request.GET.get(k)}
    form = PartyOrganizationForm(
        request.POST or None, user=user, initial=initial, instance=PartyOrganization(county_id=user.county_id)
    )
    return object_form(
        request,
        form=form,
        save=lambda data: services.party_organization_create(user=user, **data),
        title=_("New party organization"),
        cancel_url=reverse("villages:party_org_list"),
        extra={"kind_fields": PartyOrganizationForm.KIND_FIELDS},
    )


@role_required(*TOWNSHIP_LEVEL_EDITORS)
def party_org_update(request, pk):
    user = request.user
    org = _editable_org(user, pk)
    form = PartyOrganizationForm(request.POST or None, user=user, instance=org)
    return object_form(
        request,
        form=form,
        save=lambda data: services.party_organization_update(
            user=user, party_organization=selectors.party_organizations_for(user).get(pk=pk), **data
        ),
        title=_("Edit party organization %(name)s") % {"name": org.name},
        cancel_url=org.get_absolute_url(),
        extra={"kind_fields": PartyOrganizationForm.KIND_FIELDS},
    )


@role_required(*TOWNSHIP_LEVEL_EDITORS)
def party_org_delete(request, pk):
    user = request.user
    org = _editable_org(user, pk)
    return object_delete(
        request,
        obj=org,
        delete=lambda: services.party_organization_delete(user=user, party_organization=org),
        success_url=reverse("villages:party_org_list"),
        cancel_url=org.get_absolute_url(),
    )
