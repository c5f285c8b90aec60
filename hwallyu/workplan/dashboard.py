"""Home dashboard cards of the work plan."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from hwallyu.core.navigation import Card
from hwallyu.org import selectors as org
from hwallyu.workplan import selectors


def dashboard_cards(user: Any) -> list[Card]:
    plan = selectors.current_plan()
    if plan is None or org.role_of(user) is None:
        return []
    office_wide = org.is_office(user) or org.has_role(user, org.Role.EXECUTIVE)
    department = None if office_wide else org.department_of(user)
    counts = selectors.dashboard_counts(
        plan, department_id=department.pk if department else None, violations=office_wide
    )
    scope = "전체" if department is None else department.name
    cards = [
        Card(f"{plan.year}년 사업", counts["projects"], reverse("workplan:projects", args=[plan.year]), scope),
        Card(
            "일정 지연 사업",
            counts["behind"],
            reverse("workplan:schedule", args=[plan.year]) + (f"?department={department.pk}" if department else ""),
            "계획 월이 지났으나 추진률 미달",
            "warning" if counts["behind"] else "success",
        ),
    ]
    if office_wide:
        cards.append(
            Card(
                "사업비 조서 규칙 위반",
                counts["violations"],
                reverse("workplan:budget", args=[plan.year]),
                "계 ≠ 재원 합계, 총사업비 부족",
                "danger" if counts["violations"] else "success",
            )
        )
    return cards
