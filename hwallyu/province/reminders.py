"""The reminder sweep for the province evaluation's deadlines.

Before each deadline (the monthly actuals deadline, the qualitative submission deadline and the
quantitative final deadline) the owning departments that still owe something get a notice at
each of the scheme's reminder points (N working days before; 0 = the due day from the start of
work).  After a deadline passes, the departments and the planning office get one overdue notice.

Safe to rerun and to run from several workers at once: every notice carries a ``dedupe_key``
(year, deadline, due time, department, stage), so it is issued once; a moved due time (scheme or
calendar change) gives new keys.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from hwallyu.core.calendar import SEOUL, WorkCalendar, get_calendar
from hwallyu.notifications.services import notify
from hwallyu.org.models import Department
from hwallyu.org.selectors import planning_office_users
from hwallyu.province.models import Actual, ActualStatus, Deadline, DeadlineKind, Indicator, IndicatorType
from hwallyu.province.services.common import department_people

HORIZON = dt.timedelta(days=60)
OVERDUE_WINDOW = dt.timedelta(days=10)


@dataclass
class SweepResult:
    reminders: int = 0
    overdue: int = 0


def remind_at(due: dt.datetime, days: int, calendar: WorkCalendar) -> dt.datetime:
    """When the reminder ``days`` working days before ``due`` is due (0: the start of work on the due day)."""
    local = due.astimezone(SEOUL)
    if days == 0:
        start = dt.datetime.combine(local.date(), calendar.blocks[0][0], tzinfo=SEOUL)
        return min(start, due)
    day = local.date()
    for _ in range(days):
        day = calendar.previous_working_day(day)
    return dt.datetime.combine(day, local.timetz().replace(tzinfo=None), tzinfo=SEOUL)


def stage_for(due: dt.datetime, now: dt.datetime, reminder_days: list[int], calendar: WorkCalendar) -> int | None:
    """The latest reminder point reached before ``due`` (None before the first or after ``due``)."""
    if now >= due:
        return None
    for days in sorted(set(reminder_days)):
        if now >= remind_at(due, days, calendar):
            return days
    return None


def owing(deadline: Deadline) -> dict[Department, list[Indicator]]:
    """The departments that still owe something for ``deadline``, with the indicators concerned."""
    indicators = Indicator.objects.filter(evaluation_year=deadline.evaluation_year).prefetch_related("departments")
    if deadline.kind == DeadlineKind.QUALITATIVE:
        indicators = indicators.filter(kind=IndicatorType.QUALITATIVE, submitted_at__isnull=True)
    else:
        month = deadline.month if deadline.kind == DeadlineKind.MONTHLY else 12
        entered = Actual.objects.filter(indicator=OuterRef("pk"), month=month).exclude(status=ActualStatus.RETURNED)
        indicators = indicators.filter(kind=IndicatorType.QUANTITATIVE).exclude(Exists(entered))
    result: dict[Department, list[Indicator]] = defaultdict(list)
    for indicator in indicators.order_by("order", "code"):
        for department in indicator.departments.all():
            result[department].append(indicator)
    return dict(result)


def _what(deadline: Deadline) -> str:
    if deadline.kind == DeadlineKind.MONTHLY:
        return f"{deadline.month}월 누계 실적 입력"
    return deadline.get_kind_display()


def _url(deadline: Deadline) -> str:
    year = deadline.evaluation_year.year
    if deadline.kind == DeadlineKind.QUALITATIVE:
        return reverse("province:indicators", args=[year]) + "?kind=qualitative"
    month = deadline.month if deadline.kind == DeadlineKind.MONTHLY else 12
    return reverse("province:entry", args=[year]) + f"?month={month}"


def _key(deadline: Deadline, suffix: str) -> str:
    due = deadline.due_at.astimezone(dt.UTC)
    return f"province:{deadline.evaluation_year.year}:{deadline.kind}:{deadline.month}:{due:%Y%m%dT%H%M}:{suffix}"


def _listing(indicators: list[Indicator]) -> str:
    shown = ", ".join(f"{i.code} {i.name}" for i in indicators[:10])
    more = f" 외 {len(indicators) - 10}개" if len(indicators) > 10 else ""
    return shown + more


def sweep(*, now: dt.datetime | None = None) -> SweepResult:
    moment = now or timezone.now()
    calendar = get_calendar()
    result = SweepResult()
    window = Deadline.objects.filter(due_at__gt=moment - OVERDUE_WINDOW, due_at__lt=moment + HORIZON)
    for deadline in window.select_related("evaluation_year").order_by("due_at"):
        year = deadline.evaluation_year
        if deadline.kind == DeadlineKind.MONTHLY and deadline.month < year.actuals_start_month:
            continue
        due_text = f"{deadline.due_at.astimezone(SEOUL):%Y-%m-%d %H:%M}"
        what = _what(deadline)
        if deadline.due_at > moment:
            stage = stage_for(deadline.due_at, moment, year.reminder_days, calendar)
            if stage is None:
                continue
            when = "오늘" if stage == 0 else f"{stage}근무일 전"
            for department, items in owing(deadline).items():
                sent = notify(
                    recipients=department_people([department]),
                    title=f"[시군평가 기한 {when}] {year.year}년 {what}",
                    body=f"{department.name}: {len(items)}개 지표가 남았습니다. 기한 {due_text}\n{_listing(items)}",
                    url=_url(deadline),
                    kind="province.reminder",
                    dedupe_key=_key(deadline, f"{department.pk}:d{stage}"),
                )
                result.reminders += int(sent)
            continue
        missing = owing(deadline)
        if not missing:
            continue
        for department, items in missing.items():
            sent = notify(
                recipients=department_people([department]),
                title=f"[시군평가 기한 경과] {year.year}년 {what}",
                body=f"{department.name}: 기한 {due_text}이(가) 지났습니다. "
                f"남은 지표 {len(items)}개\n{_listing(items)}",
                url=_url(deadline),
                kind="province.overdue",
                dedupe_key=_key(deadline, f"{department.pk}:overdue"),
            )
            result.overdue += int(sent)
        summary = ", ".join(
            f"{d.name} {len(items)}개" for d, items in sorted(missing.items(), key=lambda p: p[0].order)
        )
        notify(
            recipients=planning_office_users(),
            title=f"[시군평가 기한 경과] {year.year}년 {what} 미제출 {len(missing)}개 부서",
            body=f"기한 {due_text}\n{summary}",
            url=_url(deadline),
            kind="province.overdue",
            dedupe_key=_key(deadline, "office"),
        )
    return result
