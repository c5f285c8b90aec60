"""Reads of the core: the audit trail (filtered) and the calendar (holidays, closures, deadlines)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import holidays
from django.db import connection
from django.db.models import Q, QuerySet

from hwallyu.core.calendar import MAX_HOUR_BASED_DAYS, SEOUL, WorkCalendar, get_calendar
from hwallyu.core.documents import Cell, Paragraph, Report, Table
from hwallyu.core.models import AuditEvent, CalendarSettings, Closure
from hwallyu.core.policies import audit_policy

WEEKDAYS = "월화수목금토일"
AUDIT_EXPORT_LIMIT = 10_000


# --- audit trail --------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    person: str = ""
    department_id: int | None = None
    target_type: str = ""
    target_id: str = ""
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    department_label: str = ""

    def describe(self) -> list[str]:
        """The filter in words, for the exported report."""
        parts = []
        if self.person:
            parts.append(f"수행자 {self.person}")
        if self.department_id is not None:
            parts.append(f"부서 {self.department_label or self.department_id}")
        if self.target_type:
            parts.append(f"대상 종류 {self.target_type}")
        if self.target_id:
            parts.append(f"대상 ID {self.target_id}")
        if self.action:
            parts.append(f"작업 {self.action}")
        if self.date_from or self.date_to:
            parts.append(f"기간 {self.date_from or ''} ~ {self.date_to or ''}")
        return parts


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=SEOUL)


def audit_events(user: Any, flt: AuditFilter | None = None) -> QuerySet[AuditEvent]:
    """The audit rows ``user`` may see, newest first, narrowed by ``flt``.

    Every column shown is stored on the row itself (actor and department names are kept
    as they were at the time), so a page of rows is one query however many there are.
    """
    qs = audit_policy.scope(user).order_by("-at", "-id")
    if flt is None:
        return qs
    if flt.person:
        qs = qs.filter(Q(actor__username=flt.person) | Q(actor_name__icontains=flt.person))
    if flt.department_id is not None:
        qs = qs.filter(department_id=flt.department_id)
    if flt.target_type:
        qs = qs.filter(target_type=flt.target_type)
    if flt.target_id:
        qs = qs.filter(target_id=flt.target_id)
    if flt.action:
        qs = qs.filter(action=flt.action)
    if flt.date_from:
        qs = qs.filter(at__gte=_start_of(flt.date_from))
    if flt.date_to:
        qs = qs.filter(at__lt=_start_of(flt.date_to + dt.timedelta(days=1)))
    return qs


@dataclass(frozen=True)
class AuditChoices:
    """The values the audit filter offers: every action and every target type in the trail."""

    actions: list[str]
    target_types: list[str]


def audit_choices() -> AuditChoices:
    """The trail's distinct actions and target types, in one query whatever its size.

    ``SELECT DISTINCT`` reads every row's index entry (200,000 rows take tens of milliseconds
    on PostgreSQL).  There are only a few dozen values, so this walks each column's index from
    value to next value instead (a "loose index scan": one index probe per value), which
    PostgreSQL and SQLite both run from the index of that column.
    """
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    steps, selects = [], []
    for name in ("action", "target_type"):
        column = connection.ops.quote_name(name)  # the column is named as the field
        step = f"{name}_values"
        steps.append(
            f"{step}(v) AS (SELECT MIN({column}) FROM {table} WHERE {column} > ''"
            f" UNION ALL SELECT (SELECT MIN({column}) FROM {table} WHERE {column} > {step}.v)"
            f" FROM {step} WHERE {step}.v IS NOT NULL)"
        )
        selects.append(f"SELECT '{name}', v FROM {step} WHERE v IS NOT NULL")
    sql = f"WITH RECURSIVE {', '.join(steps)} {' UNION ALL '.join(selects)}"
    found: dict[str, list[str]] = {"action": [], "target_type": []}
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for kind, value in cursor.fetchall():
            found[kind].append(value)
    return AuditChoices(actions=sorted(found["action"]), target_types=sorted(found["target_type"]))


def display_value(value: Any) -> str:
    """An audit before/after value as text (a related object shows its name)."""
    if value is None:
        return ""
    if isinstance(value, dict) and set(value) == {"id", "repr"}:
        return str(value["repr"])
    if isinstance(value, bool):
        return "예" if value else "아니요"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def audit_report(user: Any, flt: AuditFilter, *, today: dt.date) -> Report:
    """The filtered trail as a report (newest first, at most ``AUDIT_EXPORT_LIMIT`` rows)."""
    qs = audit_events(user, flt)
    events = list(qs[: AUDIT_EXPORT_LIMIT + 1])
    truncated = len(events) > AUDIT_EXPORT_LIMIT
    events = events[:AUDIT_EXPORT_LIMIT]
    rows = []
    for event in events:
        changes = event.changes
        rows.append(
            [
                event.at,
                event.actor_name,
                event.action,
                event.target_type,
                event.target_repr or event.target_id,
                event.department_name,
                "\n".join(f"{k}: {display_value(b)}" for k, b, _ in changes),
                "\n".join(f"{k}: {display_value(a)}" for k, _, a in changes),
            ]
        )
    blocks: list[Any] = []
    described = flt.describe()
    blocks.append(Paragraph("검색 조건: " + (", ".join(described) if described else "전체")))
    if truncated:
        blocks.append(Paragraph(f"기록이 많아 최근 {AUDIT_EXPORT_LIMIT:,}건만 담았습니다. 기간을 나누어 내려받으세요."))
    blocks.append(
        Table(
            header_rows=[
                [
                    Cell("일시", rowspan=2),
                    Cell("수행자", rowspan=2),
                    Cell("작업", rowspan=2),
                    Cell("대상", colspan=2),
                    Cell("부서", rowspan=2),
                    Cell("변경 내용", colspan=2),
                ],
                ["종류", "이름·ID", "변경 전", "변경 후"],
            ],
            rows=rows,
            total_rows=[[Cell("합계", colspan=3), Cell(f"{len(rows):,}건", colspan=5)]],
            caption="감사 기록",
            col_widths=[18, 18, 22, 18, 24, 14, 30, 30],
        )
    )
    return Report(title="감사 기록", issued_on=today, org_label=_org_label(), blocks=blocks)


def _org_label() -> str:
    from hwallyu.org.selectors import city

    return f"{city().name} 기획감사실"


# --- calendar -----------------------------------------------------------------------


@dataclass(frozen=True)
class DayOff:
    date: dt.date
    name: str
    kind: str  # "holiday", "closure", "weekend"

    @property
    def weekday(self) -> str:
        return WEEKDAYS[self.date.weekday()]


def public_holidays(year: int) -> list[DayOff]:
    """Korean public holidays of ``year`` (substitute, election and temporary ones included)."""
    kr = holidays.KR(years=year, language="ko")
    return [DayOff(day, str(name), "holiday") for day, name in sorted(kr.items())]


def holiday_name(day: dt.date) -> str | None:
    name = holidays.KR(years=day.year, language="ko").get(day)
    return str(name) if name else None


def closures(year: int | None = None) -> QuerySet[Closure]:
    qs = Closure.objects.order_by("date")
    return qs.filter(date__year=year) if year is not None else qs


def calendar_settings() -> CalendarSettings:
    return CalendarSettings.load()


def hours_per_day(row: CalendarSettings) -> float:
    """Working hours a day under ``row`` (lunch excluded), e.g. 8."""
    total = sum(
        (dt.datetime.combine(dt.date.min, end) - dt.datetime.combine(dt.date.min, start)).total_seconds()
        for start, end in row.blocks()
    )
    return round(total / 3600, 2)


@dataclass(frozen=True)
class DeadlineResult:
    start: dt.datetime
    due: dt.datetime
    rule: str  # "hours", "days", "same_day"
    days: int | None
    skipped: list[DayOff]
    hours_per_day: float = 8

    @property
    def rule_label(self) -> str:
        per_day = f"{self.hours_per_day:g}"
        if self.rule == "same_day":
            return "당일 처리: 접수한 날 근무시간 종료까지(종료 이후나 휴일에 접수하면 다음 근무일 종료까지)"
        if self.rule == "hours":
            total = f"{(self.days or 0) * self.hours_per_day:g}"
            return (
                f"{self.days}일(5일 이하)은 접수 시각부터 근무시간으로 계산: "
                f"{self.days}일 × {per_day}시간 = {total}시간, 점심시간 제외"
            )
        return f"{self.days}일(6일 이상)은 접수일을 포함한 근무일로 계산: {self.days}번째 근무일 근무시간 종료까지"


def _day_off(calendar: WorkCalendar, day: dt.date, closure_names: dict[dt.date, str]) -> DayOff | None:
    if calendar.is_working_day(day):
        return None
    if day in closure_names:
        return DayOff(day, closure_names[day], "closure")
    name = calendar.holiday_name(day)
    if name:
        return DayOff(day, name, "holiday")
    return DayOff(day, "토요일" if day.weekday() == 5 else "일요일", "weekend")


def deadline(start: dt.datetime, *, days: int | None = None, same_day: bool = False) -> DeadlineResult:
    """The due time of a step received at ``start``, with the days off that were skipped.

    Raises :class:`hwallyu.core.calendar.CalendarError` (Korean message) for a bad period.
    """
    calendar = get_calendar()
    if same_day:
        due = calendar.same_day(start)
        rule, days = "same_day", None
    else:
        due = calendar.deadline(start, days or 0)
        rule = "hours" if (days or 0) <= MAX_HOUR_BASED_DAYS else "days"
    first, last = start.astimezone(SEOUL).date(), due.astimezone(SEOUL).date()
    names = dict(Closure.objects.filter(date__range=(first, last)).values_list("date", "name"))
    skipped = []
    day = first
    while day <= last:
        off = _day_off(calendar, day, names)
        if off is not None:
            skipped.append(off)
        day += dt.timedelta(days=1)
    return DeadlineResult(
        start=start.astimezone(SEOUL),
        due=due,
        rule=rule,
        days=days,
        skipped=skipped,
        hours_per_day=calendar.hours_per_day.total_seconds() / 3600,
    )
