"""The calendar page (/calendar/): holidays, closures, working hours and the deadline calculator."""

import datetime as dt

import pytest
from django.urls import reverse

from hwallyu.core.models import AuditEvent, CalendarSettings, Closure
from hwallyu.core.navigation import sections_for

URL = "/calendar/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_url_names():
    assert reverse("core:calendar") == URL
    assert reverse("core:calendar_deadline") == "/calendar/deadline"


@pytest.mark.parametrize(
    ("who", "status", "can_manage"),
    [
        ("anonymous", 302, False),
        ("admin", 200, True),
        ("planner", 200, True),
        ("auditor", 200, False),
        ("manager", 200, False),
        ("staff", 200, False),
        ("executive", 200, False),
    ],
)
def test_everyone_signed_in_sees_the_calendar_only_the_office_edits(client, org, who, status, can_manage):
    user = org.users_by_role()[who]
    if user is not None:
        client.force_login(user)
    response = client.get(URL, {"year": 2024})
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "추석" in page and "국군의 날" in page and "국회의원 선거일" in page
        assert ("휴무일 추가" in page) is can_manage
        assert ("근무시간 저장" in page) is can_manage


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("staff", 403), ("manager", 403), ("executive", 403), ("auditor", 403)],
)
def test_others_cannot_post_changes(client, org, who, status):
    user = org.users_by_role()[who]
    if user is not None:
        client.force_login(user)
    closure = Closure.objects.create(date=dt.date(2024, 9, 20), name="휴무")
    assert client.post("/calendar/closures/add", {"date": "2024-09-19", "name": "x"}).status_code == status
    assert client.post(f"/calendar/closures/{closure.pk}/delete").status_code == status
    hours = {"morning_start": "08:00", "morning_end": "12:00", "afternoon_start": "13:00", "afternoon_end": "17:00"}
    assert client.post("/calendar/hours", hours).status_code == status
    assert Closure.objects.count() == 1
    assert CalendarSettings.load().morning_start == dt.time(9)


def test_planner_adds_a_closure(client, org):
    client.force_login(org.planner)
    response = client.post("/calendar/closures/add", {"date": "2024-09-19", "name": "시 개청기념일"}, follow=True)
    assert response.redirect_chain[-1][0] == "/calendar/?year=2024"
    page = response.content.decode()
    assert "2024-09-19 휴무일(시 개청기념일)을 추가했습니다." in page
    assert "시 개청기념일" in page
    assert Closure.objects.get().name == "시 개청기념일"
    assert AuditEvent.objects.filter(action="calendar.closure_add", actor=org.planner).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "2024-09-14", "name": "토요일"}, "주말이라 이미 근무일이 아닙니다"),
        ({"date": "2024-09-17", "name": "추석"}, "공휴일(추석)이라 이미 근무일이 아닙니다"),
        ({"date": "2024-09-19", "name": ""}, "휴무 사유를 입력해 주세요."),
        ({"date": "19/09/2024", "name": "x"}, "날짜 형식"),
        ({"date": "", "name": "x"}, "날짜를 입력해 주세요."),
    ],
)
def test_closure_form_errors_are_polite_and_korean(client, org, data, message):
    client.force_login(org.planner)
    response = client.post("/calendar/closures/add", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Closure.objects.exists()


def test_duplicate_closure_is_refused(client, org):
    Closure.objects.create(date=dt.date(2024, 9, 19), name="개청기념일")
    client.force_login(org.admin)
    response = client.post("/calendar/closures/add", {"date": "2024-09-19", "name": "다시"})
    assert response.status_code == 200
    assert "이미 휴무일(개청기념일)로 등록되어 있습니다." in response.content.decode()
    assert Closure.objects.count() == 1


def test_planner_deletes_a_closure(client, org):
    closure = Closure.objects.create(date=dt.date(2024, 9, 19), name="개청기념일")
    client.force_login(org.planner)
    response = client.post(f"/calendar/closures/{closure.pk}/delete", follow=True)
    assert "휴무일(개청기념일)을 삭제했습니다." in response.content.decode()
    assert not Closure.objects.exists()
    assert AuditEvent.objects.get(action="calendar.closure_remove").before["name"] == "개청기념일"
    assert client.post(f"/calendar/closures/{closure.pk}/delete").status_code == 404
    assert client.get(f"/calendar/closures/{closure.pk}/delete").status_code == 405


def test_planner_edits_working_hours(client, org):
    client.force_login(org.planner)
    hours = {"morning_start": "08:30", "morning_end": "12:00", "afternoon_start": "13:00", "afternoon_end": "17:30"}
    response = client.post("/calendar/hours", hours, follow=True)
    page = response.content.decode()
    assert "근무시간을 저장했습니다." in page
    assert "08:30–12:00, 13:00–17:30" in page
    row = CalendarSettings.load()
    assert (row.morning_start, row.afternoon_end, row.version) == (dt.time(8, 30), dt.time(17, 30), 2)


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        (
            {"morning_start": "12:00", "morning_end": "09:00", "afternoon_start": "13:00", "afternoon_end": "18:00"},
            "근무 시간대는 오전 시작 &lt; 오전 종료",
        ),
        (
            {"morning_start": "9시", "morning_end": "12:00", "afternoon_start": "13:00", "afternoon_end": "18:00"},
            "시각 형식",
        ),
        ({"morning_end": "12:00", "afternoon_start": "13:00", "afternoon_end": "18:00"}, "시각을 입력해 주세요."),
    ],
)
def test_bad_working_hours_are_refused(client, org, hours, message):
    client.force_login(org.planner)
    response = client.post("/calendar/hours", hours)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert CalendarSettings.load().version == 1


def test_calculator_worked_example_over_chuseok_with_htmx(client, org):
    client.force_login(org.staff)
    response = client.get("/calendar/deadline", {"start": "2024-09-13T10:00", "mode": "days", "days": "3"}, **HTMX)
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment  # only the result is swapped in
    assert '<time datetime="2024-09-23T10:00:00+09:00">2024-09-23(월) 10:00</time>' in fragment
    assert "추석 다음날" in fragment
    assert "3일 × 8시간 = 24시간" in fragment


def test_calculator_same_day_and_long_periods(client, org):
    client.force_login(org.executive)
    same_day = client.get("/calendar/deadline", {"start": "2024-09-13T18:30", "mode": "same_day"}, **HTMX)
    assert "2024-09-19(목) 18:00" in same_day.content.decode()
    ten_days = client.get("/calendar/deadline", {"start": "2024-09-13T10:00", "mode": "days", "days": "10"}, **HTMX)
    assert "2024-10-02(수) 18:00" in ten_days.content.decode()
    assert "국군의 날" in ten_days.content.decode()


def test_calculator_counts_city_closures(client, org):
    Closure.objects.create(date=dt.date(2024, 9, 19), name="개청기념일")
    CalendarSettings.objects.filter(pk=CalendarSettings.load().pk).update(version=5)
    client.force_login(org.staff)
    fragment = client.get("/calendar/deadline", {"start": "2024-09-13T10:00", "days": "3", "mode": "days"}, **HTMX)
    assert "2024-09-24(화) 10:00" in fragment.content.decode()
    assert "시 휴무일" in fragment.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "어제", "mode": "days", "days": "3"}, "일시 형식"),
        ({"start": "", "mode": "days", "days": "3"}, "접수 일시를 입력해 주세요."),
        ({"start": "2024-09-13T10:00", "mode": "days", "days": "0"}, "일수는 1 이상이어야 합니다."),
        ({"start": "2024-09-13T10:00", "mode": "days", "days": ""}, "일수를 입력하거나"),
        ({"start": "2024-09-13T10:00", "mode": "days", "days": "셋"}, "일수는 숫자로 입력해 주세요."),
        ({"start": "2024-09-13T10:00", "mode": "weekly", "days": "3"}, "처리 기간 방식을 골라 주세요."),
    ],
)
def test_calculator_bad_input_answers_in_korean(client, org, params, message):
    client.force_login(org.staff)
    response = client.get("/calendar/deadline", params, **HTMX)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'role="alert"' in response.content.decode()


def test_calculator_without_javascript_renders_on_the_page(client, org):
    client.force_login(org.staff)
    params = {"start": "2024-09-13T10:00", "mode": "days", "days": "3"}
    redirect = client.get("/calendar/deadline", params)
    assert redirect.status_code == 302
    assert redirect["Location"].startswith("/calendar/?start=")
    page = client.get(URL, params).content.decode()
    assert "<h1>업무일·휴무일</h1>" in page
    assert "2024-09-23(월) 10:00" in page
    assert 'value="2024-09-13T10:00"' in page


def test_bad_year_falls_back_to_this_year(client, org):
    client.force_login(org.staff)
    assert client.get(URL, {"year": "이천"}).status_code == 200
    assert client.get(URL, {"year": "99999"}).status_code == 200


def test_navigation_entries():
    def labels(role):
        return [i["label"] for s in sections_for(role) if s["key"] == "settings" for i in s["items"]]

    assert labels("planning") == ["업무일·휴무일", "감사 기록"]
    assert labels("admin") == ["업무일·휴무일", "감사 기록"]
    assert labels("staff") == ["업무일·휴무일"]
    assert labels("audit") == ["업무일·휴무일"]
