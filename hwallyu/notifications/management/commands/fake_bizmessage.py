"""``hwallyu fake_bizmessage``: run the local Bizmessage stand-in (AlimTalk v2.3 / SMS v3.0)."""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from hwallyu.notifications.channels.fake_provider import FakeBizMessageProvider


class Command(BaseCommand):
    help = "알림톡·문자 발송 서비스를 흉내 내는 로컬 HTTP 서버를 실행합니다(실패·지연·미전달 포함)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--port", type=int, default=8025)
        parser.add_argument("--fail-next", type=int, default=0, help="처음 N개 발송 요청에 HTTP 500으로 답합니다.")
        parser.add_argument("--delay", type=float, default=0.0, help="모든 응답을 이 초만큼 늦춥니다.")
        parser.add_argument("--settle", type=float, default=2.0, help="결과가 확정되기까지 걸리는 초.")
        parser.add_argument(
            "--webhook-url", default="", help="결과를 서명해 보낼 주소(예: …/api/v1/bizmessage/webhook)"
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        config = settings.HWALLYU_BIZMESSAGE
        fake = FakeBizMessageProvider(
            port=options["port"],
            app_key=config["APP_KEY"],
            secret_key=config["SECRET_KEY"],
            webhook_url=options["webhook_url"],
            webhook_secret=config["WEBHOOK_SECRET"],
        )
        fake.fail_next = options["fail_next"]
        fake.delay = options["delay"]
        fake.settle_seconds = options["settle"]
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *a: stop.set())
        signal.signal(signal.SIGINT, lambda *a: stop.set())
        fake.start()
        self.stdout.write(
            f"가짜 발송 서비스: {fake.base_url} (BIZMESSAGE_BACKEND=http BIZMESSAGE_BASE_URL={fake.base_url})\n"
            "번호 끝자리 7: 카카오톡 미사용자(문자 대체발송), 00: 전달 불가, 99: 잘못된 번호. 종료: Ctrl+C"
        )
        stop.wait()
        fake.stop()
