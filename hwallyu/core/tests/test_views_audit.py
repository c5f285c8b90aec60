"""The audit-trail page (/audit/) and its XLSX download."""

import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from hwallyu.core.audit import log_action
from hwallyu.core.calendar import SEOUL

URL = "/audit/"


def _log(org, *, actor=None, action="directive.update", target=None, department=None, before=None, after=None):
    return log_action(
        actor=actor or org.planner,
        action=action,
        target=target or org.dept,
        department=department or org.dept,
        before=before if before is not None else {"title": "이전 제목"},
        after=after if after is not None else {"title": "새 제목"},
    )


def test_url_names():
    assert reverse("core:audit") == URL
    assert reverse("core:audit_export") == "/audit/export.xlsx"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("admin", 200),
        ("planner", 200),
        ("auditor", 403),
        ("manager", 403),
        ("staff", 403),
        ("executive", 403),
        ("other_manager", 403),
    ],
)
@pytest.mark.parametrize("url", [URL, "/audit/export.xlsx"])
def test_only_planning_office_and_admins_see_the_trail(client, org, who, status, url):
    user = org.users_by_role()[who]
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == status
    if status == 403:
        assert "권한이 없습니다" in response.content.decode()


def test_rows_show_time_actor_action_target_department_and_diff(client, org):
    _log(org, before={"title": "첫 제목", "state": "등록"}, after={"title": "바뀐 제목", "state": "공유"})
    client.force_login(org.planner)
    page = client.get(URL).content.decode()
    assert "planner (planner)" in page
    assert "directive.update" in page
    assert "미래전략과" in page
    assert "org.department" in page
    for text in ("첫 제목", "바뀐 제목", "등록", "공유", '<th scope="row"><code>title</code></th>'):
        assert text in page


def test_filter_by_person_department_object_action_and_dates(client, org):
    with time_machine.travel(dt.datetime(2024, 9, 2, 10, tzinfo=SEOUL)):
        old = _log(
            org, actor=org.admin, action="org.department_update", target=org.other_dept, department=org.other_dept
        )
    with time_machine.travel(dt.datetime(2024, 9, 13, 10, tzinfo=SEOUL)):
        new = _log(org)
    client.force_login(org.admin)

    def ids(**params):
        response = client.get(URL, params)
        assert response.status_code == 200
        return {e.pk for e in response.context["page"].object_list}

    assert ids() == {old.pk, new.pk}
    assert ids(person="admin") == {old.pk}
    assert ids(person="planner") == {new.pk}
    assert ids(department=org.other_dept.pk) == {old.pk}
    assert ids(target_type="org.department", target_id=str(org.dept.pk)) == {new.pk}
    assert ids(action="org.department_update") == {old.pk}
    assert ids(date_from="2024-09-10") == {new.pk}
    assert ids(date_to="2024-09-02") == {old.pk}
    assert ids(date_from="2024-09-01", date_to="2024-09-30") == {old.pk, new.pk}


def test_bad_filter_answers_in_korean_and_shows_no_rows(client, org):
    _log(org)
    client.force_login(org.planner)
    response = client.get(URL, {"date_from": "2024-09-30", "date_to": "2024-09-01", "department": "abc"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "종료일은 시작일과 같거나 뒤여야 합니다." in page
    assert "목록에 있는 값을 골라 주세요." in page
    assert list(response.context["page"].object_list) == []
    response = client.get(URL, {"date_from": "어제"})
    assert "날짜 형식" in response.content.decode()


def test_pages_of_thirty(client, org):
    for i in range(35):
        _log(org, after={"title": f"제목 {i}"})
    client.force_login(org.planner)
    first = client.get(URL)
    assert len(first.context["page"].object_list) == 30
    assert "총 35건" in first.content.decode()
    assert first.context["page"].paginator.num_pages == 2
    second = client.get(URL, {"page": 2, "action": "directive.update"})
    assert len(second.context["page"].object_list) == 5
    assert "action=directive.update&amp;page=1" in second.content.decode()


def test_a_long_trail_pages_only_its_newest_rows_and_says_so(client, org, monkeypatch):
    from hwallyu.core import views

    monkeypatch.setattr(views, "AUDIT_PAGED_ROWS", 40)
    for i in range(45):
        _log(org, after={"title": f"제목 {i}"})
    client.force_login(org.planner)
    response = client.get(URL)
    page = response.context["page"]
    assert page.paginator.capped and page.paginator.count == 40 and page.paginator.num_pages == 2
    body = response.content.decode()
    assert "총 40건 초과" in body
    assert "최근 40건까지만 쪽을 넘겨 볼 수 있습니다" in body
    last = client.get(URL, {"page": 2}).context["page"]
    assert len(last.object_list) == 10
    narrowed = client.get(URL, {"action": "org.department_update"})
    assert not narrowed.context["page"].paginator.capped
    assert "쪽을 넘겨 볼 수 있습니다" not in narrowed.content.decode()


def test_filter_offers_each_action_and_target_type_once(org):
    from hwallyu.core.selectors import audit_choices

    assert audit_choices().actions == []
    _log(org, action="org.department_update")
    _log(org, action="directive.update")
    _log(org, action="directive.update", target=org.other_dept)
    log_action(actor=org.planner, action="account.login")  # no target
    choices = audit_choices()
    assert choices.actions == ["account.login", "directive.update", "org.department_update"]
    assert choices.target_types == ["org.department"]


def test_query_count_does_not_grow_with_rows(client, org, django_assert_num_queries):
    _log(org)
    client.force_login(org.planner)
    client.get(URL)  # warm caches (security policy, calendar)
    with CaptureQueriesContext(connection) as one_row:
        assert client.get(URL).status_code == 200
    for i in range(49):
        _log(org, after={"title": f"제목 {i}", "state": "공유"})
    with django_assert_num_queries(len(one_row.captured_queries)):
        response = client.get(URL)
    assert len(response.context["page"].object_list) == 30


def test_xlsx_download_of_the_filtered_trail(client, org):
    _log(org, actor=org.admin, action="org.department_update", after={"name": "강경읍"})
    _log(org, after={"title": "다운로드 제목"})
    client.force_login(org.planner)
    response = client.get("/audit/export.xlsx", {"person": "planner"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "filename*=UTF-8''%EA%B0%90%EC%82%AC%EA%B8%B0%EB%A1%9D_" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert ws["A1"].value == "감사 기록"
    assert "변경 내용" in values and "변경 전" in values and "변경 후" in values
    assert "title: 다운로드 제목" in values
    assert "org.department_update" not in values  # filtered out
    assert "1건" in values
    assert any("수행자 planner" in str(v) for v in values)


def test_xlsx_download_with_a_bad_filter_shows_the_form(client, org):
    client.force_login(org.planner)
    response = client.get("/audit/export.xlsx", {"date_from": "2024-13-01"})
    assert response.status_code == 200
    assert "날짜 형식" in response.content.decode()
