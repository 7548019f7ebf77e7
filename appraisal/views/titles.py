"""Titles: the list with filters, one title with its history, revocation and star withdrawal."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisal import selectors, services
from appraisal.forms import RevokeForm, WithdrawStarForm
from appraisal.models import Title, Track
from appraisal.views.common import client_ip, error_messages, page
from campaign.access import get_in_scope, role_required
from campaign.roles import Role


@login_required
def title_list(request):
    state = request.GET.get("state", "")
    track = request.GET.get("track", "")
    today = timezone.localdate()
    queryset = selectors.title_list(request.user, state=state, track=track, today=today)
    query = "&".join(f"{k}={v}" for k, v in (("state", state), ("track", track)) if v)
    return render(
        request,
        "appraisal/title_list.html",
        {
            "page_obj": page(request, queryset),
            "state": state,
            "track": track,
            "states": [
                (selectors.TitleFilter.VALID, _("valid")),
                (selectors.TitleFilter.EXPIRING, _("expiring within 90 days")),
                (selectors.TitleFilter.EXPIRED, _("expired")),
                (selectors.TitleFilter.REVOKED, _("revoked")),
            ],
            "tracks": Track.choices,
            "query_string": query,
            "today": today,
            "soon": today + datetime.timedelta(days=selectors.TitleFilter.EXPIRING_DAYS),
        },
    )


@login_required
def title_detail(request, pk):
    title = get_in_scope(selectors.titles_for(request.user), pk=pk)
    return render(
        request,
        "appraisal/title_detail.html",
        {
            "title": title,
            "events": title.events.select_related("actor"),
            "revoke_form": RevokeForm(),
            "withdraw_form": WithdrawStarForm(title=title),
            "can_manage": request.user.role == Role.COUNTY_ADMIN and title.status == Title.Status.VALID,
            "star_names": selectors.star_names(title),
        },
    )


@role_required(Role.COUNTY_ADMIN)
@require_POST
def title_revoke(request, pk):
    title = get_in_scope(selectors.titles_for(request.user), pk=pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.title_revoke(
                title=title,
                user=request.user,
                reason=form.cleaned_data["reason"],
                revoked_on=form.cleaned_data["revoked_on"],
                ip=client_ip(request),
            )
        except ValidationError as exc:
            error_messages(request, exc)
        else:
            messages.success(request, _("The title was revoked."))
            return redirect("appraisal:title_detail", pk=title.pk)
    return _redisplay(request, title, revoke_form=form)


@role_required(Role.COUNTY_ADMIN)
@require_POST
def title_withdraw_star(request, pk):
    title = get_in_scope(selectors.titles_for(request.user), pk=pk)
    form = WithdrawStarForm(request.POST, title=title)
    if form.is_valid():
        try:
            services.title_withdraw_star(
                title=title,
                user=request.user,
                star=form.cleaned_data["star"],
                reason=form.cleaned_data["reason"],
                effective_on=form.cleaned_data["effective_on"],
                ip=client_ip(request),
            )
        except ValidationError as exc:
            error_messages(request, exc)
        else:
            messages.success(request, _("The star was withdrawn."))
            return redirect("appraisal:title_detail", pk=title.pk)
    return _redisplay(request, title, withdraw_form=form)


def _redisplay(request, title, **forms):
    title.refresh_from_db()
    context = {
        "title": title,
        "events": title.events.select_related("actor"),
        "revoke_form": forms.get("revoke_form") or RevokeForm(),
        "withdraw_form": forms.get("withdraw_form") or WithdrawStarForm(title=title),
        "can_manage": title.status == Title.Status.VALID,
        "star_names": selectors.star_names(title),
    }
    return render(request, "appraisal/title_detail.html", context, status=400)
