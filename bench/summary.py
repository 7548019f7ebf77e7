#!/usr/bin/env python3
"""Summarise bench/run.py's JSON lines as a table: ``make bench | python bench/summary.py``.

Lines that are not JSON figures (make's own output) are ignored.
"""

import json
import sys


def main(lines):
    figures = []
    for line in lines:
        try:
            figure = json.loads(line)
        except ValueError:
            continue
        if isinstance(figure, dict) and "figure" in figure:
            figures.append(figure)
    timed = {(f["bench"], f["figure"], f.get("scale")): f["value"] for f in figures}
    registry = sorted(
        {
            f["figure"].rsplit(".", 1)[0]
            for f in figures
            if f["bench"] == "registry" and f.get("scale") == "county"
        }
    )
    header = ("page.persona", "county median", "p95", "province median", "p95", "ratio", "queries")
    print("{:48} {:>13} {:>7} {:>15} {:>7} {:>6} {:>7}".format(*header))
    for base in registry:
        if ("registry", f"{base}.median", "county") not in timed:
            continue

        def value(stat, scale, base=base):
            return timed.get(("registry", f"{base}.{stat}", scale), "-")

        print(
            f"{base:48} {value('median', 'county'):>13} {value('p95', 'county'):>7} "
            f"{value('median', 'province'):>15} {value('p95', 'province'):>7} "
            f"{value('p95.ratio', None):>6} {value('queries', 'province'):>7}"
        )
    for f in figures:
        if f["bench"] != "registry":
            print(f"{f['bench']}: {f['figure']} = {f['value']} {f['unit']}")


if __name__ == "__main__":
    main(sys.stdin)
