"""Shared bits of the benchmark scripts: Django setup with production-like settings, percentiles, output."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hwallyu.settings")
# Benchmarks run with DEBUG off (cached templates, no query log) like production; the key only signs sessions
# of the throw-away benchmark database.
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("DEBUG", "False")


def setup() -> None:
    import django

    django.setup()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def emit(result: dict[str, Any], path: Path | None) -> None:
    """Print the result and write it as JSON when a path is given (bench/run.py collects these)."""
    text = json.dumps(result, ensure_ascii=False, indent=1)
    print(text)
    if path:
        path.write_text(text, encoding="utf-8")


def bench_user(role: str = "planning") -> Any:
    from django.contrib.auth import get_user_model

    from hwallyu.core.benchdata import BENCH_ACCOUNTS

    return get_user_model().objects.get(username=BENCH_ACCOUNTS[role])
