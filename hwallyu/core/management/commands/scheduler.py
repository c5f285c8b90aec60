"""Enqueue the registered periodic jobs (sweeps, reminders) on their intervals.

The jobs are ordinary django-tasks tasks run by the worker; every job is safe to run twice
(compare-and-set), so a second scheduler or a restart never sends a notice twice.
"""

import signal
import time

from django.core.management.base import BaseCommand

from hwallyu.core.registry import periodic_jobs


class Command(BaseCommand):
    help = "주기 작업(기한 점검, 알림)을 작업 큐에 넣는 스케줄러를 실행합니다."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--once", action="store_true", help="모든 주기 작업을 한 번씩 넣고 끝냅니다.")
        parser.add_argument("--tick", type=float, default=5.0, help="확인 간격(초)")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        running = True

        def stop(signum, frame):  # type: ignore[no-untyped-def]
            nonlocal running
            running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        next_run: dict[str, float] = {}
        while running:
            now = time.monotonic()
            for job in periodic_jobs():
                if next_run.get(job.name, 0.0) <= now:
                    job.task.enqueue()
                    next_run[job.name] = now + job.every_seconds
            if options["once"]:
                self.stdout.write(f"{len(periodic_jobs())}개 주기 작업을 넣었습니다.")
                return
            time.sleep(options["tick"])
