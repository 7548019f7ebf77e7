"""Campaign rounds and their rubrics, for county administrators (others in the county may read)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisal import selectors, services
from appraisal.forms import CampaignForm, CopyForwardForm, IndicatorForm, RubricForm, StarForm
from appraisal.models import Indicator, Rubric, Star, Track
from appraisal.views.common import error_messages
from campaign.access import get_in_scope, role_required
from campaign.roles import COUNTY_ROLES, Role


def _apply_errors(form, exc):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@role_required(*COUNTY_ROLES)
def campaign_list(request):
    campaigns = selectors.campaigns_for(request.user).order_by("-year")
    return render(
        request,
        "appraisal/campaign_list.html",
        {"campaigns": campaigns, "can_edit": request.user.role == Role.COUNTY_ADMIN},
    )


@role_required(Role.COUNTY_ADMIN)
def campaign_form(request, pk=None):
    campaign = get_in_scope(selectors.campaigns_for(request.user), pk=pk) if pk else None
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            with transaction.atomic():
                campaign = services.campaign_save(user=request.user, campaign=campaign, **fields)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("appraisal:campaign_detail", pk=campaign.pk)
    return render(
        request,
        "appraisal/campaign_form.html",
        {"form": form, "campaign": campaign},
        status=400 if form.errors else 200,
    )


@role_required(*COUNTY_ROLES)
def campaign_detail(request, pk):
    campaign = get_in_scope(selectors.campaigns_for(request.user), pk=pk)
    rubrics = Rubric.objects.filter(campaign=campaign).order_by("track", "-version")
    by_track = {}
    for rubric in rubrics:
        by_track.setdefault(rubric.track, []).append(rubric)
    others = (
        selectors.campaigns_for(request.user).exclude(pk=campaign.pk).filter(rubrics__isnull=False).distinct()
    )
    return render(
        request,
        "appraisal/campaign_detail.html",
        {
            "campaign": campaign,
            "tracks": [(value, label, by_track.get(value, [])) for value, label in Track.choices],
            "counts": selectors.status_counts(
                selectors.appraisals_for(request.user).filter(campaign=campaign)
            ),
            "copy_form": CopyForwardForm(campaigns=others) if others.exists() else None,
            "can_edit": request.user.role == Role.COUNTY_ADMIN,
        },
    )


@role_required(Role.COUNTY_ADMIN)
@require_POST
def campaign_action(request, pk):
    """Seed the default rubric, copy rubrics forward, or open the appraisals of every subject."""
    campaign = get_in_scope(selectors.campaigns_for(request.user), pk=pk)
    action = request.POST.get("action")
    try:
        with transaction.atomic():
            if action == "seed":
                created = services.rubric_seed_default(campaign=campaign, user=request.user)
                messages.success(request, _("%(n)s rubrics created from the default.") % {"n": len(created)})
            elif action == "copy":
                form = CopyForwardForm(
                    request.POST, campaigns=selectors.campaigns_for(request.user).exclude(pk=pk)
                )
                if not form.is_valid():
                    messages.error(request, _("Choose the campaign to copy from."))
                else:
                    created = services.rubric_copy_forward(
                        source=form.cleaned_data["source"], campaign=campaign, user=request.user
                    )
                    messages.success(request, _("%(n)s rubrics copied.") % {"n": len(created)})
            elif action == "open":
                created = services.campaign_open_appraisals(campaign=campaign, user=request.user)
                messages.success(request, _("%(n)s appraisals opened.") % {"n": created})
    except ValidationError as exc:
        error_messages(request, exc)
    return redirect("appraisal:campaign_detail", pk=campaign.pk)


def _rubrics(user):
    return Rubric.objects.filter(campaign__in=selectors.campaigns_for(user)).select_related("campaign")


@role_required(*COUNTY_ROLES)
def rubric_detail(request, pk):
    rubric = get_in_scope(_rubrics(request.user), pk=pk)
    editable = request.user.role == Role.COUNTY_ADMIN and not rubric.frozen
    return render(
        request,
        "appraisal/rubric_detail.html",
        {
            "rubric": rubric,
            "stars": selectors.rubric_structure(rubric),
            "form": RubricForm(instance=rubric) if editable else None,
            "editable": editable,
            "can_version": request.user.role == Role.COUNTY_ADMIN and rubric.frozen,
            "latest": selectors.rubric_current(rubric.campaign, rubric.track),
        },
    )


@role_required(Role.COUNTY_ADMIN)
@require_POST
def rubric_edit(request, pk):
    rubric = get_in_scope(_rubrics(request.user), pk=pk)
    form = RubricForm(request.POST, instance=Rubric.objects.get(pk=rubric.pk))
    if form.is_valid():
        try:
            with transaction.atomic():
                services.rubric_update(rubric=rubric, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            error_messages(request, exc)
        else:
            messages.success(request, _("Saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("appraisal:rubric_detail", pk=rubric.pk)


@role_required(Role.COUNTY_ADMIN)
@require_POST
def rubric_version(request, pk):
    rubric = get_in_scope(_rubrics(request.user), pk=pk)
    with transaction.atomic():
        new = services.rubric_new_version(rubric=rubric, user=request.user)
    messages.success(request, _("Version %(v)s created; drafts moved to it.") % {"v": new.version})
    return redirect("appraisal:rubric_detail", pk=new.pk)


@role_required(Role.COUNTY_ADMIN)
def star_form(request, pk):
    star = get_in_scope(
        Star.objects.filter(rubric__in=_rubrics(request.user)).select_related("rubric"), pk=pk
    )
    form = StarForm(request.POST or None, instance=star)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.star_update(
                    star=Star.objects.get(pk=star.pk), user=request.user, **form.cleaned_data
                )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("appraisal:rubric_detail", pk=star.rubric_id)
    return render(
        request,
        "appraisal/rubric_item_form.html",
        {"form": form, "rubric": star.rubric, "heading": star.name},
    )


@role_required(Role.COUNTY_ADMIN)
def indicator_form(request, star_pk, pk=None):
    star = get_in_scope(
        Star.objects.filter(rubric__in=_rubrics(request.user)).select_related("rubric"), pk=star_pk
    )
    indicator = get_in_scope(Indicator.objects.filter(star=star), pk=pk) if pk else None
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.indicator_save(
                    user=request.user,
                    star=star,
                    indicator=Indicator.objects.get(pk=indicator.pk) if indicator else None,
                    **form.cleaned_data,
                )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("appraisal:rubric_detail", pk=star.rubric_id)
    return render(
        request,
        "appraisal/rubric_item_form.html",
        {"form": form, "rubric": star.rubric, "heading": star.name},
        status=400 if form.errors else 200,
    )


@role_required(Role.COUNTY_ADMIN)
@require_POST
def indicator_delete(request, pk):
    indicator = get_in_scope(
        Indicator.objects.filter(star__rubric__in=_rubrics(request.user)).select_related("star__rubric"),
        pk=pk,
    )
    try:
        with transaction.atomic():
            services.indicator_delete(user=request.user, indicator=indicator)
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("The indicator was deleted."))
    return redirect("appraisal:rubric_detail", pk=indicator.star.rubric_id)
