"""Import of a large registry workbook: 25,000 villages and 300,000 cadres with their positions.

Run by bench/run.py (see its contract), or on its own:

    DEBUG=1 DATABASE_URL=postgres://… python bench/bench_import.py [--villages N] [--cadres N] [--keep]

It adds its own city and county (code ``BENCHIMP…``), writes the workbook
(townships, villages, cadres, positions: one position per cadre), then imports
it in a child process, so that the child's peak memory is the import's alone.
Figures: generation time, import time (read + check + write, one
transaction), peak memory of the import, rows per second, the time of a
second import of the same file (everything unchanged), and the export of the
300,000 cadres (write-only mode) with its peak memory. Goal: import < 60 s,
peak < 1 GB. The bench county is deleted at the end unless ``--keep``.
"""

import argparse
import datetime
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.utils import translation  # noqa: E402

from bench.timing import emit  # noqa: E402
from villages.importer.schema import COLUMNS, Kind, sheet_title  # noqa: E402
from villages.importer.xlsx import write_workbook  # noqa: E402

BENCH = "import"
VILLAGES_PER_TOWNSHIP = 100
KINDS_PER_VILLAGE = ["村党组织书记", "村委会主任"]


def generate(path, villages, cadres):
    """Write the workbook in write-only mode (flat memory)."""
    townships = max(1, villages // VILLAGES_PER_TOWNSHIP)
    per_village = max(1, cadres // villages)
    headers = {kind: [str(c.header) for c in COLUMNS[kind]] for kind in Kind}
    member = "村“两委”委员"

    def township_rows():
        for t in range(townships):
            yield [f"{t:03d}", f"第{t}镇", 20000 + t]

    def village_rows():
        for v in range(villages):
            yield [
                f"{v % townships:03d}",
                f"{v // townships:04d}",
                f"第{v}村",
                "否",
                "是" if v % 7 == 0 else "否",
                300,
                1100,
            ]

    def person(i):
        v = i // per_village % villages
        return (
            f"干部{i}",
            datetime.date(1960, 1, 1) + datetime.timedelta(days=i % 12000),
            f"{v % townships:03d}",
            f"{v // townships:04d}",
        )

    def cadre_rows():
        for i in range(cadres):
            name, birth, t, v = person(i)
            joined = birth + datetime.timedelta(days=365 * 22)
            yield [
                name,
                "男" if i % 3 else "女",
                birth,
                "汉族",
                "高中/中专",
                joined,
                f"138{i:08d}",
                t,
                v,
                None,
            ]

    def position_rows():
        for i in range(cadres):
            name, birth, t, v = person(i)
            slot = i % per_village
            kind = KINDS_PER_VILLAGE[slot] if slot < len(KINDS_PER_VILLAGE) else member
            yield [name, birth, kind, t, v, None, datetime.date(2021, 1, 1), None]

    with translation.override("zh-hans"):
        handle = write_workbook(
            [
                (sheet_title(Kind.TOWNSHIPS), headers[Kind.TOWNSHIPS], township_rows()),
                (sheet_title(Kind.VILLAGES), headers[Kind.VILLAGES], village_rows()),
                (sheet_title(Kind.CADRES), headers[Kind.CADRES], cadre_rows()),
                (sheet_title(Kind.POSITIONS), headers[Kind.POSITIONS], position_rows()),
            ]
        )
    with open(path, "wb") as out:
        while chunk := handle.read(1 << 20):
            out.write(chunk)
    handle.close()
    return townships


def child(path, county_id):
    """The measured part: one import, in its own process."""
    from villages.importer import services
    from villages.models import County

    county = County.objects.get(pk=county_id)
    started = time.perf_counter()
    cpu_started = time.process_time()
    with translation.override("zh-hans"):
        plan = services.registry_import(path=path, county=county)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": round(seconds, 1),
                "cpu_seconds": round(cpu_seconds, 1),
                "peak_mb": round(peak_mb),
                "rows": plan.rows_done,
                "errors": plan.error_count,
                "first_errors": plan.errors[:3],
                "counts": plan.summary(),
            },
            ensure_ascii=False,
        ),
        flush=True,
    )


def export_child(county_id):
    """The measured export: every cadre of the county, as its administrator, in write-only mode."""
    from campaign.models import User
    from campaign.roles import Role
    from villages.importer.exports import export_workbook
    from villages.models import County

    county = County.objects.get(pk=county_id)
    user = User(username=f"bench_import_{county_id}", role=Role.COUNTY_ADMIN, county=county)
    started = time.perf_counter()
    with translation.override("zh-hans"):
        handle = export_workbook(Kind.CADRES, user, {})
    seconds = time.perf_counter() - started
    handle.seek(0, 2)
    size = handle.tell()
    handle.close()
    from cadres.models import Cadre

    print(
        json.dumps(
            {
                "seconds": round(seconds, 1),
                "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "rows": Cadre.objects.filter(county=county).count(),
                "bytes": size,
            }
        ),
        flush=True,
    )


def measure_export(county_id):
    return measure(None, county_id, flag="--export-child")


def measure(path, county_id, flag="--child"):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [flag, path, str(county_id)] if path else [flag, str(county_id)]
    process = subprocess.run(
        [sys.executable, __file__, *args],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return json.loads(process.stdout.strip().splitlines()[-1])


def delete_county(county):
    """Remove only what this script added (raw deletes: 600,000 rows through the ORM collector is slow)."""
    from django.db import transaction

    from cadres.models import Cadre, Position
    from villages.importer.models import ImportJob
    from villages.models import PartyOrganization, Township, Village

    with transaction.atomic():
        for qs in (
            Position.objects.filter(county=county),
            Cadre.objects.filter(county=county),
            PartyOrganization.objects.filter(county=county),
            Village.objects.filter(township__county=county),
            Township.objects.filter(county=county),
            ImportJob.objects.filter(county=county),
        ):
            qs._raw_delete(qs.db)
        city = county.city
        county.delete()
        city.delete()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--villages", type=int, default=int(os.environ.get("BENCH_IMPORT_VILLAGES", "25000")))
    parser.add_argument("--cadres", type=int, default=int(os.environ.get("BENCH_IMPORT_CADRES", "300000")))
    parser.add_argument("--keep", action="store_true", help="keep the bench county afterwards")
    parser.add_argument("--child", nargs=2, metavar=("FILE", "COUNTY_ID"), help=argparse.SUPPRESS)
    parser.add_argument("--export-child", metavar="COUNTY_ID", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child[0], int(options.child[1]))
        return
    if options.export_child:
        export_child(int(options.export_child))
        return

    from villages.models import City, County

    if options.cadres > getattr(settings, "IMPORT_MAX_ROWS", 400_000):
        print("bench_import: more cadres than IMPORT_MAX_ROWS allows per sheet", file=sys.stderr)
    stamp = datetime.datetime.now().strftime("%H%M%S")
    city = City.objects.create(code=f"BENCHIMP{stamp}", name="导入测试市")
    county = County.objects.create(city=city, code=f"BENCHIMP{stamp}", name="导入测试县")
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "registry.xlsx")
            started = time.perf_counter()
            townships = generate(path, options.villages, options.cadres)
            emit(BENCH, "generate_workbook.seconds", round(time.perf_counter() - started, 1), "s")
            emit(BENCH, "workbook.mb", round(os.path.getsize(path) / 1048576, 1), "MB")
            rows = townships + options.villages + 2 * options.cadres
            first = measure(path, county.pk)
            if first["errors"]:
                print(
                    f"bench_import: {first['errors']} errors, e.g. {first['first_errors']}", file=sys.stderr
                )
            sizes = {"villages": options.villages, "cadres": options.cadres, "positions": options.cadres}
            load = round(os.getloadavg()[0], 1)
            emit(BENCH, "import.seconds", first["seconds"], "s", goal=60, load_average=load, **sizes)
            # The Python side alone (the machine may be shared; PostgreSQL's own work is not counted).
            emit(BENCH, "import.cpu_seconds", first["cpu_seconds"], "s")
            emit(BENCH, "import.peak_memory", first["peak_mb"], "MB", goal=1024)
            emit(BENCH, "import.rows_per_second", round(rows / max(first["seconds"], 0.001)), "rows/s")
            emit(BENCH, "import.errors", first["errors"], "")
            second = measure(path, county.pk)
            changed = sum(c["create"] + c["update"] for c in second["counts"].values())
            emit(BENCH, "reimport_unchanged.seconds", second["seconds"], "s", changed_rows=changed)
            emit(BENCH, "reimport_unchanged.peak_memory", second["peak_mb"], "MB")
            export = measure_export(county.pk)
            emit(BENCH, "export_cadres.seconds", export["seconds"], "s", rows=export["rows"])
            emit(BENCH, "export_cadres.peak_memory", export["peak_mb"], "MB")
    finally:
        if options.keep:
            print(f"bench_import: kept county {county.code}", file=sys.stderr)
        else:
            delete_county(county)


if __name__ == "__main__":
    main()
