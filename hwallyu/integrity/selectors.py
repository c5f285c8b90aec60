"""Reads of the integrity module (already scoped by the caller's policy where it matters)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from hwallyu.integrity.models import (
    Case,
    HandlerKey,
    IntegrityIndex,
    IntegrityScheme,
    MeasurePlan,
    OfficeKey,
    Step,
)

TWO = Decimal("0.01")


def scheme_for(year: int) -> IntegrityScheme:
    """The year's scheme; a year without one copies the latest earlier year (unsaved), else defaults."""
    found = IntegrityScheme.objects.filter(year=year).first()
    if found is not None:
        return found
    earlier = IntegrityScheme.objects.filter(year__lt=year).order_by("-year").first()
    if earlier is None:
        return IntegrityScheme(year=year)
    copy = IntegrityScheme.objects.get(pk=earlier.pk)
    copy.pk = None
    copy.id = None
    copy.year = year
    copy._state.adding = True
    return copy


def office_key() -> OfficeKey | None:
    return OfficeKey.objects.order_by("pk").first()


def designated_keys() -> QuerySet[HandlerKey]:
    return HandlerKey.objects.filter(designated=True, user__is_active=True).select_related("user")


def handler_keys() -> QuerySet[HandlerKey]:
    return HandlerKey.objects.select_related("user", "designated_by").order_by("-designated", "user__username")


# The ciphertext a list never shows: left in the table, so a page of 50 does not carry 50 sealed bodies.
SEALED_FIELDS = (
    "public_key",
    "content",
    "disclosed_name",
    "action_detail",
    "receipt_salt",
    "receipt_sealed_key",
    "recovery_sealed_key",
)


def cases(qs: QuerySet[Case], *, step: str | None = None, open_only: bool = False) -> QuerySet[Case]:
    """Cases newest first, metadata only (the sealed columns are deferred)."""
    qs = qs.select_related("assignee").defer(*SEALED_FIELDS)
    if step:
        qs = qs.filter(step=step)
    if open_only:
        qs = qs.exclude(step=Step.CLOSED)
    return qs.order_by("-received_at")


def is_overdue(case: Case, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return case.due_at is not None and not case.is_closed and case.due_at < now


# --- the integrity index ------------------------------------------------------------------


@dataclass(frozen=True)
class IndexRow:
    year: int
    record: IntegrityIndex
    perceived: Decimal | None
    perceived_computed: bool
    composite: Decimal | None
    scheme: IntegrityScheme


def perceived_of(index: IntegrityIndex, scheme: IntegrityScheme) -> tuple[Decimal | None, bool]:
    """청렴체감도: the published score, else external × share + internal × (1 − share)."""
    if index.perceived is not None:
        return Decimal(index.perceived), False
    if index.perceived_external is None or index.perceived_internal is None:
        return None, False
    share = Decimal(scheme.external_share)
    value = Decimal(index.perceived_external) * share + Decimal(index.perceived_internal) * (1 - share)
    return value.quantize(TWO, ROUND_HALF_UP), True


def composite_of(
    perceived: Decimal | None, effort: Decimal | None, deduction: Decimal | None, scheme: IntegrityScheme
) -> Decimal | None:
    """종합청렴도 = 체감도 × w_p + 노력도 × w_e − 감점 (감점 capped by the scheme)."""
    if perceived is None or effort is None:
        return None
    cut = min(Decimal(deduction or 0), Decimal(scheme.max_deduction))
    value = perceived * Decimal(scheme.perceived_weight) + effort * Decimal(scheme.effort_weight) - cut
    return value.quantize(TWO, ROUND_HALF_UP)


def index_rows() -> list[IndexRow]:
    rows = []
    schemes = {s.year: s for s in IntegrityScheme.objects.all()}
    for record in IntegrityIndex.objects.order_by("year"):
        scheme = schemes.get(record.year) or scheme_for(record.year)
        perceived, computed = perceived_of(record, scheme)
        rows.append(
            IndexRow(
                year=record.year,
                record=record,
                perceived=perceived,
                perceived_computed=computed,
                composite=composite_of(perceived, record.effort, record.deduction, scheme),
                scheme=scheme,
            )
        )
    return rows


def grade_for(composite: Decimal, cutoffs: dict[int, Decimal]) -> int | None:
    """The grade a composite earns under the entered cut-offs (5 below every cut-off)."""
    if not cutoffs:
        return None
    for grade in sorted(cutoffs):
        if composite >= cutoffs[grade]:
            return grade
    return 5


@dataclass(frozen=True)
class TargetLine:
    grade: int
    cutoff: Decimal
    gap: Decimal | None  # composite needed minus the base composite
    perceived_needed: Decimal | None  # with the base effort and deduction


@dataclass(frozen=True)
class Target:
    year: int
    base: IndexRow | None
    base_grade: int | None
    next_grade: int | None
    lines: list[TargetLine]


def target_view(year: int, rows: list[IndexRow] | None = None) -> Target:
    """What composite each grade needs in ``year`` under its cut-offs, measured from the latest result."""
    rows = rows if rows is not None else index_rows()
    scheme = scheme_for(year)
    cutoffs = scheme.cutoffs()
    earlier = [r for r in rows if r.year < year]
    base = next((r for r in reversed(earlier) if r.composite is not None or r.record.grade), None)
    base_grade = base.record.grade if base and base.record.grade else None
    if base_grade is None and base is not None and base.composite is not None:
        base_grade = grade_for(base.composite, cutoffs)
    next_grade = base_grade - 1 if base_grade and base_grade > 1 else None
    lines = []
    for grade in sorted(cutoffs):
        cutoff = Decimal(cutoffs[grade])
        gap = (cutoff - base.composite).quantize(TWO) if base and base.composite is not None else None
        perceived_needed = None
        if base is not None and base.record.effort is not None and Decimal(scheme.perceived_weight) > 0:
            deduction = min(Decimal(base.record.deduction or 0), Decimal(scheme.max_deduction))
            needed = (cutoff + deduction - Decimal(base.record.effort) * Decimal(scheme.effort_weight)) / Decimal(
                scheme.perceived_weight
            )
            perceived_needed = needed.quantize(TWO, ROUND_HALF_UP)
        lines.append(TargetLine(grade=grade, cutoff=cutoff, gap=gap, perceived_needed=perceived_needed))
    return Target(year=year, base=base, base_grade=base_grade, next_grade=next_grade, lines=lines)


FONT = {"family": "'Pretendard GOV', 'Noto Sans KR', sans-serif", "size": 13}


def trend_chart(rows: list[IndexRow]) -> dict[str, Any]:
    """Chart.js definition: grades (reversed axis, 1 on top) and composite scores by year."""
    labels = [f"{r.year}" for r in rows]
    x_axis = {"ticks": {"font": FONT}}
    return {
        "type": "line",
        "data": {
            "labels": labels,
            "datasets": [
                {
                    "label": "종합청렴도 등급",
                    "data": [r.record.grade for r in rows],
                    "yAxisID": "grade",
                    "borderColor": "#063a74",
                    "backgroundColor": "#063a74",
                    "spanGaps": True,
                },
                {
                    "label": "종합점수",
                    "data": [float(r.composite) if r.composite is not None else None for r in rows],
                    "yAxisID": "score",
                    "borderColor": "#bd5b00",
                    "backgroundColor": "#bd5b00",
                    "borderDash": [6, 4],
                    "spanGaps": True,
                },
            ],
        },
        "options": {
            "responsive": True,
            "animation": False,
            "plugins": {"legend": {"labels": {"font": FONT}}},
            "scales": {
                "x": x_axis,
                "grade": {
                    "type": "linear",
                    "position": "left",
                    "reverse": True,
                    "min": 1,
                    "max": 5,
                    "ticks": {"stepSize": 1, "font": FONT},
                    "title": {"display": True, "text": "등급", "font": FONT},
                },
                "score": {
                    "type": "linear",
                    "position": "right",
                    "suggestedMin": 60,
                    "suggestedMax": 100,
                    "grid": {"drawOnChartArea": False},
                    "ticks": {"font": FONT},
                    "title": {"display": True, "text": "점수", "font": FONT},
                },
            },
        },
    }


# --- measures -------------------------------------------------------------------------------


def measure_plan(year: int) -> MeasurePlan | None:
    return (
        MeasurePlan.objects.filter(year=year)
        .prefetch_related("measures__owner", "broadcasts", "guide_distributions")
        .first()
    )


def plan_years() -> list[int]:
    return list(MeasurePlan.objects.order_by("-year").values_list("year", flat=True))
