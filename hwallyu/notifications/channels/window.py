"""Send windows: citizens get messages only inside allowed hours (default 09:00–20:00, working days).

A window is stored on the outbox row as a short text, ``"09:00-20:00/W"``: start, end and ``/W``
when only working days (the working-time calendar's ``is_working_day``) count.  An empty text is
"any time".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone

from hwallyu.core.calendar import get_calendar

_SPEC = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})(/W)?$")


@dataclass(frozen=True)
class SendWindow:
    start: dt.time
    end: dt.time
    working_days_only: bool = True

    @classmethod
    def parse(cls, spec: str) -> SendWindow | None:
        if not spec:
            return None
        match = _SPEC.match(spec.strip())
        if not match:
            raise ValueError(f"발송 허용 시간 형식이 올바르지 않습니다: {spec!r}")
        h1, m1, h2, m2, days = match.groups()
        window = cls(dt.time(int(h1), int(m1)), dt.time(int(h2), int(m2)), bool(days))
        if window.start >= window.end:
            raise ValueError("발송 허용 시간의 시작이 끝보다 빨라야 합니다.")
        return window

    def spec(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}{'/W' if self.working_days_only else ''}"

    def label(self) -> str:
        days = "업무일 " if self.working_days_only else "매일 "
        return f"{days}{self.start:%H:%M}~{self.end:%H:%M}"

    def _day_ok(self, day: dt.date) -> bool:
        return not self.working_days_only or get_calendar().is_working_day(day)

    def is_open(self, moment: dt.datetime) -> bool:
        local = timezone.localtime(moment)
        return self._day_ok(local.date()) and self.start <= local.time() < self.end

    def next_open(self, moment: dt.datetime) -> dt.datetime:
        """``moment`` itself when the window is open, else the next opening."""
        if self.is_open(moment):
            return moment
        local = timezone.localtime(moment)
        day = local.date()
        if local.time() >= self.end or not self._day_ok(day):
            day += dt.timedelta(days=1)
        elif local.time() < self.start:
            return timezone.make_aware(dt.datetime.combine(day, self.start))
        for _ in range(400):
            if self._day_ok(day):
                return timezone.make_aware(dt.datetime.combine(day, self.start))
            day += dt.timedelta(days=1)
        raise ValueError("400일 안에 발송 가능한 날이 없습니다.")


def next_open(spec: str, moment: dt.datetime) -> dt.datetime:
    window = SendWindow.parse(spec)
    return moment if window is None else window.next_open(moment)


def is_open(spec: str, moment: dt.datetime) -> bool:
    window = SendWindow.parse(spec)
    return True if window is None else window.is_open(moment)
