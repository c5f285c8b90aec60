"""Reminders before planned dates, counted in working days of the city's calendar (Chuseok 2024 skipped)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hwallyu.core.calendar import SEOUL, get_calendar
from hwallyu.initiatives import reminders, services
from hwallyu.initiatives.tasks import milestone_reminder_sweep
from hwallyu.initiatives.tests.factories import make_initiative
from hwallyu.notifications.models import Notification

pytestmark = pytest.mark.django_db
D = dt.date


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SEOUL)


def titles() -> list[tuple[str, str]]:
    return [(n.recipient.username, n.body.split("\n")[0]) for n in Notification.objects.order_by("id")]


def test_working_days_before_skip_chuseok_and_weekends(org):
    cal = get_calendar()
    assert reminders.working_days_before(cal, D(2024, 9, 23), 1) == D(2024, 9, 20)
    assert reminders.working_days_before(cal, D(2024, 9, 23), 3) == D(2024, 9, 13)  # 16–18 Sep: 추석
    assert reminders.working_days_before(cal, D(2024, 9, 23), 10) == D(2024, 9, 4)
    assert reminders.working_days_before(cal, D(2024, 9, 22), 0) == D(2024, 9, 20)  # a Sunday: the Friday


def test_reminders_before_on_the_day_and_once_when_late(org):
    initiative = make_initiative(org)
    stage = services.milestone_create(
        initiative=initiative,
        actor=org.planner,
        name="충남도 검토",
        deciding_body="충청남도",
        planned_on=D(2024, 9, 23),
    )
    schedule = [
        (at(D(2024, 9, 4), 8, 59), 0),  # before the working day starts
        (at(D(2024, 9, 4), 9, 0), 1),  # D-10 working days
        (at(D(2024, 9, 4), 15, 0), 0),  # never twice
        (at(D(2024, 9, 19), 10, 0), 0),
        (at(D(2024, 9, 20), 9, 30), 1),  # D-1 working day (the 23rd is a Monday)
        (at(D(2024, 9, 23), 9, 0), 1),  # the day itself
        (at(D(2024, 9, 24), 10, 0), 1),  # late, once
        (at(D(2024, 9, 25), 10, 0), 0),
    ]
    for moment, expected in schedule:
        with time_machine.travel(moment, tick=False):
            assert reminders.sweep() == expected, moment
    assert titles() == [
        ("planner", "계획일(2024-09-23)까지 10근무일 남았습니다."),
        ("planner", "계획일(2024-09-23)까지 1근무일 남았습니다."),
        ("planner", "오늘이 계획일(2024-09-23)입니다."),
        ("planner", "계획일(2024-09-23)이 지났으나 완료되지 않았습니다."),
    ]
    notice = Notification.objects.first()
    assert notice.title == "[2027 논산세계딸기산업엑스포] 충남도 검토"
    assert notice.url == f"/initiatives/{initiative.pk}/milestones/"
    assert stage.pk


def test_a_moved_date_gets_fresh_reminders_and_done_stages_none(org):
    initiative = make_initiative(org, reminder_days="1")
    stage = services.milestone_create(initiative=initiative, actor=org.planner, name="승인", planned_on=D(2025, 8, 29))
    done = services.milestone_create(
        initiative=initiative, actor=org.planner, name="기본계획", planned_on=D(2025, 8, 29)
    )
    with time_machine.travel(at(D(2024, 5, 29), 10), tick=False):
        services.milestone_complete(milestone=done, actual_on=D(2024, 5, 29), actor=org.planner)
    with time_machine.travel(at(D(2025, 8, 28), 10), tick=False):
        assert milestone_reminder_sweep.call() == 1
        services.milestone_update(milestone=stage, planned_on=D(2025, 9, 1), actor=org.planner)
        assert reminders.sweep() == 0  # D-1 of 1 September (a Monday) is 29 August
    with time_machine.travel(at(D(2025, 8, 29), 10), tick=False):
        assert reminders.sweep() == 1
    assert Notification.objects.count() == 2


def test_stale_lateness_and_paused_initiatives_stay_quiet(org):
    initiative = make_initiative(org)
    services.milestone_create(initiative=initiative, actor=org.planner, name="충남도 검토", planned_on=D(2024, 7, 31))
    with time_machine.travel(at(D(2024, 10, 7), 10), tick=False):
        assert reminders.sweep() == 0  # more than 30 days late: the page flags it, no more mail
    services.milestone_create(initiative=initiative, actor=org.planner, name="농식품부", planned_on=D(2024, 11, 29))
    services.initiative_update(initiative=initiative, actor=org.planner, status="on_hold")
    with time_machine.travel(at(D(2024, 11, 28), 10), tick=False):
        assert reminders.sweep() == 0


def test_without_team_members_the_planning_office_is_told(org):
    expo_team = org.planning.teams.create(name="엑스포 TF팀")
    initiative = make_initiative(org, team=expo_team)
    services.milestone_create(initiative=initiative, actor=org.planner, name="승인", planned_on=D(2025, 8, 29))
    with time_machine.travel(at(D(2025, 8, 28), 10), tick=False):
        assert reminders.sweep() == 1
    assert [n.recipient.username for n in Notification.objects.all()] == ["planner"]
