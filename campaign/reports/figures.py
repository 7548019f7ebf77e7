"""The figures of a progress report, computed from the campaign's current state.

The result is plain JSON (stored in ``ProgressReport.data``), so a report
stays as it was when taken, whatever happens to the rows afterwards. Labels
are stored in Chinese, the language of the printed briefing, for the same
reason. Every figure is an aggregate query: the cost does not grow with the
number of subjects beyond the database's own counting.
"""

import datetime
from collections import Counter, defaultdict

from django.db.models import Count, F, Q
from django.utils import timezone, translation

from appraisal.models import Appraisal, Title, Track, VetoEvent
from appraisal.scoring import classification as classify
from campaign.reports.sections import take_figures
from villages.models import Department, Township, Village

DATA_VERSION = 2
EXPIRY_WINDOW_DAYS = 90
NAME_LIMIT = 30
DEPARTMENTS_ROW = 0  # the id of the row for county departments (no township)

S = Appraisal.Status
NOT_STARTED = "not_started"
# The order the stages are shown in, from the start of the round to its end.
STAGE_ORDER = [
    NOT_STARTED,
    S.DRAFT,
    S.SUBMITTED,
    S.TOWNSHIP_CHECKED,
    S.RECHECK_REQUESTED,
    S.RECHECKED,
    S.PUBLICIZED,
    S.APPROVED,
    S.NOT_RECOMMENDED,
    S.VETOED,
]
SCORED = (S.RECHECKED, S.PUBLICIZED, S.APPROVED, S.NOT_RECOMMENDED)


def _date_label(day):
    return f"{day.year}年{day.month}月{day.day}日"


def late_conditions(campaign, today):
    """(Q of the appraisals behind a passed deadline, the same test in Python, counts not-started villages).

    Villages go self-report → township check → county re-check → approval;
    townships and departments skip the township stage, so after the
    self-report deadline a submitted one waits for the county.
    """
    rules = []
    if campaign.self_report_deadline and campaign.self_report_deadline < today:
        rules.append((Q(status=S.DRAFT), lambda status, track: status == S.DRAFT, True))
    if campaign.township_check_deadline and campaign.township_check_deadline < today:
        rules.append(
            (
                Q(status=S.SUBMITTED, track=Track.VILLAGE),
                lambda status, track: status == S.SUBMITTED and track == Track.VILLAGE,
                False,
            )
        )
    if campaign.county_recheck_deadline and campaign.county_recheck_deadline < today:
        waiting_for_county = (S.TOWNSHIP_CHECKED, S.RECHECK_REQUESTED)
        rules.append(
            (
                Q(status__in=waiting_for_county, track=Track.VILLAGE)
                | (Q(status=S.SUBMITTED) & ~Q(track=Track.VILLAGE)),
                lambda status, track: (
                    (status in waiting_for_county and track == Track.VILLAGE)
                    or (status == S.SUBMITTED and track != Track.VILLAGE)
                ),
                False,
            )
        )
    if campaign.approval_deadline and campaign.approval_deadline < today:
        rules.append(
            (
                Q(status__in=[S.RECHECKED, S.PUBLICIZED]),
                lambda status, track: status in (S.RECHECKED, S.PUBLICIZED),
                False,
            )
        )
    return rules


def _deadlines(campaign, today):
    fields = [
        "self_report_deadline",
        "township_check_deadline",
        "county_recheck_deadline",
        "approval_deadline",
    ]
    out = []
    for name in fields:
        day = getattr(campaign, name)
        out.append(
            {
                "field": name,
                "label": str(campaign._meta.get_field(name).verbose_name),
                "date": day.isoformat() if day else None,
                "passed": bool(day and day < today),
            }
        )
    return out


def _rankings(campaign):
    """The township ranking recomputed now from the final scores (never a stored, stale one).

    Same rule as the steering app's ranking (``ranking_scores``): a township with no final result
    is not ranked, and one with no scored village has no village mean.
    """
    try:
        from campaign.steering.ranking import _bottom_two, ranking_scores
    except ImportError:  # the steering part is optional
        return {}
    computed = ranking_scores(campaign)
    scores = {tid: values[3] for tid, values in computed.items()}
    bottom = _bottom_two(scores) if len(scores) > 2 else set()
    return {
        tid: {
            "rank": 1 + sum(1 for other in scores.values() if other > score),
            "score": score,
            "own_score": computed[tid][0],
            "villages_mean": computed[tid][1],
            "bottom_two": tid in bottom,
        }
        for tid, score in scores.items()
    }


def _named(campaign):
    """Titles this campaign issued (not revoked), by track and stars: the naming's figures."""
    counts = Counter()
    for track, stars, n in (
        Title.objects.filter(campaign=campaign)
        .exclude(status=Title.Status.REVOKED)
        .order_by()
        .values_list("track", "star_count")
        .annotate(n=Count("id"))
    ):
        counts[(track, stars)] += n
    named = {"total": sum(counts.values())}
    for track in (Track.VILLAGE, Track.TOWNSHIP, Track.DEPARTMENT):
        named[str(track)] = sum(n for (t, _s), n in counts.items() if t == track)
        named[f"{track}_five_star"] = counts[(track, 5)]
        named[f"{track}_by_stars"] = {str(k): counts[(track, k)] for k in range(1, 6)}
    return named


def build_report_data(campaign, *, now=None, previous=None):
    """Every figure of the report as JSON-ready data (see the module docstring)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with translation.override("zh-hans"):
        return _build(campaign, now, today, previous)


def _build(campaign, now, today, previous):
    county_id = campaign.county_id
    townships = list(
        Township.objects.filter(county_id=county_id)
        .annotate(village_count=Count("villages", distinct=True))
        .order_by("code", "id")
        .values("id", "name", "village_count")
    )
    appraisals = Appraisal.objects.filter(campaign=campaign)

    # One grouped query gives the stages, the lateness and the stars of every row.
    rules = late_conditions(campaign, today)
    by_stage = defaultdict(Counter)
    started_villages = Counter()
    # A township or department that never opened its own report is as late
    # as a village that never did: count it as "not started" in its row.
    started_townships = set()
    started_departments = 0
    late = Counter()
    stars = Counter()
    five_star = Counter()
    grouped = (
        appraisals.order_by().values("township_id", "track", "status", "star_count").annotate(n=Count("id"))
    )
    for row in grouped:
        track, status, n = row["track"], row["status"], row["n"]
        key = row["township_id"] if track != Track.DEPARTMENT else DEPARTMENTS_ROW
        by_stage[key][status] += n
        if track == Track.VILLAGE:
            started_villages[row["township_id"]] += n
        elif track == Track.TOWNSHIP:
            started_townships.add(row["township_id"])
        else:
            started_departments += n
        if any(test(status, track) for _q, test, _ns in rules):
            late[key] += n
        if status in SCORED:
            stars[row["star_count"]] += n
            if row["star_count"] == 5:
                five_star[key] += n
    for t in townships:
        missing = t["village_count"] - started_villages[t["id"]] + (t["id"] not in started_townships)
        if missing > 0:
            by_stage[t["id"]][NOT_STARTED] += missing
    departments_missing = Department.objects.filter(county_id=county_id).count() - started_departments
    if departments_missing > 0:
        by_stage[DEPARTMENTS_ROW][NOT_STARTED] += departments_missing

    late_names = []
    if rules:
        behind = Q()
        for condition, _test, _ns in rules:
            behind |= condition
        # Names only (no model instances): the subject is the village, else department, else township.
        late_names = [
            village or department or township
            for village, department, township in appraisals.filter(behind)
            .order_by(F("township_id").asc(nulls_last=True), "id")
            .values_list("village__name", "department__name", "township__name")[:NAME_LIMIT]
        ]
    if any(counts_not_started for _q, _t, counts_not_started in rules):
        for key in [t["id"] for t in townships] + [DEPARTMENTS_ROW]:
            late[key] += by_stage[key][NOT_STARTED]
        if len(late_names) < NAME_LIMIT and any(by_stage[t["id"]][NOT_STARTED] for t in townships):
            late_names.extend(
                Village.objects.filter(township__county_id=county_id)
                .exclude(appraisals__campaign=campaign)
                .order_by("township__code", "code")
                .values_list("name", flat=True)[: NAME_LIMIT - len(late_names)]
            )
        if len(late_names) < NAME_LIMIT and any(t["id"] not in started_townships for t in townships):
            late_names.extend(
                Township.objects.filter(county_id=county_id)
                .exclude(id__in=started_townships)
                .order_by("code")
                .values_list("name", flat=True)[: NAME_LIMIT - len(late_names)]
            )
        if len(late_names) < NAME_LIMIT and departments_missing > 0:
            late_names.extend(
                Department.objects.filter(county_id=county_id)
                .exclude(appraisals__campaign=campaign)
                .order_by("code")
                .values_list("name", flat=True)[: NAME_LIMIT - len(late_names)]
            )

    vetoes = Counter()
    for row in (
        VetoEvent.objects.filter(campaign=campaign)
        .order_by()
        .values("township_id", "track")
        .annotate(n=Count("id"))
    ):
        vetoes[row["township_id"] if row["track"] != Track.DEPARTMENT else DEPARTMENTS_ROW] += row["n"]

    # Titles of the county, whatever campaign named them: they last several years.
    soon = today + datetime.timedelta(days=EXPIRY_WINDOW_DAYS)
    county_titles = Title.objects.filter(county_id=county_id)
    titles = county_titles.aggregate(
        valid=Count("id", filter=Q(status=Title.Status.VALID, valid_until__gte=today)),
        expiring=Count(
            "id", filter=Q(status=Title.Status.VALID, valid_until__gte=today, valid_until__lte=soon)
        ),
        expired=Count(
            "id", filter=Q(status=Title.Status.EXPIRED) | Q(status=Title.Status.VALID, valid_until__lt=today)
        ),
        revoked=Count("id", filter=Q(status=Title.Status.REVOKED)),
        named_this_round=Count("id", filter=Q(campaign=campaign)),
    )
    expiring = [
        {"subject": village or department or township, "valid_until": until.isoformat(), "stars": stars}
        for village, department, township, until, stars in county_titles.expiring_within(
            today, EXPIRY_WINDOW_DAYS
        )
        .order_by("valid_until", "id")
        .values_list("village__name", "department__name", "township__name", "valid_until", "star_count")[
            :NAME_LIMIT
        ]
    ]

    rankings = _rankings(campaign)
    own_points = dict(
        appraisals.filter(track=Track.TOWNSHIP, final_points__isnull=False).values_list(
            "township_id", "final_points"
        )
    )

    named_villages, named_five = Counter(), Counter()
    for township_id, star_count, n in (
        Title.objects.filter(campaign=campaign, track=Track.VILLAGE)
        .exclude(status=Title.Status.REVOKED)
        .order_by()
        .values_list("township_id", "star_count")
        .annotate(n=Count("id"))
    ):
        named_villages[township_id] += n
        if star_count == 5:
            named_five[township_id] += n

    rows = []
    for t in townships:
        stages = by_stage[t["id"]]
        ranking = rankings.get(t["id"])
        # Classified by its own final score, as the steering pages classify it (not the ranking score).
        score = own_points.get(t["id"])
        rows.append(
            {
                "id": t["id"],
                "name": t["name"],
                "villages": t["village_count"],
                "villages_mean": ranking["villages_mean"] if ranking else None,
                "named": named_villages[t["id"]],
                "named_five_star": named_five[t["id"]],
                "subjects": sum(stages.values()),
                "by_stage": {k: v for k, v in stages.items() if v},
                "late": late[t["id"]],
                "five_star": five_star[t["id"]],
                "vetoes": vetoes[t["id"]],
                "rank": ranking["rank"] if ranking else None,
                "bottom_two": bool(ranking and ranking["bottom_two"]),
                "classification": _classification_label(score),
            }
        )
    if by_stage[DEPARTMENTS_ROW]:
        stages = by_stage[DEPARTMENTS_ROW]
        rows.append(
            {
                "id": DEPARTMENTS_ROW,
                "name": "县直部门",
                "villages": 0,
                "villages_mean": None,
                "named": 0,
                "named_five_star": 0,
                "subjects": sum(stages.values()),
                "by_stage": dict(stages),
                "late": late[DEPARTMENTS_ROW],
                "five_star": five_star[DEPARTMENTS_ROW],
                "vetoes": vetoes[DEPARTMENTS_ROW],
                "rank": None,
                "bottom_two": False,
                "classification": "",
            }
        )

    total_stages = Counter()
    for stages in by_stage.values():
        total_stages.update(stages)
    labels = dict(Appraisal.Status.choices)
    labels[NOT_STARTED] = "未开始"
    shown = [key for key in STAGE_ORDER if total_stages[key] or key in (NOT_STARTED, S.DRAFT, S.APPROVED)]
    county = {
        "townships": len(townships),
        "villages": sum(t["village_count"] for t in townships),
        "subjects": sum(total_stages.values()),
        "by_stage": {k: v for k, v in total_stages.items() if v},
        "late": sum(late.values()),
        "late_names": late_names[:NAME_LIMIT],
        "stars": {str(k): stars[k] for k in range(6)},
        "five_star": sum(five_star.values()),
        "titles": titles,
        "vetoes": sum(vetoes.values()),
        "named": _named(campaign),
    }
    data = {
        "version": DATA_VERSION,
        "campaign": {
            "id": campaign.pk,
            "name": campaign.name,
            "year": campaign.year,
            "county": campaign.county.name,
        },
        "taken_at": now.isoformat(),
        "taken_on_label": _date_label(today),
        "stages": [{"key": str(k), "label": str(labels[k])} for k in shown],
        "deadlines": _deadlines(campaign, today),
        "county": county,
        "townships": rows,
        "expiring_titles": expiring,
        "change": None,
        # Figures of the sections other apps add (campaign/reports/sections.py), same snapshot.
        "sections": take_figures(campaign, today),
    }
    if previous is not None:
        data["change"] = change_between(previous.data, data, previous.period)
    return data


def _classification_label(score):
    if score is None:
        return ""
    from campaign.steering.models import Classification

    return str(dict(Classification.choices).get(classify(score), ""))


def change_between(before, after, period):
    """What moved since the previous report, county-wide and per township."""
    b, a = before.get("county", {}), after.get("county", {})

    def stage(d, key):
        return d.get("by_stage", {}).get(key, 0)

    old_rows = {t["id"]: t for t in before.get("townships", [])}
    return {
        "previous_period": period,
        "approved": stage(a, S.APPROVED) - stage(b, S.APPROVED),
        "late": a.get("late", 0) - b.get("late", 0),
        "valid_titles": a.get("titles", {}).get("valid", 0) - b.get("titles", {}).get("valid", 0),
        "townships": {
            str(t["id"]): {
                "approved": stage(t, S.APPROVED) - stage(old_rows.get(t["id"], {}), S.APPROVED),
                "late": t["late"] - old_rows.get(t["id"], {}).get("late", 0),
            }
            for t in after.get("townships", [])
        },
    }
