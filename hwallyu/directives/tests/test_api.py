"""The API: happy paths (Korean labels, department codes, +09:00 times) and bad input."""

import io

import pytest
from openpyxl import load_workbook

from hwallyu.accounts.services import api_token_create
from hwallyu.directives.models import Directive, DirectiveReport, State

from .conftest import at, make_directive

pytestmark = pytest.mark.django_db
BASE = "/api/v1/directives"


@pytest.fixture
def api(client):
    class Api:
        def __init__(self):
            self.headers = {}

        def as_(self, user):
            _, raw = api_token_create(user=user, name="test")
            self.headers = {"Authorization": f"Bearer {raw}"}
            return self

        def get(self, path, params=None):
            return client.get(BASE + path, params or {}, headers=self.headers)

        def post(self, path, body=None):
            return client.post(
                BASE + path, body if body is not None else {}, content_type="application/json", headers=self.headers
            )

    return Api()


NEW = {
    "title": "추석 연휴 생활쓰레기 수거 대책",
    "content": "연휴 기간 수거 일정을 보고 바랍니다.",
    "given_at": "2024-09-13T09:00:00+09:00",
    "source": "간부회의",
    "given_by": "시장",
    "kind": "지시",
    "lead_department": "D001",
    "support_departments": ["D002"],
}


def test_create_share_report_close_happy_path(org, clock, api):
    clock(at(2024, 9, 13, 10))
    response = api.as_(org.planner).post("", NEW)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == "2024-0001" and body["state"] == "registered" and body["state_label"] == "등록"
    assert body["given_at"] == "2024-09-13T09:00:00+09:00"
    assert body["share_due_at"] == "2024-09-13T18:00:00+09:00"
    assert body["deadline_class"] == "단순·후속 보고" and body["report_days"] == 3
    assert body["lead_department"] == "D001" and body["support_departments"] == ["D002"]
    assert body["shared_at"] is None and body["overdue"] is False

    shared = api.post("/2024-0001/share")
    assert shared.status_code == 200
    data = shared.json()
    assert data["shared_at"] == "2024-09-13T10:00:00+09:00"
    assert data["first_report_due_at"] == "2024-09-23T10:00:00+09:00"
    assert data["first_reported_at"] is None and data["share_late"] is False

    clock(at(2024, 9, 19, 10))
    report = api.as_(org.staff).post("/2024-0001/reports", {"kind": "first", "body": "수거 계획 수립"})
    assert report.status_code == 201
    assert report.json()["first_reported_at"] == "2024-09-19T10:00:00+09:00"
    assert report.json()["state"] == "reported"
    assert api.post("/2024-0001/reports", {"kind": "result", "body": "완료"}).status_code == 201

    close = api.as_(org.manager).post("/2024-0001/close-request", {"final_state": "완료", "reason": ""})
    assert close.status_code == 201 and close.json()["final_state"] == "completed"
    approved = api.as_(org.planner).post("/2024-0001/close-approve")
    assert approved.status_code == 200
    assert approved.json()["state"] == "completed" and approved.json()["closed_at"] == "2024-09-19T10:00:00+09:00"
    detail = api.get("/2024-0001").json()
    assert [e["kind"] for e in detail["timeline"]] == [
        "registered",
        "shared",
        "reported",
        "reported",
        "close_requested",
        "close_approved",
    ]
    assert [r["kind"] for r in detail["reports"]] == ["first", "result"]


def test_deadline_class_by_name_and_codes_accepted(org, clock, api):
    clock(at(2024, 9, 13, 10))
    body = {**NEW, "deadline_class": "계획 수립", "kind": "exhortation", "source": "현장방문", "given_by": "부시장"}
    response = api.as_(org.planner).post("", body)
    assert response.status_code == 201
    assert response.json()["report_days"] == 10 and response.json()["kind_label"] == "당부"


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        ({"lead_department": "X999"}, "알 수 없는 부서 코드입니다: X999"),
        ({"support_departments": ["D002", "ZZZ"]}, "알 수 없는 부서 코드입니다: ZZZ"),
        ({"kind": "명령"}, "구분 '명령'은(는) 허용되지 않는 값입니다"),
        ({"source": "회식"}, "지시 출처 '회식'"),
        ({"deadline_class": "초특급"}, "기한 구분 '초특급'"),
        ({"given_at": "2024-09-13T09:00:00"}, "시간대"),
        ({"given_at": "어제"}, "날짜·시각 형식"),
    ],
)
def test_create_bad_input_is_422_in_korean_and_creates_nothing(org, clock, api, change, detail):
    clock(at(2024, 9, 13, 10))
    response = api.as_(org.planner).post("", {**NEW, **change})
    assert response.status_code == 422
    assert detail in response.json()["detail"]
    assert not Directive.objects.exists()


def test_double_share_is_409_and_share_at_imports_past_records(org, clock, api):
    clock(at(2024, 9, 13, 10))
    make_directive(org)
    make_directive(org, title="지난 기록", given_at=at(2024, 3, 4, 9))
    api.as_(org.planner)
    assert api.post("/2024-0001/share").status_code == 200
    again = api.post("/2024-0001/share")
    assert again.status_code == 409 and again.json()["detail"] == "이미 공유한 지시사항입니다."
    assert api.post("/2024-0002/share", {"at": "2099-01-01T10:00:00+09:00"}).status_code == 422
    past = api.post("/2024-0002/share", {"at": "2024-03-05T10:00:00+09:00"})
    assert past.status_code == 200
    assert past.json()["shared_at"] == "2024-03-05T10:00:00+09:00" and past.json()["share_late"] is True


def test_report_and_close_bad_input(org, clock, api):
    clock(at(2024, 9, 13, 11))
    directive = make_directive(org, share_at=at(2024, 9, 13, 10))
    api.as_(org.manager)
    assert api.post(f"/{directive.number}/reports", {"kind": "first", "body": ""}).status_code == 422
    bad_kind = api.post(f"/{directive.number}/reports", {"kind": "final", "body": "x"})
    assert bad_kind.status_code == 422 and "보고 종류" in bad_kind.json()["detail"]
    assert api.post(f"/{directive.number}/reports", {"kind": "우선보고", "body": "착수"}).status_code == 201
    no_reason = api.post(f"/{directive.number}/close-request", {"final_state": "추진불가"})
    assert no_reason.status_code == 422 and "사유" in no_reason.json()["detail"]
    assert (
        api.post(f"/{directive.number}/close-request", {"final_state": "추진불가", "reason": "예산"}).status_code == 201
    )
    twice = api.post(f"/{directive.number}/close-request", {"final_state": "추진불가", "reason": "예산"})
    assert twice.status_code == 409
    planner = api.as_(org.planner)
    assert planner.post(f"/{directive.number}/close-return", {"comment": ""}).status_code == 422
    assert planner.post(f"/{directive.number}/close-approve", {"comment": "승인"}).status_code == 200
    closed = api.as_(org.staff).post(f"/{directive.number}/reports", {"kind": "progress", "body": "추가"})
    assert closed.status_code == 409 and "종결" in closed.json()["detail"]
    assert DirectiveReport.objects.count() == 1
    assert Directive.objects.get().state == State.INFEASIBLE


def test_extensions(org, clock, api):
    clock(at(2024, 9, 13, 11))
    directive = make_directive(org, share_at=at(2024, 9, 13, 10))
    created = api.as_(org.manager).post(f"/{directive.number}/extensions", {"days": 2, "reason": "현장 점검"})
    assert created.status_code == 201 and created.json()["status"] == "pending"
    assert created.json()["old_due_at"] == "2024-09-23T10:00:00+09:00"
    assert api.post(f"/{directive.number}/extensions", {"days": 0, "reason": "x"}).status_code == 422
    denied = api.post(f"/{directive.number}/extensions/{created.json()['id']}/approve")
    assert denied.status_code == 403
    approved = api.as_(org.planner).post(f"/{directive.number}/extensions/{created.json()['id']}/approve")
    assert approved.status_code == 200 and approved.json()["new_due_at"] == "2024-09-25T10:00:00+09:00"
    assert api.get(f"/{directive.number}").json()["first_report_due_at"] == "2024-09-25T10:00:00+09:00"


def test_list_filters_pagination_and_scope(org, clock, api):
    clock(at(2024, 9, 23, 11))
    for n in range(3):
        make_directive(org, title=f"미래 {n}", share_at=at(2024, 9, 13, 10))
    make_directive(org, title="강경", lead=org.other_dept, share_at=at(2024, 9, 13, 10))
    make_directive(org, title="봄", given_at=at(2024, 3, 4, 9))
    api.as_(org.planner)
    page = api.get("", {"year": 2024, "page_size": 2})
    assert page.status_code == 200
    assert (page.json()["count"], page.json()["pages"], len(page.json()["items"])) == (5, 3, 2)
    assert api.get("", {"quarter": 1}).json()["count"] == 1
    assert api.get("", {"department": "D002"}).json()["count"] == 1
    assert api.get("", {"state": "공유"}).json()["count"] == 4
    assert api.get("", {"state": "등록"}).json()["count"] == 1
    assert api.get("", {"overdue": True}).json()["count"] == 5
    assert api.get("", {"q": "강경"}).json()["items"][0]["lead_department"] == "D002"
    assert api.get("", {"department": "NOPE"}).status_code == 422
    assert api.get("", {"quarter": 5}).status_code == 422
    assert api.get("", {"state": "끝남"}).status_code == 422
    mine = api.as_(org.other_staff).get("")
    assert [i["title"] for i in mine.json()["items"]] == ["강경"]
    assert api.get("/2024-0001").status_code == 404


def test_roles_and_authentication(org, clock, api, client):
    clock(at(2024, 9, 13, 11))
    directive = make_directive(org, share_at=at(2024, 9, 13, 10))
    assert client.get(BASE).status_code == 401
    executive = api.as_(org.executive)
    assert executive.get(f"/{directive.number}").status_code == 200
    assert executive.post("", NEW).status_code == 403
    assert executive.post(f"/{directive.number}/reports", {"kind": "first", "body": "x"}).status_code == 403
    assert api.as_(org.auditor).post(f"/{directive.number}/close-approve").status_code == 403
    assert api.as_(org.staff).post("", NEW).status_code == 403


def test_review_endpoints(org, clock, api):
    clock(at(2024, 10, 7, 10))
    directive = make_directive(org, share_at=at(2024, 9, 13, 10))
    api.as_(org.executive)
    figures = api.get("/reviews/2024/3")
    assert figures.status_code == 200
    assert figures.json()["total"]["total"] == 1 and figures.json()["frozen"] is False
    assert figures.json()["open_items"][0]["number"] == directive.number
    xlsx = api.get("/reviews/2024/3/report.xlsx")
    assert xlsx.status_code == 200
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws["A1"].value == "2024년 3분기 지시사항 추진상황 총괄보고"
    assert api.get("/reviews/2024/3/report.hwpx").content[:2] == b"PK"
    assert api.get("/reviews/2024/5").status_code == 422
    assert api.post("/reviews/2024/3/approve").status_code == 403
    approved = api.as_(org.planner).post("/reviews/2024/3/approve", {"note": "확정"})
    assert approved.status_code == 200 and approved.json()["frozen"] is True
    assert api.as_(org.manager).get("/reviews/2024/3").status_code == 403


def test_list_query_count_does_not_grow_with_rows(org, clock, api, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clock(at(2024, 9, 23, 11))
    make_directive(org, share_at=at(2024, 9, 13, 10), supports=[org.other_dept])
    api.as_(org.planner)
    api.get("", {"year": 2024})
    with CaptureQueriesContext(connection) as one:
        assert api.get("", {"year": 2024, "overdue": True}).json()["count"] == 1
    for n in range(49):
        make_directive(org, title=f"추가 {n}", share_at=at(2024, 9, 13, 10), supports=[org.other_dept])
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = api.get("", {"year": 2024, "overdue": True}).json()
    assert body["count"] == 50 and len(body["items"]) == 50
    assert all(item["support_departments"] == ["D002"] for item in body["items"])
