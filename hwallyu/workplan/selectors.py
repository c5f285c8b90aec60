"""Reads of the work plan, already prefetched; other apps read plans only through these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from hwallyu.workplan import schedule
from hwallyu.workplan.budget import Statement, build_statement, sum_or_none
from hwallyu.workplan.models import BudgetLine, BudgetStatement, MajorTask, Project, ScheduleMonth, WorkPlan
from hwallyu.workplan.money import percent


def today() -> dt.date:
    return timezone.localdate()


def plans() -> QuerySet[WorkPlan]:
    return WorkPlan.objects.all()


def plan_for_year(year: int) -> WorkPlan | None:
    return WorkPlan.objects.filter(year=year).first()


def current_plan() -> WorkPlan | None:
    """This year's plan, else the latest one."""
    return plan_for_year(today().year) or WorkPlan.objects.order_by("-year").first()


def projects(plan: WorkPlan | None = None) -> QuerySet[Project]:
    qs = Project.objects.select_related("task", "department", "team", "plan").prefetch_related(
        Prefetch("months", queryset=ScheduleMonth.objects.order_by("month"))
    )
    return qs.filter(plan=plan) if plan is not None else qs


def project_list(
    plan: WorkPlan, *, department_id: int | None = None, query: str = "", task_id: int | None = None
) -> QuerySet[Project]:
    qs = projects(plan).order_by("task__number", "number")
    if department_id:
        qs = qs.filter(department_id=department_id)
    if task_id:
        qs = qs.filter(task_id=task_id)
    if query:
        qs = qs.filter(title__icontains=query)
    return qs


def plan_tree(plan: WorkPlan) -> list[MajorTask]:
    """Major tasks with their goal, department, team and projects (with months), in order."""
    return list(
        MajorTask.objects.filter(plan=plan)
        .select_related("goal", "department", "team")
        .prefetch_related(
            Prefetch(
                "projects",
                queryset=Project.objects.select_related("department", "team")
                .prefetch_related(Prefetch("months", queryset=ScheduleMonth.objects.order_by("month")))
                .order_by("number"),
            )
        )
        .order_by("number")
    )


def project_by_id(project_id: int) -> Project | None:
    return projects().filter(pk=project_id).first()


def planned_progress(project: Project, as_of: dt.date) -> Decimal | None:
    """Planned progress (0–100) of ``project`` on ``as_of`` from its monthly schedule."""
    return schedule.planned_progress(project.planned_months(), year=project.plan.year, as_of=as_of)


def project_choices(year: int) -> QuerySet[Project]:
    """Projects of a year for pickers in other apps (review targets)."""
    return (
        Project.objects.filter(plan__year=year).select_related("task", "department").order_by("task__number", "number")
    )


# --- the monthly schedule grid ---------------------------------------------------------


@dataclass
class GridRow:
    project: Project
    cells: list[dict[str, Any]]
    behind: bool


@dataclass
class ScheduleGrid:
    plan: WorkPlan
    rows: list[GridRow]
    current_month: int | None
    groups: list[tuple[MajorTask, list[GridRow]]] = field(default_factory=list)


def schedule_grid(plan: WorkPlan, *, department_id: int | None = None, on: dt.date | None = None) -> ScheduleGrid:
    on = on or today()
    current = on.month if on.year == plan.year else None
    rows: list[GridRow] = []
    groups: list[tuple[MajorTask, list[GridRow]]] = []
    for task in plan_tree(plan):
        task_rows = []
        for project in task.projects.all():
            if department_id and project.department_id != department_id:
                continue
            months = {m.month: m.note for m in project.months.all()}
            states = schedule.month_states(months, progress=project.progress, year=plan.year, today=on)
            cells = [
                {
                    "month": m,
                    "planned": m in months,
                    "note": months.get(m, ""),
                    "state": states.get(m, ""),
                    "current": m == current,
                }
                for m in schedule.MONTHS
            ]
            row = GridRow(project, cells, schedule.LATE in states.values())
            rows.append(row)
            task_rows.append(row)
        if task_rows:
            groups.append((task, task_rows))
    return ScheduleGrid(plan, rows, current, groups)


# --- the budget statement --------------------------------------------------------------


def budget_lines(plan: WorkPlan) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(plan=plan).select_related("project").order_by("order", "id")


def budget_statement(plan: WorkPlan) -> Statement:
    statement = BudgetStatement.objects.filter(plan=plan).first()
    return build_statement(year=plan.year, lines=list(budget_lines(plan)), statement=statement)


# --- the plan progress report (주요업무 계획·추진상황 보고) ----------------------------------


@dataclass
class ProjectProgress:
    project: Project
    planned: Decimal | None
    progress: int
    state: str  # "정상", "지연", "완료", "계획 없음"
    budget: int | None
    executed: int
    execution_rate: Decimal | None


def schedule_state(planned: Decimal | None, progress: int) -> str:
    if progress >= 100:
        return "완료"
    if planned is None:
        return "일정 없음"
    return "정상" if Decimal(progress) >= planned else "지연"


def progress_report(plan: WorkPlan, *, as_of: dt.date | None = None) -> list[tuple[MajorTask, list[ProjectProgress]]]:
    as_of = as_of or today()
    lines_by_project: dict[int, list[BudgetLine]] = {}
    for line in BudgetLine.objects.filter(plan=plan, project__isnull=False):
        lines_by_project.setdefault(line.project_id or 0, []).append(line)
    result = []
    for task in plan_tree(plan):
        items = []
        for project in task.projects.all():
            planned = schedule.planned_progress([m.month for m in project.months.all()], year=plan.year, as_of=as_of)
            lines = lines_by_project.get(project.pk, [])
            budget = sum_or_none(line.this_year if line.this_year is not None else _sources(line) for line in lines)
            executed = sum(line.executed for line in lines)
            items.append(
                ProjectProgress(
                    project=project,
                    planned=planned,
                    progress=project.progress,
                    state=schedule_state(planned, project.progress),
                    budget=budget,
                    executed=executed,
                    execution_rate=percent(executed, budget) if budget else None,
                )
            )
        result.append((task, items))
    return result


def _sources(line: BudgetLine) -> int | None:
    return sum_or_none([line.national, line.provincial, line.city, line.other])


# --- dashboard ---------------------------------------------------------------------------


def dashboard_counts(plan: WorkPlan, *, department_id: int | None = None) -> dict[str, int]:
    on = today()
    qs = projects(plan)
    if department_id:
        qs = qs.filter(department_id=department_id)
    total = 0
    behind = 0
    for project in qs:
        total += 1
        if schedule.is_behind(
            [m.month for m in project.months.all()], progress=project.progress, year=plan.year, today=on
        ):
            behind += 1
    return {"projects": total, "behind": behind, "violations": len(budget_statement(plan).violations)}
