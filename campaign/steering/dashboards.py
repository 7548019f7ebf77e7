"""The figures behind the dashboards: a fixed number of aggregate queries whatever the size.

Each function takes an already scoped user and returns plain data (lists and dicts) for the
templates and for the ECharts options embedded with ``json_script``. Every figure carries the URL of
the list behind it.
"""

import datetime
from urllib.parse import urlencode

from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaign.steering import selectors
from campaign.steering.ranking import classification_counts
from villages.models import Village
from villages.selectors import counties_for, departments_for, townships_for

EXPIRY_WINDOW_DAYS = 90


def _url(name, **params):
    params = {k: v for k, v in params.items() if v not in (None, "")}
    url = reverse(name)
    return f"{url}?{urlencode(params)}" if params else url


def stage_order():
    from appraisal.models import Appraisal

    S = Appraisal.Status
    return [
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


def late_statuses(campaign, today):
    """The stages a subject is late in, given the campaign's deadlines that have passed by ``today``.

    Not started counts as a draft. Each deadline makes the stages before it late once it has passed.
    """
    from appraisal.models import Appraisal

    S = Appraisal.Status
    steps = [
        (campaign.self_report_deadline, [S.DRAFT]),
        (campaign.township_check_deadline, [S.SUBMITTED]),
        (campaign.county_recheck_deadline, [S.TOWNSHIP_CHECKED, S.RECHECK_REQUESTED]),
        (campaign.approval_deadline, [S.RECHECKED, S.PUBLICIZED]),
    ]
    late = set()
    for deadline, statuses in steps:
        if deadline is not None and deadline < today:
            late.update(str(s) for s in statuses)
    return late


def deadlines(campaign, today):
    rows = [
        (_("Self-inspection reports"), campaign.self_report_deadline),
        (_("Township checks"), campaign.township_check_deadline),
        (_("County re-checks"), campaign.county_recheck_deadline),
        (_("Approval"), campaign.approval_deadline),
    ]
    return [{"label": label, "date": date, "passed": bool(date and date < today)} for label, date in rows]


def _title_figures(titles, campaign, today, **link):
    from appraisal.models import Title

    V = Title.Status
    soon = today + datetime.timedelta(days=EXPIRY_WINDOW_DAYS)
    data = titles.aggregate(
        named=Count("id", filter=Q(campaign=campaign)),
        valid=Count("id", filter=Q(status=V.VALID, valid_until__gte=today)),
        expiring=Count("id", filter=Q(status=V.VALID, valid_until__gte=today, valid_until__lte=soon)),
        expired=Count("id", filter=Q(status=V.EXPIRED) | Q(status=V.VALID, valid_until__lt=today)),
        revoked=Count("id", filter=Q(status=V.REVOKED)),
    )
    labels = {
        "named": _("named this round"),
        "valid": _("valid"),
        "expiring": _("expiring within 90 days"),
        "expired": _("expired"),
        "revoked": _("revoked"),
    }
    return [
        {
            "key": key,
            "label": labels[key],
            "value": data[key],
            "url": _url(
                "steering:title_list",
                state=key,
                campaign=campaign.pk if key == "named" else None,
                **link,
            ),
        }
        for key in labels
    ]


def county_dashboard(user, campaign, *, township_id=None, today=None):
    """County (or organizer's area) dashboard for ``campaign``, optionally one township only."""
    from appraisal.models import Appraisal, Track
    from appraisal.selectors import appraisals_for, titles_for, vetoes_for

    today = today or timezone.localdate()
    S = Appraisal.Status
    townships_qs = townships_for(user).filter(county_id=campaign.county_id)
    if township_id:
        townships_qs = townships_qs.filter(id=township_id)
    townships = list(
        townships_qs.annotate(village_count=Count("villages", distinct=True))
        .select_related(None)
        .order_by("code")
        .values("id", "name", "village_count")
    )
    appraisals = appraisals_for(user).filter(campaign=campaign)
    titles = titles_for(user).filter(county_id=campaign.county_id)
    vetoes = vetoes_for(user).filter(campaign=campaign)
    link = {}
    if township_id:
        appraisals = appraisals.filter(township_id=township_id)
        titles = titles.filter(township_id=township_id)
        vetoes = vetoes.filter(township_id=township_id)
        link["township"] = township_id

    # Subjects per stage per township (village appraisals), against the deadlines.
    per_township = {}
    for row in (
        appraisals.filter(track=Track.VILLAGE)
        .values("township_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        per_township.setdefault(row["township_id"], {})[row["status"]] = row["n"]
    late = late_statuses(campaign, today)
    self_deadline_passed = bool(campaign.self_report_deadline and campaign.self_report_deadline < today)
    stages = [("not_started", _("not started"))] + [(str(s), s.label) for s in stage_order()]
    series = {key: [] for key, _label in stages}
    late_by_township = []
    for t in townships:
        counts = per_township.get(t["id"], {})
        started = sum(counts.values())
        not_started = max(t["village_count"] - started, 0)
        series["not_started"].append({"value": not_started, "url": ""})
        for status in stage_order():
            series[str(status)].append(
                {
                    "value": counts.get(str(status), 0),
                    "url": _url(
                        "steering:appraisal_list",
                        campaign=campaign.pk,
                        township=t["id"],
                        track=Track.VILLAGE,
                        status=status,
                    ),
                }
            )
        late_count = sum(n for status, n in counts.items() if status in late)
        if self_deadline_passed:
            late_count += not_started
        late_by_township.append(
            {
                "township": t["name"],
                "value": late_count,
                "url": _url(
                    "steering:appraisal_list",
                    campaign=campaign.pk,
                    township=t["id"],
                    track=Track.VILLAGE,
                    late=1,
                ),
            }
        )
    progress = {
        "categories": [t["name"] for t in townships],
        "series": [{"key": key, "name": str(label), "data": series[key]} for key, label in stages],
        "late": late_by_township,
        "late_label": _("late"),
    }

    # Star distribution of the subjects with a county result.
    star_rows = (
        appraisals.filter(final_points__isnull=False)
        .values("track", "star_count")
        .annotate(n=Count("id"))
        .order_by()
    )
    stars = {str(Track.VILLAGE): [0] * 6, str(Track.TOWNSHIP): [0] * 6, str(Track.DEPARTMENT): [0] * 6}
    for row in star_rows:
        stars[row["track"]][row["star_count"]] = row["n"]
    star_figures = {
        "categories": [ngettext("%(n)s star", "%(n)s stars", n) % {"n": n} for n in range(6)],
        "series": [
            {
                "name": str(Track(track).label),
                "data": [
                    {
                        "value": value,
                        "url": _url(
                            "steering:appraisal_list", campaign=campaign.pk, track=track, stars=n, **link
                        ),
                    }
                    for n, value in enumerate(values)
                ],
            }
            for track, values in stars.items()
        ],
    }

    veto_rows = list(vetoes.values("kind").annotate(n=Count("id")).order_by("-n"))
    from appraisal.models import VetoEvent

    veto_labels = dict(VetoEvent.Kind.choices)
    veto_figures = [
        {
            "label": str(veto_labels.get(r["kind"], r["kind"])),
            "value": r["n"],
            "url": _url("steering:appraisal_list", campaign=campaign.pk, status=S.VETOED, **link),
        }
        for r in veto_rows
    ]

    notice_qs = selectors.notices_for(user)
    if township_id:
        notice_qs = notice_qs.filter(township_id=township_id)
    notices = notice_qs.aggregate(
        open=Count("id", filter=Q(status__in=("issued", "returned"))),
        overdue=Count("id", filter=selectors.overdue_q(today)),
        replied=Count("id", filter=Q(status="replied")),
    )
    notice_figures = {
        **notices,
        "overdue_url": _url("steering:notice_list", overdue="on", **link),
        "open_url": _url("steering:notice_list", **link),
        "replied_url": _url("steering:notice_list", status="replied", **link),
    }

    # The trend across the county's campaign years (all campaigns, same scope).
    trend_qs = appraisals_for(user).filter(county_id=campaign.county_id)
    if township_id:
        trend_qs = trend_qs.filter(township_id=township_id)
    trend_rows = list(
        trend_qs.values("campaign_id", "campaign__year")
        .annotate(
            mean=Avg("final_points", filter=Q(track=Track.VILLAGE)),
            five_star=Count("id", filter=Q(star_count=5, status=S.APPROVED)),
            approved=Count("id", filter=Q(status=S.APPROVED)),
            total=Count("id"),
        )
        .order_by("campaign__year")
    )
    trend = {
        "labels": {
            "mean": _("mean final points (villages)"),
            "count": _("subjects"),
            "approved": _("approved"),
            "five_star": _("five-star"),
        },
        "years": [str(r["campaign__year"]) for r in trend_rows],
        "mean": [
            {
                "value": float(round(r["mean"], 1)) if r["mean"] is not None else None,
                "url": _url(
                    "steering:appraisal_list", campaign=r["campaign_id"], track=Track.VILLAGE, **link
                ),
            }
            for r in trend_rows
        ],
        "five_star": [
            {
                "value": r["five_star"],
                "url": _url(
                    "steering:appraisal_list", campaign=r["campaign_id"], stars=5, status=S.APPROVED, **link
                ),
            }
            for r in trend_rows
        ],
        "approved": [
            {
                "value": r["approved"],
                "url": _url("steering:appraisal_list", campaign=r["campaign_id"], status=S.APPROVED, **link),
            }
            for r in trend_rows
        ],
    }
    classes = classification_counts(appraisals, campaign)
    return {
        "progress": progress,
        "deadlines": deadlines(campaign, today),
        "stars": star_figures,
        "titles": _title_figures(titles, campaign, today, **link),
        "vetoes": veto_figures,
        "veto_total": sum(v["value"] for v in veto_figures),
        "notices": notice_figures,
        "trend": trend,
        "classes": classes,
        "classes_url": _url("steering:classification", campaign=campaign.pk, **link),
        "late_total": sum(r["value"] for r in late_by_township),
        "late_url": _url(
            "steering:appraisal_list", campaign=campaign.pk, track=Track.VILLAGE, late=1, **link
        ),
        "vetoes_url": _url("steering:appraisal_list", campaign=campaign.pk, status=S.VETOED, **link),
    }


def _label(classification):
    return classification.label if classification else None


def township_dashboard(user, campaign, *, today=None):
    """A township's own view: each of its villages' stage, score, stars and class; its own appraisal."""
    from appraisal.models import Appraisal, Track
    from appraisal.selectors import appraisals_for, titles_for
    from campaign.steering.ranking import classify
    from campaign.steering.services import settings_for

    today = today or timezone.localdate()
    settings = settings_for(campaign)
    villages = list(
        Village.objects.filter(township_id=user.township_id).order_by("code").values("id", "name", "code")
    )
    appraisals = {
        a["village_id"] or 0: a
        for a in appraisals_for(user)
        .filter(campaign=campaign)
        .values("id", "track", "village_id", "status", "final_points", "star_count")
    }
    late = late_statuses(campaign, today)
    self_deadline_passed = bool(campaign.self_report_deadline and campaign.self_report_deadline < today)
    status_labels = dict(Appraisal.Status.choices)
    rows = []
    stage_counts = {}
    for v in villages:
        a = appraisals.get(v["id"])
        status = a["status"] if a else "not_started"
        stage_counts[status] = stage_counts.get(status, 0) + 1
        rows.append(
            {
                "village": v["name"],
                "appraisal_id": a["id"] if a else None,
                "status": status,
                "status_label": status_labels.get(status, _("not started")),
                "final_points": a["final_points"] if a else None,
                "star_count": a["star_count"] if a else None,
                "classification": classify(a["final_points"], settings) if a else None,
                "late": (status in late) or (status == "not_started" and self_deadline_passed),
            }
        )
    own = appraisals.get(0)
    stage_chart = [
        {
            "name": str(status_labels.get(key, _("not started"))),
            "value": stage_counts.get(key, 0),
            "url": _url("steering:appraisal_list", campaign=campaign.pk, track=Track.VILLAGE, status=key)
            if key != "not_started"
            else "",
        }
        for key in ["not_started", *[str(s) for s in stage_order()]]
        if stage_counts.get(key)
    ]
    titles = titles_for(user)
    notices = selectors.notice_counts(user, today)
    return {
        "rows": rows,
        "own": own,
        "own_status_label": status_labels.get(own["status"]) if own else None,
        "own_classification": _label(classify(own["final_points"], settings) if own else None),
        "stage_chart": stage_chart,
        "titles": _title_figures(titles, campaign, today),
        "notices": {
            **notices,
            "overdue_url": _url("steering:notice_list", overdue="on"),
            "open_url": _url("steering:notice_list"),
            "replied_url": _url("steering:notice_list", status="replied"),
        },
        "deadlines": deadlines(campaign, today),
        "late_total": sum(1 for r in rows if r["late"]),
    }


def department_dashboard(user, campaign, *, today=None):
    """The county's departments (or one's own department): stage, final points, stars, title."""
    from appraisal.models import Appraisal, Track
    from appraisal.selectors import appraisals_for, titles_for

    today = today or timezone.localdate()
    departments = list(
        departments_for(user).filter(county_id=campaign.county_id).order_by("code").values("id", "name")
    )
    appraisals = {
        a["department_id"]: a
        for a in appraisals_for(user)
        .filter(campaign=campaign, track=Track.DEPARTMENT)
        .values("id", "department_id", "status", "final_points", "star_count", "satisfaction_rate")
    }
    valid_titles = dict(
        titles_for(user)
        .filter(track=Track.DEPARTMENT)
        .in_validity(today)
        .values_list("department_id", "valid_until")
    )
    status_labels = dict(Appraisal.Status.choices)
    rows = []
    for d in departments:
        a = appraisals.get(d["id"])
        rows.append(
            {
                "department": d["name"],
                "status_label": status_labels.get(a["status"]) if a else _("not started"),
                "status": a["status"] if a else "not_started",
                "final_points": a["final_points"] if a else None,
                "star_count": a["star_count"] if a else None,
                "satisfaction_rate": a["satisfaction_rate"] if a else None,
                "title_valid_until": valid_titles.get(d["id"]),
            }
        )
    counts = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    chart = [
        {
            "name": str(status_labels.get(key, _("not started"))),
            "value": n,
            "url": _url("steering:appraisal_list", campaign=campaign.pk, track=Track.DEPARTMENT, status=key)
            if key != "not_started"
            else "",
        }
        for key, n in counts.items()
    ]
    return {"rows": rows, "chart": chart}


def city_rollup(user, year, *, today=None):
    """Across the city's counties for one campaign year: progress, stars, titles, vetoes (one row each)."""
    from appraisal.models import Appraisal, Title, Track, VetoEvent

    today = today or timezone.localdate()
    S = Appraisal.Status
    counties = list(counties_for(user).order_by("code").values("id", "name"))
    county_ids = [c["id"] for c in counties]
    villages = dict(
        Village.objects.filter(township__county_id__in=county_ids)
        .values("township__county_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("township__county_id", "n")
    )
    appraisal_rows = {
        r["county_id"]: r
        for r in Appraisal.objects.filter(county_id__in=county_ids, campaign__year=year, track=Track.VILLAGE)
        .values("county_id")
        .annotate(
            total=Count("id"),
            in_progress=Count("id", filter=~Q(status__in=[S.APPROVED, S.NOT_RECOMMENDED, S.VETOED])),
            approved=Count("id", filter=Q(status=S.APPROVED)),
            not_recommended=Count("id", filter=Q(status=S.NOT_RECOMMENDED)),
            vetoed=Count("id", filter=Q(status=S.VETOED)),
            five_star=Count("id", filter=Q(status=S.APPROVED, star_count=5)),
            mean=Avg("final_points"),
        )
        .order_by()
    }
    soon = today + datetime.timedelta(days=EXPIRY_WINDOW_DAYS)
    title_rows = {
        r["county_id"]: r
        for r in Title.objects.filter(county_id__in=county_ids)
        .values("county_id")
        .annotate(
            valid=Count("id", filter=Q(status=Title.Status.VALID, valid_until__gte=today)),
            expiring=Count(
                "id", filter=Q(status=Title.Status.VALID, valid_until__gte=today, valid_until__lte=soon)
            ),
            revoked=Count("id", filter=Q(status=Title.Status.REVOKED)),
        )
        .order_by()
    }
    veto_rows = dict(
        VetoEvent.objects.filter(county_id__in=county_ids, campaign__year=year)
        .values("county_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("county_id", "n")
    )
    rows = []
    for c in counties:
        a = appraisal_rows.get(c["id"], {})
        t = title_rows.get(c["id"], {})
        village_count = villages.get(c["id"], 0)
        rows.append(
            {
                "county_id": c["id"],
                "county": c["name"],
                "villages": village_count,
                "not_started": max(village_count - a.get("total", 0), 0),
                "in_progress": a.get("in_progress", 0),
                "approved": a.get("approved", 0),
                "not_recommended": a.get("not_recommended", 0),
                "vetoed": a.get("vetoed", 0),
                "five_star": a.get("five_star", 0),
                "five_star_share": round(100 * a.get("five_star", 0) / village_count, 1)
                if village_count
                else 0,
                "mean": float(round(a["mean"], 1)) if a.get("mean") is not None else None,
                "titles_valid": t.get("valid", 0),
                "titles_expiring": t.get("expiring", 0),
                "titles_revoked": t.get("revoked", 0),
                "vetoes": veto_rows.get(c["id"], 0),
                "url": _url("steering:appraisal_list", county=c["id"], year=year, track=Track.VILLAGE),
            }
        )
    keys = [
        ("not_started", _("not started")),
        ("in_progress", _("in progress")),
        ("approved", _("approved")),
        ("not_recommended", _("not recommended")),
        ("vetoed", _("vetoed")),
    ]
    chart = {
        "categories": [r["county"] for r in rows],
        "series": [
            {"name": str(label), "data": [{"value": r[key], "url": r["url"]} for r in rows]}
            for key, label in keys
        ],
        "share": [{"value": r["five_star_share"], "url": r["url"]} for r in rows],
        "share_label": _("five-star share (%)"),
    }
    return {"rows": rows, "chart": chart}
