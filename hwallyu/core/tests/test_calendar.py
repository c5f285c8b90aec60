"""The working-time calendar, as DOMAIN.md defines it."""

import datetime as dt

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hwallyu.core.calendar import SEOUL, CalendarError, WorkCalendar, build_calendar

CAL = build_calendar()


def at(y, m, d, hh=0, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=SEOUL)


def test_worked_example_over_chuseok():
    # Received Fri 2024-09-13 10:00, 3 days = 24 working hours, Chuseok 16–18 Sep.
    due = CAL.deadline(at(2024, 9, 13, 10), 3)
    assert due == at(2024, 9, 23, 10)
    assert due.isoformat() == "2024-09-23T10:00:00+09:00"


def test_holidays_from_the_kr_calendar():
    assert not CAL.is_working_day(dt.date(2024, 4, 10))  # election day
    assert not CAL.is_working_day(dt.date(2024, 10, 1))  # temporary holiday (Armed Forces Day)
    assert not CAL.is_working_day(dt.date(2024, 9, 17))  # Chuseok
    assert CAL.is_working_day(dt.date(2024, 9, 19))


def test_due_on_block_end_stays_on_block_end():
    # 09:00 + 3 h ends at 12:00, not 13:00.
    assert CAL.add_working_hours(at(2024, 9, 2, 9), dt.timedelta(hours=3)) == at(2024, 9, 2, 12)
    # a whole day from the morning ends at 18:00 the same day
    assert CAL.deadline(at(2024, 9, 2, 9), 1) == at(2024, 9, 2, 18)


def test_lunch_is_not_working_time():
    assert CAL.add_working_hours(at(2024, 9, 2, 11), dt.timedelta(hours=2)) == at(2024, 9, 2, 14)
    assert CAL.add_working_hours(at(2024, 9, 2, 12, 30), dt.timedelta(hours=1)) == at(2024, 9, 2, 14)


def test_receipt_outside_hours_starts_next_block():
    # Saturday receipt: the clock starts Monday 09:00.
    assert CAL.deadline(at(2024, 9, 7, 15), 1) == at(2024, 9, 9, 18)
    # after 18:00: next working morning
    assert CAL.deadline(at(2024, 9, 2, 19), 1) == at(2024, 9, 3, 18)


def test_six_days_or_more_count_working_days_first_day_included():
    # Mon 2024-09-02 15:00 + 6 days: 2,3,4,5,6,9 → close of Mon the 9th.
    assert CAL.deadline(at(2024, 9, 2, 15), 6) == at(2024, 9, 9, 18)
    # 10 days from Fri 2024-09-13 (Chuseok 16–18): 13,19,20,23,24,25,26,27,30, Oct 2 (Oct 1 is a holiday)
    assert CAL.deadline(at(2024, 9, 13, 10), 10) == at(2024, 10, 2, 18)
    # received on a holiday: the first counted day is the next working day
    assert CAL.deadline(at(2024, 9, 16, 10), 6) == at(2024, 9, 26, 18)


def test_same_day_rule():
    assert CAL.same_day(at(2024, 9, 13, 10)) == at(2024, 9, 13, 18)
    assert CAL.same_day(at(2024, 9, 13, 18, 30)) == at(2024, 9, 19, 18)  # Fri evening before Chuseok
    assert CAL.same_day(at(2024, 9, 14, 9)) == at(2024, 9, 19, 18)  # Saturday
    assert CAL.same_day(at(2024, 9, 13, 18)) == at(2024, 9, 19, 18)  # at the close counts as after it


def test_city_closures_count_as_non_working():
    cal = build_calendar(closed_dates=[dt.date(2024, 9, 19)])
    assert cal.deadline(at(2024, 9, 13, 10), 3) == at(2024, 9, 24, 10)


def test_configurable_blocks():
    cal = build_calendar(blocks=[(dt.time(8, 0), dt.time(12, 0)), (dt.time(13, 0), dt.time(17, 0))])
    assert cal.deadline(at(2024, 9, 2, 8), 1) == at(2024, 9, 2, 17)


def test_naive_time_and_bad_period_are_refused():
    with pytest.raises(CalendarError):
        CAL.deadline(dt.datetime(2024, 9, 2, 9), 1)
    with pytest.raises(CalendarError):
        CAL.deadline(at(2024, 9, 2, 9), 0)
    with pytest.raises(CalendarError):
        WorkCalendar(blocks=((dt.time(13), dt.time(12)),))


def test_reminder_one_working_day_before():
    assert CAL.reminder_before(at(2024, 9, 19, 15)) == at(2024, 9, 13, 15)


moments = st.datetimes(min_value=dt.datetime(2023, 1, 1), max_value=dt.datetime(2026, 12, 31), timezones=st.just(SEOUL))
hours = st.integers(min_value=0, max_value=8 * 5 * 60).map(lambda m: dt.timedelta(minutes=m))


@settings(max_examples=300, deadline=None)
@given(start=moments, amount=hours)
def test_due_is_never_in_non_working_time(start, amount):
    due = CAL.add_working_hours(start, amount)
    assert CAL.is_working_time(due)


@settings(max_examples=300, deadline=None)
@given(start=moments, days=st.integers(min_value=1, max_value=40))
def test_day_based_due_is_a_close_of_a_working_day(start, days):
    due = CAL.deadline(start, days)
    assert CAL.is_working_time(due)
    assert due >= start


@settings(max_examples=300, deadline=None)
@given(start=moments, a=hours, b=hours)
@example(start=dt.datetime(2023, 1, 1, tzinfo=SEOUL), a=dt.timedelta(hours=40), b=dt.timedelta(0))  # ends at 18:00
def test_more_time_never_gives_an_earlier_due(start, a, b):
    small, large = sorted([a, b])
    assert CAL.add_working_hours(start, small) <= CAL.add_working_hours(start, large)


@settings(max_examples=300, deadline=None)
@given(start=moments, a=st.integers(1, 5), b=st.integers(1, 5))
def test_more_days_never_gives_an_earlier_due(start, a, b):
    small, large = sorted([a, b])
    assert CAL.deadline(start, small) <= CAL.deadline(start, large)


@settings(max_examples=300, deadline=None)
@given(start=moments, a=hours, b=hours)
@example(start=dt.datetime(2023, 1, 1, tzinfo=SEOUL), a=dt.timedelta(hours=40), b=dt.timedelta(0))  # ends at 18:00
def test_adding_a_plus_b_equals_a_then_b(start, a, b):
    assert CAL.add_working_hours(start, a + b) == CAL.add_working_hours(CAL.add_working_hours(start, a), b)
