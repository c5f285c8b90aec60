"""Back-office pages and the API: every URL × every role, the upload flow, progress polling."""

from __future__ import annotations

import pytest
from django.test import Client

from hwallyu.core.testing import PASSWORD
from hwallyu.surveys import importer
from hwallyu.surveys.models import RegisterImport, Survey
from hwallyu.surveys.tests.conftest import csv_bytes, register_rows, upload

pytestmark = pytest.mark.django_db

ROUND_VIEW = ["/surveys/{id}/", "/surveys/{id}/results/", "/surveys/{id}/results/report.xlsx"]
ROUND_MANAGE = ["/surveys/{id}/settings/", "/surveys/{id}/imports/", "/surveys/{id}/incentives/"]
GLOBAL_VIEW = ["/surveys/"]
GLOBAL_MANAGE = ["/surveys/templates/", "/surveys/optouts/"]
# role: (round pages to read, round pages to run, module-wide read, module-wide run)
EXPECTED = {
    "anonymous": (302, 302, 302, 302),
    "admin": (200, 200, 200, 200),
    "planner": (200, 200, 200, 200),
    "auditor": (200, 200, 200, 200),
    "executive": (200, 403, 200, 403),
    "manager": (404, 404, 403, 403),  # a round outside their scope does not exist for them
    "staff": (404, 404, 403, 403),
    "other_manager": (404, 404, 403, 403),
}


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", list(EXPECTED))
def test_every_url_for_every_role(imported, org, role) -> None:
    client = _client(org.users_by_role()[role])
    for urls, want in zip((ROUND_VIEW, ROUND_MANAGE, GLOBAL_VIEW, GLOBAL_MANAGE), EXPECTED[role], strict=True):
        for url in urls:
            status = client.get(url.format(id=imported.id)).status_code
            assert status == want, (role, url, status)


def test_auditor_creates_a_round_edits_questions_and_opens_it(org) -> None:
    client = _client(org.auditor)
    response = client.post("/surveys/", {"year": 2025, "quarter": "1", "title": ""})
    survey = Survey.objects.get(year=2025)
    assert response.status_code == 302 and survey.title == "2025년 1분기 행정만족도 조사"
    page = client.get(f"/surveys/{survey.id}/questions/")
    formset = page.context["formset"]
    data = {
        "q-TOTAL_FORMS": str(len(formset.forms)),
        "q-INITIAL_FORMS": str(len(formset.initial_forms)),
        "q-MIN_NUM_FORMS": "0",
        "q-MAX_NUM_FORMS": "30",
    }
    for i, initial in enumerate(formset.initial):
        for key, value in initial.items():
            if isinstance(value, bool):
                if value:
                    data[f"q-{i}-{key}"] = "on"
            else:
                data[f"q-{i}-{key}"] = value
    n = len(formset.initial)
    data.update(
        {
            f"q-{n}-code": "parking",
            f"q-{n}-label": "주차가 편리했습니까?",
            f"q-{n}-kind": "scale5",
            f"q-{n}-order": "65",
            f"q-{n}-required": "on",
        }
    )
    assert client.post(f"/surveys/{survey.id}/questions/", data).status_code == 302
    assert survey.questions.filter(code="parking").exists()
    assert client.post(f"/surveys/{survey.id}/open/").status_code == 302
    survey.refresh_from_db()
    assert survey.status == "open"
    assert "시작되어 문항을 바꿀 수 없습니다" in client.get(f"/surveys/{survey.id}/questions/").content.decode()


def test_settings_form_validates_in_korean(imported, org) -> None:
    client = _client(org.auditor)
    page = client.get(f"/surveys/{imported.id}/settings/")
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None and not isinstance(v, bool)}
    data.update({k: "on" for k, v in page.context["form"].initial.items() if v is True})
    data.update({"send_start": "21:00", "send_end": "09:00"})
    response = client.post(f"/surveys/{imported.id}/settings/", data)
    assert response.status_code == 200
    assert "발송 종료 시각은 시작 시각보다 늦어야 합니다." in response.content.decode()
    data.update({"send_start": "10:00", "send_end": "19:00", "min_group_size": "7"})
    assert client.post(f"/surveys/{imported.id}/settings/", data).status_code == 302
    imported.refresh_from_db()
    assert imported.min_group_size == 7 and imported.window_spec() == "10:00-19:00/W"


def test_upload_runs_the_import_task_and_the_progress_row_polls(
    survey, org, django_capture_on_commit_callbacks
) -> None:
    client = _client(org.auditor)
    rows = register_rows(5)
    rows[3][2] = "어제"
    data = csv_bytes(rows, encoding="cp949")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/surveys/{survey.id}/imports/", {"source": "petition", "file": upload(data, "민원.csv")}
        )
    record = RegisterImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/surveys/{survey.id}/imports/{record.id}/"
    assert record.status == "failed"
    page = client.get(response["Location"]).content.decode()
    assert "처리일시(C열)" in page and "날짜·시각 형식이 아닙니다(어제)" in page
    poll = client.get(response["Location"], headers={"HX-Request": "true"})
    assert poll.status_code == 286 and poll["HX-Refresh"] == "true"  # finished: stop polling
    RegisterImport.objects.filter(id=record.id).update(status="running", rows_read=2, bytes_read=100, size=400)
    poll = client.get(response["Location"], headers={"HX-Request": "true"})
    assert poll.status_code == 200 and 'hx-trigger="every 1s"' in poll.content.decode()
    assert 'value="25"' in poll.content.decode()


def test_send_and_results_pages(imported, org, console_provider) -> None:
    client = _client(org.auditor)
    response = client.post(f"/surveys/{imported.id}/invitations/send/", follow=True)
    assert "발송 대기열에 넣었습니다" in response.content.decode()
    results = client.get(f"/surveys/{imported.id}/results/")
    html = results.content.decode()
    assert results.status_code == 200
    assert "canvas data-chart=" in html and "chart.umd.min.js" in html and "<script>" not in html
    hwpx = client.get(f"/surveys/{imported.id}/results/report.hwpx")
    assert hwpx.status_code == 200 and hwpx["Content-Type"] == "application/hwp+zip"
    assert client.get(f"/surveys/{imported.id}/results/report.pdf").status_code == 404


def test_api_import_send_results(survey, org, console_provider, django_capture_on_commit_callbacks) -> None:
    client = Client()
    token = client.post(
        "/api/v1/auth/token", {"username": "auditor", "password": PASSWORD}, content_type="application/json"
    ).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            f"/api/v1/surveys/{survey.id}/imports",
            {"file": upload(csv_bytes(register_rows(8))), "source": "petition"},
            headers=auth,
        )
    assert created.status_code == 202, created.content
    body = created.json()
    progress = client.get(body["progress_url"], headers=auth).json()
    assert progress["status"] == "done" and progress["rows_added"] == 8 and progress["percent"] == 100
    sent = client.post(f"/api/v1/surveys/{survey.id}/invitations/send", headers=auth)
    assert sent.status_code == 200 and sent.json()["queued"] == 8
    results = client.get(f"/api/v1/surveys/{survey.id}/results", headers=auth).json()
    assert results["invited"] == 8 and results["min_group_size"] == 5
    assert [i["code"] for i in results["items"]] == ["kindness", "speed", "accuracy", "fairness", "overall"]
    bad = client.post(f"/api/v1/surveys/{survey.id}/imports", {"file": upload(b"x", "a.pdf")}, headers=auth)
    assert bad.status_code == 422 and "CSV 또는 XLSX" in bad.json()["detail"]
    staff = Client()
    staff_token = staff.post(
        "/api/v1/auth/token", {"username": "staff", "password": PASSWORD}, content_type="application/json"
    ).json()["token"]
    assert (
        staff.get(
            f"/api/v1/surveys/{survey.id}/results", headers={"Authorization": f"Bearer {staff_token}"}
        ).status_code
        == 404
    )


def test_importer_module_is_used_by_the_task(survey, org) -> None:
    from hwallyu.surveys import services
    from hwallyu.surveys.tasks import run_register_import

    record = services.import_create(
        survey=survey, source="petition", upload=upload(csv_bytes(register_rows(2))), actor=org.auditor
    )
    assert run_register_import.call(record.id) == "done"
    assert importer.run(record.id).status == "done"  # a second run is a no-op
