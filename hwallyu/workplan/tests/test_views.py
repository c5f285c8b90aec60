"""Work plan pages: what each role sees, the budget page, downloads reopened, query counts."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hwallyu.workplan import services
from hwallyu.workplan.models import BudgetLine, Project
from hwallyu.workplan.tests.factories import make_plan, seed_budget_xlsx

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_plan_page_shows_tasks_and_edit_links_by_role(org):
    f = make_plan(org)
    planner = client_for(org.planner).get(reverse("workplan:plan", args=[2024]))
    assert planner.status_code == 200
    html = planner.content.decode()
    assert "민선8기 정책 실행력 제고 및 성과 창출" in html and "계획 확정(잠금)" in html
    manager = client_for(org.manager).get(reverse("workplan:plan", args=[2024])).content.decode()
    assert "계획 확정(잠금)" not in manager
    assert reverse("workplan:task_edit", args=[f.task.pk]) in manager
    assert reverse("workplan:task_edit", args=[f.other_task.pk]) not in manager
    assert client_for(org.manager).get(reverse("workplan:task_edit", args=[f.other_task.pk])).status_code == 403
    assert client_for(org.executive).get(reverse("workplan:project_edit", args=[f.project.pk])).status_code == 403
    assert client_for(org.manager).get(reverse("workplan:plan", args=[1999])).status_code == 404


def test_department_edits_its_project_schedule_in_the_form(org):
    f = make_plan(org)
    data = {
        "title": "역점사업 심사분석",
        "department": org.dept.pk,
        "months": ["1", "7"],
        "note_1": "계획",
        "note_7": "상반기",
    }
    response = client_for(org.staff).post(reverse("workplan:project_edit", args=[f.project.pk]), data)
    assert response.status_code == 302
    assert [(m.month, m.note) for m in Project.objects.get(pk=f.project.pk).months.all()] == [
        (1, "계획"),
        (7, "상반기"),
    ]


def test_progress_form_refuses_out_of_range_values(org):
    f = make_plan(org)
    response = client_for(org.staff).post(reverse("workplan:project_progress", args=[f.project.pk]), {"progress": 130})
    assert response.status_code == 200
    assert "100 이하" in response.content.decode()
    assert Project.objects.get(pk=f.project.pk).progress == 0


def test_budget_page_flags_the_seed_inconsistencies(org):
    make_plan(org)
    upload = io.BytesIO(seed_budget_xlsx())
    upload.name = "사업비조서.xlsx"
    client = client_for(org.planner)
    response = client.post(reverse("workplan:budget_import", args=[2024]), {"file": upload})
    assert response.status_code == 302
    html = client.get(reverse("workplan:budget", args=[2024])).content.decode()
    assert "규칙 위반 2건" in html
    assert html.count('hw-flag"') + html.count("hw-flag ") >= 4
    assert "2건" in html and "행정만족도 조사 참여자 인센티브 지급" in html


def test_budget_import_page_lists_problems_by_row_and_column(org):
    f = make_plan(org)
    upload = io.BytesIO(seed_budget_xlsx([["엑스포", 92, "구십이", "-", "-", 92, "-", "-"]]))
    upload.name = "bad.xlsx"
    response = client_for(org.planner).post(reverse("workplan:budget_import", args=[2024]), {"file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "아무것도 저장하지 않았습니다" in html and "C (계)" in html
    assert list(BudgetLine.objects.filter(plan=f.plan).values_list("name", flat=True)) == ["역점사업 심사분석 운영"]


def _reopen_xlsx(content: bytes) -> str:
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(content)).active
    return "\n".join(" ".join(str(v) for v in row if v is not None) for row in ws.iter_rows(values_only=True))


def _reopen_hwpx(content: bytes) -> str:
    from hwpx import HwpxDocument

    doc = HwpxDocument.open(content)
    try:
        return doc.text.plain()
    finally:
        doc.close()


@pytest.mark.parametrize(
    ("url_name", "query", "expected"),
    [
        ("workplan:budget", "", ["사업비 조서", "2건", "행정만족도 조사 참여자 인센티브 지급", "검증 결과"]),
        ("workplan:schedule", "", ["월별 추진계획", "역점사업 심사분석"]),
        ("workplan:report", "&as_of=2024-06-30", ["주요업무 계획·추진상황 보고(상반기)", "역점사업 심사분석", "계획"]),
    ],
)
@pytest.mark.parametrize("fmt", ["xlsx", "hwpx"])
def test_documents_download_and_reopen(org, url_name, query, expected, fmt):
    f = make_plan(org)
    services.budget_import(plan=f.plan, data=seed_budget_xlsx(), filename="seed.xlsx", actor=org.planner)
    response = client_for(org.executive).get(reverse(url_name, args=[2024]) + f"?format={fmt}{query}")
    assert response.status_code == 200
    assert f".{fmt}" in response["Content-Disposition"]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = _reopen_xlsx(content) if fmt == "xlsx" else _reopen_hwpx(content)
    for piece in expected:
        assert piece in text, (piece, text[:500])


def test_budget_xlsx_keeps_the_seed_layout(org):
    from openpyxl import load_workbook

    f = make_plan(org)
    services.budget_import(plan=f.plan, data=seed_budget_xlsx(), filename="seed.xlsx", actor=org.planner)
    content = client_for(org.planner).get(reverse("workplan:budget", args=[2024]) + "?format=xlsx").content
    ws = load_workbook(io.BytesIO(content)).active
    rows = [tuple(row) for row in ws.iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(rows) if row[0] == "사업명")
    assert rows[header][2] == "'24년도 투자계획" and rows[header + 1][2:7] == ("계", "국비", "도비", "시비", "기타")
    first = rows[header + 2]
    assert first[0].startswith("2건") and first[1] == 99 and first[2] == 92 and first[5] == 99 and first[3] == "-"
    incentive = rows[header + 4]
    assert incentive[0].startswith("행정만족도") and incentive[2] == "-" and incentive[5] == 7


def test_schedule_filter_by_department(org):
    make_plan(org)
    html = (
        client_for(org.manager)
        .get(reverse("workplan:schedule", args=[2024]) + f"?department={org.other_dept.pk}")
        .content.decode()
    )
    assert "찾아가는 민원실" in html and "역점사업 심사분석" not in html


def _project_list_queries(org, n: int) -> int:
    from hwallyu.workplan.models import MajorTask

    f = make_plan(org) if not Project.objects.exists() else None
    task = f.task if f else MajorTask.objects.first()
    for i in range(n - Project.objects.count()):
        services.project_create(task=task, title=f"사업 {i}", months={1: "", 2: ""}, actor=org.planner)
    client = client_for(org.manager)
    client.get(reverse("workplan:projects", args=[2024]))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("workplan:projects", args=[2024]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_project_list_query_count_is_constant(org):
    few = _project_list_queries(org, 2)
    many = _project_list_queries(org, 50)
    assert Project.objects.count() == 50
    assert few == many


def test_export_and_import_pages(org):
    make_plan(org)
    client = client_for(org.planner)
    exported = client.get(reverse("workplan:plan_export", args=[2024]) + "?format=yaml")
    assert exported.status_code == 200 and "2024년" in exported.content.decode()
    upload = io.BytesIO(exported.content)
    upload.name = "plan.yaml"
    response = client.post(reverse("workplan:plan_import"), {"file": upload, "year": 2027})
    assert response.status_code == 302 and Project.objects.filter(plan__year=2027).count() == 2
    bad = io.BytesIO(b"year: 2028\ngoals:\n  - department: NOPE\n    text: x\n")
    bad.name = "plan.yaml"
    response = client.post(reverse("workplan:plan_import"), {"file": bad})
    assert response.status_code == 200 and "goals[0].department" in response.content.decode()
