"""Steering at province scale: county dashboard, city roll-up, and a 50,000-row Excel export.

Run by ``bench/run.py`` (see its contract) after ``seed_scale`` and ``seed_demo``, or on its own:
``python bench/bench_steering.py`` with ``DATABASE_URL`` pointing at a database that already holds
``seed_scale`` data (users ``k001_zzb`` and ``p01_shiwei``).

It adds what the registry seed lacks (a bench-only addition, never deleting anything):

- campaigns 2025 and 2026 for every county, one appraisal per village and township per campaign
  (results spread over every stage), a tenth of the villages with a title, some vetoes;
- in the first county, supervision notices up to 50,000 (the export's rows).

Figures (JSON lines): county dashboard and city roll-up median/p95 (goal p95 < 200 ms) and the
number of queries of each; the export's time (goal < 10 s) and the peak memory of a fresh process
doing only the export (goal < 200 MB), measured in a child process so that seeding does not count.
"""

import datetime
import os
import random
import resource
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.timing import emit, time_get  # noqa: E402
from campaign.models import Campaign, User  # noqa: E402

BENCH = "steering"
COUNTY_USER = "k001_zzb"
CITY_USER = "p01_shiwei"
EXPORT_ROWS = int(os.environ.get("BENCH_EXPORT_ROWS", "50000"))
YEARS = (2025, 2026)
BATCH = 5000


def _rubrics(campaign):
    """One rubric per track, seeded once and shared by the bench campaigns (only the foreign key matters)."""
    from appraisal import services
    from appraisal.models import Rubric, Track

    services.rubric_seed_default(campaign=campaign)
    return {
        track: Rubric.objects.filter(campaign=campaign, track=track).order_by("-version").first()
        for track in Track.values
    }


def seed_appraisals():
    """Campaigns and appraisal results for every county; skips subjects that already have one."""
    from appraisal.models import Appraisal, Title, Track, VetoEvent
    from villages.models import County, Township, Village

    S = Appraisal.Status
    rng = random.Random(2026)
    admin = User.objects.filter(role="county_admin").order_by("id").first()
    counties = list(County.objects.order_by("id").values_list("id", flat=True))
    created = 0
    started = time.monotonic()
    rubrics = None
    for year in YEARS:
        existing = set(Campaign.objects.filter(year=year).values_list("county_id", flat=True))
        Campaign.objects.bulk_create(
            [
                Campaign(county_id=c, year=year, name=f"{year}年度三级联创")
                for c in counties
                if c not in existing
            ]
        )
        campaigns = dict(Campaign.objects.filter(year=year).values_list("county_id", "id"))
        if rubrics is None:
            rubrics = _rubrics(Campaign.objects.get(pk=campaigns[counties[0]]))
        have_village = set(
            Appraisal.objects.filter(campaign__year=year, track=Track.VILLAGE).values_list(
                "village_id", flat=True
            )
        )
        have_township = set(
            Appraisal.objects.filter(campaign__year=year, track=Track.TOWNSHIP).values_list(
                "township_id", flat=True
            )
        )
        statuses = [S.DRAFT, S.SUBMITTED, S.TOWNSHIP_CHECKED, S.RECHECK_REQUESTED, S.RECHECKED, S.PUBLICIZED]
        batch = []

        def flush(batch=batch):
            nonlocal created
            with transaction.atomic():
                Appraisal.objects.bulk_create(batch)
            created += len(batch)
            batch.clear()

        for tid, county_id in Township.objects.values_list("id", "county_id").iterator(chunk_size=BATCH):
            if tid in have_township:
                continue
            final = Decimal(rng.randint(6500, 9900)) / 100
            batch.append(
                Appraisal(
                    campaign_id=campaigns[county_id],
                    rubric=rubrics[Track.TOWNSHIP],
                    track=Track.TOWNSHIP,
                    county_id=county_id,
                    township_id=tid,
                    status=S.APPROVED,
                    final_points=final,
                    star_count=min(5, max(0, int((final - 60) // 8))),
                )
            )
        for vid, tid, county_id in Village.objects.values_list(
            "id", "township_id", "township__county_id"
        ).iterator(chunk_size=BATCH):
            if vid in have_village:
                continue
            finished = year < max(YEARS) or rng.random() < 0.5
            status = (
                rng.choice([S.APPROVED, S.APPROVED, S.NOT_RECOMMENDED, S.VETOED])
                if finished
                else rng.choice(statuses)
            )
            final = Decimal(rng.randint(6000, 9900)) / 100 if status not in statuses[:4] else None
            stars = min(5, max(0, int((final - 60) // 8))) if final is not None else 0
            batch.append(
                Appraisal(
                    campaign_id=campaigns[county_id],
                    rubric=rubrics[Track.VILLAGE],
                    track=Track.VILLAGE,
                    county_id=county_id,
                    township_id=tid,
                    village_id=vid,
                    status=status,
                    final_points=final,
                    star_count=stars,
                )
            )
            if len(batch) >= BATCH:
                flush()
        if batch:
            flush()
    # Titles for a tenth of the approved five-star village results of the first year, and some vetoes.
    first = Campaign.objects.filter(year=YEARS[0])
    if not Title.objects.filter(campaign__in=first).exists():
        titles = []
        named = datetime.date(YEARS[0], 7, 1)
        for a in (
            Appraisal.objects.filter(
                campaign__in=first, track=Track.VILLAGE, status=S.APPROVED, star_count__gte=4
            )
            .values("id", "campaign_id", "county_id", "township_id", "village_id", "star_count")
            .iterator(chunk_size=BATCH)
        ):
            if rng.random() < 0.5:
                titles.append(
                    Title(
                        campaign_id=a["campaign_id"],
                        appraisal_id=a["id"],
                        track=Track.VILLAGE,
                        county_id=a["county_id"],
                        township_id=a["township_id"],
                        village_id=a["village_id"],
                        star_count=a["star_count"],
                        named_on=named,
                        valid_until=named.replace(year=named.year + 3),
                    )
                )
        for start in range(0, len(titles), BATCH):
            Title.objects.bulk_create(titles[start : start + BATCH])
    second = Campaign.objects.filter(year=YEARS[1])
    if admin is not None and not VetoEvent.objects.filter(campaign__in=second).exists():
        vetoes = []
        for a in Appraisal.objects.filter(campaign__in=second, status=S.VETOED).values(
            "campaign_id", "county_id", "township_id", "village_id"
        )[:2000]:
            vetoes.append(
                VetoEvent(
                    **{k: a[k] for k in ("campaign_id", "county_id", "township_id", "village_id")},
                    track=Track.VILLAGE,
                    kind=VetoEvent.Kind.MASS_PETITION,
                    occurred_on=datetime.date(YEARS[1], 3, 1),
                    description="bench",
                    recorded_by=admin,
                )
            )
        VetoEvent.objects.bulk_create(vetoes)
    return created, time.monotonic() - started


def seed_notices(user, rows):
    """Supervision notices in the first county up to ``rows`` (with two items each for the first ones)."""
    from campaign.steering.models import NoticeItem, SupervisionNotice
    from villages.models import Township

    have = SupervisionNotice.objects.filter(county_id=user.county_id).count()
    if have >= rows:
        return 0
    townships = list(Township.objects.filter(county_id=user.county_id).values_list("id", flat=True))
    rng = random.Random(7)
    today = datetime.date.today()
    year = 2000  # a year of its own, so that numbering never collides with real notices
    start = (
        SupervisionNotice.objects.filter(county_id=user.county_id, year=year)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0
    )
    statuses = list(SupervisionNotice.Status.values)
    made = 0
    for offset in range(0, rows - have, BATCH):
        chunk = []
        for i in range(offset, min(rows - have, offset + BATCH)):
            status = rng.choice(statuses)
            chunk.append(
                SupervisionNotice(
                    county_id=user.county_id,
                    township_id=rng.choice(townships),
                    number=start + i + 1,
                    year=year,
                    title=f"压力测试督办事项{start + i + 1}",
                    deadline=today + datetime.timedelta(days=rng.randint(-30, 60)),
                    report_to="组织部",
                    status=status,
                    issued_by=user,
                    accepted_at=datetime.datetime.now(datetime.UTC) if status == "accepted" else None,
                )
            )
        with transaction.atomic():
            notices = SupervisionNotice.objects.bulk_create(chunk)
            if offset == 0:
                NoticeItem.objects.bulk_create(
                    [
                        NoticeItem(notice=n, position=p, text=f"事项{p}")
                        for n in notices[:1000]
                        for p in (1, 2)
                    ]
                )
        made += len(chunk)
    return made


def time_page(figure, client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        print(f"{figure}: GET {url} answered {response.status_code}", file=sys.stderr)
        return
    emit(BENCH, f"{figure}.queries", len(queries.captured_queries), "queries")
    timing = time_get(client, url)
    if timing:
        emit(BENCH, f"{figure}.median", timing["median"], "ms")
        emit(BENCH, f"{figure}.p95", timing["p95"], "ms", goal=200, ok=timing["p95"] < 200)


def export_child():
    """In a fresh process: stream the notice export for the county user, report time, rows and peak memory."""
    import io

    from openpyxl import load_workbook

    user = User.objects.get(username=COUNTY_USER)
    client = Client()
    client.force_login(user)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    cpu_started = time.process_time()
    response = client.get("/steering/notices/export.xlsx")
    size = 0
    head = io.BytesIO()
    for chunk in response.streaming_content:
        size += len(chunk)
        head.write(chunk)  # kept only to count the rows afterwards, outside the timing
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    head.seek(0)
    rows = sum(1 for _ in load_workbook(head, read_only=True).active.iter_rows(values_only=True)) - 1
    print(f"{elapsed:.3f} {cpu:.3f} {rows} {size} {peak / 1024:.1f} {baseline / 1024:.1f}")


def main():
    if "--export-child" in sys.argv:
        export_child()
        return
    county_user = User.objects.get(username=COUNTY_USER)
    city_user = User.objects.get(username=CITY_USER)
    created, seconds = seed_appraisals()
    emit(BENCH, "seed.appraisals", created, "rows", seconds=round(seconds, 1))
    made = seed_notices(county_user, EXPORT_ROWS)
    emit(BENCH, "seed.notices", made, "rows")

    from appraisal.models import Appraisal

    emit(BENCH, "appraisals.total", Appraisal.objects.count(), "rows")
    client = Client()
    client.force_login(county_user)
    campaign = Campaign.objects.get(county_id=county_user.county_id, year=max(YEARS))
    time_page("county_dashboard", client, f"/steering/dashboard/?campaign={campaign.pk}")
    client = Client()
    client.force_login(city_user)
    time_page("city_rollup", client, f"/steering/dashboard/?year={max(YEARS)}")

    process = subprocess.run(
        [sys.executable, __file__, "--export-child"],
        capture_output=True,
        text=True,
        env=os.environ,
        check=False,
    )
    if process.returncode:
        print(process.stderr, file=sys.stderr)
        sys.exit(process.returncode)
    elapsed, cpu, rows, size, peak, baseline = process.stdout.split()[-6:]
    # The machine may be shared: the CPU time of this process tells the cost apart from the waiting.
    emit(
        BENCH,
        "export_notices.seconds",
        float(elapsed),
        "s",
        cpu_seconds=float(cpu),
        rows=int(rows),
        bytes=int(size),
        goal=10,
        ok=float(elapsed) < 10,
    )
    emit(
        BENCH,
        "export_notices.peak_rss",
        float(peak),
        "MB",
        baseline_mb=float(baseline),
        goal=200,
        ok=float(peak) < 200,
    )


if __name__ == "__main__":
    main()
