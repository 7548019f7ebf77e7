"""The checks: the township's work queue and check form, the county's re-check queue and form, returns."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisal import scoring, selectors, services
from appraisal.forms import ReturnForm
from appraisal.models import Appraisal, Indicator, Score, Track
from appraisal.views.common import client_ip, error_messages, page
from appraisal.views.detail import actions_for
from campaign.access import get_in_scope, next_url, role_required
from campaign.roles import Role

S = Appraisal.Status
COUNTY_CHECKERS = (Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER)


def _campaign(request):
    campaign_id = request.GET.get("campaign")
    campaigns = selectors.campaigns_for(request.user)
    if campaign_id and campaign_id.isdigit():
        chosen = campaigns.filter(pk=campaign_id).first()
        if chosen is not None:
            return chosen
    # No choice, or one outside the user's scope: the current campaign.
    return selectors.current_campaign(request.user)


def _status_filter(request, queryset):
    status = request.GET.get("status", "")
    if status in S.values:
        queryset = queryset.filter(status=status)
    return queryset, status


@role_required(Role.TOWNSHIP)
def township_queue(request):
    """The township's villages by state: what waits for the township first, then the rest."""
    campaign = _campaign(request)
    base = selectors.township_queue(request.user, campaign) if campaign else Appraisal.objects.none()
    queryset, status = _status_filter(request, base)
    own = None
    if campaign:
        own = selectors.appraisals_for(request.user).filter(campaign=campaign, track=Track.TOWNSHIP).first()
    return render(
        request,
        "appraisal/township_queue.html",
        {
            "campaign": campaign,
            "page_obj": page(request, queryset),
            "counts": selectors.status_counts(base),
            "statuses": S.choices,
            "status": status,
            "own": own,
            "query_string": f"status={status}" if status else "",
        },
    )


@role_required(Role.TOWNSHIP)
@require_POST
def request_recheck(request):
    """Report the chosen checked villages to the county for re-check (one or a batch)."""
    ids = [int(v) for v in request.POST.getlist("appraisal") if v.isdigit()]
    appraisals = list(selectors.appraisals_for(request.user).filter(pk__in=ids, track=Track.VILLAGE))
    if len(appraisals) != len(set(ids)):
        raise PermissionDenied
    try:
        with transaction.atomic():
            done = services.appraisal_request_recheck(
                appraisals=appraisals, user=request.user, ip=client_ip(request)
            )
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("%(n)s reported to the county for re-check.") % {"n": len(done)})
    return redirect(next_url(request, "appraisal:township_queue"))


@role_required(*COUNTY_CHECKERS)
def recheck_queue(request):
    """What waits for the county: villages reported for re-check, townships and departments submitted."""
    campaign = _campaign(request)
    queryset = selectors.recheck_queue(request.user, campaign) if campaign else Appraisal.objects.none()
    township = request.GET.get("township", "")
    if township.isdigit():
        queryset = queryset.filter(township_id=township)
    return render(
        request,
        "appraisal/recheck_queue.html",
        {
            "campaign": campaign,
            "page_obj": page(request, queryset),
            "townships": selectors.townships_in_scope(request.user),
            "township": township,
            "query_string": f"township={township}" if township else "",
        },
    )


def _check_tier(user, appraisal):
    actions = actions_for(user, appraisal)
    if "township_check" in actions:
        return Score.Tier.TOWNSHIP
    if "county_recheck" in actions:
        return Score.Tier.COUNTY
    return None


def _starting_points(appraisal, tier, scores, indicator):
    """A reviewer starts from the tier below (and from the survey or ratings for fed indicators)."""
    below = (
        Score.Tier.SELF
        if tier == Score.Tier.TOWNSHIP or appraisal.track != Track.VILLAGE
        else Score.Tier.TOWNSHIP
    )
    if indicator.feed != Indicator.Feed.MANUAL and appraisal.satisfaction_rate is not None:
        return scoring.points_from_rate(appraisal.satisfaction_rate, indicator.max_points), ""
    for source in (tier, below, Score.Tier.SELF):
        score = scores[source].get(indicator.id)
        if score is not None:
            return score.points, (score.remark if source == tier else "")
    return "", ""


@login_required
def check(request, pk):
    """The township's check or the county's re-check of one appraisal, all tiers side by side."""
    appraisal = get_in_scope(selectors.appraisals_for(request.user), pk=pk)
    tier = _check_tier(request.user, appraisal)
    if tier is None:
        if request.user.role not in (Role.TOWNSHIP, *COUNTY_CHECKERS):
            raise PermissionDenied
        messages.error(request, services.AppraisalChanged.default_message)
        return redirect("appraisal:appraisal_detail", pk=appraisal.pk)
    structure = selectors.rubric_structure(appraisal.rubric)
    scores = selectors.scores_by_tier(appraisal)
    evidence = selectors.evidence_by_indicator(appraisal)
    indicators = [i for star in structure for i in star.indicators.all()]
    errors, typed = {}, {}
    opinion = appraisal.township_opinion if tier == Score.Tier.TOWNSHIP else appraisal.county_opinion
    if request.method == "POST":
        typed = {
            i.id: (request.POST.get(f"score_{i.id}", ""), request.POST.get(f"remark_{i.id}", ""))
            for i in indicators
        }
        opinion = request.POST.get("opinion", "")
        try:
            with transaction.atomic():
                if tier == Score.Tier.TOWNSHIP:
                    services.appraisal_township_check(
                        appraisal=appraisal,
                        user=request.user,
                        scores=typed,
                        opinion=opinion,
                        ip=client_ip(request),
                    )
                else:
                    services.appraisal_county_recheck(
                        appraisal=appraisal,
                        user=request.user,
                        scores=typed,
                        opinion=opinion,
                        recommend=request.POST.get("decision") != "not_recommended",
                        ip=client_ip(request),
                    )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                errors = exc.message_dict
            else:
                error_messages(request, exc)
        else:
            messages.success(request, _("The check was recorded."))
            if tier == Score.Tier.TOWNSHIP:
                return redirect("appraisal:township_queue")
            return redirect("appraisal:recheck_queue")
    rows_by_star = []
    for star in structure:
        rows = []
        for indicator in star.indicators.all():
            value, remark = typed.get(indicator.id) or _starting_points(appraisal, tier, scores, indicator)
            lower = [scores[Score.Tier.SELF].get(indicator.id)]
            if tier == Score.Tier.COUNTY and appraisal.track == Track.VILLAGE:
                lower.append(scores[Score.Tier.TOWNSHIP].get(indicator.id))
            below = lower[-1].points if lower[-1] else None
            try:
                differs = below is not None and value != "" and services.parse_points(value) != below
            except ValidationError:
                differs = True
            rows.append(
                {
                    "indicator": indicator,
                    "lower": lower,
                    "value": value,
                    "remark": remark,
                    "differs": differs,
                    "error": errors.get(f"score_{indicator.id}"),
                    "evidence": evidence.get(indicator.id, []),
                }
            )
        rows_by_star.append({"star": star, "rows": rows})
    lower_tiers = [Score.Tier.SELF.label]
    if tier == Score.Tier.COUNTY and appraisal.track == Track.VILLAGE:
        lower_tiers.append(Score.Tier.TOWNSHIP.label)
    return render(
        request,
        "appraisal/check.html",
        {
            "appraisal": appraisal,
            "tier": tier,
            "tier_label": Score.Tier(tier).label,
            "lower_tiers": lower_tiers,
            "stars": rows_by_star,
            "opinion": opinion,
            "return_form": ReturnForm(),
            "survey": getattr(appraisal, "survey", None) if hasattr(appraisal, "survey") else None,
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def return_for_revision(request, pk):
    appraisal = get_in_scope(selectors.appraisals_for(request.user), pk=pk)
    if request.user.role not in (Role.TOWNSHIP, *COUNTY_CHECKERS):
        raise PermissionDenied
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the report is returned."))
        return redirect("appraisal:check", pk=appraisal.pk)
    try:
        with transaction.atomic():
            services.appraisal_return(
                appraisal=appraisal,
                user=request.user,
                reason=form.cleaned_data["reason"],
                expected=request.POST.get("expected") or None,
                ip=client_ip(request),
            )
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect("appraisal:appraisal_detail", pk=appraisal.pk)
    messages.success(request, _("The report was returned for revision."))
    if request.user.role == Role.TOWNSHIP:
        return redirect("appraisal:township_queue")
    return redirect("appraisal:recheck_queue")
