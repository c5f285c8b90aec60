from django.core.management.base import BaseCommand, CommandError

from hwallyu.core.audit import verify_chain


class Command(BaseCommand):
    help = "감사 기록의 해시 체인을 처음부터 검증하고, 끊어진 첫 기록을 알려 줍니다."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        report = verify_chain()
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"감사 기록 {report.checked:,}건의 해시 체인이 온전합니다."))
            return
        raise CommandError(
            f"감사 기록 #{report.broken_id}에서 체인이 끊어졌습니다: {report.reason} (앞선 {report.checked:,}건은 정상)"
        )
