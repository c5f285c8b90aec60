from django.core.management.base import BaseCommand
from django.db import transaction

from hwallyu.core.registry import demo_loaders


class Command(BaseCommand):
    help = "데모 도시(논산시)의 조직·계정·업무 데이터를 넣습니다. 여러 번 실행해도 중복되지 않습니다."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        for name, loader in demo_loaders():
            with transaction.atomic():
                loader()
            self.stdout.write(f"  데모 데이터: {name}")
        self.stdout.write(self.style.SUCCESS("데모 데이터를 넣었습니다."))
