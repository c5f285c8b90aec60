"""1,000,000 working-time deadline computations (first-report deadline: 3 working days) on the city's
calendar (holidays.KR + closures), against a baseline loop doing plain calendar-day arithmetic on the same
start moments.

    .venv/bin/python bench/bench_calendar.py --count 1000000 [--json out.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import common


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    common.setup()
    from hwallyu.core.calendar import get_calendar

    seoul = ZoneInfo("Asia/Seoul")
    rng = random.Random(7)
    base = dt.datetime(2017, 1, 1, tzinfo=seoul)
    # Start moments spread over ten years, at any minute of the day (also nights and weekends).
    starts = [base + dt.timedelta(minutes=rng.randrange(0, 10 * 365 * 24 * 60)) for _ in range(args.count)]
    calendar = get_calendar()
    three = dt.timedelta(days=3)

    t0 = time.perf_counter()
    plain = [s + three for s in starts]
    baseline = time.perf_counter() - t0
    t0 = time.perf_counter()
    due = [calendar.deadline(s, 3) for s in starts]
    elapsed = time.perf_counter() - t0
    # A sanity check a reader can follow: Chuseok 2024 (Sep 16–18) and the weekend push a Friday start.
    check = calendar.deadline(dt.datetime(2024, 9, 13, 10, tzinfo=seoul), 3)
    common.emit(
        {
            "benchmark": "deadlines",
            "count": args.count,
            "seconds": round(elapsed, 3),
            "per_second": round(args.count / elapsed),
            "baseline_seconds": round(baseline, 3),
            "baseline": "같은 시작 시각에 달력일 3일을 더하는 반복(datetime + timedelta)",
            "ratio_to_baseline": round(elapsed / baseline, 2) if baseline else None,
            "later_than_plain": sum(1 for d, p in zip(due, plain, strict=True) if d > p),
            "check_2024_09_13": check.isoformat(),
        },
        args.json,
    )


if __name__ == "__main__":
    main()
