"""Benchmark datasets: the sizes of each scale and the context handed to every module's generator.

``hwallyu bench_data --scale large`` fills an empty database with a large city's ten years of data. Each
module registers a generator (``core.registry.register_bench``) that writes only its own tables, in bulk,
reading other modules' rows through their selectors. Everything random comes from ``ctx.rng(name)``, seeded
by the scale's seed and the generator's name, so the same command gives the same data on SQLite and on
PostgreSQL whatever order the generators run in.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from tqdm import tqdm

T = TypeVar("T")


@dataclass(frozen=True)
class Scale:
    name: str
    departments: int
    staff: int
    years: int  # the last ``years`` calendar years up to ``last_year``
    directives: int  # in all years together
    reports_per_directive: int
    projects: int  # in all years together, each with budget lines
    review_submissions: int
    province_indicators: int  # in all years together, each with monthly actuals
    register_rows: int
    invitations: int
    answers: int
    integrity_cases: int
    notifications_per_user: int
    audit_events: int
    last_year: int = 2026


SCALES: dict[str, Scale] = {
    # For CI's bench smoke: the same shape as ``small`` with fewer rows, to show query counts don't grow.
    "tiny": Scale(
        "tiny",
        departments=12,
        staff=60,
        years=2,
        directives=300,
        reports_per_directive=2,
        projects=60,
        review_submissions=40,
        province_indicators=10,
        register_rows=2_000,
        invitations=1_500,
        answers=500,
        integrity_cases=12,
        notifications_per_user=3,
        audit_events=500,
    ),
    "small": Scale(
        "small",
        departments=30,
        staff=300,
        years=2,
        directives=2_000,
        reports_per_directive=2,
        projects=400,
        review_submissions=200,
        province_indicators=40,
        register_rows=20_000,
        invitations=15_000,
        answers=5_000,
        integrity_cases=60,
        notifications_per_user=5,
        audit_events=5_000,
    ),
    # The large city: 120 departments, 3,000 staff, ten years.
    "large": Scale(
        "large",
        departments=120,
        staff=3_000,
        years=10,
        directives=100_000,
        reports_per_directive=2,
        projects=20_000,
        review_submissions=10_000,
        province_indicators=1_000,
        register_rows=1_000_000,
        invitations=1_000_000,
        answers=300_000,
        integrity_cases=5_000,
        notifications_per_user=30,
        audit_events=200_000,
    ),
}

# Fixed accounts every scale has (password BENCH_PASSWORD), used by the page benchmarks and the load test.
BENCH_PASSWORD = "bench-hwallyu-2026"
BENCH_ACCOUNTS = {
    "admin": "bench-admin",
    "planning": "bench-planner",
    "audit": "bench-auditor",
    "manager": "bench-manager",  # head of department 2
    "staff": "bench-staff",  # staff of department 2
    "executive": "bench-exec",
}


@dataclass(frozen=True)
class BenchPage:
    """A page the benchmark suite times: ``path`` requested as the bench account of ``role``."""

    label: str  # Korean, shown in the results table, e.g. "지시사항 목록"
    path: str  # e.g. reverse("directives:list") + "?year=2026"
    role: str = "planning"  # a key of BENCH_ACCOUNTS


@dataclass
class BenchContext:
    scale: Scale
    seed: int = 2026
    quiet: bool = False
    batch_size: int = 5_000
    shared: dict[str, Any] = field(default_factory=dict)  # small facts generators hand on (e.g. bench user ids)

    @property
    def years(self) -> list[int]:
        return list(range(self.scale.last_year - self.scale.years + 1, self.scale.last_year + 1))

    @property
    def today(self) -> dt.date:
        """The dataset's "today": late November of the last year (the issue's large city, mid-Q4)."""
        return dt.date(self.scale.last_year, 11, 20)

    def rng(self, name: str) -> random.Random:
        return random.Random(f"{self.seed}:{self.scale.name}:{name}")

    def progress(self, desc: str, total: int | None = None) -> tqdm:
        return tqdm(
            total=total,
            desc=f"  {desc}",
            unit="행",
            unit_scale=True,
            file=sys.stderr,
            disable=self.quiet,
            mininterval=0.5,
            dynamic_ncols=True,
            leave=True,
        )

    def batches(self, items: Iterable[T], size: int | None = None) -> Iterator[list[T]]:
        batch: list[T] = []
        size = size or self.batch_size
        for item in items:
            batch.append(item)
            if len(batch) >= size:
                yield batch
                batch = []
        if batch:
            yield batch

    def bulk_create(self, model: Any, objects: Iterable[Any], *, desc: str, total: int | None = None) -> int:
        """Insert ``objects`` in batches with a progress bar; returns the number inserted (no pks returned)."""
        done = 0
        with self.progress(desc, total) as bar:
            for batch in self.batches(objects):
                model.objects.bulk_create(batch, batch_size=self.batch_size)
                done += len(batch)
                bar.update(len(batch))
        return done

    @staticmethod
    def spread(total: int, parts: Sequence[Any]) -> list[int]:
        """Split ``total`` over ``parts`` as evenly as possible (earlier parts get the remainder)."""
        n = len(parts)
        base, extra = divmod(total, n) if n else (0, 0)
        return [base + (1 if i < extra else 0) for i in range(n)]
