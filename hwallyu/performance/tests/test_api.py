"""The API: schemes, indicators and actuals CRUD, evaluate (not frozen) and freeze, and refusals."""

from __future__ import annotations

import pytest

from hwallyu.accounts.services import api_token_create
from hwallyu.performance.models import EvaluationRun, Indicator

from .conftest import ready_year

pytestmark = pytest.mark.django_db
BASE = "/api/v1/performance"


@pytest.fixture
def api(client):
    class Api:
        def __init__(self, headers=None):
            self.headers = headers or {}

        def as_(self, user):
            """A client for ``user`` (a new one: several users can be used side by side)."""
            _, raw = api_token_create(user=user, name="test")
            return Api({"Authorization": f"Bearer {raw}"})

        def call(self, method, path, body=None):
            kwargs = {"content_type": "application/json", "headers": self.headers}
            if method == "get":
                return client.get(BASE + path, body or {}, headers=self.headers)
            return getattr(client, method)(BASE + path, body if body is not None else {}, **kwargs)

    return Api()


SCHEME = {
    "weight_indicator": "40",
    "weight_customer": "40",
    "weight_common": "20",
    "achievement_cap": "110",
    "bonus_max": "2",
    "penalty_max": "2",
    "grades": [
        {"code": "S", "quota": "15", "pay_rate": "172.5"},
        {"code": "A", "quota": "40", "pay_rate": "125"},
        {"code": "B", "quota": "35", "pay_rate": "85"},
        {"code": "C", "quota": "10", "pay_rate": "0"},
    ],
    "levels": [{"label": "우수", "points": "90"}, {"label": "보통", "points": "80"}],
}


def test_scheme_crud(org, api):
    planner = api.as_(org.planner)
    response = planner.call("post", "/schemes", {"year": 2024})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["weights"] == {"indicator": "70.00", "customer": "20.00", "common": "10.00"}
    assert [g["code"] for g in body["groups"]] == ["G1", "G2"] and body["groups"][1]["departments"] == ["D001", "D002"]
    response = planner.call("put", "/2024/scheme", SCHEME)
    assert response.status_code == 200, response.json()
    assert response.json()["achievement_cap"] == "110.00" and response.json()["grades"][0]["quota"] == "15.00"
    bad = {**SCHEME, "weight_common": "30"}
    response = planner.call("put", "/2024/scheme", bad)
    assert response.status_code == 422 and "100점" in response.json()["detail"]
    response = planner.call("post", "/schemes", {"year": 2025, "copy_from": 2024})
    assert response.status_code == 201 and response.json()["weights"]["indicator"] == "40.00"
    assert planner.call("get", "/schemes").json()[0]["year"] == 2025
    assert planner.call("delete", "/2025/scheme").status_code == 204
    assert planner.call("get", "/2025/scheme").status_code == 404
    assert planner.call("post", "/schemes", {"year": 2024}).status_code == 409
    staff = api.as_(org.staff)
    assert staff.call("get", "/2024/scheme").status_code == 200
    assert staff.call("put", "/2024/scheme", SCHEME).status_code == 403
    assert staff.call("post", "/schemes", {"year": 2026}).status_code == 403


def test_indicator_and_actual_crud_and_the_department_scope(org, api):
    api.as_(org.planner).call("post", "/schemes", {"year": 2024})
    staff = api.as_(org.staff)
    new = {
        "department": "D001",
        "name": "민원 처리기간",
        "kind": "정량",
        "direction": "하향",
        "unit": "일",
        "target": "4",
        "weight": "100",
    }
    response = staff.call("post", "/2024/indicators", new)
    assert response.status_code == 201, response.json()
    indicator = response.json()
    assert indicator["direction"] == "falling" and indicator["target"] == "4.00" and indicator["set_status"] == "draft"
    assert staff.call("post", "/2024/indicators", {**new, "department": "D002"}).status_code == 404
    assert staff.call("post", "/2024/indicators", {**new, "department": "NOPE"}).status_code == 422
    response = staff.call("put", f"/indicators/{indicator['id']}", {**new, "target": "3.5"})
    assert response.status_code == 200 and response.json()["target"] == "3.50"
    assert api.as_(org.other_staff).call("get", f"/indicators/{indicator['id']}").status_code == 404
    assert len(staff.call("get", "/2024/indicators").json()) == 1

    # actual before approval: refused; approve through the API; enter, return, re-enter, accept
    assert staff.call("put", f"/indicators/{indicator['id']}/actuals/1", {"value": "5"}).status_code == 409
    assert api.as_(org.manager).call("post", "/2024/departments/D001/submit").json()["status"] == "submitted"
    assert api.as_(org.manager).call("post", "/2024/departments/D001/approve").status_code == 403
    assert api.as_(org.planner).call("post", "/2024/departments/D001/approve").json()["status"] == "approved"
    response = staff.call("put", f"/indicators/{indicator['id']}/actuals/1", {"value": "5"})
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    actual_id = response.json()["id"]
    assert staff.call("put", f"/indicators/{indicator['id']}/actuals/7", {"value": "5"}).status_code == 422
    planner = api.as_(org.planner)
    assert planner.call("post", f"/actuals/{actual_id}/return", {"comment": "증빙 필요"}).json()["status"] == "returned"
    assert staff.call("put", f"/indicators/{indicator['id']}/actuals/1", {"value": "4.5"}).status_code == 200
    assert planner.call("post", f"/actuals/{actual_id}/accept", {}).json()["status"] == "accepted"
    assert staff.call("delete", f"/actuals/{actual_id}").status_code == 409
    listed = staff.call("get", f"/indicators/{indicator['id']}/actuals").json()
    assert [(a["quarter"], a["value"], a["status"]) for a in listed] == [(1, "4.50", "accepted")]
    response = staff.call("put", f"/indicators/{indicator['id']}/actuals/2", {"value": "4"})
    assert staff.call("delete", f"/actuals/{response.json()['id']}").status_code == 204
    # approved set: the indicator is locked
    assert staff.call("delete", f"/indicators/{indicator['id']}").status_code == 409
    assert Indicator.objects.count() == 1


def test_evaluate_is_not_frozen_and_freeze_is(org, api):
    ready_year(org)
    executive = api.as_(org.executive)
    response = executive.call("post", "/2024/evaluate")
    assert response.status_code == 200
    rows = {r["department"]: r for r in response.json()}
    assert set(rows["D001"]) >= {"department", "group", "score", "rank", "grade", "items"}
    assert rows["D001"]["score"] == "101.00" and rows["D001"]["group"] == "G2"
    assert rows["D001"]["items"]["indicator"]["indicators"][0]["achievement"] == "110.00"
    assert not EvaluationRun.objects.exists()
    assert executive.call("post", "/2024/freeze").status_code == 403
    assert api.as_(org.staff).call("post", "/2024/evaluate").status_code == 403
    response = api.as_(org.planner).call("post", "/2024/freeze")
    assert response.status_code == 201
    assert response.json()["departments"] == 3 and EvaluationRun.objects.count() == 1
    assert api.as_(org.planner).call("post", "/2024/freeze").status_code == 409
    results = executive.call("get", "/2024/results").json()
    assert results["frozen"] is True and results["frozen_at"].endswith("+09:00")
    assert api.as_(org.planner).call("post", "/2099/evaluate").status_code == 404


def test_anonymous_is_refused(client):
    assert client.post(BASE + "/2024/evaluate").status_code == 401
