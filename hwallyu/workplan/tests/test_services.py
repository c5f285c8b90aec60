"""Work plan services: the monthly schedule arithmetic, editing rights, locking, progress, export/import."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
import yaml
from django.core.exceptions import PermissionDenied, ValidationError

from hwallyu.core.models import AuditEvent
from hwallyu.workplan import exchange, schedule, selectors, services
from hwallyu.workplan.models import BudgetLine, MajorTask, PlanStatus, Project, ScheduleMonth, WorkPlan
from hwallyu.workplan.tests.factories import M, make_plan


def test_planned_progress_from_the_monthly_schedule():
    quarterly = [3, 6, 9, 12]
    assert schedule.planned_progress(quarterly, year=2024, as_of=dt.date(2024, 6, 30)) == Decimal("50.0")
    assert schedule.planned_progress(quarterly, year=2024, as_of=dt.date(2024, 6, 15)) == Decimal("37.5")
    assert schedule.planned_progress(quarterly, year=2024, as_of=dt.date(2023, 12, 31)) == Decimal("0.0")
    assert schedule.planned_progress(quarterly, year=2024, as_of=dt.date(2025, 1, 1)) == Decimal("100.0")
    assert schedule.planned_progress(range(1, 13), year=2024, as_of=dt.date(2024, 6, 30)) == Decimal("50.0")
    assert schedule.planned_progress([], year=2024, as_of=dt.date(2024, 6, 30)) is None


def test_month_states_done_late_planned():
    states = schedule.month_states([3, 6, 9, 12], progress=50, year=2024, today=dt.date(2024, 10, 15))
    assert states == {3: "done", 6: "done", 9: "late", 12: "planned"}
    assert schedule.is_behind([3, 6, 9, 12], progress=50, year=2024, today=dt.date(2024, 10, 15))
    assert not schedule.is_behind([3, 6, 9, 12], progress=75, year=2024, today=dt.date(2024, 10, 15))


@pytest.mark.django_db
def test_plan_is_created_once_per_year_with_audit(org):
    plan = services.plan_create(year=2024, actor=org.planner)
    assert plan.title == "2024년 주요업무계획" and plan.is_open
    with pytest.raises(ValidationError):
        services.plan_create(year=2024, actor=org.planner)
    with pytest.raises(PermissionDenied):
        services.plan_create(year=2025, actor=org.manager)
    assert AuditEvent.objects.filter(action="workplan.plan_create").count() == 1


@pytest.mark.django_db
def test_departments_edit_their_own_tasks_and_projects_while_open(org):
    f = make_plan(org)
    services.task_update(task=f.task, overview="부서가 쓴 개요", actor=org.staff)
    services.project_update(project=f.project, months={1: "착수", 12: "완료"}, actor=org.manager)
    assert f.project.planned_months() == [1, 12]
    with pytest.raises(PermissionDenied):
        services.task_update(task=f.other_task, overview="남의 업무", actor=org.staff)
    with pytest.raises(PermissionDenied):
        services.project_create(task=f.other_task, title="남의 사업", actor=org.manager)
    with pytest.raises(PermissionDenied):
        services.task_update(task=f.task, overview="열람만", actor=org.executive)
    # a department cannot hand its project to another department
    with pytest.raises(PermissionDenied):
        services.project_update(project=f.project, department=org.other_dept, actor=org.manager)


@pytest.mark.django_db
def test_locked_plan_is_read_only_but_progress_still_moves(org):
    f = make_plan(org)
    services.plan_lock(plan=f.plan, actor=org.planner)
    f.plan.refresh_from_db()
    assert f.plan.status == PlanStatus.LOCKED
    for actor in (org.manager, org.planner):
        with pytest.raises(PermissionDenied):
            services.project_update(project=Project.objects.get(pk=f.project.pk), title="수정", actor=actor)
    with pytest.raises(PermissionDenied):
        services.budget_line_create(plan=f.plan, name="추가", actor=org.planner)
    project = services.project_progress_update(
        project=Project.objects.get(pk=f.project.pk), progress=40, note="2분기까지 추진", actor=org.staff
    )
    assert project.progress == 40
    with pytest.raises(PermissionDenied):
        services.plan_lock(plan=f.plan, actor=org.planner)
    services.plan_unlock(plan=f.plan, actor=org.planner)
    services.project_update(project=Project.objects.get(pk=f.project.pk), title="수정", actor=org.manager)


@pytest.mark.django_db
@pytest.mark.parametrize("value", [-1, 101, 250])
def test_progress_outside_0_to_100_is_refused(org, value):
    f = make_plan(org)
    with pytest.raises(ValidationError) as exc:
        services.project_progress_update(project=f.project, progress=value, actor=org.staff)
    assert "0–100" in " ".join(exc.value.messages)
    assert Project.objects.get(pk=f.project.pk).progress == 0


@pytest.mark.django_db
def test_execution_above_budget_needs_a_note(org):
    f = make_plan(org)
    with pytest.raises(ValidationError) as exc:
        services.budget_execution_update(line=f.line, executed=12 * M, actor=org.staff)
    assert "사유" in " ".join(exc.value.messages)
    line = services.budget_execution_update(line=f.line, executed=12 * M, note="추경 반영", actor=org.staff)
    assert line.executed == 12 * M
    with pytest.raises(PermissionDenied):
        services.budget_execution_update(line=f.line, executed=1, actor=org.other_manager)


@pytest.mark.django_db
def test_schedule_grid_filters_by_department_and_marks_months(org):
    f = make_plan(org)
    services.project_progress_update(project=f.project, progress=50, actor=org.planner)
    grid = selectors.schedule_grid(f.plan, department_id=org.dept.pk, on=dt.date(2024, 10, 15))
    assert [r.project.pk for r in grid.rows] == [f.project.pk]
    cells = {c["month"]: c for c in grid.rows[0].cells}
    assert cells[3]["state"] == "done" and cells[9]["state"] == "late" and cells[12]["state"] == "planned"
    assert cells[10]["current"] and not cells[1]["planned"]
    assert grid.rows[0].behind


def _document(org):
    f = make_plan(org)
    services.budget_execution_update(line=f.line, executed=3 * M, actor=org.planner)
    return f, exchange.plan_document(f.plan)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_export_then_import_into_another_year_round_trips(org, fmt):
    f, _ = _document(org)
    body, content_type = exchange.export_plan(f.plan, fmt)
    assert fmt in content_type
    loaded = json.loads(body) if fmt == "json" else yaml.safe_load(body)
    assert loaded["goals"][0]["tasks"][0]["projects"][0]["schedule"][0] == {"month": 3, "note": "분기 심사분석"}
    plan = exchange.import_plan(data=body, filename=f"plan.{fmt}", actor=org.planner, year=2025)
    assert plan.year == 2025
    assert MajorTask.objects.filter(plan=plan).count() == 2
    project = Project.objects.get(plan=plan, title="역점사업 심사분석")
    assert project.planned_months() == [3, 6, 9, 12] and project.department == org.dept
    line = BudgetLine.objects.get(plan=plan)
    assert (line.this_year, line.executed, line.project_id) == (10 * M, 3 * M, project.pk)
    assert exchange.plan_document(plan)["goals"] == exchange.plan_document(f.plan)["goals"]


@pytest.mark.django_db
def test_import_with_problems_names_each_path_and_saves_nothing(org):
    _, document = _document(org)
    document["year"] = 2026
    document["goals"][0]["department"] = "NOPE"
    task = document["goals"][0]["tasks"][0]
    task["projects"][0]["schedule"].append({"month": 13, "note": ""})
    task["projects"][0]["progress"] = 140
    document["budget"]["lines"][0]["city"] = "십억"
    body = json.dumps(document, ensure_ascii=False).encode()
    plans_before = WorkPlan.objects.count()
    with pytest.raises(exchange.PlanImportError) as exc:
        exchange.import_plan(data=body, filename="plan.json", actor=org.planner)
    paths = {p.path for p in exc.value.problems}
    assert {
        "goals[0].department",
        "goals[0].tasks[0].projects[0].schedule[4].month",
        "goals[0].tasks[0].projects[0].progress",
        "budget.lines[0].city",
    } <= paths
    assert WorkPlan.objects.count() == plans_before
    assert not ScheduleMonth.objects.filter(project__plan__year=2026).exists()


@pytest.mark.django_db
def test_import_refuses_broken_files_and_existing_years(org):
    f, document = _document(org)
    with pytest.raises(exchange.PlanImportError) as exc:
        exchange.import_plan(data=b"{not json", filename="p.json", actor=org.planner)
    assert "JSON" in exc.value.problems[0].message
    with pytest.raises(exchange.PlanImportError):
        exchange.import_plan(data=b"- a\n- b: [", filename="p.yaml", actor=org.planner)
    body = json.dumps(document, ensure_ascii=False).encode()
    with pytest.raises(exchange.PlanImportError) as exc:
        exchange.import_plan(data=body, filename="p.json", actor=org.planner)
    assert "이미" in exc.value.problems[0].message
    replaced = exchange.import_plan(data=body, filename="p.json", actor=org.planner, replace=True)
    assert replaced.pk == f.plan.pk and Project.objects.filter(plan=replaced).count() == 2
    with pytest.raises(PermissionDenied):
        exchange.import_plan(data=body, filename="p.json", actor=org.manager, year=2030)
