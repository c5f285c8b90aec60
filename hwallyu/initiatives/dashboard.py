"""Home dashboard cards of strategic initiatives."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from hwallyu.core.navigation import Card
from hwallyu.initiatives import selectors
from hwallyu.initiatives.policies import DEPARTMENT_ROLES, READ_ALL, initiatives
from hwallyu.org import selectors as org


def dashboard_visible(user: Any) -> bool:
    """Who may read initiatives at all (``initiatives.scope`` without the query): the office,
    the audit team and executives, and department users with a department."""
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        return False
    role = org.role_of(user)
    return role in READ_ALL or (role in DEPARTMENT_ROLES and org.department_of(user) is not None)


def dashboard_cards(user: Any) -> list[Card]:
    if not initiatives.scope(user).exists():
        return []
    counts = selectors.dashboard_counts(user)
    url = reverse("initiatives:portfolio")
    return [
        Card("추진 중 전략사업", counts["open"], url),
        Card(
            f"{selectors.UPCOMING_DAYS}일 내 일정",
            counts["due"],
            url,
            "추진 단계·행사",
            "warning" if counts["due"] else "",
        ),
        Card("지연 단계", counts["late"], url, "계획일이 지난 미완료 단계", "danger" if counts["late"] else "success"),
        Card("서명 협력 기관", counts["signed"], url, "참여의향서·업무협약·완료"),
    ]
