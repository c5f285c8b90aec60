"""`hwallyu integrity_setup`: make the office recovery key and print its private key once."""

import base64

from django.core.management.base import BaseCommand, CommandError

from hwallyu.api.base import ServiceError
from hwallyu.integrity.services.keys import office_key_create


class Command(BaseCommand):
    help = (
        "청렴 상담·신고의 기관 복구 키를 만듭니다. 개인키는 이 화면에 한 번만 출력되고 어디에도 저장되지 않습니다. "
        "출력된 개인키를 종이에 적거나 인쇄해 금고에 보관하세요."
    )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            office, private = office_key_create()
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        text = base64.b32encode(private).decode("ascii").rstrip("=")
        groups = " ".join(text[i : i + 4] for i in range(0, len(text), 4))
        self.stdout.write("")
        self.stdout.write(self.style.WARNING("기관 복구 개인키 (지금 한 번만 표시됩니다. 저장되지 않습니다)"))
        self.stdout.write("")
        self.stdout.write(f"    {groups}")
        self.stdout.write("")
        self.stdout.write(f"공개키 지문: {office.fingerprint}")
        self.stdout.write(
            "모든 담당자가 암호문구를 잃어도 이 개인키로 사건을 새 담당자에게 넘길 수 있습니다 "
            "(hwallyu integrity_reseal --user <아이디>). 화면과 터미널 기록을 지우세요."
        )
