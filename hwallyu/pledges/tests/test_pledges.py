"""Pledges: completion rates on hand-checked examples, the yearly scheme, notes, the public page, the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hwallyu.accounts.services import api_token_create
from hwallyu.pledges import selectors, services
from hwallyu.pledges.models import Pledge, PledgeCategory, PledgeScheme, PublicPage

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def _pledge(org, code, state, *, category, department=None, progress=0, **kw):
    return services.pledge_create(
        code=code,
        title=f"공약 {code}",
        category=category,
        department=department or org.dept,
        state_code=state,
        progress=progress,
        actor=org.planner,
        **kw,
    )


@pytest.fixture
def example(org):
    economy = services.category_save(name="경제", actor=org.planner)
    welfare = services.category_save(name="복지", actor=org.planner)
    for code, state in (("1-1", "completed"), ("1-2", "continuing"), ("1-3", "normal"), ("1-4", "partial")):
        _pledge(org, code, state, category=economy)
    for code, state in (("2-1", "completed"), ("2-2", "on_hold"), ("2-3", "dropped"), ("2-4", "normal")):
        _pledge(org, code, state, category=welfare, department=org.other_dept)
    return economy, welfare


def test_completion_rate_hand_checked(org, example):
    report = selectors.completion(year=2024)
    # (완료 2 + 이행후계속추진 1) ÷ 8 = 37.5 %
    assert (report.overall.complete, report.overall.total, report.overall.rate) == (3, 8, Decimal("37.50"))
    assert [(c.label, c.complete, c.total, c.rate) for c in report.by_category] == [
        ("경제", 2, 4, Decimal("50.00")),
        ("복지", 1, 4, Decimal("25.00")),
    ]
    assert [(c.label, c.rate) for c in report.by_department] == [
        ("미래전략과", Decimal("50.00")),
        ("강경읍", Decimal("25.00")),
    ]
    assert report.overall.by_state == {
        "완료": 2,
        "이행후계속추진": 1,
        "정상추진": 2,
        "일부추진": 1,
        "보류": 1,
        "폐기": 1,
    }


def test_completion_rate_daejeon_published_example(org):
    category = services.category_save(name="전체", actor=org.planner)
    states = ["completed"] * 17 + ["continuing"] * 70 + ["normal"] * 40 + ["partial"] * 5
    Pledge.objects.bulk_create(
        [
            Pledge(code=f"P{i:03d}", title=f"공약 {i}", category=category, department=org.dept, state_code=s)
            for i, s in enumerate(states)
        ]
    )
    report = selectors.completion(year=2024)
    # 17/132 = 12.88 %, 70/132 = 53.03 %, together 65.91 %
    assert report.overall.rate == Decimal("65.91")


def test_the_scheme_of_a_year_decides_what_counts(org, example):
    services.scheme_create(year=2024, actor=org.planner)
    scheme = services.scheme_create(year=2025, actor=org.planner)
    partial = scheme.states.get(code="partial")
    services.state_save(
        scheme=scheme, state=partial, code="partial", label="일부추진", counts_as_complete=True, actor=org.planner
    )
    assert selectors.completion(year=2024).overall.rate == Decimal("37.50")
    assert selectors.completion(year=2025).overall.rate == Decimal("50.00")
    with pytest.raises(ValidationError):
        services.state_delete(state=scheme.states.get(code="completed"), actor=org.planner)
    with pytest.raises(PermissionDenied):
        services.scheme_create(year=2026, actor=org.manager)


def test_pledge_validation(org, example):
    economy, _ = example
    with pytest.raises(ValidationError) as exc:
        _pledge(org, "9-1", "unknown", category=economy)
    assert "허용되지 않는 상태" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError):
        _pledge(org, "9-2", "normal", category=economy, progress=101)
    with pytest.raises(ValidationError):
        _pledge(org, "1-1", "normal", category=economy)
    with pytest.raises(PermissionDenied):
        services.pledge_create(
            code="9-3", title="x", category=economy, department=org.dept, state_code="normal", actor=org.manager
        )


def test_department_adds_a_note_with_evidence_and_moves_the_state(org, example, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pledge = Pledge.objects.get(code="1-3")
    note = services.pledge_note_add(
        pledge=pledge,
        written_on=dt.date(2024, 6, 30),
        text="상반기 실적",
        state_code="completed",
        progress=100,
        evidence=SimpleUploadedFile("증빙.pdf", b"%PDF-1.4"),
        actor=org.staff,
    )
    pledge.refresh_from_db()
    assert (pledge.state_code, pledge.progress, note.evidence_name) == ("completed", 100, "증빙.pdf")
    download = client_for(org.executive).get(reverse("pledges:note_evidence", args=[note.pk]))
    assert download.status_code == 200
    with pytest.raises(PermissionDenied):
        services.pledge_note_add(
            pledge=Pledge.objects.get(code="2-1"),
            written_on=dt.date(2024, 6, 30),
            text="x",
            state_code="normal",
            progress=1,
            actor=org.staff,
        )
    with pytest.raises(ValidationError):
        services.pledge_note_add(
            pledge=pledge,
            written_on=dt.date(2024, 6, 30),
            text="x",
            state_code="normal",
            progress=1,
            evidence=SimpleUploadedFile("run.exe", b"MZ"),
            actor=org.staff,
        )


def test_public_page_is_reachable_signed_out_and_can_be_switched_off(org, example):
    anonymous = Client()
    off = anonymous.get("/pledges/public/")
    assert off.status_code == 404
    assert "지금은 공약 이행 현황을 공개하지 않습니다" in off.content.decode()
    services.public_page_update(
        enabled=True, title="민선8기 공약 이행 현황", intro="시민께 알립니다", actor=org.planner
    )
    Pledge.objects.filter(code="2-3").update(published=False)
    page = anonymous.get("/pledges/public/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "공약 1-1" in html and "이행후계속추진" in html and "추진률" in html
    assert "공약 2-3" not in html
    assert '<html lang="ko' in html and "<caption" in html
    with pytest.raises(PermissionDenied):
        services.public_page_update(enabled=False, title="x", intro="", actor=org.manager)
    services.public_page_update(enabled=False, title="x", intro="", actor=org.planner)
    assert anonymous.get("/pledges/public/").status_code == 404
    assert PublicPage.load().enabled is False


def test_pledge_list_query_count_is_constant(org):
    category = PledgeCategory.objects.create(name="경제")

    def queries(n):
        Pledge.objects.bulk_create(
            [
                Pledge(
                    code=f"Q{Pledge.objects.count() + i:03d}",
                    title="공약",
                    category=category,
                    department=org.dept,
                    state_code="normal",
                )
                for i in range(n - Pledge.objects.count())
            ]
        )
        client = client_for(org.manager)
        client.get(reverse("pledges:list"))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("pledges:list")).status_code == 200
        return len(ctx.captured_queries)

    assert queries(1) == queries(50)


def test_pages_by_role(org, example):
    pledge = Pledge.objects.get(code="1-1")
    assert client_for(org.executive).get(reverse("pledges:stats")).status_code == 200
    assert client_for(org.manager).get(reverse("pledges:edit", args=[pledge.pk])).status_code == 403
    assert client_for(org.manager).get(reverse("pledges:note_create", args=[pledge.pk])).status_code == 200
    assert client_for(org.other_manager).get(reverse("pledges:note_create", args=[pledge.pk])).status_code == 403
    response = client_for(org.planner).post(
        reverse("pledges:edit", args=[pledge.pk]),
        {
            "code": "1-1",
            "title": "공약 1-1",
            "category": pledge.category_id,
            "department": org.dept.pk,
            "term": "민선8기",
            "state_code": "completed",
            "progress": 140,
        },
    )
    assert response.status_code == 200 and "100 이하" in response.content.decode()
    assert client_for(org.planner).get(reverse("pledges:scheme_year", args=[2025])).status_code == 200
    assert PledgeScheme.objects.count() == 0


def test_api(org, example):
    _, raw = api_token_create(user=org.planner, name="t")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    listed = client.get("/api/v1/pledges/", {"category": "경제"}).json()
    assert [p["code"] for p in listed] == ["1-1", "1-2", "1-3", "1-4"]
    assert listed[1]["state_label"] == "이행후계속추진"
    completion = client.get("/api/v1/pledges/completion").json()
    assert completion["overall"]["rate"] == "37.50" and completion["complete_states"] == ["완료", "이행후계속추진"]
    created = client.post(
        "/api/v1/pledges/",
        {
            "code": "3-1",
            "title": "새 공약",
            "category": "경제",
            "department": org.dept.code,
            "state": "normal",
            "budget_needed": 5_000_000,
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    pledge_id = created.json()["id"]
    bad = client.patch(f"/api/v1/pledges/{pledge_id}", {"progress": 120}, content_type="application/json")
    assert bad.status_code == 422 and "0–100" in bad.json()["detail"]
    note = client.post(
        f"/api/v1/pledges/{pledge_id}/notes",
        {"written_on": "2024-06-30", "text": "착수", "state": "partial", "progress": 10},
        content_type="application/json",
    )
    assert note.status_code == 201
    assert client.get(f"/api/v1/pledges/{pledge_id}").json()["state"] == "partial"
    assert client.post("/api/v1/pledges/", {"code": "x"}, content_type="application/json").status_code == 422
    _, raw = api_token_create(user=org.manager, name="t")
    manager = Client(headers={"Authorization": f"Bearer {raw}"})
    assert (
        manager.patch(f"/api/v1/pledges/{pledge_id}", {"title": "x"}, content_type="application/json").status_code
        == 403
    )
