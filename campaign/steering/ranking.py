"""Classification for guidance (分类指导) and the annual township ranking (组织委员末位转岗).

Both read the county tier's final points of the appraisal app (``Appraisal.final_points``); the
thresholds and weights come from the campaign's ``SteeringSettings``.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Avg, Count, F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.models import Campaign, User
from campaign.notifications import notify
from campaign.roles import Role
from campaign.steering.models import Classification, TownshipRanking
from campaign.steering.services import settings_for

TWO_PLACES = Decimal("0.01")


def classify(points, settings):
    """先进 / 一般 / 后进 for a final score, or None when there is no final score yet."""
    if points is None:
        return None
    if points >= settings.advanced_min:
        return Classification.ADVANCED
    if points < settings.lagging_below:
        return Classification.LAGGING
    return Classification.AVERAGE


@dataclass
class Classified:
    appraisal_id: int
    track: str
    name: str
    township_name: str
    points: Decimal | None
    classification: str | None
    township_id: int | None = None
    village_id: int | None = None
    weak_stars: list = field(default_factory=list)  # [(star name, gap)]
    weak_indicators: list = field(default_factory=list)  # [(indicator text, gap)]

    @property
    def classification_label(self):
        return Classification(self.classification).label if self.classification else ""


def classification_for(appraisals, campaign, *, weak_stars=2, weak_indicators=3):
    """Classify the townships and villages of ``appraisals`` (an already scoped queryset) in ``campaign``.

    Lagging ones carry what pulled them down: the stars and indicators where the county's points fell
    furthest below the maximum. Three queries whatever the number of subjects.
    """
    from appraisal.models import Score, Track

    settings = settings_for(campaign)
    rows = list(
        appraisals.filter(campaign=campaign, track__in=[Track.TOWNSHIP, Track.VILLAGE])
        .select_related(None)
        .values("id", "track", "township_id", "village_id", "township__name", "village__name", "final_points")
        .order_by("track", "township__code", "village__code")
    )
    result = []
    for row in rows:
        is_village = row["track"] == Track.VILLAGE
        result.append(
            Classified(
                appraisal_id=row["id"],
                track=row["track"],
                name=row["village__name"] if is_village else row["township__name"],
                township_name=row["township__name"],
                township_id=row["township_id"],
                village_id=row["village_id"],
                points=row["final_points"],
                classification=classify(row["final_points"], settings),
            )
        )
    lagging = {c.appraisal_id: c for c in result if c.classification == Classification.LAGGING}
    if lagging:
        county_scores = Score.objects.filter(appraisal_id__in=list(lagging), tier=Score.Tier.COUNTY)
        gap = Sum(F("max_points") - F("points"))
        for row in (
            county_scores.values("appraisal_id", "indicator__star__name", "indicator__star__order")
            .annotate(gap=gap)
            .filter(gap__gt=0)
            .order_by("appraisal_id", "-gap", "indicator__star__order")
        ):
            target = lagging[row["appraisal_id"]].weak_stars
            if len(target) < weak_stars:
                target.append((row["indicator__star__name"], row["gap"]))
        for row in (
            county_scores.annotate(gap=F("max_points") - F("points"))
            .filter(gap__gt=0)
            .values("appraisal_id", "indicator__text", "gap")
            .order_by("appraisal_id", "-gap", "indicator__star__order", "indicator__order")
        ):
            target = lagging[row["appraisal_id"]].weak_indicators
            if len(target) < weak_indicators:
                target.append((row["indicator__text"], row["gap"]))
    return result


def classification_counts(appraisals, campaign):
    """{track: {classification: n}} in one query, for the dashboards."""
    from appraisal.models import Track

    settings = settings_for(campaign)
    base = appraisals.filter(campaign=campaign, final_points__isnull=False)
    data = base.aggregate(
        **{
            f"{track}_{cls}": Count("id", filter=Q(track=track) & condition)
            for track in (Track.TOWNSHIP, Track.VILLAGE)
            for cls, condition in (
                (Classification.ADVANCED, Q(final_points__gte=settings.advanced_min)),
                (
                    Classification.AVERAGE,
                    Q(final_points__gte=settings.lagging_below, final_points__lt=settings.advanced_min),
                ),
                (Classification.LAGGING, Q(final_points__lt=settings.lagging_below)),
            )
        }
    )
    return {
        str(track): {str(cls): data[f"{track}_{cls}"] for cls in Classification}
        for track in (Track.TOWNSHIP, Track.VILLAGE)
    }


def _quantize(value):
    return None if value is None else Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def previous_campaign(campaign):
    return (
        Campaign.objects.filter(county_id=campaign.county_id, year__lt=campaign.year)
        .order_by("-year")
        .first()
    )


def _bottom_two(scores):
    """The keys whose score has fewer than two others strictly below it (ties at the bottom go together)."""
    values = sorted(scores.values())
    flagged = set()
    for key, score in scores.items():
        if sum(1 for v in values if v < score) < 2:
            flagged.add(key)
    return flagged


def ranking_scores(campaign):
    """{township id: (own score, villages' mean, villages scored, score)} for the townships with results.

    score = own final points × own weight + mean of its villages' final points × villages weight; a
    missing part counts as 0. A township with no final result at all is not ranked: a round still in
    progress must not put every township without results at the bottom.
    """
    from appraisal.models import Appraisal, Track

    settings = settings_for(campaign)
    finals = Appraisal.objects.filter(campaign=campaign, final_points__isnull=False)
    own = dict(finals.filter(track=Track.TOWNSHIP).values_list("township_id", "final_points"))
    village_stats = {
        row["township_id"]: row
        for row in finals.filter(track=Track.VILLAGE)
        .values("township_id")
        .annotate(mean=Avg("final_points"), n=Count("id"))
        .order_by()
    }
    own_weight = Decimal(settings.own_weight) / 100
    villages_weight = Decimal(settings.villages_weight) / 100
    computed = {}
    for township_id in set(own) | set(village_stats):
        own_score = _quantize(own.get(township_id))
        stats = village_stats.get(township_id)
        mean = _quantize(stats["mean"]) if stats else None
        score = (own_score or 0) * own_weight + (mean or 0) * villages_weight
        computed[township_id] = (own_score, mean, stats["n"] if stats else 0, _quantize(score))
    return computed


@transaction.atomic
def ranking_compute(*, campaign, user=None):
    """Rank the county's townships for ``campaign`` from its final results and store the ranking."""
    if user is not None and (user.role != Role.COUNTY_ADMIN or user.county_id != campaign.county_id):
        raise PermissionDenied
    return ranking_store(campaign=campaign, computed=ranking_scores(campaign))


@transaction.atomic
def ranking_store(*, campaign, computed):
    """Store the ranking of ``computed`` (as from ``ranking_scores``), replacing an earlier one.

    Equal scores share a rank. The bottom two are flagged (ties at the bottom together, and only when
    more than two townships are ranked); a township in the bottom two in this and the county's
    previous campaign flags its sitting organization committee member for transfer, and the county
    administrators are notified once per campaign and township.
    """
    from cadres.models import Position
    from villages.models import Township

    townships = {t.id: t for t in Township.objects.filter(id__in=list(computed))}
    scores = {tid: values[3] for tid, values in computed.items()}
    bottom = _bottom_two(scores) if len(scores) > 2 else set()

    previous = previous_campaign(campaign)
    previous_rows = {}
    if previous is not None:
        previous_rows = {r.township_id: r for r in TownshipRanking.objects.filter(campaign=previous)}
    members = {}
    for position in (
        Position.objects.filter(
            kind=Position.Kind.ORGANIZATION_MEMBER, township_id__in=list(computed), end_date__isnull=True
        )
        .select_related("cadre")
        .order_by("township_id", "-start_date")
    ):
        members.setdefault(position.township_id, position.cadre)

    TownshipRanking.objects.filter(campaign=campaign).delete()
    now = timezone.now()
    rows = []
    for township_id in sorted(computed, key=lambda tid: (-scores[tid], townships[tid].code)):
        own_score, mean, n, score = computed[township_id]
        rank = 1 + sum(1 for other in scores.values() if other > score)
        before = previous_rows.get(township_id)
        flag = township_id in bottom and before is not None and before.bottom_two
        rows.append(
            TownshipRanking(
                campaign=campaign,
                township=townships[township_id],
                own_score=own_score,
                villages_mean=mean,
                village_count=n,
                score=score,
                rank=rank,
                bottom_two=township_id in bottom,
                transfer_flag=flag,
                organization_member=members.get(township_id) if flag else None,
                previous_rank=before.rank if before else None,
                computed_at=now,
            )
        )
    TownshipRanking.objects.bulk_create(rows)
    flagged = [r for r in rows if r.transfer_flag]
    if flagged:
        admins = list(
            User.objects.filter(role=Role.COUNTY_ADMIN, county_id=campaign.county_id, is_active=True)
        )
        for row in flagged:
            notify(
                users=admins,
                title=_("%(township)s in the bottom two two years running") % {"township": row.township},
                body=_("Organization committee member %(member)s is flagged for transfer (%(year)s).")
                % {
                    "member": row.organization_member or _("(no sitting member recorded)"),
                    "year": campaign.year,
                },
                url=reverse("steering:ranking") + f"?campaign={campaign.pk}",
                key=f"ranking-transfer:{campaign.pk}:{row.township_id}",
            )
    return rows
