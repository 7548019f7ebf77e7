"""Cadre and position pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from cadres import selectors, services
from cadres.filters import CadreFilter, PositionFilter
from cadres.forms import CadreForm, PositionForm
from cadres.models import Cadre, Position
from campaign.access import get_in_scope, role_required
from villages.permissions import TOWNSHIP_LEVEL_EDITORS, may_edit
from villages.views.common import list_page, object_delete, object_form


@login_required
def cadre_list(request):
    user = request.user
    filterset = CadreFilter(request.GET, queryset=selectors.cadre_list(user), request=request)
    context = list_page(request, filterset)
    for cadre in context["page_obj"]:
        cadre.phone_visible = selectors.can_see_phone(user, cadre)
    context["can_create"] = may_edit(user, TOWNSHIP_LEVEL_EDITORS)
    return render(request, "cadres/cadre_list.html", context)


@login_required
def cadre_detail(request, pk):
    user = request.user
    cadre = get_in_scope(selectors.cadres_for(user), pk=pk)
    positions = list(cadre.positions.select_related("village", "township").order_by("-start_date", "-id"))
    return render(
        request,
        "cadres/cadre_detail.html",
        {
            "cadre": cadre,
            "positions": positions,
            "phone_visible": selectors.can_see_phone(user, cadre),
            "is_secretary_and_director": selectors.cadre_is_secretary_and_director(cadre),
            "organizer_areas": cadre.organizer_areas.prefetch_related("townships"),
            "can_edit": may_edit(user, TOWNSHIP_LEVEL_EDITORS),
        },
    )


@role_required(*TOWNSHIP_LEVEL_EDITORS)
def cadre_create(request):
    user = request.user
    initial = {k: request.GET[k] for k in ("village", "township", "department") if request.GET.get(k)}
    form = CadreForm(
        request.POST or None, user=user, initial=initial, instance=Cadre(county_id=user.county_id)
    )
    return object_form(
        request,
        form=form,
        save=lambda data: services.cadre_create(user=user, **data),
        title=_("New cadre"),
        cancel_url=reverse("cadres:cadre_list"),
    )


@role_required(*TOWNSHIP_LEVEL_EDITORS)
def cadre_update(request, pk):
    user = request.user
    cadre = get_in_scope(selectors.cadres_for(user), pk=pk)
    form = CadreForm(request.POST or None, user=user, instance=cadre)
    return object_form(
        request,
        form=form,
        # The form has already changed its instance: the service starts from the stored row.
        save=lambda data: services.cadre_update(
            user=user, cadre=selectors.cadres_for(user).get(pk=pk), **data
        ),
        title=_("Edit cadre %(name)s") % {"name": cadre.name},
        cancel_url=cadre.get_absolute_url(),
    )


@role_required(*TOWNSHIP_LEVEL_EDITORS)
def cadre_delete(request, pk):
    user = request.user
    cadre = get_in_scope(selectors.cadres_for(user), pk=pk)
    return object_delete(
        request,
        obj=cadre,
        delete=lambda: services.cadre_delete(user=user, cadre=cadre),
        success_url=reverse("cadres:cadre_list"),
        cancel_url=cadre.get_absolute_url(),
    )


@login_required
def position_list(request):
    user = request.user
    filterset = PositionFilter(request.GET, queryset=selectors.position_list(user), request=request)
    return render(request, "cadres/position_list.html", list_page(request, filterset, ids_first=True))


@login_required
def position_detail(request, pk):
    position = get_in_scope(selectors.positions_for(request.user), pk=pk)
    return render(
        request,
        "cadres/position_detail.html",
        {"position": position, "can_edit": may_edit(request.user, TOWNSHIP_LEVEL_EDITORS)},
    )


@role_required(*TOWNSHIP_LEVEL_EDITORS)
def position_create(request, cadre_pk):
    user = request.user
    cadre = get_in_scope(selectors.cadres_for(user), pk=cadre_pk)
    initial = {"village": cadre.village_id, "township": cadre.township_id}
    initial.update({k: request.GET[k] for k in ("kind", "village") if request.GET.get(k)})
    form = PositionForm(
        request.POST or None,
        user=user,
        initial=initial,
        instance=Position(cadre=cadre, county_id=cadre.county_id),
    )
    return object_form(
        request,
        form=form,
        save=lambda data: services.position_create(user=user, cadre=cadre, **data),
        title=_("New position of %(name)s") % {"name": cadre.name},
        cancel_url=cadre.get_absolute_url(),
        extra={"kind_fields": PositionForm.KIND_FIELDS},
    )


@role_required(*TOWNSHIP_LEVEL_EDITORS)
def position_update(request, pk):
    user = request.user
    position = get_in_scope(selectors.positions_for(user), pk=pk)
    form = PositionForm(request.POST or None, user=user, instance=position)
    return object_form(
        request,
        form=form,
        save=lambda data: services.position_update(
            user=user, position=selectors.positions_for(user).get(pk=pk), **data
        ),
        title=_("Edit position: %(position)s") % {"position": position},
        cancel_url=position.cadre.get_absolute_url(),
        extra={"kind_fields": PositionForm.KIND_FIELDS},
    )


@role_required(*TOWNSHIP_LEVEL_EDITORS)
def position_delete(request, pk):
    user = request.user
    position = get_in_scope(selectors.positions_for(user), pk=pk)
    return object_delete(
        request,
        obj=position,
        delete=lambda: services.position_delete(user=user, position=position),
        success_url=position.cadre.get_absolute_url(),
        cancel_url=position.cadre.get_absolute_url(),
    )
