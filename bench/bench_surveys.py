"""Survey benchmarks on a bench database:

* register import: rows/s of the real import (a CSV of ``--rows`` rows through ``importer.run``: encoding
  detection, row checks, phone normalisation and keyed hash, staging, promotion), against a plain bulk insert
  of the same rows into the same table (csv module + ``bulk_create``, no checks) — the ratio is the cost of
  doing it properly;
* invitation preparation for ``--invitations`` cases (eligibility, dedupe, tokens, message text) on a
  database that already holds the bench's register and invitations.

    .venv/bin/python bench/bench_surveys.py --rows 1000000 --invitations 100000 [--json out.json]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import common

HEADER = "접수번호,접수일시,처리일시,민원사무명,처리부서,민원인,휴대전화,처리기간\n"


def generate_csv(path: Path, rows: int, departments: list[str], year: int, *, seed: int = 7, prefix: str = "B") -> None:
    rng = random.Random(seed)
    start = dt.datetime(year, 1, 2, 9)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(HEADER)
        for i in range(rows):
            received = start + dt.timedelta(minutes=rng.randrange(0, 340 * 24 * 60))
            processed = received + dt.timedelta(hours=rng.randrange(1, 240))
            phone = f"010-{rng.randrange(2000, 9999)}-{rng.randrange(0, 9999):04d}"
            fh.write(
                f"{prefix}-{i:08d},{received:%Y-%m-%d %H:%M},{processed:%Y-%m-%d %H:%M},민원{i % 37},"
                f"{departments[i % len(departments)]},홍길동,{phone},{(i % 30) + 1}\n"
            )


def new_survey(year: int, user: Any) -> Any:
    from hwallyu.surveys import services

    survey = services.survey_create(year=year, quarter=None, title=f"벤치마크 {year}", template=None, actor=user)
    return services.survey_open(survey=survey, actor=user)


def real_import(path: Path, survey: Any, user: Any) -> tuple[Any, float, float]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hwallyu.surveys import importer, services
    from hwallyu.surveys.models import RegisterSource

    upload = SimpleUploadedFile("register.csv", path.read_bytes(), "text/csv")
    record = services.import_create(survey=survey, source=RegisterSource.PETITION, upload=upload, actor=user)
    t0, c0 = time.perf_counter(), time.process_time()
    record = importer.run(record.id)
    return record, time.perf_counter() - t0, time.process_time() - c0


def plain_insert(path: Path, survey: Any, departments: dict[str, int]) -> tuple[int, float]:
    """The baseline: the same rows into the same table with csv + bulk_create, no checks at all."""
    from django.db import transaction
    from django.utils import timezone

    from hwallyu.surveys.models import RegisterEntry, RegisterSource

    tz = timezone.get_current_timezone()
    t0 = time.perf_counter()
    count = 0
    with path.open(encoding="utf-8", newline="") as fh, transaction.atomic():
        reader = csv.reader(fh)
        next(reader)
        batch: list[RegisterEntry] = []
        for receipt, received, processed, kind, dept, name, phone, days in reader:
            batch.append(
                RegisterEntry(
                    survey_id=survey.id,
                    source=RegisterSource.PETITION,
                    receipt_no=receipt,
                    received_at=dt.datetime.fromisoformat(received).replace(tzinfo=tz),
                    processed_at=dt.datetime.fromisoformat(processed).replace(tzinfo=tz),
                    petition_type=kind,
                    department_id=departments[dept],
                    applicant=name,
                    phone=phone,
                    legal_days=int(days),
                )
            )
            if len(batch) == 5000:
                RegisterEntry.objects.bulk_create(batch)
                count += len(batch)
                batch = []
        RegisterEntry.objects.bulk_create(batch)
        count += len(batch)
    return count, time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--invitations", type=int, default=100_000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    common.setup()
    from django.utils import timezone

    from hwallyu.org.selectors import departments as org_departments
    from hwallyu.surveys import services
    from hwallyu.surveys.models import RegisterEntry

    user = common.bench_user("audit")
    depts = dict(org_departments(active_only=True).values_list("name", "id"))
    names = list(depts)
    result: dict[str, Any] = {"benchmark": "surveys"}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "register.csv"
        generate_csv(path, args.rows, names, 2031)
        size = path.stat().st_size
        record, elapsed, cpu = real_import(path, new_survey(2031, user), user)
        if record.status != "done" or record.rows_added != args.rows:
            raise SystemExit(f"import failed: {record.status} {record.message}")
        baseline_rows, baseline = plain_insert(path, new_survey(2032, user), depts)
        result["import"] = {
            "rows": record.rows_read,
            "megabytes": round(size / 1e6, 1),
            "seconds": round(elapsed, 2),
            "cpu_seconds": round(cpu, 2),
            "rows_per_second": round(record.rows_read / elapsed),
            "baseline": "같은 행을 같은 표에 csv + bulk_create로 검사 없이 넣기",
            "baseline_seconds": round(baseline, 2),
            "baseline_rows_per_second": round(baseline_rows / baseline),
            "ratio_to_baseline": round((record.rows_read / elapsed) / (baseline_rows / baseline), 2),
        }
        # Invitations: a round whose register holds ``--invitations`` fresh cases (different phones).
        generate_csv(path, args.invitations, names, 2033, seed=99, prefix="I")
        survey = new_survey(2033, user)
        record, _, _ = real_import(path, survey, user)
    now = timezone.make_aware(dt.datetime(2034, 1, 5, 10))
    t0, c0 = time.perf_counter(), time.process_time()
    prepared = services.invitations_prepare(survey=survey, actor=user, now=now)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    result["invitations"] = {
        "cases": RegisterEntry.objects.filter(survey=survey).count(),
        "prepared": prepared.prepared,
        "duplicate_phones": prepared.skipped_duplicate_phone,
        "seconds": round(elapsed, 2),
        "cpu_seconds": round(cpu, 2),
        "per_second": round(prepared.prepared / elapsed),
    }
    common.emit(result, args.json)


if __name__ == "__main__":
    main()
