"""Working-time calendar (업무일 계산), as DOMAIN.md defines it.

Convention of the Civil Petitions Act (민원 처리에 관한 법률 제19조), used for every deadline:

* A period of 5 days or less is counted in **working hours** from the moment of receipt;
  one day = 8 working hours (default blocks 09:00–12:00 and 13:00–18:00).
* A period of 6 days or more is counted in **working days**, the first day included; it
  ends at the close of the last working day.  When receipt falls on a non-working day or
  after the close of a working day, the first day counted is the next working day.
* Saturdays, Sundays, Korean public holidays (``holidays.KR``: substitute, election and
  temporary holidays included) and closures the city adds do not count.
* "Same day" (당일) = the close (18:00) of the day of receipt; received at or after the close,
  or on a non-working day → the close of the next working day.
* A due time that lands on the end of a working block is that block's end (12:00 or 18:00).

This module is pure: :class:`WorkCalendar` takes its blocks and closed dates as values, so
tests and bulk jobs build one directly.  :func:`get_calendar` builds the city's calendar
from the database (closures and working hours), cached per process by a version counter.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import holidays

SEOUL = ZoneInfo("Asia/Seoul")
HOURS_PER_DAY = 8
MAX_HOUR_BASED_DAYS = 5
DEFAULT_BLOCKS: tuple[tuple[dt.time, dt.time], ...] = (
    (dt.time(9, 0), dt.time(12, 0)),
    (dt.time(13, 0), dt.time(18, 0)),
)
# Guard against an endless search when a calendar is closed for ever.
_MAX_SCAN_DAYS = 3660


class CalendarError(ValueError):
    """A period or time the calendar cannot work with (message in Korean)."""


@dataclass
class WorkCalendar:
    blocks: tuple[tuple[dt.time, dt.time], ...] = DEFAULT_BLOCKS
    closed_dates: frozenset[dt.date] = frozenset()
    tz: ZoneInfo = SEOUL
    _holidays: holidays.HolidayBase = field(default_factory=lambda: holidays.KR(language="ko"), repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _day_cache: dict[dt.date, bool] = field(default_factory=dict, repr=False)
    _per_day: dt.timedelta = field(default=dt.timedelta(0), init=False, repr=False)
    _bounds_cache: dict[dt.date, tuple[tuple[dt.datetime, dt.datetime], ...]] = field(
        default_factory=dict, init=False, repr=False
    )

    def __post_init__(self) -> None:
        if not self.blocks:
            raise CalendarError("근무 시간대가 하나 이상 있어야 합니다.")
        previous_end: dt.time | None = None
        for start, end in self.blocks:
            if start >= end:
                raise CalendarError("근무 시간대의 시작은 끝보다 빨라야 합니다.")
            if previous_end is not None and start < previous_end:
                raise CalendarError("근무 시간대가 겹치거나 순서가 어긋났습니다.")
            previous_end = end
        self.closed_dates = frozenset(self.closed_dates)
        self.blocks = tuple(self.blocks)
        per_day = dt.timedelta()
        for start, end in self.blocks:
            per_day += dt.datetime.combine(dt.date.min, end) - dt.datetime.combine(dt.date.min, start)
        self._per_day = per_day  # computed once: deadline() needs it on every call

    # --- days ---------------------------------------------------------------
    def holiday_name(self, day: dt.date) -> str | None:
        with self._lock:
            name = self._holidays.get(day)
        return str(name) if name else None

    def is_working_day(self, day: dt.date) -> bool:
        cached = self._day_cache.get(day)
        if cached is not None:
            return cached
        working = day.weekday() < 5 and day not in self.closed_dates
        if working:
            with self._lock:
                working = day not in self._holidays
        self._day_cache[day] = working
        return working

    def next_working_day(self, day: dt.date, *, include: bool = False) -> dt.date:
        candidate = day if include else day + dt.timedelta(days=1)
        for _ in range(_MAX_SCAN_DAYS):
            if self.is_working_day(candidate):
                return candidate
            candidate += dt.timedelta(days=1)
        raise CalendarError("10년 안에 근무일이 없습니다. 휴무일 설정을 확인하세요.")

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in [start, end] (both included)."""
        count = 0
        day = start
        while day <= end:
            if self.is_working_day(day):
                count += 1
            day += dt.timedelta(days=1)
        return count

    # --- times --------------------------------------------------------------
    @property
    def hours_per_day(self) -> dt.timedelta:
        return self._per_day

    def _local(self, moment: dt.datetime) -> dt.datetime:
        if moment.tzinfo is None:
            raise CalendarError("시각에는 시간대(+09:00 등)가 있어야 합니다.")
        return moment.astimezone(self.tz)

    def _at(self, day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=self.tz)

    def _bounds(self, day: dt.date) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
        """The day's working blocks as aware datetimes (cached: deadlines ask for the same days again and again)."""
        bounds = self._bounds_cache.get(day)
        if bounds is None:
            bounds = tuple((self._at(day, start), self._at(day, end)) for start, end in self.blocks)
            self._bounds_cache[day] = bounds
        return bounds

    def close_of(self, day: dt.date) -> dt.datetime:
        return self._bounds(day)[-1][1]

    def is_working_time(self, moment: dt.datetime) -> bool:
        """True when ``moment`` lies inside a working block (ends included)."""
        local = self._local(moment)
        if not self.is_working_day(local.date()):
            return False
        clock = local.timetz().replace(tzinfo=None)
        return any(start <= clock <= end for start, end in self.blocks)

    def add_working_hours(self, start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        """The moment ``amount`` of working time after ``start``."""
        if amount < dt.timedelta(0):
            raise CalendarError("기간은 0 이상이어야 합니다.")
        cursor = self._local(start)
        remaining = amount
        per_day = self.hours_per_day
        day = cursor.date()
        for _ in range(_MAX_SCAN_DAYS * 2):
            if self.is_working_day(day):
                bounds = self._bounds(day)
                # A whole untouched day is consumed in one step.
                if cursor <= bounds[0][0] and remaining > per_day:
                    remaining -= per_day
                else:
                    for bs, be in bounds:
                        # nothing left to add at the very end of a block: the end itself (adding 0 stays put)
                        if cursor > be or (cursor == be and remaining):
                            continue
                        begin = max(cursor, bs)
                        available = be - begin
                        if remaining <= available:
                            return begin + remaining
                        remaining -= available
            day += dt.timedelta(days=1)
            cursor = self._at(day, dt.time(0, 0))
        raise CalendarError("기한을 계산할 수 없습니다. 휴무일 설정을 확인하세요.")

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """Close of the ``days``-th working day, the day of receipt counted as the first."""
        if days < 1:
            raise CalendarError("일수는 1 이상이어야 합니다.")
        local = self._local(start)
        first = local.date()
        if not self.is_working_day(first) or local >= self.close_of(first):
            first = self.next_working_day(first)
        day = first
        for _ in range(days - 1):
            day = self.next_working_day(day)
        return self.close_of(day)

    def same_day(self, start: dt.datetime) -> dt.datetime:
        """Due time of a "same day" (당일) step received at ``start``."""
        local = self._local(start)
        day = local.date()
        if self.is_working_day(day) and local < self.close_of(day):
            return self.close_of(day)
        return self.close_of(self.next_working_day(day))

    def deadline(self, start: dt.datetime, days: int) -> dt.datetime:
        """Due time of a period of ``days`` days received at ``start`` (the legal rule)."""
        if days < 1:
            raise CalendarError("일수는 1 이상이어야 합니다.")
        if days <= MAX_HOUR_BASED_DAYS:
            return self.add_working_hours(start, self.hours_per_day * days)
        return self.add_working_days(start, days)

    def previous_working_day(self, day: dt.date) -> dt.date:
        candidate = day - dt.timedelta(days=1)
        for _ in range(_MAX_SCAN_DAYS):
            if self.is_working_day(candidate):
                return candidate
            candidate -= dt.timedelta(days=1)
        raise CalendarError("이전 근무일이 없습니다.")

    def reminder_before(self, due: dt.datetime) -> dt.datetime:
        """One working day before ``due`` (D-1), at the same clock time, for reminders."""
        local = self._local(due)
        previous = self.previous_working_day(local.date())
        return dt.datetime.combine(previous, local.timetz().replace(tzinfo=None), tzinfo=self.tz)


# --- the city's calendar from the database ----------------------------------
_cache_lock = threading.Lock()
_cached: tuple[int, WorkCalendar] | None = None


def build_calendar(
    *, blocks: Iterable[tuple[dt.time, dt.time]] | None = None, closed_dates: Iterable[dt.date] = ()
) -> WorkCalendar:
    return WorkCalendar(blocks=tuple(blocks) if blocks else DEFAULT_BLOCKS, closed_dates=frozenset(closed_dates))


def get_calendar() -> WorkCalendar:
    """The city's working-time calendar (one query when nothing changed)."""
    global _cached
    from hwallyu.core.models import CalendarSettings, Closure

    settings_row = CalendarSettings.load()
    with _cache_lock:
        if _cached is not None and _cached[0] == settings_row.version:
            return _cached[1]
    calendar = build_calendar(blocks=settings_row.blocks(), closed_dates=Closure.objects.values_list("date", flat=True))
    with _cache_lock:
        _cached = (settings_row.version, calendar)
    return calendar


def reset_calendar_cache() -> None:
    global _cached
    with _cache_lock:
        _cached = None
