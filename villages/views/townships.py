from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from cadres.selectors import township_positions, visible_cadre_ids
from campaign.access import get_in_scope, role_required
from villages import selectors, services
from villages.filters import TownshipFilter
from villages.forms import TownshipForm
from villages.models import Township
from villages.permissions import COUNTY_LEVEL_EDITORS, TOWNSHIP_LEVEL_EDITORS, may_edit
from villages.views.common import list_page, object_delete, object_form


@login_required
def township_list(request):
    filterset = TownshipFilter(request.GET, queryset=selectors.township_list(request.user), request=request)
    context = list_page(request, filterset)
    context["can_create"] = may_edit(request.user, COUNTY_LEVEL_EDITORS)
    return render(request, "villages/township_list.html", context)


@login_required
def township_detail(request, pk):
    user = request.user
    township = get_in_scope(selectors.townships_for(user), pk=pk)
    positions = list(township_positions(township))
    return render(
        request,
        "villages/township_detail.html",
        {
            "township": township,
            "villages": selectors.with_secretaries(
                list(selectors.village_list(user).filter(township=township))
            ),
            "committee": selectors.township_committee(township),
            "current_positions": [p for p in positions if p.is_current],
            "past_positions": [p for p in positions if not p.is_current],
            "linked_cadres": visible_cadre_ids(user, {p.cadre_id for p in positions}),
            "can_edit": may_edit(user, COUNTY_LEVEL_EDITORS),
            "can_add_village": may_edit(user, TOWNSHIP_LEVEL_EDITORS),
        },
    )


@role_required(*COUNTY_LEVEL_EDITORS)
def township_create(request):
    user = request.user
    form = TownshipForm(request.POST or None, user=user, instance=Township(county_id=user.county_id))
    return object_form(
        request,
        form=form,
        save=lambda data: services.township_create(user=user, **data),
        title=_("New township"),
        cancel_url=reverse("villages:township_list"),
    )


@role_required(*COUNTY_LEVEL_EDITORS)
def township_update(request, pk):
    user = request.user
    township = get_in_scope(selectors.townships_for(user), pk=pk)
    form = TownshipForm(request.POST or None, user=user, instance=township)
    return object_form(
        request,
        form=form,
        # The form has already changed its instance: the service starts from the stored row.
        save=lambda data: services.township_update(
            user=user, township=selectors.townships_for(user).get(pk=pk), **data
        ),
        title=_("Edit township %(name)s") % {"name": township.name},
        cancel_url=township.get_absolute_url(),
    )


@role_required(*COUNTY_LEVEL_EDITORS)
def township_delete(request, pk):
    user = request.user
    township = get_in_scope(selectors.townships_for(user), pk=pk)
    return object_delete(
        request,
        obj=township,
        delete=lambda: services.township_delete(user=user, township=township),
        success_url=reverse("villages:township_list"),
        cancel_url=township.get_absolute_url(),
    )
