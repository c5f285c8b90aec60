"""The benchmark suite: build the bench databases, run every benchmark, write JSON and the summary.

    .venv/bin/python bench/run.py --db sqlite --db postgres          # make bench: small + large, full sizes
    .venv/bin/python bench/run.py --smoke                            # make bench-smoke: tiny + small, SQLite

Each database gets datasets at two scales (``hwallyu bench_data``). Pages are timed at both, and their SQL
query counts must be equal (data size must not change how many queries a page makes). The bulk and HTTP
benchmarks run at the larger scale, each beside its baseline measured in the same run on the same database.
Results go to bench/results/<db>.json; ``--update-readme`` rewrites the README's "Performance" section.

The smoke run checks that every benchmark runs and that query counts are equal; it never judges times.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
HWALLYU = [PYTHON, "-m", "hwallyu"]
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/postgres"

FULL = {
    "scales": ["small", "large"],
    "page_repeats": {"small": 5, "large": 20},
    "page_warmup": 2,
    "documents": ["--repeats", "3"],
    "server": [],
    "import_rows": 1_000_000,
    "invitations": 100_000,
    "deadlines": 1_000_000,
    "answer_seconds": 20,
    "load": ["--users", "200", "--duration", "120", "--baseline-duration", "20"],
}
SMOKE = {
    "scales": ["tiny", "small"],
    "page_repeats": {"tiny": 0, "small": 0},
    "page_warmup": 1,
    "documents": ["--repeats", "1"],
    "server": ["--workers", "2", "--threads", "4"],
    "import_rows": 5_000,
    "invitations": 2_000,
    "deadlines": 20_000,
    "answer_seconds": 2,
    "load": ["--users", "5", "--duration", "5", "--baseline-duration", "2", "--think", "0.2", "0.5"],
}

# Targets from issue 10 (the 2-core machine): reported beside each figure, never changed to fit.
TARGETS = {
    "page_p95_ms": 100,
    "import_rows_per_second": 50_000,
    "import_ratio": 0.5,
    "invitations_seconds": 20,
    "answer_ratio": 0.6,
    "document_seconds": 3,
    "load_p95_ms": 300,
}


def log(message: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {message}", flush=True)


class Database:
    """One benchmark database (SQLite file or PostgreSQL database) and the environment that selects it."""

    def __init__(self, kind: str, scale: str, workdir: Path, pg_url: str) -> None:
        self.kind, self.scale = kind, scale
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), "DEBUG": "False"}
        self.env.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")
        self.env.pop("HWALLYU_TESTING", None)
        self.env.pop("HWALLYU_DEMO", None)
        var = workdir / f"{kind}-{scale}"
        shutil.rmtree(var, ignore_errors=True)
        var.mkdir(parents=True)
        self.env["HWALLYU_VAR_DIR"] = str(var)
        if kind == "postgres":
            from urllib.parse import urlsplit, urlunsplit

            parts = urlsplit(pg_url)
            self.name = f"hwallyu_bench_{scale}"
            self.admin_url = pg_url
            self.env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{self.name}"))
        else:
            self.env.pop("DATABASE_URL", None)

    def create(self, template: Path | None = None) -> None:
        """An empty, migrated database (SQLite: a copy of ``template`` when given, to migrate only once)."""
        if self.kind == "sqlite" and template is not None and template.exists():
            shutil.copy(template, Path(self.env["HWALLYU_VAR_DIR"]) / "hwallyu.sqlite3")
        if self.kind == "postgres":
            self._psql(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
            self._psql(f"CREATE DATABASE {self.name}")

    def drop(self) -> None:
        if self.kind == "postgres":
            self._psql(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")

    def _psql(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql)

    def run(self, args: list[str], *, label: str, timeout: float = 3600) -> float:
        log(label)
        t0 = time.perf_counter()
        subprocess.run(args, env=self.env, cwd=ROOT, check=True, timeout=timeout)
        return time.perf_counter() - t0

    def bench(self, script: str, args: list[str], out: Path, *, label: str, timeout: float = 3600) -> dict[str, Any]:
        seconds = self.run(
            [PYTHON, str(ROOT / "bench" / script), *args, "--json", str(out)], label=label, timeout=timeout
        )
        result = json.loads(out.read_text(encoding="utf-8"))
        result["wall_seconds"] = round(seconds, 1)
        return result


def machine() -> dict[str, Any]:
    import sqlite3

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(
            int(line.split()[1]) // 1024 // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        mem = 0
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "cpu_calibration_seconds": cpu_calibration(),
    }


def cpu_calibration() -> float:
    """Seconds for a fixed pure-Python loop (best of three): the same machine type is not always as fast.

    The hosts this suite runs on are virtual machines whose speed varies with their neighbours (between runs and
    within one); every figure is beside a baseline measured in the same run, and this number, taken at the start
    and at the end of each database's run, says how fast the CPU was, so two runs' absolute figures (rows per
    second, milliseconds) can be compared. ``deadlines`` (unchanged pure-Python work) is a second gauge.
    """
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        total = 0
        for i in range(10_000_000):
            total += i
        best = min(best, time.perf_counter() - t0)
    return round(best, 3)


def postgres_version(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SHOW server_version").fetchone()
        return str(row[0]) if row else ""


def run_db(kind: str, plan: dict[str, Any], workdir: Path, pg_url: str, only: set[str] | None) -> dict[str, Any]:
    report: dict[str, Any] = {"db": kind, "machine": machine(), "scales": {}, "benchmarks": {}}
    if kind == "postgres":
        report["machine"]["postgres"] = postgres_version(pg_url)
    databases = []
    template = workdir / "migrated.sqlite3"
    # Pages compare scales; the other benchmarks need only the largest dataset.
    scales = plan["scales"] if only is None or "pages" in only else plan["scales"][-1:]
    for scale in scales:
        db = Database(kind, scale, workdir, pg_url)
        db.create(template)
        if kind == "sqlite" and not template.exists():
            db.run([*HWALLYU, "migrate", "--verbosity", "0"], label="sqlite: migrate (once; copied for each scale)")
            shutil.copy(Path(db.env["HWALLYU_VAR_DIR"]) / "hwallyu.sqlite3", template)
        databases.append(db)
        seconds = db.run([*HWALLYU, "bench_data", "--scale", scale], label=f"{kind}: bench_data --scale {scale}")
        entry: dict[str, Any] = {"dataset_seconds": round(seconds, 1)}
        if only is None or "pages" in only:
            out = workdir / f"pages-{kind}-{scale}.json"
            repeats = plan["page_repeats"][scale]
            db.run(
                [
                    *(PYTHON, str(ROOT / "bench" / "pages.py"), "--repeats", str(repeats), "--json", str(out)),
                    *("--warmup", str(plan["page_warmup"]), "--quiet"),
                ],
                label=f"{kind}/{scale}: pages ×{repeats}",
            )
            entry["pages"] = json.loads(out.read_text(encoding="utf-8"))
        report["scales"][scale] = entry
    big = databases[-1]
    b = report["benchmarks"]
    tmp = workdir
    surveys_args = ["--rows", str(plan["import_rows"]), "--invitations", str(plan["invitations"])]
    steps = [
        ("deadlines", "bench_calendar.py", ["--count", str(plan["deadlines"])]),
        ("documents", "bench_documents.py", plan["documents"]),
        ("surveys", "bench_surveys.py", surveys_args),
        ("answer_post", "bench_answer.py", ["--seconds", str(plan["answer_seconds"]), *plan["server"]]),
        ("load", "bench_load.py", [*plan["load"], *plan["server"]]),
    ]
    for name, script, args in steps:
        if only is not None and name not in only:
            continue
        b[name] = big.bench(script, args, tmp / f"{name}-{kind}.json", label=f"{kind}/{big.scale}: {name}")
    report["checks"] = checks(report, plan)
    report["machine"]["cpu_calibration_end_seconds"] = cpu_calibration()  # the host's speed can drift in a run
    for db in databases:
        db.drop()
    return report


def checks(report: dict[str, Any], plan: dict[str, Any]) -> dict[str, Any]:
    """Query counts equal at every scale, every page 200 — the smoke run fails on these."""
    by_page: dict[tuple[str, str], dict[str, int]] = {}
    bad_status = []
    for scale, entry in report["scales"].items():
        for page in entry.get("pages", []):
            by_page.setdefault((page["module"], page["label"]), {})[scale] = page["queries"]
            if page["status"] != [200]:
                bad_status.append(f"{scale} {page['module']} {page['label']} {page['path']}: {page['status']}")
    unequal = [
        f"{module} {label}: {counts}"
        for (module, label), counts in by_page.items()
        if len(set(counts.values())) > 1 or len(counts) != len(plan["scales"])
    ]
    return {"pages": len(by_page), "query_counts_unequal": unequal, "non_200": bad_status}


def main() -> int:
    parser = argparse.ArgumentParser(description="환류 벤치마크")
    parser.add_argument("--db", action="append", choices=["sqlite", "postgres"])
    parser.add_argument("--smoke", action="store_true", help="tiny+small, small sizes: checks, not times")
    parser.add_argument("--only", help="comma-separated: pages,deadlines,documents,surveys,answer_post,load")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", PG_DEFAULT))
    parser.add_argument("--update-readme", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    plan = SMOKE if args.smoke else FULL
    only = set(args.only.split(",")) if args.only else None
    kinds = args.db or ["sqlite"]
    workdir = Path(tempfile.mkdtemp(prefix="hwallyu-bench-"))
    failed = []
    started = time.perf_counter()
    try:
        for kind in kinds:
            report = run_db(kind, plan, workdir, args.pg_url, only)
            report["mode"] = "smoke" if args.smoke else "full"
            report["targets"] = TARGETS
            problems = report["checks"]["query_counts_unequal"] + report["checks"]["non_200"]
            if problems:
                failed.append(kind)
                for p in problems:
                    log(f"CHECK FAILED ({kind}): {p}")
            if not args.smoke and only is None:
                RESULTS.mkdir(exist_ok=True)
                (RESULTS / f"{kind}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), "utf-8")
            elif not args.smoke and (RESULTS / f"{kind}.json").exists():
                # A re-run of some benchmarks replaces just those in the full results (noted as such).
                full = json.loads((RESULTS / f"{kind}.json").read_text("utf-8"))
                for name, result in report["benchmarks"].items():
                    full["benchmarks"][name] = {**result, "rerun": report["machine"]["date"]}
                if "pages" in only:
                    full["scales"], full["checks"] = report["scales"], report["checks"]
                    full["pages_rerun"] = report["machine"]["date"]
                (RESULTS / f"{kind}.json").write_text(json.dumps(full, ensure_ascii=False, indent=1), "utf-8")
            else:
                (workdir / f"report-{kind}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), "utf-8")
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.update_readme:
        from summary import update_readme

        update_readme()
    log(f"done in {time.perf_counter() - started:.0f} s" + (f"; checks failed on {failed}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
