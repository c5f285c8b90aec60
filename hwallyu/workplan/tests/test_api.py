"""The work plan API: happy paths, the budget statement, bad input answered in Korean."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hwallyu.accounts.services import api_token_create
from hwallyu.workplan.models import BudgetLine, Project
from hwallyu.workplan.tests.factories import M, make_plan, seed_budget_xlsx

pytestmark = pytest.mark.django_db
BASE = "/api/v1/workplan"


def api(user) -> Client:
    _, raw = api_token_create(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_plan_and_projects(org):
    f = make_plan(org)
    client = api(org.manager)
    plan = client.get(f"{BASE}/2024").json()
    assert plan["goals"] == ["민선8기 정책 실행력 제고 및 성과 창출"]
    assert [t["number"] for t in plan["tasks"]] == [1, 2]
    project = plan["tasks"][0]["projects"][0]
    assert project["schedule"][0] == {"month": 3, "note": "분기 심사분석"}
    listed = client.get(f"{BASE}/2024/projects", {"department": org.dept.code}).json()
    assert [p["title"] for p in listed] == ["역점사업 심사분석"]
    created = client.post(
        f"{BASE}/2024/projects",
        {"task_number": 1, "title": "지시사항 관리", "schedule": [{"month": m, "note": "수시"} for m in range(1, 13)]},
        content_type="application/json",
    )
    assert created.status_code == 201 and len(created.json()["schedule"]) == 12
    patched = client.patch(
        f"{BASE}/projects/{f.project.pk}",
        {"schedule": [{"month": 6, "note": "상반기"}]},
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["schedule"] == [{"month": 6, "note": "상반기"}]
    progress = client.put(
        f"{BASE}/projects/{f.project.pk}/progress", {"progress": 60, "note": "추진 중"}, content_type="application/json"
    )
    assert progress.json()["progress"] == 60


def test_bad_input_is_refused_with_a_reason(org):
    f = make_plan(org)
    client = api(org.manager)
    response = client.put(
        f"{BASE}/projects/{f.project.pk}/progress", {"progress": 120}, content_type="application/json"
    )
    assert response.status_code == 422 and "0–100" in response.json()["detail"]
    response = client.put(
        f"{BASE}/projects/{f.project.pk}/progress", {"progress": "많이"}, content_type="application/json"
    )
    assert response.status_code == 422
    response = client.patch(
        f"{BASE}/projects/{f.project.pk}", {"schedule": [{"month": 13}]}, content_type="application/json"
    )
    assert response.status_code == 422 and "1–12" in response.json()["detail"]
    assert (
        client.patch(
            f"{BASE}/projects/{f.other_project.pk}", {"title": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert client.get(f"{BASE}/1999").status_code == 404
    assert Client().get(f"{BASE}/2024").status_code == 401


def test_budget_lines_and_statement(org):
    make_plan(org)
    client = api(org.planner)
    created = client.post(
        f"{BASE}/2024/budget-lines",
        {"name": "행정만족도 조사 참여자 인센티브 지급", "total_cost": 7 * M, "city": 7 * M},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["this_year"] is None
    statement = client.get(f"{BASE}/2024/budget-statement").json()
    assert statement["unit"] == "백만원"
    assert statement["header"]["label"] == "2건"
    assert statement["totals"]["city"] == 17 * M and statement["totals"]["this_year"] == 10 * M
    assert statement["totals_million"]["city"] == "17"
    assert [(v["rule"], v["label"]) for v in statement["violations"]] == [
        ("sum", "2건"),
        ("sum", "행정만족도 조사 참여자 인센티브 지급"),
    ]
    line_id = created.json()["id"]
    fixed = client.patch(f"{BASE}/budget-lines/{line_id}", {"this_year": 7 * M}, content_type="application/json")
    assert fixed.json()["this_year"] == 7 * M
    assert client.get(f"{BASE}/2024/budget-statement").json()["violations"] == []
    bad = client.post(f"{BASE}/2024/budget-lines", {"name": "x", "city": -5}, content_type="application/json")
    assert bad.status_code == 422 and "0 이상" in bad.json()["detail"]
    huge = client.post(f"{BASE}/2024/budget-lines", {"name": "x", "city": 10**19}, content_type="application/json")
    assert huge.status_code == 422 and "너무 큽니다" in huge.json()["detail"]
    assert (
        api(org.manager).post(f"{BASE}/2024/budget-lines", {"name": "x"}, content_type="application/json").status_code
        == 403
    )
    assert client.delete(f"{BASE}/budget-lines/{line_id}").status_code == 204


def test_budget_import_through_the_api(org):
    f = make_plan(org)
    client = api(org.planner)
    response = client.post(
        f"{BASE}/2024/budget-statement/import", {"file": SimpleUploadedFile("seed.xlsx", seed_budget_xlsx())}
    )
    assert response.status_code == 200
    body = response.json()
    assert [v["source_row"] for v in body["violations"]] == [5, 7]
    bad = client.post(
        f"{BASE}/2024/budget-statement/import",
        {"file": SimpleUploadedFile("bad.xlsx", seed_budget_xlsx([["사업", 1, "일", "-", "-", 1, "-", "-"]]))},
    )
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        {
            "row": 5,
            "column": "C",
            "column_label": "계",
            "message": "숫자가 아닙니다: '일'",
            "text": "5행 C열(계): 숫자가 아닙니다: '일'",
        }
    ]
    assert BudgetLine.objects.filter(plan=f.plan).count() == 2


def test_plan_lock_export_and_import(org):
    make_plan(org)
    client = api(org.planner)
    assert client.post(f"{BASE}/2024/lock").json()["status"] == "locked"
    assert (
        api(org.manager)
        .patch(f"{BASE}/projects/{Project.objects.first().pk}", {"title": "x"}, content_type="application/json")
        .status_code
        == 403
    )
    exported = client.get(f"{BASE}/2024/export", {"format": "json"})
    assert exported.status_code == 200
    imported = client.post(f"{BASE}/import", {"file": SimpleUploadedFile("p.json", exported.content), "year": 2025})
    assert imported.status_code == 201 and imported.json()["year"] == 2025
    again = client.post(f"{BASE}/import", {"file": SimpleUploadedFile("p.json", exported.content), "year": 2025})
    assert again.status_code == 422 and again.json()["errors"][0]["path"] == "year"
    assert client.post(f"{BASE}/", {"year": 1800}, content_type="application/json").status_code == 422
