"""Initiatives for the tests, made through the services (the planner of TestOrg acts)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from hwallyu.core.testing import TestOrg
from hwallyu.initiatives import services
from hwallyu.initiatives.models import Initiative

M = 1_000_000
D = dt.date


def pdf(name: str = "참여의향서.pdf", body: bytes = b"signed") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.7\n" + body + b"\n%%EOF", content_type="application/pdf")


def hwpx(name: str = "협약서.hwpx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"PK\x03\x04" + b"\x00" * 40, content_type="application/hwp+zip")


def team(org: TestOrg) -> Any:
    return org.planning.teams.get(name="혁신기획팀")


def make_initiative(org: TestOrg, name: str = "2027 논산세계딸기산업엑스포", **fields: Any) -> Initiative:
    """An expo-like initiative owned by 혁신기획팀, with 미래전략과 (org.dept) collaborating."""
    values: dict[str, Any] = {
        "kind": "event",
        "team": team(org),
        "starts_on": D(2024, 1, 1),
        "ends_on": D(2027, 3, 31),
        "aims": "기획재정부 국제행사 승인 준비",
        "budget_total": 20_000 * M,
        "departments": [org.dept],
    }
    values.update(fields)
    return services.initiative_create(actor=org.planner, name=name, **values)


@dataclass
class Pipeline:
    initiative: Initiative
    plan: Any
    province: Any
    ministry: Any
    finance: Any
    approval: Any


def make_pipeline(org: TestOrg, initiative: Initiative | None = None) -> Pipeline:
    """The seed's approval pipeline: basic plan ('24.5) → province ('24.7) → ministry ('24.11) → finance → approval."""
    initiative = initiative or make_initiative(org)
    stages = []
    for name, body, planned in (
        ("기본계획 제출", "충청남도", D(2024, 5, 1)),
        ("충남도 검토", "충청남도", D(2024, 7, 1)),
        ("농식품부 적격심사", "농림축산식품부", D(2024, 11, 1)),
        ("기획재정부 국제행사 심사", "기획재정부", None),
        ("승인", "기획재정부", D(2025, 8, 1)),
    ):
        stages.append(
            services.milestone_create(
                initiative=initiative,
                actor=org.planner,
                name=name,
                deciding_body=body,
                planned_on=planned,
                planned_precision="month",
            )
        )
    return Pipeline(initiative, *stages)


def workbook_text(data: bytes) -> list[Any]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data)).active
    return [cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None]


def hwpx_text(data: bytes) -> str:
    from hwpx import HwpxDocument

    document = HwpxDocument.open(data)
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts.extend(cell.text for cell in row.cells)
    return "\n".join(texts)
