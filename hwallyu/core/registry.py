"""Hooks that modules register in their ``AppConfig.ready``: demo data and periodic jobs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# --- demo data -----------------------------------------------------------------
_demo_loaders: list[tuple[int, str, Callable[[], None]]] = []


def register_demo(name: str, loader: Callable[[], None], *, order: int = 100) -> None:
    """``loader`` adds the module's demo data; it must be idempotent."""
    if all(n != name for _, n, _ in _demo_loaders):
        _demo_loaders.append((order, name, loader))


def demo_loaders() -> list[tuple[str, Callable[[], None]]]:
    return [(name, loader) for _, name, loader in sorted(_demo_loaders, key=lambda d: d[0])]


# --- periodic jobs ---------------------------------------------------------------
@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: Any  # a django_tasks Task taking no arguments
    every_seconds: int


_periodic: dict[str, PeriodicJob] = {}


def register_periodic(name: str, task: Any, *, every_seconds: int) -> None:
    """Run ``task`` every ``every_seconds`` from the scheduler; the task must be rerun-safe."""
    _periodic[name] = PeriodicJob(name, task, every_seconds)


def periodic_jobs() -> list[PeriodicJob]:
    return sorted(_periodic.values(), key=lambda j: j.name)


# --- benchmark data -----------------------------------------------------------------
@dataclass(frozen=True)
class BenchModule:
    name: str
    generate: Callable[[Any], None]  # generate(ctx: core.benchdata.BenchContext) fills the module's own tables
    pages: Callable[[], list[Any]] | None  # pages() -> list[core.benchdata.BenchPage] to time, on a filled database
    order: int


_bench_modules: dict[str, BenchModule] = {}


def register_bench(
    name: str,
    generate: Callable[[Any], None],
    *,
    pages: Callable[[], list[Any]] | None = None,
    order: int = 100,
) -> None:
    """Register a module's benchmark-data generator and the pages the benchmark suite times."""
    _bench_modules[name] = BenchModule(name, generate, pages, order)


def bench_modules() -> list[BenchModule]:
    return sorted(_bench_modules.values(), key=lambda m: (m.order, m.name))
