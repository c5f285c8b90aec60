"""The plan-wide pages of a large city: paged by major task (or budget row), filtered by department,
computed in the database, with the same numbers as the whole-plan reads and a constant query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hwallyu.workplan import schedule, selectors, services
from hwallyu.workplan.models import BudgetLine, Project
from hwallyu.workplan.tests.factories import M, make_plan

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def _more_tasks(org, f, n: int) -> list:
    tasks = []
    for i in range(n):
        task = services.task_create(
            plan=f.plan, goal=f.goal, title=f"추가 주요업무 {i + 1}", department=org.dept, actor=org.planner
        )
        services.project_create(task=task, title=f"추가 사업 {i + 1}", months={4: "", 10: ""}, actor=org.planner)
        tasks.append(task)
    return tasks


def test_plan_schedule_and_report_pages_show_ten_major_tasks_a_page(org):
    f = make_plan(org)
    _more_tasks(org, f, 10)  # 12 tasks in all: 10 on the first page, 2 on the second
    client = client_for(org.planner)
    for name in ("workplan:plan", "workplan:schedule", "workplan:report"):
        first = client.get(reverse(name, args=[2024])).content.decode()
        second = client.get(reverse(name, args=[2024]) + "?page=2").content.decode()
        assert "역점사업 심사분석" in first and "추가 사업 8" in first, name
        assert "추가 사업 9" not in first and "추가 사업 10" not in first, name
        assert "추가 사업 9" in second and "추가 사업 10" in second and "역점사업 심사분석" not in second, name
        assert "총 12건" in first, name
    # the plan's overview still lists every major task
    overview = client.get(reverse("workplan:plan", args=[2024])).content.decode()
    assert "추가 주요업무 10" in overview


def test_plan_and_report_pages_filter_by_department(org):
    make_plan(org)
    client = client_for(org.manager)
    for name in ("workplan:plan", "workplan:report"):
        html = client.get(reverse(name, args=[2024]) + f"?department={org.other_dept.pk}").content.decode()
        assert "찾아가는 민원실" in html and "역점사업 심사분석" not in html, name


def test_plan_wide_pages_query_counts_do_not_grow(org):
    f = make_plan(org)
    client = client_for(org.planner)
    urls = [
        reverse("workplan:plan", args=[2024]),
        reverse("workplan:schedule", args=[2024]),
        reverse("workplan:report", args=[2024]),
        reverse("workplan:budget", args=[2024]),
        reverse("workplan:task", args=[f.task.pk]),
    ]

    def counts() -> list[int]:
        result = []
        for url in urls:
            client.get(url)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            result.append(len(ctx.captured_queries))
        return result

    few = counts()
    for task in _more_tasks(org, f, 15):
        services.project_create(task=task, title="둘째 사업", months={1: "", 2: "", 3: ""}, actor=org.planner)
    BudgetLine.objects.bulk_create(
        [BudgetLine(plan=f.plan, name=f"행 {i}", this_year=M, city=M, total_cost=M, order=10 + i) for i in range(150)]
    )
    for i in range(5):
        services.project_create(task=f.task, title=f"같은 업무 {i}", months={5: ""}, actor=org.planner)
    assert few == counts()


def test_budget_page_pages_the_rows_but_checks_and_totals_every_line(org):
    f = make_plan(org)
    BudgetLine.objects.bulk_create(
        [
            BudgetLine(plan=f.plan, name=f"정상 행 {i}", total_cost=2 * M, this_year=M, city=M, order=10 + i)
            for i in range(120)
        ]
        # far down the statement (second page): 계 5 ≠ 국비 2 + 시비 2
        + [
            BudgetLine(
                plan=f.plan, name="어긋난 행", total_cost=9 * M, this_year=5 * M, national=2 * M, city=2 * M, order=500
            )
        ]
    )
    whole = selectors.budget_statement(f.plan)
    shown = selectors.budget_statement_page(f.plan, page=1)
    assert [v.as_dict() for v in shown.statement.violations] == [v.as_dict() for v in whole.violations]
    assert shown.statement.header.amounts == whole.header.amounts and shown.statement.header.label == "122건"
    assert shown.statement.totals == whole.totals
    assert len(shown.statement.rows) == selectors.BUDGET_ROWS_PER_PAGE
    assert [r.label for r in shown.statement.rows] == [r.label for r in whole.rows[: selectors.BUDGET_ROWS_PER_PAGE]]
    client = client_for(org.planner)
    first = client.get(reverse("workplan:budget", args=[2024])).content.decode()
    # the line and the header row of sums break 계 = 재원 합계; both are listed on every page
    assert "규칙 위반 2건" in first and "어긋난 행" in first
    assert "정상 행 48" in first and "정상 행 49" not in first
    last = client.get(reverse("workplan:budget", args=[2024]) + "?page=2").content.decode()
    assert "정상 행 49" in last and "정상 행 98" in last and "정상 행 99" not in last
    flagged = client.get(reverse("workplan:budget", args=[2024]) + "?page=3").content.decode()
    assert "정상 행 119" in flagged and 'class="num hw-flag"' in flagged
    assert selectors.dashboard_counts(f.plan)["violations"] == len(whole.violations) == 2


def test_budget_page_checks_an_imported_header_against_every_line(org):
    f = make_plan(org)
    BudgetLine.objects.bulk_create(
        [BudgetLine(plan=f.plan, name=f"행 {i}", total_cost=M, this_year=M, city=M, order=10 + i) for i in range(3)]
    )
    from hwallyu.workplan.models import BudgetStatement

    BudgetStatement.objects.update_or_create(
        plan=f.plan,
        defaults={"header_entered": {"count": 3, "total_cost": 14 * M, "this_year": 13 * M, "city": 13 * M}},
    )
    whole = selectors.budget_statement(f.plan)
    shown = selectors.budget_statement_page(f.plan, per_page=2)
    assert [v.as_dict() for v in shown.statement.violations] == [v.as_dict() for v in whole.violations]
    assert shown.statement.header.label == "3건" and shown.statement.header.flagged == whole.header.flagged


@pytest.mark.parametrize("on", [dt.date(2024, 7, 20), dt.date(2024, 12, 31), dt.date(2025, 2, 1), dt.date(2023, 5, 1)])
def test_behind_count_matches_the_monthly_schedule(org, on):
    f = make_plan(org)
    cases = [
        ({1: "", 2: "", 3: ""}, 66),
        ({1: "", 2: "", 3: ""}, 67),
        ({3: "", 6: "", 9: "", 12: ""}, 50),
        ({3: "", 6: "", 9: "", 12: ""}, 49),
        ({6: ""}, 99),
        ({6: ""}, 100),
        ({11: "", 12: ""}, 0),
        (dict.fromkeys(range(1, 13), ""), 41),
        (dict.fromkeys(range(1, 13), ""), 42),
        ({}, 0),
    ]
    for i, (months, progress) in enumerate(cases):
        project = services.project_create(task=f.task, title=f"사업 {i}", months=months, actor=org.planner)
        Project.objects.filter(pk=project.pk).update(progress=progress)
    expected = sum(
        schedule.is_behind(p.planned_months(), progress=p.progress, year=2024, today=on)
        for p in selectors.projects(f.plan)
    )
    assert selectors.behind_count(f.plan, Project.objects.filter(plan=f.plan), on) == expected
