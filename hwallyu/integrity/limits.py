"""Abuse limits of the anonymous channel, counted in this process's memory only.

Nothing here is keyed by who asked: no address, no agent, no cookie.  The counters are
global to the process (a deque of monotonic timestamps under a lock), so they never reach
the database, the cache backend or a log.  With several web workers each keeps its own
counts, which multiplies the caps by the number of workers (documented in
docs/integrity-crypto.md).

* Filing and reporter replies: at most N per hour (settings, defaults below).
* Receipt checks: after a few failures in the window every check waits, doubling with each
  further failure up to a ceiling; past a hard limit checks are refused for a while.  Slow
  for everyone while someone guesses, but no guesser gets far: 10^16 receipts.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from django.conf import settings

HOUR = 3600.0


class Throttled(Exception):
    """Too many requests of this kind just now (message in Korean)."""

    message = "요청이 많아 지금은 처리할 수 없습니다. 잠시 후 다시 시도해 주세요."


class _Window:
    def __init__(self) -> None:
        self.times: deque[float] = deque()

    def prune(self, now: float, window: float) -> None:
        while self.times and self.times[0] <= now - window:
            self.times.popleft()


class AbuseGuard:
    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.clock = clock
        self.sleep = sleep
        self._lock = threading.Lock()
        self._windows: dict[str, _Window] = {}

    # --- settings -------------------------------------------------------------------
    @staticmethod
    def _setting(name: str, default: float) -> float:
        return float(getattr(settings, name, default))

    def filings_per_hour(self) -> int:
        return int(self._setting("HWALLYU_INTEGRITY_FILINGS_PER_HOUR", 60))

    def messages_per_hour(self) -> int:
        return int(self._setting("HWALLYU_INTEGRITY_MESSAGES_PER_HOUR", 120))

    def failure_window(self) -> float:
        return self._setting("HWALLYU_INTEGRITY_FAILURE_WINDOW_SECONDS", 900)

    def free_failures(self) -> int:
        return int(self._setting("HWALLYU_INTEGRITY_FREE_FAILURES", 5))

    def max_failures(self) -> int:
        return int(self._setting("HWALLYU_INTEGRITY_MAX_FAILURES", 60))

    def max_delay(self) -> float:
        return self._setting("HWALLYU_INTEGRITY_MAX_DELAY_SECONDS", 8.0)

    # --- counting -------------------------------------------------------------------
    def _window(self, name: str) -> _Window:
        return self._windows.setdefault(name, _Window())

    def _take(self, name: str, cap: int, window: float) -> None:
        with self._lock:
            now = self.clock()
            w = self._window(name)
            w.prune(now, window)
            if len(w.times) >= cap:
                raise Throttled()
            w.times.append(now)

    def take_filing(self) -> None:
        """Count one filing; Throttled past the hourly cap."""
        self._take("filing", self.filings_per_hour(), HOUR)

    def take_message(self) -> None:
        self._take("message", self.messages_per_hour(), HOUR)

    def recent_failures(self) -> int:
        with self._lock:
            w = self._window("receipt_failure")
            w.prune(self.clock(), self.failure_window())
            return len(w.times)

    def delay_for(self, failures: int) -> float:
        """Seconds every receipt check waits when ``failures`` failed in the window."""
        extra = failures - self.free_failures()
        if extra < 0:
            return 0.0
        return min(0.25 * (2**extra), self.max_delay())

    def before_receipt_check(self) -> float:
        """Wait as long as recent failures demand; Throttled past the hard limit."""
        failures = self.recent_failures()
        if failures >= self.max_failures():
            raise Throttled()
        delay = self.delay_for(failures)
        if delay > 0:
            self.sleep(delay)
        return delay

    def receipt_failed(self) -> None:
        with self._lock:
            self._window("receipt_failure").times.append(self.clock())

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()


guard = AbuseGuard()
