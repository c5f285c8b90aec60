"""The API: CRUD for years, indicators and actuals; status; what-if; bad input answered in Korean."""

import pytest

from hwallyu.accounts.services import api_token_create
from hwallyu.province import services
from hwallyu.province.importers import PeerRow
from hwallyu.province.models import Actual, EvaluationYear, Indicator

from .conftest import enter, make_indicator

pytestmark = pytest.mark.django_db
BASE = "/api/v1/province"


@pytest.fixture
def api(client):
    class Api:
        def __init__(self):
            self.headers = {}

        def as_(self, user):
            """A client for ``user`` (each call gives a separate one)."""
            other = Api()
            _, raw = api_token_create(user=user, name=f"test-{user.pk}")
            other.headers = {"Authorization": f"Bearer {raw}"}
            return other

        def get(self, path, params=None):
            return client.get(BASE + path, params or {}, headers=self.headers)

        def send(self, method, path, body=None):
            return getattr(client, method)(
                BASE + path, body if body is not None else {}, content_type="application/json", headers=self.headers
            )

        def post(self, path, body=None):
            return self.send("post", path, body)

        def patch(self, path, body=None):
            return self.send("patch", path, body)

        def delete(self, path):
            return self.send("delete", path)

    return Api()


INDICATOR = {
    "code": "B-01",
    "field": "지역경제",
    "name": "일자리 창출 인원",
    "type": "정량",
    "direction": "상향",
    "unit": "명",
    "target": 1200,
    "points": 2,
    "departments": ["미래전략과"],
}


def test_years_indicators_actuals_status_happy_path(org, api):
    planner = api.as_(org.planner)
    created = planner.post("", {"year": 2024, "city_group": "시부", "lagging_share": 0.65})
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["year"] == 2024 and body["lagging_share"] == 0.65 and body["actuals_start_month"] == 5
    assert body["deadlines"][0] == {
        "kind": "monthly",
        "kind_label": "월별 실적 입력",
        "month": 5,
        "due_at": "2024-06-10T18:00:00+09:00",
    }
    assert planner.patch("/2024", {"actuals_due_working_day": 3}).json()["actuals_due_working_day"] == 3

    response = planner.post("/2024/indicators", INDICATOR)
    assert response.status_code == 201, response.json()
    assert response.json()["departments"] == [{"code": "D001", "name": "미래전략과"}]
    qualitative = {**INDICATOR, "code": "Q-01", "type": "qualitative", "direction": "", "target": None}
    assert planner.post("/2024/indicators", qualitative).status_code == 201
    patched = planner.patch("/2024/indicators/B-01", {"target": 1000, "performance_code": "P-31"})
    assert patched.json()["target"] == 1000.0 and patched.json()["performance_code"] == "P-31"
    assert [i["code"] for i in planner.get("/2024/indicators", {"type": "정성"}).json()] == ["Q-01"]

    staff = api.as_(org.staff)
    entered = staff.post("/2024/actuals", {"code": "B-01", "month": 10, "value": 700, "lag_reason": "착수 지연"})
    assert entered.status_code == 201, entered.json()
    actual = entered.json()
    assert actual["status"] == "submitted" and actual["status_label"] == "검토 대기" and actual["department"] == "D001"
    assert staff.patch(f"/2024/actuals/{actual['id']}", {"value": 750}).json()["value"] == 750.0

    status = staff.get("/2024/status", {"month": 10})
    assert status.status_code == 200
    rows = {r["code"]: r for r in status.json()}
    assert rows["B-01"] == {
        "code": "B-01",
        "name": "일자리 창출 인원",
        "type": "quantitative",
        "type_label": "정량",
        "unit": "명",
        "direction": "rising",
        "target": 1000.0,
        "actual": 750.0,
        "actual_month": 10,
        "achievement": 75.0,
        "forecast": 900.0,
        "status": "부진",
    }
    assert rows["Q-01"]["type"] == "qualitative" and rows["Q-01"]["target"] is None

    accepted = planner.post(f"/2024/actuals/{actual['id']}/accept", {"comment": "확인"})
    assert accepted.json()["status"] == "accepted"
    assert planner.get("/2024/actuals", {"status": "승인"}).json()[0]["id"] == actual["id"]
    assert staff.delete(f"/2024/actuals/{actual['id']}").status_code == 409
    returned = planner.post(f"/2024/actuals/{actual['id']}/return", {"comment": "재확인"})
    assert returned.json()["status"] == "returned"
    assert staff.delete(f"/2024/actuals/{actual['id']}").status_code == 204
    assert planner.delete("/2024/indicators/Q-01").status_code == 204
    assert planner.delete("/2024").status_code == 409


def test_bad_input_is_answered_in_korean(org, api, year):
    make_indicator(org, year, code="C-01", owners=[org.other_dept], name="강경 관광객 수")
    indicator = make_indicator(org, year, code="B-01")
    enter(org, indicator, 5, 500)
    planner = api.as_(org.planner)
    falling_zero = {**INDICATOR, "code": "H-01", "direction": "하향", "target": 0}
    response = planner.post("/2024/indicators", falling_zero)
    assert response.status_code == 422 and "하향 지표의 목표가 0이면" in response.json()["detail"]
    duplicate = planner.post("/2024/indicators", INDICATOR)
    assert duplicate.status_code == 409 and "이미 있습니다" in duplicate.json()["detail"]
    assert (
        "없는 부서입니다: 기획과"
        in planner.post("/2024/indicators", {**INDICATOR, "code": "X", "departments": ["기획과"]}).json()["detail"]
    )
    assert planner.post("/2024/indicators", {**INDICATOR, "code": "X", "type": "정량평가"}).status_code == 422

    staff = api.as_(org.staff)
    other = staff.post("/2024/actuals", {"code": "C-01", "month": 5, "value": 1})
    assert other.status_code == 403
    assert (
        other.json()["detail"]
        == "C-01 강경 관광객 수은(는) 강경읍 담당 지표입니다. 미래전략과는 이 지표의 실적을 입력할 수 없습니다."
    )
    down = staff.post("/2024/actuals", {"code": "B-01", "month": 6, "value": 400})
    assert down.status_code == 422 and "비고에 적어 주세요" in down.json()["detail"]
    assert staff.post("/2024/actuals", {"code": "B-01", "month": 6, "value": 400, "note": "정정"}).status_code == 201
    assert staff.post("/2024/actuals", {"code": "ZZ", "month": 6, "value": 1}).status_code == 422
    bad_type = staff.post("/2024/actuals", {"code": "B-01", "month": "유월", "value": 1})
    assert bad_type.status_code == 422 and bad_type.json()["detail"]
    assert staff.get("/2024/indicators/C-01").status_code == 404
    assert staff.get("/2024/status", {"month": 13}).status_code == 422
    assert staff.get("/2099/status").status_code == 404
    assert staff.post("/2024/what-if", {"assume_met": []}).status_code == 403
    assert staff.post("", {"year": 2025}).status_code == 403
    assert planner.post("", {"year": 2024}).status_code == 409
    assert planner.patch("/2024", {"lagging_share": 2}).status_code == 422
    assert EvaluationYear.objects.count() == 1 and Indicator.objects.count() == 2 and Actual.objects.count() == 2


def test_what_if(org, api, year):
    places = [("천안시", "91.0"), ("아산시", "89.5"), ("당진시", "88.0"), ("서산시", "86.1"), ("논산시", "85.2")]
    from decimal import Decimal

    services.peers_import(
        rows=[PeerRow(n, 2023, p, "city", Decimal(s), n) for n, (p, s) in enumerate(places, 1)], actor=org.planner
    )
    a = make_indicator(org, year, code="A-01", target="1000", points="2")
    enter(org, a, 10, 600)
    make_indicator(org, year, code="C-01", target="1000", points="3")
    response = api.as_(org.executive).post("/2024/what-if", {"assume_met": ["A-01", "C-01"], "month": 10})
    assert response.status_code == 200, response.json()
    body = response.json()
    # 85.2 + 2 × 0.4 + 3 × 1 = 89.0 → above 88.0, below 89.5 → 3rd of 5
    assert (body["score"], body["rank"], body["group_size"]) == (89.0, 3, 5)
    assert body["rank_before"] == 5 and body["recovered"] == 3.8 and body["base_source"] == "2023년 우리 시 결과"
    assert [i["code"] for i in body["items"]] == ["A-01", "C-01"]
    executive = api.as_(org.executive)
    unknown = executive.post("/2024/what-if", {"assume_met": ["Z-9"]})
    assert unknown.status_code == 422 and "Z-9" in unknown.json()["detail"]
    assert executive.post("/2024/what-if", {}).status_code == 422


def test_unauthenticated_requests_get_401(client):
    assert client.get(BASE).status_code == 401
