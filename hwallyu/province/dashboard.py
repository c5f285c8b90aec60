"""Home dashboard cards of the province evaluation (시군평가)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from hwallyu.core.navigation import Card
from hwallyu.org.selectors import role_of
from hwallyu.province import selectors
from hwallyu.province.policies import DEPARTMENT_ROLES, is_office


def dashboard_cards(user: Any) -> list[Card]:
    role = role_of(user)
    if role is None:
        return []
    evaluation_year = selectors.latest_year()
    if evaluation_year is None:
        return []
    month = selectors.default_month(evaluation_year)
    # The status of every indicator the user sees, as the status page computes it, without the
    # indicators' departments (the page lists them; the cards only count).
    indicators = selectors.indicators_for(user, evaluation_year).prefetch_related(None)
    rows = selectors.status_rows(evaluation_year, indicators, month=month)
    if not rows:
        return []
    quantitative = [r for r in rows if r.indicator.is_quantitative]
    lagging_count = sum(1 for r in quantitative if r.is_lagging)
    year = evaluation_year.year
    prefix = "우리 부서 " if role in DEPARTMENT_ROLES else ""
    cards = [
        Card(
            f"{prefix}부진지표 ({year}년 {month}월)",
            lagging_count,
            reverse("province:lagging", args=[year]) + f"?month={month}",
            note=f"정량 {len(quantitative)}개 중",
            tone="danger" if lagging_count else "success",
        )
    ]
    if is_office(user):
        pending = selectors.pending_actuals(evaluation_year).count()
        cards.append(
            Card("실적 검토 대기", pending, reverse("province:review", args=[year]), tone="warning" if pending else "")
        )
    elif role in DEPARTMENT_ROLES:
        missing = sum(1 for r in quantitative if r.actual_month != month)
        cards.append(
            Card(
                f"{month}월 실적 미입력",
                missing,
                reverse("province:entry", args=[year]) + f"?month={month}",
                tone="warning" if missing else "",
            )
        )
    return cards
