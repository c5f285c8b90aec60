"""Documents: HWPX and XLSX of the quarterly directive review (a year of directives: 10,000 at ``large``) and
of the work plan's budget statement, each downloaded as the office's planner does (view + data + render).
The baseline is the same data's HTML page in the same run.

    .venv/bin/python bench/bench_documents.py [--repeats 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
import zipfile
from pathlib import Path
from typing import Any

import common


def timed_get(client: Any, path: str, repeats: int) -> tuple[float, Any]:
    times, response = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        response = client.get(path)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), response


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    common.setup()
    from django.test import Client
    from django.urls import reverse

    from hwallyu.core.benchdata import SCALES
    from hwallyu.directives.models import Directive

    client = Client(raise_request_exception=False)
    client.force_login(common.bench_user("planning"))
    year = max(s.last_year for s in SCALES.values())
    quarter = 3
    directives = Directive.objects.filter(number__startswith=f"{year}-").count()
    documents = [
        (
            "quarterly_review",
            f"{year}년 {quarter}분기 지시사항 추진상황 점검 (지시사항 {directives:,}건)",
            reverse("directives:review", args=[year, quarter]),
            {fmt: reverse("directives:review_download", args=[year, quarter, fmt]) for fmt in ("hwpx", "xlsx")},
        ),
        (
            "budget_statement",
            f"{year}년 사업비 조서",
            reverse("workplan:budget", args=[year]),
            {fmt: reverse("workplan:budget", args=[year]) + f"?format={fmt}" for fmt in ("hwpx", "xlsx")},
        ),
    ]
    result: dict[str, Any] = {"benchmark": "documents", "baseline": "같은 자료의 HTML 화면", "documents": {}}
    for key, label, html_path, files in documents:
        html_seconds, html = timed_get(client, html_path, args.repeats)
        entry: dict[str, Any] = {
            "label": label,
            "html_seconds": round(html_seconds, 3),
            "html_status": html.status_code,
        }
        for fmt, path in files.items():
            seconds, response = timed_get(client, path, args.repeats)
            body = response.content if not hasattr(response, "streaming_content") else b""
            if response.status_code != 200:
                raise SystemExit(f"{label} {fmt}: HTTP {response.status_code}")
            # The file must be a real document: both formats are ZIP packages that reopen.
            with zipfile.ZipFile(io.BytesIO(body)) as z:
                names = z.namelist()
            entry[fmt] = {
                "seconds": round(seconds, 3),
                "kilobytes": round(len(body) / 1024, 1),
                "parts": len(names),
                "ratio_to_html": round(seconds / html_seconds, 1) if html_seconds else None,
            }
        result["documents"][key] = entry
    common.emit(result, args.json)


if __name__ == "__main__":
    main()
