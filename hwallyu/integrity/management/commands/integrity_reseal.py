"""`hwallyu integrity_reseal --user NAME`: give a handler every case through the office recovery key."""

import base64
import binascii
import getpass
import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from hwallyu.api.base import ServiceError
from hwallyu.integrity.models import HandlerKey
from hwallyu.integrity.services.keys import recovery_reseal


def parse_recovery_key(text: str) -> bytes:
    cleaned = "".join(text.split()).upper()
    try:
        raw = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except (binascii.Error, ValueError) as exc:
        raise CommandError("복구 개인키 형식이 올바르지 않습니다.") from exc
    if len(raw) != 32:
        raise CommandError("복구 개인키 형식이 올바르지 않습니다.")
    return raw


class Command(BaseCommand):
    help = "기관 복구 키로 모든 사건을 지정한 감사팀 직원의 담당자 키에 다시 봉인하고 담당자로 지정합니다."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--user", required=True, help="담당자 키를 만든 감사팀 직원의 아이디")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        user = get_user_model().objects.filter(username=options["user"]).first()
        key = HandlerKey.objects.filter(user=user).first() if user else None
        if key is None:
            raise CommandError("그 아이디의 담당자 키가 없습니다. 먼저 화면에서 담당자 키를 만들게 하세요.")
        text = getpass.getpass("기관 복구 개인키: ") if sys.stdin.isatty() else sys.stdin.readline()
        try:
            count = recovery_reseal(recovery_private_key=parse_recovery_key(text), handler_key=key)
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            self.style.SUCCESS(f"사건 {count}건을 {options['user']}의 키로 봉인하고 담당자로 지정했습니다.")
        )
