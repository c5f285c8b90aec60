"""The reminder sweep: before each deadline, once per stage, to the departments that still owe."""

import pytest

from hwallyu.core.calendar import get_calendar
from hwallyu.notifications.models import Notification
from hwallyu.province.reminders import remind_at, stage_for, sweep

from .conftest import at, enter, make_indicator, make_year

pytestmark = pytest.mark.django_db

# May's actuals are due on the 5th working day of June 2024: 3, 4, 5, (6 현충일), 7, 10 → June 10 18:00.
MAY_DUE = at(2024, 6, 10, 18)


def test_reminder_points_count_working_days_back(org):
    calendar = get_calendar()
    assert remind_at(MAY_DUE, 3, calendar) == at(2024, 6, 4, 18)  # 7, 5, 4 (the 6th is a holiday)
    assert remind_at(MAY_DUE, 1, calendar) == at(2024, 6, 7, 18)
    assert remind_at(MAY_DUE, 0, calendar) == at(2024, 6, 10, 9)
    assert stage_for(MAY_DUE, at(2024, 6, 4, 17), [3, 1, 0], calendar) is None
    assert stage_for(MAY_DUE, at(2024, 6, 5, 10), [3, 1, 0], calendar) == 3
    assert stage_for(MAY_DUE, at(2024, 6, 10, 9), [3, 1, 0], calendar) == 0
    assert stage_for(MAY_DUE, MAY_DUE, [3, 1, 0], calendar) is None


def _titles(user):
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("title", flat=True))


def test_sweep_reminds_once_per_stage_then_stops_when_entered(org, clock):
    year = make_year(org)
    mine = make_indicator(org, year, code="B-01")
    theirs = make_indicator(org, year, code="C-01", owners=[org.other_dept])
    clock(at(2024, 6, 5, 10))
    first = sweep()
    assert first.reminders == 2  # 미래전략과 and 강경읍
    again = sweep()
    assert again.reminders == 0
    assert _titles(org.staff) == ["[시군평가 기한 3근무일 전] 2024년 5월 누계 실적 입력"]
    notice = Notification.objects.get(recipient=org.manager)
    assert "B-01" in notice.body and "2024-06-10 18:00" in notice.body
    assert notice.url == "/province/2024/entry/?month=5"

    enter(org, mine, 5, 100)
    clock(at(2024, 6, 7, 18, 30))
    assert sweep().reminders == 1  # only 강경읍 still owes
    assert _titles(org.other_staff)[-1] == "[시군평가 기한 1근무일 전] 2024년 5월 누계 실적 입력"
    assert len(_titles(org.staff)) == 1

    clock(at(2024, 6, 11, 10))
    late = sweep()
    assert late.overdue == 1
    office = _titles(org.planner)
    assert office == ["[시군평가 기한 경과] 2024년 5월 누계 실적 입력 미제출 1개 부서"]
    assert "강경읍 1개" in Notification.objects.get(recipient=org.planner).body
    assert sweep().overdue == 0 and len(_titles(org.planner)) == 1
    assert theirs.pk


def test_no_reminders_for_months_before_actuals_start(org, clock):
    year = make_year(org)
    make_indicator(org, year)
    clock(at(2024, 5, 7, 10))  # April's actuals would be due early May, but actuals start in May
    assert sweep().reminders == 0


def test_qualitative_deadline_reminds_owners_of_unsubmitted_indicators(org, clock):
    year = make_year(org)
    make_indicator(org, year, code="Q-01", kind="qualitative")
    clock(at(2024, 10, 31, 9, 30))
    result = sweep()
    assert result.reminders >= 1
    assert "[시군평가 기한 오늘] 2024년 정성 실적 제출" in _titles(org.staff)
