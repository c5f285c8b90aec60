"""The JSON API under /api/v1/initiatives: every part's CRUD, the rules with Korean reasons, scopes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from hwallyu.accounts.services import api_token_create
from hwallyu.initiatives import services
from hwallyu.initiatives.models import AgreementState, Initiative, Milestone
from hwallyu.initiatives.tests.factories import M, make_initiative, pdf, team

pytestmark = pytest.mark.django_db
API = "/api/v1/initiatives"
D = dt.date


def api_client(user) -> Client:
    _, raw = api_token_create(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def test_initiative_crud_and_scope(org):
    planner = api_client(org.planner)
    response = post(
        planner,
        f"{API}/",
        {
            "name": "2027 논산세계딸기산업엑스포",
            "kind": "국제행사·박람회",
            "team_id": team(org).pk,
            "departments": ["D001"],
            "starts_on": "2024-01-01",
            "ends_on": "2027-03-31",
            "budget_total": 20_000 * M,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["kind_label"], body["departments"], body["status"]) == (
        "event",
        "국제행사·박람회",
        ["D001"],
        "active",
    )
    pk = body["id"]
    assert patch(planner, f"{API}/{pk}", {"status": "보류"}).json()["status_label"] == "보류"
    bad = post(
        planner, f"{API}/", {"name": "x", "team_id": team(org).pk, "starts_on": "2025-01-01", "ends_on": "2024-01-01"}
    )
    assert bad.status_code == 422 and bad.json()["detail"] == "종료일이 시작일보다 이를 수 없습니다."
    assert (
        post(
            planner, f"{API}/", {"name": "y", "team_id": 999, "starts_on": "2024-01-01", "ends_on": "2024-02-01"}
        ).status_code
        == 422
    )

    assert api_client(org.manager).get(f"{API}/{pk}").status_code == 200  # 미래전략과 collaborates
    assert patch(api_client(org.manager), f"{API}/{pk}", {"status": "stopped"}).status_code == 403
    assert api_client(org.other_manager).get(f"{API}/{pk}").status_code == 404
    assert api_client(org.other_manager).get(f"{API}/").json() == []
    assert Client().get(f"{API}/").status_code == 401


def test_every_part_has_crud(org):
    expo = make_initiative(org)
    planner = api_client(org.planner)
    base = f"{API}/{expo.pk}"
    parts = {
        "milestones": (
            {
                "name": "기본계획 제출",
                "deciding_body": "충청남도",
                "planned_on": "2024-05-01",
                "planned_precision": "월",
            },
            {"deciding_body": "충남도"},
        ),
        "criteria": ({"review": "기획재정부 국제행사 심사", "name": "경제성(B/C)"}, {"state": "준비중"}),
        "partners": ({"name": "성심당", "kind": "기업"}, {"role": "체험관 운영"}),
        "targets": ({"name": "방문객", "value": "1500000", "unit": "명"}, {"actual": "10"}),
        "budget": ({"year": 2027, "name": "사업비", "total": 20_000 * M, "national": 20_000 * M}, {"note": "국비"}),
        "events": ({"title": "설명회", "kind": "설명회", "starts_on": "2024-04-01"}, {"place": "취암동"}),
        "institutions": ({"name": "국방AI센터", "type": "신설", "parent": "국방부"}, {"state": "건의"}),
    }
    for segment, (create, change) in parts.items():
        response = post(planner, f"{base}/{segment}", create)
        assert response.status_code == 201, (segment, response.content)
        item = response.json()["id"]
        assert len(planner.get(f"{base}/{segment}").json()) == 1, segment
        assert planner.get(f"{base}/{segment}/{item}").status_code == 200, segment
        changed = patch(planner, f"{base}/{segment}/{item}", change)
        assert changed.status_code == 200, (segment, changed.content)
    assert planner.get(f"{base}/milestones").json()[0]["planned_on"] == "2024-05-31"
    assert planner.get(f"{base}/targets").json()[0]["achievement"] == "0.0"

    partner = planner.get(f"{base}/partners").json()[0]["id"]
    contact = post(planner, f"{base}/partners/{partner}/contacts", {"name": "대외협력 담당", "phone": "042-000-0000"})
    assert contact.status_code == 201 and contact.json()["partner_id"] == partner
    meeting = post(planner, f"{base}/partners/{partner}/meetings", {"held_on": "2024-04-15", "summary": "참여 협의"})
    assert meeting.status_code == 201
    institution = planner.get(f"{base}/institutions").json()[0]["id"]
    log = post(
        planner, f"{base}/institutions/{institution}/contacts", {"contacted_on": "2024-02-01", "summary": "방문"}
    )
    assert log.status_code == 201, log.content
    for segment in ("contacts", "meetings", "institution-contacts"):
        items = planner.get(f"{base}/{segment}").json()
        assert len(items) == 1, segment
        assert planner.delete(f"{base}/{segment}/{items[0]['id']}").status_code == 204
    for segment in parts:
        item = planner.get(f"{base}/{segment}").json()[0]["id"]
        assert planner.delete(f"{base}/{segment}/{item}").status_code == 204, segment
        assert planner.get(f"{base}/{segment}").json() == []


def test_api_rules_answer_with_korean_reasons(org):
    expo = make_initiative(org)
    planner = api_client(org.planner)
    base = f"{API}/{expo.pk}"
    first = post(planner, f"{base}/milestones", {"name": "기본계획 제출", "actual_on": "2024-05-29"}).json()
    assert first["state"] == "done"
    second = post(planner, f"{base}/milestones", {"name": "충남도 검토"}).json()
    response = post(planner, f"{base}/milestones/{second['id']}/complete", {"actual_on": "2024-05-01"})
    assert response.status_code == 422
    assert "앞 단계 '기본계획 제출'의 실제 일자(2024-05-29)보다 이릅니다" in response.json()["detail"]
    response = post(
        planner, f"{base}/milestones/{second['id']}/complete", {"actual_on": "2024-05-01", "note": "사전 검토"}
    )
    assert response.status_code == 200 and response.json()["state"] == "done"

    budget = post(
        planner, f"{base}/budget", {"year": 2027, "name": "사업비", "total": 20_000 * M, "national": 6_000 * M}
    )
    assert budget.status_code == 422 and "재원 합계 6,000백만원" in budget.json()["detail"]

    partner = post(planner, f"{base}/partners", {"name": "SPC(파리바게뜨)", "kind": "company"}).json()["id"]
    signed = post(planner, f"{base}/partners/{partner}/state", {"state": "참여의향서"})
    assert signed.status_code == 422 and "서명된 문서" in signed.json()["detail"]
    upload = planner.post(
        f"{base}/documents", {"file": pdf(), "kind": "참여의향서", "partner_id": partner, "title": "SPC 참여의향서"}
    )
    assert upload.status_code == 201, upload.content
    assert upload.json()["partner_id"] == partner
    signed = post(planner, f"{base}/partners/{partner}/state", {"state": "loi", "on": "2024-04-25"})
    assert signed.status_code == 200 and signed.json()["state"] == AgreementState.LOI
    document = upload.json()["id"]
    assert planner.delete(f"{base}/documents/{document}").status_code == 422  # the only proof of the letter
    file = planner.get(f"{base}/documents/{document}/file")
    assert file.status_code == 200 and b"".join(file.streaming_content).startswith(b"%PDF-")
    wrong = planner.post(f"{base}/documents", {"file": pdf("x.exe"), "kind": "loi"})
    assert wrong.status_code == 422 and "올릴 수 있는 형식" in wrong.json()["detail"]
    assert (
        post(planner, f"{base}/events", {"title": "x", "kind": "불꽃놀이", "starts_on": "2024-03-03"}).status_code
        == 422
    )


def test_department_users_read_but_do_not_write(org):
    expo = make_initiative(org)
    stage = services.milestone_create(initiative=expo, actor=org.planner, name="기본계획 제출")
    manager = api_client(org.manager)
    base = f"{API}/{expo.pk}"
    assert manager.get(f"{base}/milestones").status_code == 200
    assert post(manager, f"{base}/milestones", {"name": "x"}).status_code == 403
    assert manager.delete(f"{base}/milestones/{stage.pk}").status_code == 403
    assert manager.post(f"{base}/documents", {"file": pdf()}).status_code == 403
    other = api_client(org.other_manager)
    assert other.get(f"{base}/milestones").status_code == 404
    assert other.get(f"{base}/milestones/{stage.pk}").status_code == 404
    assert Milestone.objects.count() == 1


def test_trends_report_summary_and_portfolio(org):
    expo = make_initiative(org)
    planner = api_client(org.planner)
    created = post(
        planner,
        f"{API}/trends",
        {
            "recorded_on": "2024-01-02",
            "title": "충남도 중점 유치 44개소",
            "tags": ["공공기관 이전"],
            "initiatives": [expo.pk],
        },
    )
    assert created.status_code == 201 and created.json()["tags"] == ["공공기관 이전"]
    trend = created.json()["id"]
    assert patch(planner, f"{API}/trends/{trend}", {"source": "충청남도"}).json()["source"] == "충청남도"
    assert [t["id"] for t in api_client(org.staff).get(f"{API}/trends").json()] == [trend]
    assert api_client(org.other_manager).get(f"{API}/trends/{trend}").status_code == 404
    assert (
        post(api_client(org.executive), f"{API}/trends", {"recorded_on": "2024-01-02", "title": "x"}).status_code == 403
    )

    report = planner.get(f"{API}/{expo.pk}/report", {"format": "xlsx"})
    assert report.status_code == 200 and report.content[:2] == b"PK"
    assert planner.get(f"{API}/{expo.pk}/report", {"format": "pdf"}).status_code == 422
    summary = planner.get(f"{API}/{expo.pk}/summary").json()
    assert summary["budget"]["check"] == "empty"
    portfolio = planner.get(f"{API}/portfolio").json()
    assert [i["name"] for i in portfolio["initiatives"]] == [expo.name]
    assert planner.delete(f"{API}/trends/{trend}").status_code == 204
    assert Initiative.objects.count() == 1


def test_openapi_lists_every_part(org):
    schema = Client().get("/api/v1/openapi.json").json()
    paths = {p for p in schema["paths"] if p.startswith(API)}
    for segment in (
        "milestones",
        "criteria",
        "partners",
        "contacts",
        "meetings",
        "targets",
        "budget",
        "events",
        "institutions",
        "institution-contacts",
        "documents",
    ):
        assert f"{API}/{{initiative_id}}/{segment}" in paths, segment
    assert f"{API}/trends/{{trend_id}}" in paths and f"{API}/{{initiative_id}}/report" in paths
