"""``hwallyu bench_data --scale {tiny,small,large}``: fill an empty database with a benchmark city."""

from __future__ import annotations

import time

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from hwallyu.core.benchdata import SCALES, BenchContext
from hwallyu.core.registry import bench_modules


class Command(BaseCommand):
    help = "벤치마크용 대규모 도시 데이터를 빈 데이터베이스에 넣습니다 (같은 시드는 같은 데이터)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--quiet", action="store_true", help="진행 막대를 표시하지 않습니다.")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        call_command("migrate", interactive=False, verbosity=0)
        if apps.get_model("org", "Department").objects.exists():
            raise CommandError("벤치마크 데이터는 빈 데이터베이스에만 넣을 수 있습니다 (부서가 이미 있습니다).")
        ctx = BenchContext(scale=SCALES[options["scale"]], seed=options["seed"], quiet=options["quiet"])
        started = time.perf_counter()
        self.stdout.write(f"벤치마크 데이터 ({ctx.scale.name}, 시드 {ctx.seed}, {ctx.years[0]}–{ctx.years[-1]}년)")
        for module in bench_modules():
            t0 = time.perf_counter()
            with transaction.atomic():
                module.generate(ctx)
            self.stdout.write(f"  {module.name}: {time.perf_counter() - t0:.1f}초")
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            # Fresh statistics, so the planner sees the table sizes it will meet in use; on PostgreSQL also the
            # visibility map (VACUUM), without which index-only scans read the table anyway.
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        self.stdout.write(f"  통계 갱신: {time.perf_counter() - t0:.1f}초")
        self.stdout.write(self.style.SUCCESS(f"완료: {time.perf_counter() - started:.0f}초"))
