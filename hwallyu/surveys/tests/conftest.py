"""Fixtures of the survey tests: an open round, register files, the fake Bizmessage provider."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hwallyu.notifications.channels import client as bizclient
from hwallyu.notifications.channels.fake_provider import FakeBizMessageProvider

HEADER = ["접수번호", "접수일시", "처리일시", "민원사무명", "처리부서", "민원인", "휴대전화", "처리기간"]


def aware(*args: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def register_rows(
    n: int, *, department: str = "미래전략과", start: int = 0, phone_base: int = 23450000
) -> list[list[str]]:
    rows = []
    for i in range(start, start + n):
        digits = f"{phone_base + i:08d}"
        rows.append(
            [
                f"2024-{i:06d}",
                "2024-03-04 10:00",
                "2024-03-05 15:30",
                "건축허가" if i % 2 else "주민등록표 등본 발급",
                department,
                f"민원인{i}",
                f"010-{digits[:4]}-{digits[4:]}",
                "15" if i % 2 else "0",
            ]
        )
    return rows


def csv_bytes(rows: list[list[str]], *, encoding: str = "utf-8", header: list[str] | None = None) -> bytes:
    out = io.StringIO()
    import csv

    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header or HEADER)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def crash_after_batches(monkeypatch: Any, n: int) -> None:
    """The import's worker is killed (SystemExit) right after its ``n``-th committed batch."""
    from hwallyu.surveys import importer

    calls = {"n": 0}

    def crash(record: Any) -> None:
        calls["n"] += 1
        if calls["n"] == n:
            raise SystemExit("worker killed")

    monkeypatch.setattr(importer, "after_batch", crash)


def upload(data: bytes, name: str = "register.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "text/csv")


@pytest.fixture(autouse=True)
def _media(tmp_path: Any, settings: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def survey(org: Any) -> Any:
    from hwallyu.surveys import services

    round_ = services.survey_create(
        year=2024, quarter=None, title="2024년 행정만족도 조사", template=None, actor=org.auditor
    )
    return services.survey_open(survey=round_, actor=org.auditor)


@pytest.fixture
def imported(survey: Any, org: Any) -> Any:
    """The open round with 20 processed petitions (10 in each of the two departments)."""
    from hwallyu.surveys import importer, services

    rows = register_rows(10) + register_rows(10, department="강경읍", start=10)
    record = services.import_create(survey=survey, source="petition", upload=upload(csv_bytes(rows)), actor=org.auditor)
    record = importer.run(record.id)
    assert record.status == "done", record.message
    return survey


@pytest.fixture
def fake_provider() -> Iterator[FakeBizMessageProvider]:
    with FakeBizMessageProvider() as fake:
        bizclient.set_client(bizclient.HttpBizMessageClient(fake.config()))
        try:
            yield fake
        finally:
            bizclient.set_client(None)


@pytest.fixture
def console_provider() -> Iterator[None]:
    bizclient.set_client(bizclient.ConsoleBizMessageClient())
    yield
    bizclient.set_client(None)
