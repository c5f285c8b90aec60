"""Reminders (D-1 working day, on the day) and the one-time overdue escalation."""

import datetime as dt

import pytest

from hwallyu.core.registry import periodic_jobs
from hwallyu.directives import services
from hwallyu.directives.models import Directive, DirectiveEvent, EventKind
from hwallyu.directives.reminders import reminder_stage, sweep
from hwallyu.directives.tasks import sweep_directive_reminders
from hwallyu.notifications.models import Notification, OutboxMessage

from .conftest import at, make_directive

pytestmark = pytest.mark.django_db


def notices(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


@pytest.fixture
def shared(org, clock):
    """Shared Fri 2024-09-13 10:00 → first report due Mon 2024-09-23 10:00 (Chuseok in between)."""
    clock(at(2024, 9, 13, 10))
    return make_directive(org, share_at=at(2024, 9, 13, 10))


def test_reminder_stages_follow_the_working_calendar():
    due = at(2024, 9, 23, 10)
    assert reminder_stage(due, at(2024, 9, 20, 9, 59)) is None
    assert reminder_stage(due, at(2024, 9, 20, 10)) == "d1"  # Fri before: one working day earlier
    assert reminder_stage(due, at(2024, 9, 22, 12)) == "d1"
    assert reminder_stage(due, at(2024, 9, 23, 9)) == "day"
    assert reminder_stage(due, at(2024, 9, 23, 10)) is None
    # D-1 of a due time right after Chuseok is the Friday before it
    assert reminder_stage(at(2024, 9, 19, 18), at(2024, 9, 13, 18)) == "d1"


def test_d1_then_on_the_day_then_one_escalation(org, shared):
    assert sweep(now=at(2024, 9, 20, 9)).reminders == 0
    assert sweep(now=at(2024, 9, 20, 10, 5)).reminders == 1
    assert sweep(now=at(2024, 9, 20, 16)).reminders == 0  # rerun: nothing new
    assert notices("directive.reminder.d1") == ["manager", "staff"]
    assert sweep(now=at(2024, 9, 23, 9, 0)).reminders == 1
    assert sweep(now=at(2024, 9, 23, 9, 30)).reminders == 0
    assert notices("directive.reminder.day") == ["manager", "staff"]

    first = sweep(now=at(2024, 9, 23, 10, 1))
    again = sweep(now=at(2024, 9, 23, 10, 6))
    assert (first.escalations, again.escalations) == (1, 0)
    # the department manager and the planning office, once each (staff are not escalated to)
    assert notices("directive.overdue") == ["manager", "planner"]
    assert OutboxMessage.objects.filter(subject__contains="[기한 경과]").count() == 2
    shared.refresh_from_db()
    assert shared.first_report_escalated_at == at(2024, 9, 23, 10, 1)
    kinds = list(DirectiveEvent.objects.filter(directive=shared).values_list("kind", flat=True))
    assert kinds.count(EventKind.REMINDED) == 2 and kinds.count(EventKind.ESCALATED) == 1


def test_the_periodic_task_is_registered_and_rerun_safe(org, shared, clock):
    assert "directives.reminders" in {job.name for job in periodic_jobs()}
    clock(at(2024, 9, 23, 11))
    first = sweep_directive_reminders.enqueue()
    second = sweep_directive_reminders.enqueue()
    assert first.return_value == {"reminders": 0, "escalations": 1}
    assert second.return_value == {"reminders": 0, "escalations": 0}
    assert notices("directive.overdue") == ["manager", "planner"]


def test_a_report_in_time_stops_the_escalation(org, shared):
    services.directive_report(directive=shared, actor=org.staff, kind="first", body="착수", at=at(2024, 9, 23, 9))
    assert sweep(now=at(2024, 9, 23, 11)).escalations == 0
    assert notices("directive.overdue") == []


def test_an_extension_gives_a_new_due_time_new_reminders_and_one_more_escalation(org, shared):
    sweep(now=at(2024, 9, 23, 10, 30))
    assert notices("directive.overdue") == ["manager", "planner"]
    extension = services.directive_extension_request(
        directive=shared, actor=org.manager, days=1, reason="자료 취합 중", at=at(2024, 9, 23, 11)
    )
    services.extension_approve(extension=extension, actor=org.planner, at=at(2024, 9, 23, 11, 30))
    shared.refresh_from_db()
    assert shared.first_report_due_at == at(2024, 9, 24, 10)
    assert shared.first_report_escalated_at is None
    assert sweep(now=at(2024, 9, 24, 9, 10)).reminders == 1
    assert sweep(now=at(2024, 9, 24, 10, 10)).escalations == 1
    assert notices("directive.overdue") == ["manager", "manager", "planner", "planner"]


def test_unshared_directive_is_escalated_to_the_planning_office(org, clock):
    clock(at(2024, 9, 13, 10))
    directive = make_directive(org)
    assert sweep(now=at(2024, 9, 13, 17)).escalations == 0
    assert sweep(now=at(2024, 9, 13, 18, 5)).escalations == 1
    assert notices("directive.overdue") == ["planner"]
    assert Directive.objects.get(pk=directive.pk).share_escalated_at is not None


def test_result_due_is_reminded_and_escalated_for_an_order_only(org, clock):
    clock(at(2024, 9, 2, 10))
    order = make_directive(
        org, given_at=at(2024, 9, 2, 9), share_at=at(2024, 9, 2, 10), result_due_on=dt.date(2024, 9, 12)
    )
    exhortation = make_directive(
        org,
        title="당부",
        kind="당부",
        given_at=at(2024, 9, 2, 9),
        share_at=at(2024, 9, 2, 10),
        result_due_on=dt.date(2024, 9, 12),
    )
    for directive in (order, exhortation):
        services.directive_report(
            directive=directive, actor=org.staff, kind="first", body="착수", at=at(2024, 9, 3, 10)
        )
    assert order.result_due_at is not None
    assert sweep(now=at(2024, 9, 11, 18, 30)).reminders == 1
    result = sweep(now=at(2024, 9, 13, 9))
    assert result.escalations == 1
    assert Notification.objects.filter(kind="directive.overdue", title__contains=order.number).count() == 2
    assert not Notification.objects.filter(title__contains=exhortation.number, kind="directive.overdue").exists()
