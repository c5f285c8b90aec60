"""Home dashboard cards of the review analysis."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from hwallyu.core.navigation import Card
from hwallyu.org import selectors as org
from hwallyu.reviews import selectors
from hwallyu.reviews.models import ReviewRound, RoundStatus, Submission, SubmissionStatus


def dashboard_visible(user: Any) -> bool:
    """The office and executives see the city's figures; a department user their own department's."""
    if org.role_of(user) is None:
        return False
    return org.is_office(user) or org.has_role(user, org.Role.EXECUTIVE) or org.department_of(user) is not None


def dashboard_cards(user: Any) -> list[Card]:
    role = org.role_of(user)
    if role is None:
        return []
    open_rounds = ReviewRound.objects.filter(status=RoundStatus.OPEN)
    if not open_rounds.exists():
        return []
    cards = []
    if org.is_office(user) or org.has_role(user, org.Role.EXECUTIVE):
        waiting = Submission.objects.filter(round__in=open_rounds, status=SubmissionStatus.APPROVED).count()
        pending = Submission.objects.filter(
            round__in=open_rounds, status__in=[SubmissionStatus.DRAFT, SubmissionStatus.RETURNED]
        ).count()
        cards.append(
            Card(
                "심사 대기", waiting, reverse("reviews:rounds"), "부서장 승인을 마친 실적", "warning" if waiting else ""
            )
        )
        cards.append(
            Card(
                "미제출 실적", pending, reverse("reviews:rounds"), "진행 중인 회차", "danger" if pending else "success"
            )
        )
        return cards
    department = org.department_of(user)
    if department is None:
        return []
    pending = selectors.pending_for_department(department.pk)
    cards.append(
        Card(
            "제출할 심사분석 실적",
            pending,
            reverse("reviews:rounds"),
            department.name,
            "danger" if pending else "success",
        )
    )
    if role == org.Role.MANAGER:
        approve = Submission.objects.filter(
            round__in=open_rounds, target__department=department, status=SubmissionStatus.SUBMITTED
        ).count()
        cards.append(
            Card("승인할 실적", approve, reverse("reviews:rounds"), "담당자가 제출", "warning" if approve else "")
        )
    return cards
