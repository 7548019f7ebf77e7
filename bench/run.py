#!/usr/bin/env python3
"""The benchmark (``make bench``): registry page times at county and province scale, then every bench_*.py.

What it does:

1. Creates a scratch database: ``lianchuang_bench`` (or ``$BENCH_DATABASE``) on the
   PostgreSQL server of ``DATABASE_URL`` when it points to PostgreSQL (dropped and
   created again with psycopg2), else a SQLite file ``bench/out/bench.sqlite3``.
2. Migrates it, seeds one county (``seed_scale --counties 1``), runs
   ``bench_registry.py`` with ``BENCH_SCALE=county``; seeds up to the province
   (``seed_scale --counties 150``), runs it again with ``BENCH_SCALE=province``, and
   prints the province/county ratio of each registry figure.
3. Loads the demo county (``seed_demo``, with every area's demo hook) into the same
   database, then runs every other ``bench/bench_*.py`` in name order.

Contract for ``bench/bench_<area>.py`` (other areas add theirs; it is picked up by name):

- It runs as ``python bench/bench_<area>.py`` from the repository root, in a fresh
  process, with these environment variables:
  ``DATABASE_URL`` (the scratch database), ``DJANGO_SETTINGS_MODULE=bench.settings``
  (production settings with DEBUG off, plain HTTP, unhashed static files),
  ``DEBUG=0``, ``SECRET_KEY``, ``PYTHONPATH`` (the repository root, so that
  ``import bench.timing`` works), ``BENCH_SCALE=province``, and
  ``BENCH_COUNTIES`` / ``BENCH_TOWNSHIPS`` / ``BENCH_VILLAGES`` / ``BENCH_CADRES``
  (the ``seed_scale`` sizes). ``REDIS_URL`` is passed through as given.
- The data is already there: the province (``seed_scale``: counties ``K001``… in
  cities ``P01``…, users ``k001_zzb``, ``k001_zzy``, ``k001_xianwei``, ``k001_xiang01``,
  ``k001_cun0101``, ``k001_bumen01``, ``p01_shiwei``; see ``campaign/demo/scale.py``)
  and the demo county 林西县 with its logins (README, "Demo logins") and whatever
  the demo hooks add. A script may add its own data; it must not delete others'.
- It calls ``django.setup()`` itself and prints one JSON object per line on stdout:
  ``{"bench": "<area>", "figure": "<what>", "value": <number>, "unit": "ms"}``
  (extra keys allowed). Other stdout lines and stderr are passed to stderr.
  ``bench.timing`` has ``time_get(client, url)`` (median/p95 after a warm-up) and
  ``emit(...)``. A non-zero exit is reported as a figure and the run goes on.
- It should finish within a few minutes on two cores.

Options: ``--counties N`` (default 150, or ``$BENCH_COUNTIES``) for a quicker run,
``--keep`` to keep the scratch database afterwards.
"""

import argparse
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
SIZES = {"BENCH_TOWNSHIPS": "16", "BENCH_VILLAGES": "20", "BENCH_CADRES": "10"}


def emit(figure, value, unit, bench="run", **extra):
    print(json.dumps({"bench": bench, "figure": figure, "value": value, "unit": unit, **extra}), flush=True)


def scratch_database(url, name):
    """Create the scratch database; return (its URL, a function that drops it)."""
    parts = urlsplit(url)
    if parts.scheme in ("postgres", "postgresql", "pgsql", "postgis"):
        import psycopg2

        def execute(sql):
            connection = psycopg2.connect(
                dbname="postgres",
                user=parts.username,
                password=parts.password,
                host=parts.hostname,
                port=parts.port,
            )
            try:
                connection.autocommit = True  # CREATE/DROP DATABASE cannot run in a transaction
                with connection.cursor() as cursor:
                    cursor.execute(sql)
            finally:
                connection.close()

        def drop():
            execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        drop()
        execute(f'CREATE DATABASE "{name}"')
        return urlunsplit(parts._replace(path=f"/{name}")), drop

    OUT.mkdir(exist_ok=True)
    path = OUT / "bench.sqlite3"
    path.unlink(missing_ok=True)
    return f"sqlite:///{path}", lambda: path.unlink(missing_ok=True)


def run(args, env, stage):
    """Run a manage.py command, report its duration."""
    started = time.monotonic()
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=sys.stderr)
    emit(f"{stage}.seconds", round(time.monotonic() - started, 1), "s")


def relay(script, env):
    """Run a bench script; print its JSON lines, return them parsed."""
    process = subprocess.run(
        [sys.executable, str(script)], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, check=False
    )
    figures = []
    for line in process.stdout.splitlines():
        try:
            figure = json.loads(line)
        except ValueError:
            figure = None
        if isinstance(figure, dict) and "figure" in figure:
            print(json.dumps(figure, ensure_ascii=False), flush=True)
            figures.append(figure)
        else:
            print(line, file=sys.stderr)
    if process.returncode:
        emit("exit_code", process.returncode, "", bench=script.stem)
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=int(os.environ.get("BENCH_COUNTIES", "150")))
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    options = parser.parse_args()

    url, drop = scratch_database(
        os.environ.get("DATABASE_URL") or "sqlite:///", os.environ.get("BENCH_DATABASE", "lianchuang_bench")
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "PYTHONPATH": str(ROOT),
        "BENCH_COUNTIES": str(options.counties),
        **{key: os.environ.get(key, default) for key, default in SIZES.items()},
    }
    env.pop("TEST_DATABASE_NAME", None)
    sizes = [
        f"--townships={env['BENCH_TOWNSHIPS']}",
        f"--villages={env['BENCH_VILLAGES']}",
        f"--cadres={env['BENCH_CADRES']}",
    ]
    try:
        run(["migrate", "--noinput", "-v", "0"], env, "migrate")
        run(["seed_scale", "--counties=1", *sizes], env, "seed_county")
        county = relay(BENCH / "bench_registry.py", {**env, "BENCH_SCALE": "county"})
        run(["seed_scale", f"--counties={options.counties}", *sizes], env, "seed_province")
        province = relay(BENCH / "bench_registry.py", {**env, "BENCH_SCALE": "province"})
        at_county = {f["figure"]: f["value"] for f in county if f.get("unit") == "ms"}
        for figure in province:
            base = at_county.get(figure["figure"])
            if base:
                emit(f"{figure['figure']}.ratio", round(figure["value"] / base, 2), "x", bench="registry")
        run(["seed_demo"], {**env, "DEMO_MODE": "1"}, "seed_demo")
        for script in sorted(BENCH.glob("bench_*.py")):
            if script.name != "bench_registry.py":
                relay(script, {**env, "BENCH_SCALE": "province"})
    finally:
        if not options.keep:
            drop()


if __name__ == "__main__":
    main()
