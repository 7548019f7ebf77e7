"""Appraisal at province scale: the county re-check queue, the township queue and the title list (p95),
and one expiry run over 50,000 titles.

Run by bench/run.py after ``seed_scale`` (150 counties) and ``seed_demo``. It adds its own data, once:
a 2026 campaign with the default village rubric for every county that has none, an appraisal for
every village (a quarter of them reported for re-check), and 50,000 titles named in 2023 (so valid
until 2026) spread over the province. Goals: pages p95 < 150 ms, the expiry run < 5 s.
"""

import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from appraisal import services  # noqa: E402
from appraisal.models import Appraisal, Rubric, Title, Track  # noqa: E402
from bench.timing import emit, time_get  # noqa: E402
from campaign.models import Campaign, User  # noqa: E402
from villages.models import County, Village  # noqa: E402

BENCH = "appraisal"
YEAR = 2026
TITLES = int(os.environ.get("BENCH_TITLES", "50000"))
MARK = "bench:"
S = Appraisal.Status
CYCLE = [
    S.DRAFT,
    S.SUBMITTED,
    S.TOWNSHIP_CHECKED,
    S.RECHECK_REQUESTED,
    S.RECHECKED,
    S.DRAFT,
    S.SUBMITTED,
    S.RECHECK_REQUESTED,
]


@transaction.atomic
def prepare():
    """Campaigns, rubrics, appraisals and titles for the whole province (skipped when already there)."""
    if (
        Title.objects.filter(revoke_reason=MARK).exists()
        or Title.objects.filter(campaign__name__startswith=MARK).exists()
    ):
        return
    started = time.perf_counter()
    have = set(Campaign.objects.filter(year=YEAR).values_list("county_id", flat=True))
    Campaign.objects.bulk_create(
        [Campaign(county=c, year=YEAR, name=f"{MARK}{YEAR}") for c in County.objects.exclude(pk__in=have)]
    )
    campaigns = {c.county_id: c for c in Campaign.objects.filter(year=YEAR)}
    for campaign in campaigns.values():
        services.rubric_seed_default(campaign=campaign, tracks=[Track.VILLAGE])
    rubrics = {
        r.campaign_id: r.pk
        for r in Rubric.objects.filter(campaign__year=YEAR, track=Track.VILLAGE).order_by(
            "campaign_id", "-version"
        )
    }
    taken = set(
        Appraisal.objects.filter(campaign__year=YEAR, track=Track.VILLAGE).values_list(
            "village_id", flat=True
        )
    )
    villages = list(Village.objects.values_list("pk", "township_id", "township__county_id").order_by("pk"))
    batch = []
    for i, (village_id, township_id, county_id) in enumerate(villages):
        if village_id in taken:
            continue
        campaign = campaigns[county_id]
        batch.append(
            Appraisal(
                campaign=campaign,
                rubric_id=rubrics[campaign.pk],
                track=Track.VILLAGE,
                county_id=county_id,
                township_id=township_id,
                village_id=village_id,
                status=CYCLE[i % len(CYCLE)],
                self_points=85,
                township_points=82,
            )
        )
    Appraisal.objects.bulk_create(batch, batch_size=5000)
    titles = []
    for i in range(TITLES):
        village_id, township_id, county_id = villages[i % len(villages)]
        named = datetime.date(2023, 1, 1) + datetime.timedelta(days=i % 365)
        titles.append(
            Title(
                campaign=campaigns[county_id],
                track=Track.VILLAGE,
                county_id=county_id,
                township_id=township_id,
                village_id=village_id,
                star_count=5 - i % 3,
                stars=["leadership", "members", "mechanism", "prosperity", "feedback"][: 5 - i % 3],
                named_on=named,
                valid_until=services.add_years(named, 3),
            )
        )
    Title.objects.bulk_create(titles, batch_size=5000)
    emit(
        BENCH,
        "prepare",
        round(time.perf_counter() - started, 1),
        "s",
        appraisals=len(batch),
        titles=len(titles),
    )


def time_pages():
    pages = [
        ("recheck_queue.county_admin", "k001_zzb", reverse("appraisal:recheck_queue")),
        ("title_list.county_admin", "k001_zzb", reverse("appraisal:title_list")),
        ("title_list_expiring.county_admin", "k001_zzb", reverse("appraisal:title_list") + "?state=expiring"),
        ("township_queue.township", "k001_xiang01", reverse("appraisal:township_queue")),
        ("title_list.city_viewer", "p01_shiwei", reverse("appraisal:title_list")),
    ]
    for figure, username, url in pages:
        user = User.objects.filter(username=username).first()
        if user is None:
            print(f"bench_appraisal: no user {username}, skipped", file=sys.stderr)
            continue
        client = Client()
        client.force_login(user)
        timing = time_get(client, url)
        if timing is None:
            continue
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        for stat in ("median", "p95"):
            emit(BENCH, f"{figure}.{stat}", timing[stat], "ms", scale="province", goal_ms=150)
        emit(BENCH, f"{figure}.queries", len(queries), "queries", scale="province")


def time_expiry():
    """Reminders over a month of due titles, then one run of the daily task over every title (all due by
    2027), then a second run (idempotent)."""
    Title.objects.filter(campaign__name__startswith=MARK).update(status=Title.Status.VALID, expired_on=None)
    started = time.perf_counter()
    reminded = services.title_send_reminders(today=datetime.date(2026, 12, 15))
    emit(BENCH, "reminders.run", round(time.perf_counter() - started, 2), "s", notifications=reminded)
    due = Title.objects.filter(status=Title.Status.VALID, valid_until__lt=datetime.date(2027, 1, 1)).count()
    started = time.perf_counter()
    expired = services.title_expire(today=datetime.date(2027, 1, 1))
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = services.title_expire(today=datetime.date(2027, 1, 1))
    second = time.perf_counter() - started
    emit(BENCH, "expire_titles.run", round(first, 2), "s", titles=expired, due=due, goal_s=5)
    emit(BENCH, "expire_titles.rerun", round(second * 1000, 1), "ms", titles=again)


def main():
    prepare()
    time_pages()
    time_expiry()


if __name__ == "__main__":
    main()
