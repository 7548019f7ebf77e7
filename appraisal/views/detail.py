"""A subject's appraisal: every tier side by side, the result, the history; the subject's own report."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisal import scoring, selectors, services
from appraisal.forms import ReturnForm, SurveyForm
from appraisal.models import Appraisal, Indicator, Score, Track
from appraisal.views.common import client_ip, error_messages, evidence_too_large
from campaign.access import get_in_scope
from campaign.roles import Role
from campaign.uploads import upload_limit

S = Appraisal.Status
SUBJECT_OF_ROLE = {
    Role.VILLAGE: Track.VILLAGE,
    Role.TOWNSHIP: Track.TOWNSHIP,
    Role.DEPARTMENT: Track.DEPARTMENT,
}


def may_fill_in(user, appraisal):
    """Whether ``user``'s role ever fills in this appraisal's self-report (in the right state)."""
    subject_role = {
        Track.VILLAGE: Role.VILLAGE,
        Track.TOWNSHIP: Role.TOWNSHIP,
        Track.DEPARTMENT: Role.DEPARTMENT,
    }
    return user.role == subject_role[appraisal.track] or services.fills_in_for_village(user, appraisal)


def actions_for(user, appraisal):
    """What ``user`` may do with ``appraisal`` now (the services check again)."""
    role, status, track = user.role, appraisal.status, appraisal.track
    subject_role = {
        Track.VILLAGE: Role.VILLAGE,
        Track.TOWNSHIP: Role.TOWNSHIP,
        Track.DEPARTMENT: Role.DEPARTMENT,
    }
    actions = set()
    if status == S.DRAFT and (role == subject_role[track] or services.fills_in_for_village(user, appraisal)):
        actions |= {"edit", "submit"}
    county_checker = role in (Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER)
    if track == Track.VILLAGE:
        if role == Role.TOWNSHIP and status == S.SUBMITTED:
            actions |= {"township_check", "return"}
        if role == Role.TOWNSHIP and status == S.TOWNSHIP_CHECKED:
            actions.add("request_recheck")
        if county_checker and status == S.RECHECK_REQUESTED:
            actions |= {"county_recheck", "return"}
    elif county_checker and status == S.SUBMITTED:
        actions |= {"county_recheck", "return"}
    if status in services.SATISFACTION_OPEN:
        if (track == Track.VILLAGE and role == Role.TOWNSHIP) or (
            role == Role.COUNTY_ADMIN and track != Track.DEPARTMENT
        ):
            actions.add("survey")
    if role == Role.COUNTY_ADMIN and status == S.PUBLICIZED:
        actions.add("objection")
    if role == Role.COUNTY_ADMIN and status != S.VETOED:
        actions.add("veto")
    return actions


def tiers_for(appraisal):
    """The tiers that score this appraisal: a township's or department's report goes straight to the county,
    so it has no township check (a column that would stay empty and suggest a missing step)."""
    if appraisal.track == Track.VILLAGE:
        return list(Score.Tier.choices)
    return [(value, label) for value, label in Score.Tier.choices if value != Score.Tier.TOWNSHIP]


def tier_rows(appraisal, structure, scores, evidence, tiers=None):
    """Per star, per indicator: the tiers' scores, which differ from the tier below, the evidence."""
    tier_values = [value for value, _label in (tiers or Score.Tier.choices)]
    stars = []
    for star in structure:
        rows = []
        for indicator in star.indicators.all():
            scored = [scores[tier].get(indicator.id) for tier in tier_values]
            # A tier "differs" when it changed the points of the tier scored before it.
            cells = []
            previous = None
            for score in scored:
                differs = score is not None and previous is not None and score.points != previous
                cells.append({"score": score, "diff": differs})
                if score is not None:
                    previous = score.points
            rows.append({"indicator": indicator, "cells": cells, "evidence": evidence.get(indicator.id, [])})
        stars.append({"star": star, "rows": rows})
    return stars


def detail_context(request, appraisal):
    structure = selectors.rubric_structure(appraisal.rubric)
    scores = selectors.scores_by_tier(appraisal)
    evidence = selectors.evidence_by_indicator(appraisal)
    results = {
        tier: services.appraisal_result(appraisal, tier, structure=structure) if scores[tier] else None
        for tier in Score.Tier.values
    }
    rating_summary = None
    if appraisal.track == Track.DEPARTMENT:
        rating_summary = selectors.department_rating_summary(appraisal.campaign, appraisal.department)
    tiers = tiers_for(appraisal)
    return {
        "appraisal": appraisal,
        "stars": tier_rows(appraisal, structure, scores, evidence, tiers),
        "results": results,
        "tiers": tiers,
        "events": selectors.appraisal_history(appraisal),
        "actions": actions_for(request.user, appraisal),
        "survey": getattr(appraisal, "survey", None) if hasattr(appraisal, "survey") else None,
        "survey_form": SurveyForm(),
        "return_form": ReturnForm(),
        "vetoes": list(selectors.vetoes_on_record(appraisal)),
        "classification": scoring.classification(appraisal.final_points),
        "rating_summary": rating_summary,
        "objections": appraisal.objections.select_related("notice").all(),
    }


@login_required
def appraisal_mine(request):
    """The user's own subject's appraisal in the current campaign (created as a draft on first visit)."""
    track = SUBJECT_OF_ROLE.get(request.user.role)
    if track is None:
        raise PermissionDenied
    campaign = selectors.current_campaign(request.user)
    # Rendered, not redirected: the home page sends village secretaries here.
    if campaign is None:
        return render(request, "appraisal/no_campaign.html", {"message": _("No campaign is open yet.")})
    subject = {
        Track.VILLAGE: request.user.village,
        Track.TOWNSHIP: request.user.township,
        Track.DEPARTMENT: request.user.department,
    }[track]
    # Opening one's own appraisal creates the draft: idempotent (one per subject and campaign, a
    # database constraint), so a GET that writes is harmless here and saves a useless "start" button.
    try:
        appraisal = services.appraisal_start(
            campaign=campaign, track=track, subject=subject, user=request.user
        )
    except ValidationError as exc:
        return render(request, "appraisal/no_campaign.html", {"message": " ".join(exc.messages)})
    if appraisal.status == S.DRAFT:
        return redirect("appraisal:self_report", pk=appraisal.pk)
    return redirect("appraisal:appraisal_detail", pk=appraisal.pk)


@login_required
def appraisal_detail(request, pk):
    appraisal = get_in_scope(selectors.appraisals_for(request.user), pk=pk)
    return render(request, "appraisal/appraisal_detail.html", detail_context(request, appraisal))


def _self_values(request, indicators):
    return {
        i.id: (request.POST.get(f"score_{i.id}", ""), request.POST.get(f"remark_{i.id}", ""))
        for i in indicators
        if f"score_{i.id}" in request.POST
    }


@login_required
@upload_limit(
    max_request_bytes=lambda: settings.EVIDENCE_REQUEST_MAX_BYTES,
    max_file_bytes=lambda: settings.EVIDENCE_MAX_BYTES,
)
def self_report(request, pk):
    """Self-assessment: per indicator a score, a narrative, evidence; save any time, submit when complete."""
    appraisal = get_in_scope(selectors.appraisals_for(request.user), pk=pk)
    if "edit" not in actions_for(request.user, appraisal):
        if request.method == "POST":
            if not may_fill_in(request.user, appraisal):
                # Not "changed, reload": no reload would let this role fill in a self-report.
                raise PermissionDenied
            messages.error(request, services.AppraisalChanged.default_message)
        return redirect("appraisal:appraisal_detail", pk=appraisal.pk)
    structure = selectors.rubric_structure(appraisal.rubric)
    indicators = [i for star in structure for i in star.indicators.all()]
    errors = {}
    typed = {}
    if request.method == "POST" and request.upload_too_large:
        # The body was not read (or not to its end): nothing is saved, the page says why.
        messages.error(
            request,
            _("The files sent at once pass %(mb)s MB in total; nothing was saved. Add a few at a time.")
            % {"mb": settings.EVIDENCE_REQUEST_MAX_BYTES // (1024 * 1024)},
        )
        typed = _self_values(request, indicators)
    elif request.method == "POST":
        typed = _self_values(request, indicators)
        files = {i.id: request.FILES[f"file_{i.id}"] for i in indicators if f"file_{i.id}" in request.FILES}
        submitting = False
        refused = {field: [evidence_too_large()] for field, _name in request.refused_uploads}
        try:
            if refused:
                # The other fields were read: keep them on the page, store nothing of this post.
                raise ValidationError(refused)
            # A savepoint: if anything is refused, nothing of this post is kept.
            with transaction.atomic():
                services.appraisal_save_self(
                    appraisal=appraisal,
                    user=request.user,
                    scores=typed,
                    self_report=request.POST.get("self_report", appraisal.self_report),
                    ip=client_ip(request),
                )
                for indicator_id, upload in files.items():
                    try:
                        services.evidence_add(
                            appraisal=appraisal,
                            indicator=Indicator.objects.get(pk=indicator_id),
                            upload=upload,
                            user=request.user,
                            ip=client_ip(request),
                        )
                    except ValidationError as exc:
                        raise ValidationError({f"file_{indicator_id}": exc.messages}) from None
            if request.POST.get("action") == "submit":
                # Its own savepoint: a refused submission keeps what was just saved.
                with transaction.atomic():
                    submitting = True
                    services.appraisal_submit(appraisal=appraisal, user=request.user, ip=client_ip(request))
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                errors = {k: v for k, v in exc.message_dict.items()}
            else:
                error_messages(request, exc)
            appraisal.refresh_from_db()
            if submitting:
                # The scores were saved: show them as saved, with why the submission was refused.
                typed = {}
        else:
            if request.POST.get("action") == "submit":
                messages.success(request, _("The report was submitted."))
                return redirect("appraisal:appraisal_detail", pk=appraisal.pk)
            messages.success(request, _("Saved."))
            return redirect("appraisal:self_report", pk=appraisal.pk)
    scores = selectors.scores_by_tier(appraisal)[Score.Tier.SELF]
    evidence = selectors.evidence_by_indicator(appraisal)
    stars = []
    for star in structure:
        rows = []
        for indicator in star.indicators.all():
            saved = scores.get(indicator.id)
            value, remark = typed.get(
                indicator.id, (saved.points if saved else "", saved.remark if saved else "")
            )
            rows.append(
                {
                    "indicator": indicator,
                    "value": value,
                    "remark": remark,
                    "error": errors.get(f"score_{indicator.id}"),
                    "file_error": errors.get(f"file_{indicator.id}"),
                    "evidence": evidence.get(indicator.id, []),
                }
            )
        stars.append({"star": star, "rows": rows})
    return render(
        request,
        "appraisal/self_report.html",
        {
            "appraisal": appraisal,
            "stars": stars,
            "preview": services.eligibility_preview(appraisal),
            "self_report_text": request.POST.get("self_report", appraisal.self_report),
            "accept": ",".join(services.EVIDENCE_EXTENSIONS),
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def self_report_preview(request, pk):
    """htmx: the stars the typed (not yet saved) self-scores would earn; nothing is written."""
    appraisal = get_in_scope(selectors.appraisals_for(request.user), pk=pk)
    if "edit" not in actions_for(request.user, appraisal):
        raise PermissionDenied
    structure = selectors.rubric_structure(appraisal.rubric)
    points = {}
    for star in structure:
        for indicator in star.indicators.all():
            try:
                value = services.parse_points(request.POST.get(f"score_{indicator.id}"))
            except ValidationError:
                continue
            if value is not None and 0 <= value <= indicator.max_points:
                points[indicator.id] = value
    rubric = appraisal.rubric
    preview = services.eligibility_preview(appraisal)
    preview["result"] = scoring.compute(
        structure,
        points,
        threshold=rubric.star_threshold,
        satisfaction=appraisal.satisfaction_rate,
        floor=rubric.satisfaction_floor,
        cap_stars=rubric.satisfaction_cap_stars,
    )
    preview["missing_scores"] = [i for star in preview["result"].stars for i in star.missing]
    preview["complete"] = not preview["missing_scores"] and not preview["missing_evidence"]
    return render(request, "appraisal/_preview.html", {"preview": preview, "appraisal": appraisal})


@login_required
@require_POST
def survey_record(request, pk):
    appraisal = get_in_scope(selectors.appraisals_for(request.user), pk=pk)
    if "survey" not in actions_for(request.user, appraisal):
        raise PermissionDenied
    form = SurveyForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                services.survey_record(
                    appraisal=appraisal, user=request.user, ip=client_ip(request), **form.cleaned_data
                )
        except ValidationError as exc:
            error_messages(request, exc)
        else:
            messages.success(request, _("The survey was recorded."))
            return redirect("appraisal:appraisal_detail", pk=appraisal.pk)
    context = detail_context(request, appraisal)
    context["survey_form"] = form
    return render(request, "appraisal/appraisal_detail.html", context, status=400)
