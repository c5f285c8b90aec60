"""`make run`: migrate, load the demo city on a new database, start web + worker + scheduler."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = "웹 서버와 작업 워커, 스케줄러를 함께 실행합니다 (개발·데모용)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--no-demo", action="store_true", help="새 데이터베이스에도 데모 데이터를 넣지 않습니다.")

    @staticmethod
    def _local_bizmessage_port() -> int | None:
        config = settings.HWALLYU_BIZMESSAGE
        if config.get("BACKEND") != "http":
            return None
        url = urlsplit(str(config.get("BASE_URL", "")))
        if url.hostname not in ("127.0.0.1", "localhost"):
            return None
        return url.port or 80

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        is_new = "org_department" not in connection.introspection.table_names()
        call_command("migrate", interactive=False, verbosity=0)
        if is_new and not options["no_demo"]:
            self.stdout.write("새 데이터베이스에 데모 도시를 넣습니다…")
            call_command("load_demo")
        host, port = options["host"], options["port"]
        exe = [sys.executable, "-m", "hwallyu"]
        env = {**os.environ}
        procs = [
            subprocess.Popen([*exe, "db_worker", "--queue-name", "*"], env=env),
            subprocess.Popen([*exe, "scheduler"], env=env),
            subprocess.Popen([*exe, "runserver", f"{host}:{port}", "--noreload"], env=env),
        ]
        fake_port = self._local_bizmessage_port()
        if fake_port is not None:
            # BIZMESSAGE_BACKEND=http with a loopback address: start the local stand-in provider,
            # which posts delivery results back to our signed webhook.
            webhook = f"http://{host}:{port}/api/v1/bizmessage/webhook"
            procs.append(
                subprocess.Popen([*exe, "fake_bizmessage", "--port", str(fake_port), "--webhook-url", webhook], env=env)
            )
            self.stdout.write(f"로컬 알림톡·문자 발송 시험 서버: 127.0.0.1:{fake_port}")
        self.stdout.write(
            self.style.SUCCESS(f"\n환류가 http://{host}:{port}/ 에서 실행 중입니다 (작업 워커·스케줄러 포함).")
        )
        if settings.DEMO_MODE:
            self.stdout.write(
                "데모 계정 (비밀번호 hwallyu-demo): admin, planner(기획감사실), auditor(감사팀), "
                "manager(부서장), staff(담당자), exec(간부 열람)\n종료: Ctrl+C\n"
            )

        def stop(signum, frame):  # type: ignore[no-untyped-def]
            for p in procs:
                if p.poll() is None:
                    p.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while all(p.poll() is None for p in procs):
                time.sleep(0.5)
        finally:
            stop(None, None)
            for p in procs:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
