#!/usr/bin/env python3
"""Reports and briefings benchmark (bench/run.py picks it up; also runs on its own).

Figures (JSON lines, see bench/run.py):
- report_build.county: building one county's progress report (ms; median of 5), on the demo
  county when it has a campaign, else on a synthetic one.
- report_build.province_county: the same for one county while the database holds the whole
  province (ms), and report_build.province_all: every county's report of the province, one
  after the other (s). Goal: under 2 s.
- briefing_20_pages.end_to_end / .weasyprint_only / .ratio: a ~20-page briefing rendered by
  the worker's code path (load, figures, template, typesetting on the grid, PDF, atomic write)
  against WeasyPrint alone on the same finished HTML.
- briefing_20_pages.weasyprint_before / .ratio_to_before: WeasyPrint alone on the same briefing's
  HTML as the templates made it before the print issue (bench/fixtures/briefing-20p-before.html:
  Noto faces, ragged lines), measured in the same run. Goal: end to end under 1.3 × that.
- worker_peak_rss: the peak memory (VmHWM) of a real `celery worker` process that rendered
  that briefing (MB; needs REDIS_URL), else of a plain render process. Goal: under 400 MB.

Data: it adds a 2026 campaign with synthetic appraisals to each county that has none
(statuses spread over the stages), and never deletes anything.

Standalone: DATABASE_URL=... python bench/bench_reports.py
"""

import datetime
import os
import random
import resource
import signal
import statistics
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DEBUG", "0")
if os.environ.get("DEBUG") == "0":
    os.environ.setdefault("SECRET_KEY", "bench-" + uuid.uuid4().hex)

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from bench.timing import emit  # noqa: E402

BENCH = "reports"
YEAR = 2026
STATUSES = [
    "draft",
    "submitted",
    "township_checked",
    "recheck_requested",
    "rechecked",
    "publicized",
    "approved",
    "approved",
    "not_recommended",
]


def ensure_campaign(county, rng):
    """The county's 2026 campaign, with synthetic appraisals if it had none."""
    from appraisal.models import Appraisal, Rubric, Track
    from campaign.models import Campaign
    from villages.models import Township, Village

    campaign, created = Campaign.objects.get_or_create(
        county=county,
        year=YEAR,
        defaults={
            "name": f"{YEAR}年度三级联创",
            "self_report_deadline": datetime.date(YEAR, 4, 30),
            "township_check_deadline": datetime.date(YEAR, 5, 31),
            "county_recheck_deadline": datetime.date(YEAR, 6, 30),
            "approval_deadline": datetime.date(YEAR, 7, 31),
        },
    )
    if Appraisal.objects.filter(campaign=campaign).exists():
        return campaign
    rubrics = {}
    for track in (Track.VILLAGE, Track.TOWNSHIP):
        rubrics[track] = Rubric.objects.filter(
            campaign=campaign, track=track
        ).first() or Rubric.objects.create(campaign=campaign, track=track)
    rows = []
    for village in Village.objects.filter(township__county=county).only("id", "township_id"):
        if rng.random() < 0.08:
            continue  # not started
        status = rng.choice(STATUSES)
        stars = (
            rng.randint(0, 5) if status in ("rechecked", "publicized", "approved", "not_recommended") else 0
        )
        rows.append(
            Appraisal(
                campaign=campaign,
                rubric=rubrics[Track.VILLAGE],
                track=Track.VILLAGE,
                county=county,
                township_id=village.township_id,
                village_id=village.id,
                status=status,
                star_count=stars,
                final_points=Decimal(60 + 8 * stars) if stars else None,
            )
        )
    for township in Township.objects.filter(county=county).only("id"):
        rows.append(
            Appraisal(
                campaign=campaign,
                rubric=rubrics[Track.TOWNSHIP],
                track=Track.TOWNSHIP,
                county=county,
                township_id=township.id,
                status=rng.choice(STATUSES),
            )
        )
    Appraisal.objects.bulk_create(rows, batch_size=2000)
    return campaign


def time_report(campaign, runs=5):
    from campaign.reports.figures import build_report_data

    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        build_report_data(campaign)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def long_briefing(campaign):
    """A briefing of about 20 pages: the report's tables and charts plus a long text."""
    from campaign.reports.models import Briefing
    from campaign.reports.services import briefing_create, briefing_update, report_take

    report, _ = report_take(campaign=campaign, period="bench-20p")
    existing = Briefing.objects.filter(report=report).first()
    paragraph = (
        "各乡镇党委认真落实县委部署，把“三级联创”作为抓基层打基础的重要抓手，"
        "坚持以创建促规范、以规范促提升，逐村制定创建方案，明确责任人和时间表，"
        "扎实开展自检自评，确保创建工作有序推进、取得实效。"
    )
    text = "\n\n".join(f"（{i + 1}）{paragraph}" for i in range(68))
    fields = {"highlights": text, "problems": text[: len(text) // 3]}
    if existing is not None:
        return briefing_update(briefing=existing, **fields)
    return briefing_create(campaign=campaign, report=report, **fields)


def time_briefing(briefing):
    from weasyprint import HTML

    from campaign.reports import pdf
    from campaign.reports.documents import briefing_context
    from campaign.reports.services import briefing_render

    pdf.render_pdf("<p>预热</p>")  # fonts and WeasyPrint loaded once, as in a running worker
    # The typesetter's font metrics and word list, loaded once per worker process as well.
    pdf.render_html("reports/pdf/briefing.html", briefing_context(briefing))
    before_html = (ROOT / "bench" / "fixtures" / "briefing-20p-before.html").read_text()
    ends, alone, before = [], [], []
    pages = 0
    for _ in range(3):
        started = time.perf_counter()
        briefing_render(briefing_id=briefing.pk)
        ends.append(time.perf_counter() - started)
        briefing.refresh_from_db()
        html = pdf.render_html("reports/pdf/briefing.html", briefing_context(briefing))
        started = time.perf_counter()
        document = HTML(string=html, base_url=str(ROOT)).render()
        document.write_pdf()
        alone.append(time.perf_counter() - started)
        pages = len(document.pages)
        started = time.perf_counter()
        HTML(string=before_html, base_url=str(ROOT)).write_pdf()
        before.append(time.perf_counter() - started)
    return statistics.median(ends), statistics.median(alone), pages, statistics.median(before)


def worker_peak_rss(briefing):
    """VmHWM of a real worker process that rendered the briefing (MB), or None without Redis."""
    if not os.environ.get("REDIS_URL"):
        return None, "no REDIS_URL"
    from campaign.celery import app
    from campaign.reports.tasks import render_briefing

    queue = f"bench-reports-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "0"}
    log = open(ROOT / "bench" / "out" / "reports-worker.log", "wb")  # noqa: SIM115
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "campaign",
            "worker",
            "--pool",
            "solo",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    app.conf.task_always_eager = False
    try:
        render_briefing.apply_async(args=[briefing.pk], queue=queue).get(timeout=300)
        status = Path(f"/proc/{worker.pid}/status").read_text()
        peak_kb = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
        return peak_kb / 1024, "celery worker --pool solo"
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
        with app.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)


def child_peak_rss(briefing):
    """Fallback without Redis: a fresh process that renders the briefing, as a worker would."""
    code = (
        f"import sys, django; sys.path.insert(0, {str(ROOT)!r}); django.setup(); "
        f"from campaign.reports.services import briefing_render; briefing_render(briefing_id={briefing.pk})"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, "render process"


def main():
    from villages.models import County

    rng = random.Random(4)
    (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)
    counties = list(County.objects.order_by("id"))
    if not counties:
        print("no county in the database: run seed_demo or seed_scale first", file=sys.stderr)
        return 1
    demo = next((c for c in counties if c.name == "林西县"), counties[0])
    with transaction.atomic():
        demo_campaign = ensure_campaign(demo, rng)
    emit(BENCH, "report_build.county", round(time_report(demo_campaign), 1), "ms", county=demo.name)

    started = time.perf_counter()
    campaigns = []
    for county in counties:
        with transaction.atomic():
            campaigns.append(ensure_campaign(county, rng))
    print(
        f"campaigns ready for {len(counties)} counties in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    scale = os.environ.get("BENCH_SCALE", "as found")
    if len(counties) > 1:
        other = campaigns[len(campaigns) // 2]
        emit(
            BENCH,
            "report_build.province_county",
            round(time_report(other), 1),
            "ms",
            counties=len(counties),
            scale=scale,
        )
        from campaign.models import Campaign
        from campaign.reports.figures import build_report_data

        # As the scheduled task loads them (current_campaigns): with their county.
        loaded = list(Campaign.objects.filter(pk__in=[c.pk for c in campaigns]).select_related("county"))
        build_report_data(loaded[0])
        started = time.perf_counter()
        for campaign in loaded:
            build_report_data(campaign)
        emit(
            BENCH,
            "report_build.province_all",
            round(time.perf_counter() - started, 2),
            "s",
            counties=len(counties),
            goal="< 2 s",
            scale=scale,
        )

    briefing = long_briefing(demo_campaign)
    end_to_end, alone, pages, before = time_briefing(briefing)
    emit(BENCH, "briefing_20_pages.end_to_end", round(end_to_end * 1000), "ms", pages=pages)
    emit(BENCH, "briefing_20_pages.weasyprint_only", round(alone * 1000), "ms", pages=pages)
    emit(BENCH, "briefing_20_pages.ratio", round(end_to_end / alone, 3), "x")
    emit(BENCH, "briefing_20_pages.weasyprint_before", round(before * 1000), "ms")
    emit(BENCH, "briefing_20_pages.ratio_to_before", round(end_to_end / before, 3), "x", goal="< 1.3")

    try:
        peak, how = worker_peak_rss(briefing)
    except Exception as error:  # noqa: BLE001 - a broker hiccup must not hide the other figures
        print(f"worker measurement failed: {error}", file=sys.stderr)
        peak = None
    if peak is None:
        peak, how = child_peak_rss(briefing)
    emit(BENCH, "worker_peak_rss", round(peak, 1), "MB", process=how, goal="< 400 MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
