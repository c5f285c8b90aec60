"""Evaluation years, their scheme, and the deadlines computed from it with the working-time calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from hwallyu.api.base import ServiceError
from hwallyu.core.audit import diff, log_action, snapshot
from hwallyu.core.calendar import SEOUL, CalendarError, WorkCalendar, get_calendar
from hwallyu.province.models import (
    DEFAULT_CHECKLIST,
    DEFAULT_REMINDER_DAYS,
    CityGroup,
    Deadline,
    DeadlineKind,
    EvaluationYear,
)
from hwallyu.province.policies import indicator_policy

SCHEME_FIELDS = [
    "title",
    "city_group",
    "actuals_start_month",
    "actuals_due_working_day",
    "lagging_forecast_rule",
    "lagging_share_from_month",
    "lagging_share",
    "achievement_cap",
    "qualitative_deadline",
    "quantitative_deadline",
    "reminder_days",
    "qualitative_checklist",
    "whatif_base_score",
]
MAX_REMINDERS = 5
MAX_CHECKLIST = 15


@dataclass
class SchemeInput:
    """The scheme of a year; ``None`` keeps the current value (or the default for a new year)."""

    title: str | None = None
    city_group: str | None = None
    actuals_start_month: int | None = None
    actuals_due_working_day: int | None = None
    lagging_forecast_rule: bool | None = None
    lagging_share_from_month: int | None = None
    lagging_share: Decimal | None = None
    achievement_cap: Decimal | None = None
    qualitative_deadline: dt.date | None = None
    quantitative_deadline: dt.date | None = None
    reminder_days: list[int] | None = None
    qualitative_checklist: list[str] | None = None
    whatif_base_score: Decimal | None = None
    clear_base_score: bool = False


def _month(value: int, label: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 12:
        raise ServiceError(f"{label}은(는) 1~12월 중 하나여야 합니다.")
    return value


def _apply_scheme(target: EvaluationYear, data: SchemeInput) -> None:
    year = target.year
    if data.title is not None:
        title = data.title.strip()
        if len(title) > 100:
            raise ServiceError("제목은 100자 이하로 적으세요.")
        target.title = title
    if data.city_group is not None:
        if data.city_group not in CityGroup.values:
            by_label = {str(label): code for code, label in CityGroup.choices}
            if data.city_group not in by_label:
                raise ServiceError("우리 시 평가군은 시부 또는 군부여야 합니다.")
            data.city_group = by_label[data.city_group]
        target.city_group = data.city_group
    if data.actuals_start_month is not None:
        target.actuals_start_month = _month(data.actuals_start_month, "월별 실적 관리 시작 월")
    if data.actuals_due_working_day is not None:
        if not 1 <= data.actuals_due_working_day <= 20:
            raise ServiceError("월별 실적 입력 기한은 다음 달 1~20번째 근무일 중 하나여야 합니다.")
        target.actuals_due_working_day = data.actuals_due_working_day
    if data.lagging_forecast_rule is not None:
        target.lagging_forecast_rule = bool(data.lagging_forecast_rule)
    if data.lagging_share_from_month is not None:
        target.lagging_share_from_month = _month(data.lagging_share_from_month, "안분 목표 기준 적용 시작 월")
    if data.lagging_share is not None:
        share = Decimal(data.lagging_share)
        if not Decimal(0) < share <= Decimal(1):
            raise ServiceError("부진 기준 비율은 0 초과 1 이하여야 합니다(예: 0.7 = 70%).")
        target.lagging_share = share.quantize(Decimal("0.001"))
    if data.achievement_cap is not None:
        cap = Decimal(data.achievement_cap)
        if not Decimal(100) <= cap <= Decimal(1000):
            raise ServiceError("달성도 상한은 100% 이상 1000% 이하여야 합니다.")
        target.achievement_cap = cap.quantize(Decimal("0.01"))
    for name, label in (
        ("qualitative_deadline", "정성 실적 제출 기한"),
        ("quantitative_deadline", "정량 최종실적 제출 기한"),
    ):
        value = getattr(data, name)
        if value is not None:
            if not dt.date(year, 1, 1) <= value <= dt.date(year + 1, 4, 30):
                raise ServiceError(f"{label}은(는) {year}년 1월 1일부터 다음 해 4월 30일 사이여야 합니다.")
            setattr(target, name, value)
    if data.reminder_days is not None:
        days = sorted({int(d) for d in data.reminder_days}, reverse=True)
        if len(days) > MAX_REMINDERS or any(not 0 <= d <= 30 for d in days):
            raise ServiceError(f"알림 시점은 기한 전 0~30 근무일 중 {MAX_REMINDERS}개까지 적을 수 있습니다.")
        target.reminder_days = days
    if data.qualitative_checklist is not None:
        labels = [str(item).strip() for item in data.qualitative_checklist if str(item).strip()]
        if not labels or len(labels) > MAX_CHECKLIST:
            raise ServiceError(f"정성 제출 점검 항목은 1~{MAX_CHECKLIST}개여야 합니다.")
        if len(set(labels)) != len(labels):
            raise ServiceError("정성 제출 점검 항목이 중복됩니다.")
        if any(len(label) > 100 for label in labels):
            raise ServiceError("점검 항목은 100자 이하로 적으세요.")
        target.qualitative_checklist = labels
    if data.clear_base_score:
        target.whatif_base_score = None
    elif data.whatif_base_score is not None:
        score = Decimal(data.whatif_base_score)
        if not Decimal(0) <= score < Decimal(10000):
            raise ServiceError("가정 분석 기준 점수는 0 이상 10000 미만이어야 합니다.")
        target.whatif_base_score = score.quantize(Decimal("0.001"))


def year_create(*, year: int, actor: Any, scheme: SchemeInput | None = None) -> EvaluationYear:
    indicator_policy.check(actor, "manage")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ServiceError("평가 연도는 2000~2100 사이여야 합니다.")
    with transaction.atomic():
        if EvaluationYear.objects.filter(year=year).exists():
            raise ServiceError(f"{year}년 시군평가가 이미 있습니다.", status=409)
        target = EvaluationYear(
            year=year,
            qualitative_deadline=dt.date(year, 10, 31),
            quantitative_deadline=dt.date(year, 12, 31),
            reminder_days=list(DEFAULT_REMINDER_DAYS),
            qualitative_checklist=list(DEFAULT_CHECKLIST),
        )
        _apply_scheme(target, scheme or SchemeInput())
        target.save()
        deadlines_refresh(evaluation_year=target)
        log_action(actor=actor, action="province.year_create", target=target, after=snapshot(target, SCHEME_FIELDS))
    return target


def year_update(*, evaluation_year: EvaluationYear, scheme: SchemeInput, actor: Any) -> EvaluationYear:
    indicator_policy.check(actor, "manage")
    with transaction.atomic():
        target = EvaluationYear.objects.select_for_update(of=("self",)).get(pk=evaluation_year.pk)
        before = snapshot(target, SCHEME_FIELDS)
        _apply_scheme(target, scheme)
        target.save(update_fields=[*SCHEME_FIELDS, "updated_at"])
        deadlines_refresh(evaluation_year=target)
        b, a = diff(before, snapshot(target, SCHEME_FIELDS))
        if a:
            log_action(actor=actor, action="province.scheme_update", target=target, before=b, after=a)
    return target


def year_delete(*, evaluation_year: EvaluationYear, actor: Any) -> None:
    indicator_policy.check(actor, "manage")
    with transaction.atomic():
        target = EvaluationYear.objects.select_for_update(of=("self",)).get(pk=evaluation_year.pk)
        if target.indicators.exists():
            raise ServiceError("지표가 있는 연도는 삭제할 수 없습니다. 지표를 먼저 정리하세요.", status=409)
        log_action(actor=actor, action="province.year_delete", target=target, before=snapshot(target, SCHEME_FIELDS))
        target.delete()


# --- deadlines -----------------------------------------------------------------------------------


def monthly_due(calendar: WorkCalendar, year: int, month: int, nth: int) -> dt.datetime:
    """The close of the ``nth`` working day of the month after ``month``."""
    first = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return calendar.add_working_days(dt.datetime.combine(first, dt.time(0, 0), tzinfo=SEOUL), nth)


def final_due(calendar: WorkCalendar, day: dt.date) -> dt.datetime:
    """The close of ``day``, or of the working day before it when it is not a working day."""
    working = day if calendar.is_working_day(day) else calendar.previous_working_day(day)
    return calendar.close_of(working)


def expected_deadlines(evaluation_year: EvaluationYear, calendar: WorkCalendar) -> dict[tuple[str, int], dt.datetime]:
    year = evaluation_year.year
    expected = {
        (DeadlineKind.MONTHLY.value, month): monthly_due(calendar, year, month, evaluation_year.actuals_due_working_day)
        for month in range(evaluation_year.actuals_start_month, 13)
    }
    expected[(DeadlineKind.QUALITATIVE.value, 0)] = final_due(calendar, evaluation_year.qualitative_deadline)
    expected[(DeadlineKind.QUANTITATIVE.value, 0)] = final_due(calendar, evaluation_year.quantitative_deadline)
    return expected


def deadlines_refresh(*, evaluation_year: EvaluationYear, now: dt.datetime | None = None) -> int:
    """Compute the year's deadlines; a deadline that has passed is never moved.  Returns the changes."""
    moment = now or timezone.now()
    try:
        expected = expected_deadlines(evaluation_year, get_calendar())
    except CalendarError as exc:
        raise ServiceError(str(exc))
    changes = 0
    with transaction.atomic():
        existing = {
            (d.kind, d.month): d
            for d in Deadline.objects.select_for_update(of=("self",)).filter(evaluation_year=evaluation_year)
        }
        for key, row in existing.items():
            if row.due_at <= moment:
                continue
            if key not in expected:
                row.delete()
                changes += 1
            elif row.due_at != expected[key]:
                row.due_at = expected[key]
                row.save(update_fields=["due_at"])
                changes += 1
        for (kind, month), due in expected.items():
            if (kind, month) not in existing:
                Deadline.objects.create(evaluation_year=evaluation_year, kind=kind, month=month, due_at=due)
                changes += 1
    return changes


def deadlines_recompute_all(*, now: dt.datetime | None = None) -> int:
    """After a calendar change: recompute the deadlines of every year that have not passed."""
    return sum(deadlines_refresh(evaluation_year=y, now=now) for y in EvaluationYear.objects.all())
