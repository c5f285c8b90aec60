"""Incentives: contacts apart from answers, draw or first-N, payouts against the budget, deletion."""

from __future__ import annotations

import random

import pytest
import time_machine

from hwallyu.api.base import ServiceError
from hwallyu.notifications.channels import outbox
from hwallyu.surveys import services
from hwallyu.surveys.models import Answer, IncentiveEntry, IncentivePayout, Invitation
from hwallyu.surveys.tests.conftest import aware

pytestmark = pytest.mark.django_db
MONDAY_10 = aware(2024, 3, 11, 10, 0)


@pytest.fixture
def entries(imported, org, console_provider):
    services.invitations_send(survey=imported, actor=org.auditor, now=MONDAY_10)
    outbox.deliver_due(now=MONDAY_10)
    scale = {q.id: 4 for q in imported.questions.filter(kind="scale5")}
    with time_machine.travel(aware(2024, 3, 12, 11), tick=False):
        for n, inv in enumerate(Invitation.objects.order_by("id")[:6]):
            services.answer_submit(token=inv.token, values=scale, texts={}, incentive_contact=f"010-7000-{n:04d}")
    return imported


def test_budget_refuses_to_overspend(entries, org) -> None:
    services.survey_update(
        survey=entries,
        data={
            "incentive_budget": 25_000,
            "incentive_amount": 10_000,
            "incentive_winners": 6,
            "incentive_rule": "first_n",
        },
        actor=org.auditor,
    )
    assert services.incentives_select(survey=entries, actor=org.auditor) == 2  # the budget allows two
    # the committee raises the per-person amount after the selection: the third payout must be refused
    services.survey_update(survey=entries, data={"incentive_winners": 6}, actor=org.auditor)
    IncentiveEntry.objects.filter(survey=entries, status="entered").update(status="won")
    paid, refusal = services.incentives_pay_all(survey=entries, actor=org.auditor)
    assert paid == 2
    assert "예산을 초과" in refusal and "남은 예산은 5,000원" in refusal
    assert sum(IncentivePayout.objects.values_list("amount", flat=True)) == 20_000
    third = IncentiveEntry.objects.filter(status="won").first()
    with pytest.raises(ServiceError):
        services.incentive_pay(survey=entries, entry=third, actor=org.auditor)
    assert IncentivePayout.objects.count() == 2


def test_first_n_and_draw(entries, org) -> None:
    services.survey_update(
        survey=entries, data={"incentive_winners": 3, "incentive_rule": "first_n"}, actor=org.auditor
    )
    services.incentives_select(survey=entries, actor=org.auditor)
    first = list(IncentiveEntry.objects.order_by("id").values_list("status", flat=True))
    assert first == ["won"] * 3 + ["entered"] * 3
    with pytest.raises(ServiceError):
        services.incentives_select(survey=entries, actor=org.auditor)  # three chosen already
    IncentiveEntry.objects.update(status="entered")
    services.survey_update(survey=entries, data={"incentive_rule": "draw"}, actor=org.auditor)
    services.incentives_select(survey=entries, actor=org.auditor, rng=random.Random(3))
    assert IncentiveEntry.objects.filter(status="won").count() == 3


def test_contacts_are_deleted_after_payout_and_never_linked_to_answers(entries, org) -> None:
    assert IncentiveEntry.objects.count() == 6
    assert not any(f.related_model is Answer for f in IncentiveEntry._meta.get_fields() if f.is_relation)
    services.survey_update(survey=entries, data={"incentive_winners": 2}, actor=org.auditor)
    services.incentives_select(survey=entries, actor=org.auditor)
    paid, _ = services.incentives_pay_all(survey=entries, actor=org.auditor)
    assert paid == 2
    assert not IncentiveEntry.objects.filter(status="paid").exclude(contact="").exists()
    assert IncentiveEntry.objects.exclude(contact="").count() == 4
    assert services.incentives_purge(survey=entries, actor=org.auditor) == 4
    assert not IncentiveEntry.objects.exclude(contact="").exists()
    assert IncentivePayout.objects.filter(entry_code__in=IncentiveEntry.objects.values("code")).count() == 2


def test_one_entry_per_contact(entries) -> None:
    assert IncentiveEntry.objects.values("contact_hash").distinct().count() == 6


def test_staff_may_not_pay(entries, org) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.incentives_select(survey=entries, actor=org.staff)
