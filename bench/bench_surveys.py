"""Survey benchmarks: register import rows/s (CSV) and invitation preparation.

    HWALLYU_VAR_DIR=/tmp/hw-bench .venv/bin/python bench/bench_surveys.py --rows 200000 --invitations 100000

Uses a fresh SQLite file under HWALLYU_VAR_DIR (or DATABASE_URL), 59 departments, a generated
UTF-8 CSV of ``--rows`` register rows; reports import rows/s and the time to prepare
``--invitations`` invitations (eligibility, dedupe, tokens, message text).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hwallyu.settings")
os.environ.setdefault("HWALLYU_DEMO", "1")


def generate_csv(path: Path, rows: int, departments: list[str], *, seed: int = 7) -> None:
    rng = random.Random(seed)
    start = dt.datetime(2024, 1, 2, 9)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("접수번호,접수일시,처리일시,민원사무명,처리부서,민원인,휴대전화,처리기간\n")
        for i in range(rows):
            received = start + dt.timedelta(minutes=rng.randrange(0, 340 * 24 * 60))
            processed = received + dt.timedelta(hours=rng.randrange(1, 240))
            phone = f"010-{rng.randrange(2000, 9999)}-{rng.randrange(0, 9999):04d}"
            fh.write(
                f"B-{i:08d},{received:%Y-%m-%d %H:%M},{processed:%Y-%m-%d %H:%M},민원{i % 37},"
                f"{departments[i % len(departments)]},홍길동,{phone},{(i % 30) + 1}\n"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--invitations", type=int, default=100_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.utils import timezone

    from hwallyu.org.models import Department, DepartmentKind, Person, Role
    from hwallyu.surveys import importer, services
    from hwallyu.surveys.models import RegisterSource

    call_command("migrate", verbosity=0, skip_checks=True)
    departments = []
    for i in range(59):
        dept, _ = Department.objects.get_or_create(
            code=f"BENCH{i:02d}", defaults={"name": f"벤치부서{i:02d}", "kind": DepartmentKind.MAIN}
        )
        departments.append(dept.name)
    user = get_user_model().objects.filter(username="bench-auditor").first()
    if user is None:
        user = get_user_model().objects.create_user("bench-auditor", password="bench-pass-1234!")
        Person.objects.create(user=user, department=Department.objects.get(code="BENCH00"), role=Role.AUDIT)
    from hwallyu.surveys.models import RegisterEntry, Survey

    Survey.objects.filter(year=2024, quarter__isnull=True).delete()
    survey = services.survey_create(year=2024, quarter=None, title="bench 2024", template=None, actor=user)
    services.survey_open(survey=survey, actor=user)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "register.csv"
        generate_csv(path, args.rows, departments)
        size = path.stat().st_size
        upload = SimpleUploadedFile("register.csv", path.read_bytes(), "text/csv")
        record = services.import_create(survey=survey, source=RegisterSource.PETITION, upload=upload, actor=user)
        t0, c0 = time.perf_counter(), time.process_time()
        record = importer.run(record.id)
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"import: {record.rows_read:,} rows ({size / 1e6:.1f} MB) in {elapsed:.2f} s wall = "
        f"{record.rows_read / elapsed:,.0f} rows/s ({cpu:.2f} s CPU = {record.rows_read / cpu:,.0f} rows/s); "
        f"status={record.status}, added={record.rows_added:,}"
    )

    # Keep the first N register rows so that N invitations are prepared.
    last = RegisterEntry.objects.filter(survey=survey).order_by("id").values_list("id", flat=True)[args.invitations - 1]
    RegisterEntry.objects.filter(survey=survey, id__gt=last).delete()
    now = timezone.make_aware(dt.datetime(2025, 1, 6, 10))
    t0, c0 = time.perf_counter(), time.process_time()
    result = services.invitations_prepare(survey=survey, actor=user, now=now)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"invitations: {result.prepared:,} prepared (eligible {result.eligible:,}, duplicate phones "
        f"{result.skipped_duplicate_phone:,}) in {elapsed:.2f} s wall ({cpu:.2f} s CPU) = "
        f"{result.prepared / elapsed:,.0f} invitations/s"
    )
    t0, c0 = time.perf_counter(), time.process_time()
    sent = services.invitations_send(survey=survey, actor=user, now=now)
    print(
        f"queue to outbox: {sent.queued:,} messages in {time.perf_counter() - t0:.2f} s wall "
        f"({time.process_time() - c0:.2f} s CPU)"
    )


if __name__ == "__main__":
    main()
