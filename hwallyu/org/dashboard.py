"""The organisation's figures on the home dashboard (planning office and admins)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from hwallyu.core.navigation import Card
from hwallyu.org import selectors


def visible(user: Any) -> bool:
    return selectors.is_office(user)


def cards(user: Any) -> Iterable[Card]:
    if not selectors.is_office(user):
        return []
    return [
        Card(
            "부서",
            selectors.departments(active_only=True).count(),
            url=reverse("org:departments"),
            note=selectors.department_summary(),
        ),
        Card("직원(사용 중)", selectors.active_people_count(), url=reverse("org:people")),
    ]
