"""What the integrity module registers with the shell: menu, dashboard, demo data, periodic jobs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def dashboard_cards(user: Any) -> Iterable[Any]:
    from django.urls import reverse
    from django.utils import timezone

    from hwallyu.core.navigation import Card
    from hwallyu.integrity.models import Case, Step
    from hwallyu.integrity.policies import is_designated

    if not is_designated(user):
        return []
    open_cases = Case.objects.exclude(step=Step.CLOSED)
    overdue = open_cases.filter(due_at__lt=timezone.now()).count()
    url = reverse("integrity:case_list")
    return [
        Card("처리 중인 청렴 상담·신고", open_cases.count(), url, "단계별 기한 관리"),
        Card("기한 지난 단계", overdue, url, "기한이 지난 사건", "danger" if overdue else "success"),
    ]


def dashboard_visible(user: Any) -> bool:
    from hwallyu.integrity.policies import is_designated

    return is_designated(user)


def register() -> None:
    from hwallyu.core.navigation import NavItem, register_dashboard, register_section
    from hwallyu.core.registry import register_bench, register_demo, register_periodic
    from hwallyu.integrity import bench, demo, tasks
    from hwallyu.org.models import Role

    audit = frozenset({Role.AUDIT})
    handlers_view = frozenset({Role.AUDIT, Role.ADMIN})
    readers = frozenset({Role.AUDIT, Role.ADMIN, Role.PLANNING, Role.EXECUTIVE})
    register_section(
        "integrity",
        "청렴",
        40,
        [
            NavItem("청렴 상담·신고 사건", "integrity:case_list", roles=audit),
            NavItem("담당자 키", "integrity:key", roles=audit),
            NavItem("지정 담당자", "integrity:handlers", roles=handlers_view),
            NavItem("종합청렴도", "integrity:index", roles=readers),
            NavItem("청렴 시책", "integrity:measures", roles=readers),
            NavItem("청렴 기준 설정", "integrity:scheme", roles=handlers_view),
            NavItem("익명 상담·신고 창구", "integrity:public_home"),
        ],
    )
    register_dashboard("청렴", dashboard_cards, key="integrity", visible=dashboard_visible, order=40)
    register_demo("청렴", demo.load, order=40)
    register_bench("청렴", bench.generate, pages=bench.pages, order=50)
    register_periodic("integrity.retention", tasks.integrity_retention_sweep, every_seconds=6 * 3600)
    register_periodic("integrity.overdue", tasks.integrity_overdue_sweep, every_seconds=600)
