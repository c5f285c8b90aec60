"""Home dashboard cards of pledges."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from hwallyu.core.navigation import Card
from hwallyu.org import selectors as org
from hwallyu.pledges import selectors
from hwallyu.pledges.models import Pledge


def dashboard_cards(user: Any) -> list[Card]:
    if org.role_of(user) is None or not Pledge.objects.exists():
        return []
    report = selectors.completion()
    rate = report.overall.rate
    cards = [
        Card(
            "공약 이행률",
            f"{rate}%" if rate is not None else "-",
            reverse("pledges:stats"),
            f"{report.overall.complete} / {report.overall.total}건 ("
            + "·".join(s.label for s in report.states if s.counts_as_complete)
            + ")",
        )
    ]
    department = None if org.is_office(user) or org.has_role(user, org.Role.EXECUTIVE) else org.department_of(user)
    if department is not None:
        mine = selectors.completion(Pledge.objects.filter(department=department))
        if mine.overall.total:
            cards.append(
                Card(
                    f"{department.name} 공약",
                    mine.overall.total,
                    reverse("pledges:list") + f"?department={department.pk}",
                    f"이행률 {mine.overall.rate}%",
                )
            )
    return cards
