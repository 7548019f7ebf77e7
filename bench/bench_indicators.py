"""Village indicators at province scale: the county roll-up and the city roll-up (goal p95 < 150 ms).

Run by ``bench/run.py`` (see its contract) after ``seed_scale`` (which fills this year's sheets of
every county through ``indicators.scale``) and ``seed_demo``, or on its own:
``python bench/bench_indicators.py`` with ``DATABASE_URL`` pointing at such a database.

Figures (JSON lines), each page timed after a warm-up (median and p95 of 40 requests, DEBUG off):

- ``county_rollup``: ``/indicators/county/`` as ``k001_zzb`` (320 villages, 7 in 10 sheets confirmed,
  the rest read live from the registry);
- ``city_rollup``: ``/indicators/city/`` as ``p01_shiwei`` (ten counties, 3,200 villages);
- ``township``: ``/indicators/township/<id>/`` as ``k001_xiang01``;
- ``county_rollup_demo``: the same county page for the demo county (193 villages, two years), whose
  query count must equal the province county's page with one year more of trend (flat in data);
- the number of queries of each, and the number of sheets in the database;
- ``*.cpu_p95``: this process's CPU time per request (the page's own cost, whatever the load) and
  ``*.sql``: the database time of one request; ``calibration.cpu`` (a fixed workload: compare runs)
  and ``reference.registry_village_list`` (7 ms p95 on a quiet machine) tell how loaded it was.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.timing import emit, time_get  # noqa: E402
from campaign.models import User  # noqa: E402

BENCH = "indicators"
GOAL_MS = 150


def client_for(username):
    user = User.objects.filter(username=username).first()
    if user is None:
        print(f"no user {username}: run seed_scale / seed_demo first", file=sys.stderr)
        return None, None
    client = Client()
    client.force_login(user)
    return client, user


def cpu_p95(client, url, requests=40):
    """p95 of this process's CPU time per request (ms): the page's own cost, whatever the machine's load.

    The database works in another process: its share is in the wall time only.
    """
    samples = []
    for _ in range(requests):
        started = time.process_time()
        client.get(url)
        samples.append((time.process_time() - started) * 1000)
    samples.sort()
    return round(samples[min(len(samples) - 1, round(0.95 * len(samples)) - 1)], 2)


def time_page(figure, client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        print(f"{figure}: GET {url} answered {response.status_code}", file=sys.stderr)
        return None
    emit(BENCH, f"{figure}.queries", len(queries.captured_queries), "queries")
    sql_ms = round(sum(float(q["time"]) for q in queries.captured_queries) * 1000, 1)
    emit(BENCH, f"{figure}.sql", sql_ms, "ms", note="database time of one request")
    timing = time_get(client, url)
    if timing:
        load = round(os.getloadavg()[0], 1)
        emit(BENCH, f"{figure}.median", timing["median"], "ms", load=load)
        emit(BENCH, f"{figure}.p95", timing["p95"], "ms", goal=GOAL_MS, ok=timing["p95"] < GOAL_MS, load=load)
        emit(BENCH, f"{figure}.cpu_p95", cpu_p95(client, url), "ms")
    return len(queries.captured_queries)


def calibration():
    """CPU time (ms) of a fixed pure-Python workload: how slow this machine is right now (compare runs)."""
    started = time.process_time()
    total = 0
    for i in range(1_000_000):
        total += i % 7
    return round((time.process_time() - started) * 1000, 1)


def main():
    from indicators.models import IndicatorSheet
    from indicators.scale import seed_scale

    made = seed_scale()  # nothing when seed_scale already ran its hook
    emit(BENCH, "seed.counties_filled_here", made, "counties")
    emit(BENCH, "sheets.total", IndicatorSheet.objects.count(), "rows")
    emit(BENCH, "calibration.cpu", calibration(), "ms", load=round(os.getloadavg()[0], 1))
    county, county_user = client_for("k001_zzb")
    if county is not None:
        time_page("county_rollup", county, "/indicators/county/")
        township, township_user = client_for("k001_xiang01")
        if township is not None:
            time_page("township", township, f"/indicators/township/{township_user.township_id}/")
    city, _user = client_for("p01_shiwei")
    if city is not None:
        time_page("city_rollup", city, "/indicators/city/")
    demo, _user = client_for("zzb")
    if demo is not None:
        time_page("county_rollup_demo", demo, "/indicators/county/")
    # A reference page of the registry (p95 7 ms on a quiet machine, README): the machine's load now.
    if county is not None:
        time_page("reference.registry_village_list", county, "/registry/villages/")
    emit(BENCH, "calibration.cpu_after", calibration(), "ms", load=round(os.getloadavg()[0], 1))


if __name__ == "__main__":
    main()
