"""Server-side layouts: the pipeline timeline (Gantt-like bars on a month axis) and a month calendar.

Both are plain data for the templates: positions are percentages of the axis so the page draws
them with CSS alone (no script).  The timeline always sits beside a table with the same data.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from hwallyu.initiatives.models import Event, Initiative, Milestone, MilestoneState

LONG_EVENT_DAYS = 7


@dataclass(frozen=True)
class Bar:
    left: float
    width: float
    start: dt.date
    end: dt.date


@dataclass
class TimelineRow:
    milestone: Milestone
    planned: Bar | None
    actual: Bar | None
    late: str  # "", "late", "late_done"


@dataclass(frozen=True)
class Tick:
    label: str
    left: float
    width: float
    year_start: bool


@dataclass
class Timeline:
    start: dt.date
    end: dt.date
    ticks: list[Tick]
    rows: list[TimelineRow]
    today: float | None

    @property
    def empty(self) -> bool:
        return not self.rows


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _bar(start: dt.date, end: dt.date, axis_start: dt.date, span: int) -> Bar:
    if end < start:
        start, end = end, start
    left = (start - axis_start).days / span * 100
    width = max(((end - start).days + 1) / span * 100, 0.8)
    return Bar(round(left, 3), round(min(width, 100 - left), 3), start, end)


def build_timeline(initiative: Initiative, stages: list[Milestone], today: dt.date) -> Timeline:
    dates = [d for m in stages for d in (m.planned_on, m.actual_on) if d is not None]
    if not dates:
        return Timeline(today, today, [], [], None)
    start = _month_start(min([*dates, initiative.starts_on]))
    end = _next_month(max(dates)) - dt.timedelta(days=1)
    span = (end - start).days + 1
    ticks = []
    month = start
    while month <= end:
        following = _next_month(month)
        ticks.append(
            Tick(
                label=f"{month.year % 100:02d}.{month.month}"
                if month.month == 1 or month == start
                else str(month.month),
                left=round((month - start).days / span * 100, 3),
                width=round((following - month).days / span * 100, 3),
                year_start=month.month == 1,
            )
        )
        month = following
    rows = []
    planned_from = initiative.starts_on if initiative.starts_on >= start else start
    actual_from: dt.date | None = planned_from
    for stage in sorted(stages, key=lambda m: (m.order, m.pk or 0)):
        planned = actual = None
        if stage.planned_on is not None:
            planned = _bar(min(planned_from, stage.planned_on), stage.planned_on, start, span)
            planned_from = stage.planned_on
        if stage.state == MilestoneState.DONE and stage.actual_on is not None:
            actual = _bar(min(actual_from or stage.actual_on, stage.actual_on), stage.actual_on, start, span)
            actual_from = stage.actual_on
        rows.append(TimelineRow(stage, planned, actual, stage.late_state(today)))
    today_left = (today - start).days / span * 100 if start <= today <= end else None
    return Timeline(start, end, ticks, rows, round(today_left, 3) if today_left is not None else None)


# --- month calendar ------------------------------------------------------------------------------


@dataclass
class CalendarDay:
    day: dt.date
    in_month: bool
    is_today: bool
    events: list[Event] = field(default_factory=list)


@dataclass
class MonthCalendar:
    year: int
    month: int
    weeks: list[list[CalendarDay]]
    long_events: list[Event]
    previous: dt.date
    next: dt.date

    @property
    def label(self) -> str:
        return f"{self.year}년 {self.month}월"


def month_calendar(events: list[Event], year: int, month: int, today: dt.date) -> MonthCalendar:
    """Weeks from Monday; events of up to a week are placed on each of their days, longer ones listed."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    grid_start = first - dt.timedelta(days=first.weekday())
    grid_end = last + dt.timedelta(days=6 - last.weekday())
    days: dict[dt.date, CalendarDay] = {}
    day = grid_start
    while day <= grid_end:
        days[day] = CalendarDay(day, day.month == month, day == today)
        day += dt.timedelta(days=1)
    long_events = []
    for event in events:
        if event.last_day < grid_start or event.starts_on > grid_end:
            continue
        if (event.last_day - event.starts_on).days >= LONG_EVENT_DAYS:
            if event.last_day >= first and event.starts_on <= last:
                long_events.append(event)
            continue
        day = max(event.starts_on, grid_start)
        while day <= min(event.last_day, grid_end):
            days[day].events.append(event)
            day += dt.timedelta(days=1)
    ordered = list(days.values())
    weeks = [ordered[i : i + 7] for i in range(0, len(ordered), 7)]
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = last + dt.timedelta(days=1)
    return MonthCalendar(year, month, weeks, long_events, previous, following)


def default_month(events: list[Event], today: dt.date) -> tuple[int, int]:
    """The month to open: this month if it has events, else the next event's, else the latest one's."""
    if any(
        e.starts_on <= today <= e.last_day or (e.starts_on.year, e.starts_on.month) == (today.year, today.month)
        for e in events
    ):
        return today.year, today.month
    future = [e for e in events if e.starts_on > today]
    if future:
        nearest = min(future, key=lambda e: e.starts_on)
        return nearest.starts_on.year, nearest.starts_on.month
    if events:
        latest = max(events, key=lambda e: e.starts_on)
        return latest.starts_on.year, latest.starts_on.month
    return today.year, today.month
