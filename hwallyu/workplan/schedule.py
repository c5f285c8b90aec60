"""The monthly schedule (월별 추진계획) as arithmetic: planned progress and the state of each month.

Each planned month carries an equal share of the year's work.  The planned progress on a
date is the share of the planned months already passed, the current month counted by the
fraction of its days gone.  A planned month is *done* when the actual progress reaches the
cumulative share up to that month, *late* when it has passed without that.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

MONTHS = tuple(range(1, 13))
DONE = "done"
LATE = "late"
PLANNED = "planned"


def _months(months: Iterable[int]) -> list[int]:
    return sorted({int(m) for m in months if 1 <= int(m) <= 12})


def planned_progress(months: Iterable[int], *, year: int, as_of: dt.date) -> Decimal | None:
    """The share (0–100, one decimal) of the year's planned work due by ``as_of``; None without a schedule."""
    planned = _months(months)
    if not planned:
        return None
    if as_of.year < year:
        return Decimal("0.0")
    if as_of.year > year:
        return Decimal("100.0")
    days = calendar.monthrange(year, as_of.month)[1]
    done = Decimal(sum(1 for m in planned if m < as_of.month))
    if as_of.month in planned:
        done += Decimal(as_of.day) / Decimal(days)
    return (done * 100 / len(planned)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def cumulative_share(months: Iterable[int], month: int) -> Decimal:
    planned = _months(months)
    if not planned:
        return Decimal(0)
    return Decimal(sum(1 for m in planned if m <= month)) * 100 / len(planned)


def month_states(months: Iterable[int], *, progress: int, year: int, today: dt.date) -> dict[int, str]:
    """For each planned month: done, late or planned, from the actual progress (0–100)."""
    planned = _months(months)
    states: dict[int, str] = {}
    for month in planned:
        share = cumulative_share(planned, month)
        last_day = dt.date(year, month, calendar.monthrange(year, month)[1])
        if Decimal(progress) >= share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP):
            states[month] = DONE
        elif last_day < today:
            states[month] = LATE
        else:
            states[month] = PLANNED
    return states


def is_behind(months: Iterable[int], *, progress: int, year: int, today: dt.date) -> bool:
    """True when a planned month has passed without its share of the work done."""
    return LATE in month_states(months, progress=progress, year=year, today=today).values()
