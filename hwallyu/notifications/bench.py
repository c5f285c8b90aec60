"""Benchmark data for notifications: a history of in-app notices per person, the newest few unread."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from hwallyu.core.benchdata import BenchContext, BenchPage
from hwallyu.notifications.models import Notification

TITLES = [
    ("directive.shared", "새 지시사항이 공유되었습니다", "/directives/"),
    ("directive.reminder", "지시사항 보고 기한이 다가옵니다", "/directives/inbox/"),
    ("review.opened", "심사분석 회차가 열렸습니다", "/reviews/"),
    ("performance.returned", "성과 실적이 보완 요청되었습니다", "/performance/mine/"),
]


def generate(ctx: BenchContext) -> None:
    from hwallyu.org.selectors import people

    user_ids = list(people().values_list("user_id", flat=True))
    per_user = ctx.scale.notifications_per_user

    def rows() -> Iterator[Notification]:
        for uid in user_ids:
            for k in range(per_user):
                kind, title, url = TITLES[(uid + k) % len(TITLES)]
                yield Notification(recipient_id=uid, kind=kind, title=title, url=url, read_at=None)

    ctx.bulk_create(Notification, rows(), desc="알림", total=len(user_ids) * per_user)
    # All but the three newest of each person are read.
    from django.db.models import Max
    from django.utils import timezone

    newest = Notification.objects.values("recipient_id").annotate(top=Max("id"))
    cut = {row["recipient_id"]: row["top"] - 3 for row in newest}
    now = timezone.now()
    for batch in ctx.batches(list(cut.items()), 500):
        from django.db.models import Q

        q = Q()
        for uid, top in batch:
            q |= Q(recipient_id=uid, id__lte=top)
        Notification.objects.filter(q).update(read_at=now)


def pages() -> list[BenchPage]:
    return [
        BenchPage("받은 알림", reverse("notifications:list"), role="staff"),
        BenchPage("알림 종(벨)", reverse("notifications:bell"), role="staff"),
    ]
