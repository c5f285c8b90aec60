"""Calendar services: closures and working hours write the audit trail, bump the version
and announce the change on commit."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hwallyu.core import services
from hwallyu.core.audit import verify_chain
from hwallyu.core.calendar import SEOUL, get_calendar
from hwallyu.core.models import AuditEvent, CalendarSettings, Closure
from hwallyu.core.signals import calendar_changed


@pytest.fixture
def received():
    calls = []

    def handler(sender, **kwargs):
        calls.append(kwargs)

    calendar_changed.connect(handler)
    yield calls
    calendar_changed.disconnect(handler)


def test_closure_add_is_audited_bumps_version_and_reloads_the_calendar(
    org, received, django_capture_on_commit_callbacks
):
    day = dt.date(2024, 9, 19)
    assert get_calendar().is_working_day(day)
    version = CalendarSettings.load().version
    with django_capture_on_commit_callbacks(execute=True):
        closure = services.closure_add(date=day, name="개청기념일", actor=org.planner)
    assert CalendarSettings.load().version == version + 1
    assert not get_calendar().is_working_day(day)
    # the worked example moves by one working day
    start = dt.datetime(2024, 9, 13, 10, tzinfo=SEOUL)
    assert get_calendar().deadline(start, 3) == dt.datetime(2024, 9, 24, 10, tzinfo=SEOUL)
    event = AuditEvent.objects.get(action="calendar.closure_add")
    assert event.actor_id == org.planner.pk
    assert event.target_id == str(closure.pk)
    assert event.after == {"date": "2024-09-19", "name": "개청기념일"}
    assert received == [{"signal": calendar_changed, "version": version + 1, "reason": "closure_add", "dates": [day]}]
    assert verify_chain().ok


def test_signal_waits_for_commit(org, received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.closure_add(date=dt.date(2024, 9, 19), name="개청기념일", actor=org.planner)
    assert received == []
    assert len(callbacks) == 1


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (dt.date(2024, 9, 14), "주말"),
        (dt.date(2024, 9, 17), "공휴일(추석)"),
        (dt.date(2024, 10, 1), "공휴일(국군의 날)"),
    ],
)
def test_closure_on_a_day_off_is_refused_politely(org, day, message):
    with pytest.raises(ValidationError) as excinfo:
        services.closure_add(date=day, name="휴무", actor=org.planner)
    assert message in " ".join(excinfo.value.messages)
    assert not Closure.objects.exists()
    assert not AuditEvent.objects.exists()


def test_duplicate_closure_is_refused(org):
    services.closure_add(date=dt.date(2024, 9, 19), name="개청기념일", actor=org.planner)
    with pytest.raises(ValidationError) as excinfo:
        services.closure_add(date=dt.date(2024, 9, 19), name="다른 사유", actor=org.admin)
    assert "이미 휴무일(개청기념일)로 등록" in " ".join(excinfo.value.messages)
    assert Closure.objects.count() == 1


def test_blank_reason_is_refused(org):
    with pytest.raises(ValidationError):
        services.closure_add(date=dt.date(2024, 9, 19), name="  ", actor=org.planner)


@pytest.mark.parametrize("who", ["staff", "manager", "executive", "auditor"])
def test_only_the_office_changes_the_calendar(org, who):
    user = getattr(org, who)
    with pytest.raises(PermissionDenied):
        services.closure_add(date=dt.date(2024, 9, 19), name="휴무", actor=user)
    closure = Closure.objects.create(date=dt.date(2024, 9, 20), name="휴무")
    with pytest.raises(PermissionDenied):
        services.closure_remove(closure=closure, actor=user)
    with pytest.raises(PermissionDenied):
        services.working_hours_update(
            morning_start=dt.time(8),
            morning_end=dt.time(12),
            afternoon_start=dt.time(13),
            afternoon_end=dt.time(17),
            actor=user,
        )


def test_closure_remove_keeps_what_was_removed_in_the_trail(org, received, django_capture_on_commit_callbacks):
    closure = services.closure_add(date=dt.date(2024, 9, 19), name="개청기념일", actor=org.planner)
    get_calendar()
    with django_capture_on_commit_callbacks(execute=True):
        services.closure_remove(closure=closure, actor=org.admin)
    assert not Closure.objects.exists()
    assert get_calendar().is_working_day(dt.date(2024, 9, 19))
    event = AuditEvent.objects.get(action="calendar.closure_remove")
    assert event.before == {"date": "2024-09-19", "name": "개청기념일"}
    assert event.target_type == "core.closure"
    assert received[-1]["reason"] == "closure_remove"


def test_working_hours_update(org, received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = services.working_hours_update(
            morning_start=dt.time(8),
            morning_end=dt.time(12),
            afternoon_start=dt.time(13),
            afternoon_end=dt.time(17),
            actor=org.planner,
        )
    assert row.version == 2
    calendar = get_calendar()
    assert calendar.deadline(dt.datetime(2024, 9, 2, 8, tzinfo=SEOUL), 1) == dt.datetime(2024, 9, 2, 17, tzinfo=SEOUL)
    event = AuditEvent.objects.get(action="calendar.working_hours_update")
    assert event.before == {"morning_start": "09:00:00", "afternoon_end": "18:00:00"}
    assert event.after == {"morning_start": "08:00:00", "afternoon_end": "17:00:00"}
    assert received[-1]["reason"] == "working_hours_update"


def test_working_hours_unchanged_writes_nothing(org):
    services.working_hours_update(
        morning_start=dt.time(9),
        morning_end=dt.time(12),
        afternoon_start=dt.time(13),
        afternoon_end=dt.time(18),
        actor=org.planner,
    )
    assert not AuditEvent.objects.exists()
    assert CalendarSettings.load().version == 1


def test_working_hours_out_of_order_are_refused(org):
    with pytest.raises(ValidationError):
        services.working_hours_update(
            morning_start=dt.time(12),
            morning_end=dt.time(9),
            afternoon_start=dt.time(13),
            afternoon_end=dt.time(18),
            actor=org.planner,
        )
    assert CalendarSettings.load().morning_start == dt.time(9)
