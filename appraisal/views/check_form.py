"""The check page: the township's check (乡镇检查验收), the county's re-check of a village (县委组织部复检)
and the county's check of a township or department (检查验收).

The reviewer judges what is in front of them: per indicator, beside the score box, the subject's own
narrative (情况说明) and evidence, every lower tier's points and remarks as text, and a mark where a
value differs from the tier below; the self-report's summary (自检报告综述) heads the page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appraisal import scoring, selectors, services
from appraisal.forms import ReturnForm
from appraisal.models import Appraisal, Indicator, Score, Track
from appraisal.views.common import client_ip, error_messages
from appraisal.views.detail import actions_for
from campaign.access import get_in_scope
from campaign.roles import Role

S = Appraisal.Status
COUNTY_CHECKERS = (Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER)
IMAGE_TYPES = ("image/jpeg", "image/png")
# The county's step for a township or a department is a check (检查验收), as the rulebook says; only a
# village, checked by its township first, is re-checked (复检).
COUNTY_CHECK = gettext_lazy("Check and acceptance")
DECISIONS = ("recommend", "not_recommended")


def check_tier(user, appraisal):
    actions = actions_for(user, appraisal)
    if "township_check" in actions:
        return Score.Tier.TOWNSHIP
    if "county_recheck" in actions:
        return Score.Tier.COUNTY
    return None


def page_title(appraisal, tier):
    if tier == Score.Tier.COUNTY and appraisal.track != Track.VILLAGE:
        return COUNTY_CHECK
    return Score.Tier(tier).label


def lower_tiers(appraisal, tier):
    """The tiers scored before ``tier``, oldest first."""
    if tier == Score.Tier.COUNTY and appraisal.track == Track.VILLAGE:
        return [Score.Tier.SELF, Score.Tier.TOWNSHIP]
    return [Score.Tier.SELF]


def _same(a, b):
    try:
        return services.parse_points(a) == services.parse_points(b)
    except ValidationError:
        return False


def _prefill(indicator, tier, below, scores, feeds):
    """Where the reviewer's box starts: this tier's own saved score, else the tier below.

    An indicator fed by a survey or by ratings starts from the points they give. Without ratings yet,
    a rating-fed box starts empty: the department's own score there is a guess it could not check
    (often a bare 0). Without a survey, a survey-fed box starts from the tier below like the others.
    """
    own = scores[tier].get(indicator.id)
    if indicator.feed != Indicator.Feed.MANUAL:
        feed = feeds.get(indicator.feed) or {}
        if feed.get("rate") is not None:
            points = scoring.points_from_rate(feed["rate"], indicator.max_points)
            return points, own.remark if own else ""
        if indicator.feed != Indicator.Feed.SURVEY:
            return (own.points, own.remark) if own else ("", "")
    if own is not None:
        return own.points, own.remark
    source = scores[below].get(indicator.id)
    return (source.points if source else ""), ""


def _feed_note(indicator, feeds):
    """The result that explains a fed indicator's points, as a sentence."""
    if indicator.feed == Indicator.Feed.MANUAL:
        return None
    feed = feeds.get(indicator.feed) or {}
    rate = feed.get("rate")
    if rate is None:
        if indicator.feed == Indicator.Feed.SURVEY:
            return _("No survey recorded yet: the box starts from the tier below; record the survey first.")
        return _("No ratings yet: the box starts empty, enter the points yourself.")
    points = scoring.points_from_rate(rate, indicator.max_points)
    values = {
        "rate": rate,
        "satisfied": feed.get("satisfied", 0),
        "total": feed.get("total", 0),
        "points": f"{points.normalize():f}",
    }
    if indicator.feed == Indicator.Feed.SURVEY:
        return (
            _(
                "Mass-satisfaction survey: %(rate)s%% satisfied (%(satisfied)s of %(total)s people asked) "
                "gives %(points)s points by the rubric."
            )
            % values
        )
    if indicator.feed == Indicator.Feed.PEER:
        return (
            _(
                "Peer ratings by the other departments: %(rate)s%% satisfied (%(satisfied)s of %(total)s "
                "ratings) gives %(points)s points by the rubric."
            )
            % values
        )
    return (
        _(
            "Ratings from below by townships and villages: %(rate)s%% satisfied (%(satisfied)s of %(total)s "
            "ratings) gives %(points)s points by the rubric."
        )
        % values
    )


def check_rows(appraisal, tier, structure, scores, evidence, feeds, typed=None, errors=None):
    """Per star, per indicator: everything one row of the check form shows (one partial per row)."""
    typed, errors = typed or {}, errors or {}
    tiers = lower_tiers(appraisal, tier)
    below = tiers[-1]
    stars = []
    for star in structure:
        rows = []
        for indicator in star.indicators.all():
            prefill, prefill_remark = _prefill(indicator, tier, below, scores, feeds)
            value, remark = typed.get(indicator.id, (prefill, prefill_remark))
            lower, previous = [], None
            for t in tiers:
                score = scores[t].get(indicator.id)
                lower.append(
                    {
                        "tier": t,
                        "label": Score.Tier(t).label,
                        "score": score,
                        "differs": score is not None and previous is not None and score.points != previous,
                    }
                )
                if score is not None:
                    previous = score.points
            score_changed = value != prefill and not _same(value, prefill)
            below_score = scores[below].get(indicator.id)
            below_points = below_score.points if below_score else None
            narrative = scores[Score.Tier.SELF].get(indicator.id)
            items = evidence.get(indicator.id, [])
            rows.append(
                {
                    "indicator": indicator,
                    "value": value,
                    "remark": remark,
                    "initial": prefill,
                    "initial_remark": prefill_remark,
                    "below": below_points,
                    "below_label": Score.Tier(below).label,
                    "differs": below_points is not None and value != "" and not _same(value, below_points),
                    "score_changed": score_changed,
                    "changed": score_changed or remark != prefill_remark,
                    "lower": lower,
                    "narrative": narrative.remark if narrative else "",
                    "images": [e for e in items if e.content_type in IMAGE_TYPES],
                    "files": [e for e in items if e.content_type not in IMAGE_TYPES],
                    "feed_note": _feed_note(indicator, feeds),
                    "error": errors.get(f"score_{indicator.id}"),
                }
            )
        stars.append({"star": star, "rows": rows})
    return stars


def _text(value):
    """Typed text as the database can keep it (PostgreSQL refuses NUL characters in text)."""
    return (value or "").replace("\x00", "")


def _record(request, appraisal, tier, typed, opinion, decision):
    if tier == Score.Tier.TOWNSHIP:
        services.appraisal_township_check(
            appraisal=appraisal, user=request.user, scores=typed, opinion=opinion, ip=client_ip(request)
        )
    else:
        services.appraisal_county_recheck(
            appraisal=appraisal,
            user=request.user,
            scores=typed,
            opinion=opinion,
            recommend=decision == "recommend",
            ip=client_ip(request),
        )


@login_required
def check(request, pk):
    """The township's check or the county's (re-)check of one appraisal, every lower tier beside it."""
    appraisal = get_in_scope(selectors.appraisals_for(request.user), pk=pk)
    tier = check_tier(request.user, appraisal)
    if tier is None:
        if request.user.role not in (Role.TOWNSHIP, *COUNTY_CHECKERS):
            raise PermissionDenied
        messages.error(request, services.AppraisalChanged.default_message)
        return redirect("appraisal:appraisal_detail", pk=appraisal.pk)
    structure = selectors.rubric_structure(appraisal.rubric)
    scores = selectors.scores_by_tier(appraisal)
    evidence = selectors.evidence_by_indicator(appraisal)
    feeds = selectors.feed_results(appraisal, structure)
    indicators = [i for star in structure for i in star.indicators.all()]
    errors, typed, decision_error = {}, {}, None
    opinion = appraisal.township_opinion if tier == Score.Tier.TOWNSHIP else appraisal.county_opinion
    decision = ""
    if request.method == "POST":
        typed = {
            i.id: (_text(request.POST.get(f"score_{i.id}")), _text(request.POST.get(f"remark_{i.id}")))
            for i in indicators
        }
        opinion = _text(request.POST.get("opinion"))
        decision = request.POST.get("decision", "")
        if tier == Score.Tier.COUNTY and decision not in DECISIONS:
            # Recommending or not is the reviewer's decision: no default, an empty one is refused.
            decision_error = _("Choose whether to recommend the subject.")
            messages.error(request, decision_error)
        else:
            try:
                with transaction.atomic():
                    _record(request, appraisal, tier, typed, opinion, decision)
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
    title = page_title(appraisal, tier)
    tiers = lower_tiers(appraisal, tier)
    return render(
        request,
        "appraisal/check.html",
        {
            "appraisal": appraisal,
            "tier": tier,
            "tier_label": title,
            "lower_tiers": [Score.Tier(t).label for t in tiers],
            "below_label": Score.Tier(tiers[-1]).label,
            # Checked before (the county sent it back): the form keeps this tier's earlier scores.
            "has_own": bool(scores[tier]),
            "stars": check_rows(appraisal, tier, structure, scores, evidence, feeds, typed, errors),
            "opinion": opinion,
            "decision": decision,
            "decision_error": decision_error,
            "is_recheck": tier == Score.Tier.COUNTY and appraisal.track == Track.VILLAGE,
            # The reason the county gave when it sent the village back to the township (or, at the
            # county's own step, when an upheld objection sent it back for another re-check).
            "returned_by_county": tier == Score.Tier.TOWNSHIP and bool(appraisal.return_reason),
            "sent_back": tier == Score.Tier.COUNTY and bool(appraisal.return_reason),
            "return_form": ReturnForm(),
            "feeds": feeds,
            "survey": getattr(appraisal, "survey", None) if hasattr(appraisal, "survey") else None,
        },
        status=400 if errors or decision_error else 200,
    )
