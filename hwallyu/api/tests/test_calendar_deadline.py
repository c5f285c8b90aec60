"""GET /api/v1/calendar/deadline: the working-time calendar over the API."""

import datetime as dt

import pytest

from hwallyu.core.models import CalendarSettings, Closure

URL = "/api/v1/calendar/deadline"


@pytest.fixture
def api(client, org):
    client.force_login(org.staff)
    return client


def test_worked_example_over_chuseok(api):
    response = api.get(URL, {"start": "2024-09-13T10:00:00+09:00", "days": 3})
    assert response.status_code == 200
    assert response.json() == {"due": "2024-09-23T10:00:00+09:00"}


def test_start_in_another_offset_is_converted(api):
    # 01:00 UTC is 10:00 in Seoul
    response = api.get(URL, {"start": "2024-09-13T01:00:00Z", "days": 3})
    assert response.json() == {"due": "2024-09-23T10:00:00+09:00"}


def test_six_days_or_more_count_working_days(api):
    response = api.get(URL, {"start": "2024-09-13T10:00:00+09:00", "days": 10})
    assert response.json() == {"due": "2024-10-02T18:00:00+09:00"}


def test_same_day_rule(api):
    assert api.get(URL, {"start": "2024-09-13T10:00:00+09:00", "rule": "same_day"}).json() == {
        "due": "2024-09-13T18:00:00+09:00"
    }
    # after the close on the Friday before Chuseok: the close of the next working day
    assert api.get(URL, {"start": "2024-09-13T18:30:00+09:00", "rule": "same_day"}).json() == {
        "due": "2024-09-19T18:00:00+09:00"
    }


def test_city_closures_count(api):
    Closure.objects.create(date=dt.date(2024, 9, 19), name="개청기념일")
    CalendarSettings.objects.filter(pk=CalendarSettings.load().pk).update(version=2)
    response = api.get(URL, {"start": "2024-09-13T10:00:00+09:00", "days": 3})
    assert response.json() == {"due": "2024-09-24T10:00:00+09:00"}


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"start": "어제", "days": 3}, "날짜·시각 형식"),
        ({"start": "2024-13-45T10:00:00+09:00", "days": 3}, "날짜·시각 형식"),
        ({"start": "2024-09-13T10:00:00", "days": 3}, "시간대"),
        ({"start": "2024-09-13T10:00:00+09:00", "days": 0}, "일수는 1 이상"),
        ({"start": "2024-09-13T10:00:00+09:00", "days": -2}, "일수는 1 이상"),
        ({"start": "2024-09-13T10:00:00+09:00", "days": "셋"}, "숫자가 아닙니다"),
        ({"start": "2024-09-13T10:00:00+09:00", "days": 3, "rule": "same_day"}, "하나만 지정하세요"),
        ({"start": "2024-09-13T10:00:00+09:00"}, "하나만 지정하세요"),
        ({"start": "2024-09-13T10:00:00+09:00", "rule": "next_week"}, "허용되지 않는 값"),
        ({"days": 3}, "시작 시각 값이 필요합니다"),
    ],
)
def test_bad_parameters_answer_422_in_korean(api, params, fragment):
    response = api.get(URL, params)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert fragment in detail
    assert any("\uac00" <= ch <= "\ud7a3" for ch in detail)  # Hangul


def test_unauthenticated_is_401(client, org):
    response = client.get(URL, {"start": "2024-09-13T10:00:00+09:00", "days": 3})
    assert response.status_code == 401
    assert "인증" in response.json()["detail"]
