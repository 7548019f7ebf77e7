from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cadres.models import Position
from cadres.selectors import cadres_for, can_see_phone, current_positions_prefetch, village_positions
from campaign.access import get_in_scope, role_required
from villages import selectors, services
from villages.filters import VillageFilter
from villages.forms import VillageForm
from villages.permissions import TOWNSHIP_LEVEL_EDITORS, may_edit
from villages.views.common import list_page, object_delete, object_form


@login_required
def village_list(request):
    filterset = VillageFilter(request.GET, queryset=selectors.village_list(request.user), request=request)
    context = list_page(request, filterset)
    selectors.with_secretaries(context["page_obj"])
    context["can_create"] = may_edit(request.user, TOWNSHIP_LEVEL_EDITORS)
    return render(request, "villages/village_list.html", context)


@login_required
def village_mine(request):
    """A village secretary's own village; every other role has no village of its own (404)."""
    if request.user.village_id is None:
        raise Http404
    village = get_in_scope(selectors.villages_for(request.user), pk=request.user.village_id)
    return redirect("villages:village_detail", pk=village.pk)


@login_required
def village_detail(request, pk):
    user = request.user
    village = get_in_scope(selectors.village_list(user), pk=pk)
    positions = list(village_positions(village))
    current = [p for p in positions if p.is_current]
    Kind = Position.Kind
    cadres = list(
        cadres_for(user)
        .filter(village=village)
        .prefetch_related(current_positions_prefetch())
        .order_by("name")
    )
    for cadre in cadres:
        cadre.phone_visible = can_see_phone(user, cadre)
    return render(
        request,
        "villages/village_detail.html",
        {
            "village": village,
            "party_organizations": selectors.party_organizations_for(user).filter(village=village),
            "secretary": next((p for p in current if p.kind == Kind.SECRETARY), None),
            "director": next((p for p in current if p.kind == Kind.DIRECTOR), None),
            "first_secretaries": [p for p in current if p.kind == Kind.FIRST_SECRETARY],
            "reserve_cadres": [p for p in current if p.kind == Kind.RESERVE_CADRE],
            "other_positions": [
                p
                for p in current
                if p.kind not in (Kind.SECRETARY, Kind.DIRECTOR, Kind.FIRST_SECRETARY, Kind.RESERVE_CADRE)
            ],
            "past_positions": [p for p in positions if not p.is_current],
            "cadres": cadres,
            "linked_cadres": {c.pk for c in cadres}
            | set(cadres_for(user).filter(positions__village=village).values_list("id", flat=True)),
            "can_edit": may_edit(user, TOWNSHIP_LEVEL_EDITORS),
        },
    )


@role_required(*TOWNSHIP_LEVEL_EDITORS)
def village_create(request):
    user = request.user
    initial = {}
    if request.GET.get("township"):
        initial["township"] = request.GET["township"]
    form = VillageForm(request.POST or None, user=user, initial=initial)
    return object_form(
        request,
        form=form,
        save=lambda data: services.village_create(user=user, **data),
        title=_("New village"),
        cancel_url=reverse("villages:village_list"),
    )


@role_required(*TOWNSHIP_LEVEL_EDITORS)
def village_update(request, pk):
    user = request.user
    village = get_in_scope(selectors.villages_for(user), pk=pk)
    form = VillageForm(request.POST or None, user=user, instance=village)
    return object_form(
        request,
        form=form,
        save=lambda data: services.village_update(
            user=user, village=selectors.villages_for(user).get(pk=pk), **data
        ),
        title=_("Edit village %(name)s") % {"name": village.name},
        cancel_url=village.get_absolute_url(),
    )


@role_required(*TOWNSHIP_LEVEL_EDITORS)
def village_delete(request, pk):
    user = request.user
    village = get_in_scope(selectors.villages_for(user), pk=pk)
    return object_delete(
        request,
        obj=village,
        delete=lambda: services.village_delete(user=user, village=village),
        success_url=reverse("villages:village_list"),
        cancel_url=village.get_absolute_url(),
    )
