"""Page benchmark: server time (p50/p95) and SQL query count of every list, dashboard and report page.

Runs in-process with Django's test client against the database the settings point at (one filled by
``hwallyu bench_data``), as the bench account of each page's role. Server time is the time Django takes
from request to response (middleware, view, template), without the network.

    HWALLYU_VAR_DIR=/tmp/hwb .venv/bin/python bench/pages.py --repeats 20 [--module 지시사항] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hwallyu.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def measure_pages(*, repeats: int, modules: list[str] | None = None, warmup: int = 2) -> list[dict[str, Any]]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from hwallyu.core.benchdata import BENCH_ACCOUNTS
    from hwallyu.core.registry import bench_modules

    users = {u.username: u for u in get_user_model().objects.filter(username__in=BENCH_ACCOUNTS.values())}
    clients: dict[str, Client] = {}
    results = []
    for module in bench_modules():
        if module.pages is None or (modules and module.name not in modules):
            continue
        for page in module.pages():
            client = clients.get(page.role)
            if client is None:
                client = clients[page.role] = Client()
                client.force_login(users[BENCH_ACCOUNTS[page.role]])
            statuses = set()
            for _ in range(warmup):
                statuses.add(client.get(page.path).status_code)
            times = []
            with CaptureQueriesContext(connection) as captured:
                response = client.get(page.path)
            statuses.add(response.status_code)
            queries = len(captured.captured_queries)
            for _ in range(repeats):
                t0 = time.perf_counter()
                response = client.get(page.path)
                times.append((time.perf_counter() - t0) * 1000)
                statuses.add(response.status_code)
            results.append(
                {
                    "module": module.name,
                    "label": page.label,
                    "path": page.path,
                    "role": page.role,
                    "status": sorted(statuses),
                    "queries": queries,
                    "bytes": len(response.content),
                    "p50_ms": round(statistics.median(times), 2) if times else None,
                    "p95_ms": round(percentile(times, 0.95), 2) if times else None,
                    "max_ms": round(max(times), 2) if times else None,
                }
            )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--module", action="append", help="only this module (its registered Korean name)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    import django

    django.setup()
    results = measure_pages(repeats=args.repeats, modules=args.module)
    for r in results:
        flag = "" if r["status"] == [200] else f"  !! HTTP {r['status']}"
        print(
            f"{r['module']:<8} {r['label']:<24} q={r['queries']:>3} p50={r['p50_ms']:>7} p95={r['p95_ms']:>7} ms"
            f"  {r['path']}{flag}"
        )
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
