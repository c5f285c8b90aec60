"""Page benchmark: server time (p50/p95) and SQL query count of every list, dashboard and report page.

Runs in-process with Django's test client against the database the settings point at (one filled by
``hwallyu bench_data``), as the bench account of each page's role. Server time is the time Django takes
from request to response (middleware, view, template), without the network.

    HWALLYU_VAR_DIR=/tmp/hwb .venv/bin/python bench/pages.py --repeats 20 [--module 지시사항] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

import common


def measure_pages(*, repeats: int, modules: list[str] | None = None, warmup: int = 2) -> list[dict[str, Any]]:
    import gc

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import get_resolver

    from hwallyu.core.benchdata import BENCH_ACCOUNTS
    from hwallyu.core.registry import bench_modules

    get_resolver().url_patterns  # noqa: B018 - loaded before the freeze, as hwallyu/wsgi.py does
    gc.freeze()  # as hwallyu/wsgi.py does after start-up
    users = {u.username: u for u in get_user_model().objects.filter(username__in=BENCH_ACCOUNTS.values())}
    clients: dict[str, Client] = {}
    results = []
    for module in bench_modules():
        if module.pages is None or (modules and module.name not in modules):
            continue
        for page in module.pages():
            client = clients.get(page.role)
            if client is None:
                client = clients[page.role] = Client(raise_request_exception=False)
                client.force_login(users[BENCH_ACCOUNTS[page.role]])
            statuses = set()
            for _ in range(warmup):
                statuses.add(client.get(page.path).status_code)
            times = []
            # The fewest of two requests: a short-lived cache (the session policy, read again once a minute)
            # may refill during one of them, which is time, not data size.
            counts = []
            for _ in range(2):
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(page.path)
                statuses.add(response.status_code)
                counts.append(len(captured.captured_queries))
            queries = min(counts)
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
                    "p95_ms": round(common.percentile(times, 0.95), 2) if times else None,
                    "max_ms": round(max(times), 2) if times else None,
                }
            )
    return results


def show_queries(path: str, role: str = "planning") -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from hwallyu.core.benchdata import BENCH_ACCOUNTS

    client = Client()
    client.force_login(get_user_model().objects.get(username=BENCH_ACCOUNTS[role]))
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    print(f"HTTP {response.status_code}, {len(captured.captured_queries)} queries")
    for q in sorted(captured.captured_queries, key=lambda q: -float(q["time"])):
        print(f"{float(q['time']) * 1000:8.1f} ms  {q['sql'][:400]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--module", action="append", help="only this module (its registered Korean name)")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--quiet", action="store_true", help="no table on stdout (with --json)")
    parser.add_argument("--queries", metavar="PATH", help="print the SQL of one page (as planning) with each time")
    args = parser.parse_args()
    common.setup()
    if args.queries:
        show_queries(args.queries)
        return
    results = measure_pages(repeats=args.repeats, modules=args.module, warmup=args.warmup)
    for r in [] if args.quiet else results:
        flag = "" if r["status"] == [200] else f"  !! HTTP {r['status']}"
        print(
            f"{r['module']:<8} {r['label']:<24} q={r['queries']:>3} p50={r['p50_ms']:>7} p95={r['p95_ms']:>7} ms"
            f"  {r['path']}{flag}"
        )
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
