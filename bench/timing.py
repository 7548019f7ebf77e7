"""Helpers for bench scripts: time pages through Django's test client and print JSON lines."""

import json
import statistics
import sys
import time

WARM_UP = 5
REQUESTS = 40


def emit(bench, figure, value, unit, **extra):
    """Print one figure as a JSON line (the contract of bench/run.py)."""
    line = {"bench": bench, "figure": figure, "value": value, "unit": unit, **extra}
    print(json.dumps(line, ensure_ascii=False), flush=True)


def time_get(client, url, requests=REQUESTS, warm_up=WARM_UP):
    """Median and p95 server time (ms) of GET ``url``, after ``warm_up`` untimed requests."""
    for _ in range(warm_up):
        response = client.get(url)
        if response.status_code != 200:
            print(f"GET {url} answered {response.status_code}", file=sys.stderr)
            return None
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * len(samples)) - 1)]
    return {"median": round(statistics.median(samples), 2), "p95": round(p95, 2)}
