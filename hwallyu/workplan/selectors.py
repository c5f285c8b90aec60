"""Reads of the work plan, already prefetched; other apps read plans only through these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.safestring import mark_safe

from hwallyu.workplan import schedule
from hwallyu.workplan.budget import (
    Statement,
    StatementRow,
    Violation,
    build_statement,
    check_amounts,
    header_checks,
    sum_or_none,
)
from hwallyu.workplan.models import (
    MONEY_FIELDS,
    BudgetLine,
    BudgetStatement,
    MajorTask,
    Project,
    ScheduleMonth,
    WorkPlan,
)
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


def slim_page(qs: QuerySet[Any], number: Any, per_page: int, *, slim: QuerySet[Any] | None = None) -> Page:
    """A page of ``qs``: the page's ids found with a slim query (``slim``, default ``qs`` without its related
    rows), then its rows read in full by id.  The database sorts a big table without first joining every
    related row of every candidate (PostgreSQL would hash whole related tables for a page of 50)."""
    slim = slim if slim is not None else qs.select_related(None).prefetch_related(None).only("pk")
    page = Paginator(slim, per_page).get_page(number)
    ids = [obj.pk for obj in page.object_list]
    rows = {obj.pk: obj for obj in qs.order_by().filter(pk__in=ids)} if ids else {}
    page.object_list = [rows[pk] for pk in ids]
    return page


TASKS_PER_PAGE = 10


def task_list(plan: WorkPlan, *, department_id: int | None = None) -> QuerySet[MajorTask]:
    """The plan's major tasks in order; with ``department_id``, those of the department or with its projects."""
    qs = MajorTask.objects.filter(plan=plan)
    if department_id:
        qs = qs.filter(
            Q(department_id=department_id)
            | Q(pk__in=Project.objects.filter(plan=plan, department_id=department_id).values("task_id"))
        )
    return qs.order_by("number")


def month_notes(project: Project) -> dict[int, str]:
    """The project's planned months and their notes, in month order."""
    notes: dict[int, str] | None = getattr(project, "month_notes", None)
    if notes is None:
        notes = {m.month: m.note for m in project.months.all()}
    return notes


def attach_months(projects: list[Project]) -> list[Project]:
    """Give each project its ``month_notes`` from one query of plain rows (a page shows hundreds of months;
    ``planned_months()`` and ``month_notes()`` read them)."""
    notes: dict[int, dict[int, str]] = {p.pk: {} for p in projects}
    rows = ScheduleMonth.objects.filter(project_id__in=list(notes)).order_by("project_id", "month")
    for project_id, month, note in rows.values_list("project_id", "month", "note"):
        notes[project_id][month] = note
    for project in projects:
        # not a model field (the stubs do not know it): read back by ``month_notes()`` and ``Project.planned_months()``
        setattr(project, "month_notes", notes[project.pk])  # noqa: B010
    return projects


def _tree(plan: WorkPlan, *, department_id: int | None = None, months: bool = True) -> QuerySet[MajorTask]:
    project_qs = Project.objects.select_related("department", "team")
    if months:
        project_qs = project_qs.prefetch_related(Prefetch("months", queryset=ScheduleMonth.objects.order_by("month")))
    if department_id:
        project_qs = project_qs.filter(department_id=department_id)
    return (
        task_list(plan, department_id=department_id)
        .select_related("goal", "department", "team")
        .prefetch_related(Prefetch("projects", queryset=project_qs.order_by("number")))
    )


def _with_plan(tasks: list[MajorTask], plan: WorkPlan) -> list[MajorTask]:
    for task in tasks:
        task.plan = plan  # the policy reads task.plan: no query per task
    return tasks


def plan_tree(plan: WorkPlan, *, department_id: int | None = None) -> list[MajorTask]:
    """Major tasks with their goal, department, team and projects (with months), in order.

    With ``department_id``: the department's projects, in the tasks that have some or belong to it."""
    return _with_plan(list(_tree(plan, department_id=department_id)), plan)


def task_page(plan: WorkPlan, *, department_id: int | None = None, page: Any = None) -> Page:
    """One page (``TASKS_PER_PAGE`` major tasks) of ``plan_tree``, for the long plan-wide pages."""
    current = Paginator(_tree(plan, department_id=department_id, months=False), TASKS_PER_PAGE).get_page(page)
    current.object_list = _with_plan(list(current.object_list), plan)
    attach_months([p for task in current.object_list for p in task.projects.all()])
    return current


def task_tree(task: MajorTask) -> list[MajorTask]:
    """``plan_tree`` of one major task."""
    tree = _with_plan(list(_tree(task.plan, months=False).filter(pk=task.pk)), task.plan)
    attach_months([p for t in tree for p in t.projects.all()])
    return tree


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


CELL_MARKS = {schedule.DONE: ("●", "완료"), schedule.LATE: ("▲", "지연")}


@dataclass
class GridRow:
    project: Project
    cells: list[dict[str, Any]]
    behind: bool

    def cells_html(self) -> str:
        """The twelve month cells as table cells: written here, not per cell in a template (a page has hundreds)."""
        parts = []
        for cell in self.cells:
            css = cell["state"] + (" hw-current" if cell["current"] else "")
            title = f' title="{escape(cell["note"])}"' if cell["note"] else ""
            mark = ""
            if cell["planned"]:
                symbol, word = CELL_MARKS.get(cell["state"], ("ü", "계획"))
                mark = f'<span aria-label="{int(cell["month"])}월 {word}">{symbol}</span>'
            parts.append(f'<td class="{css}"{title}>{mark}</td>')
        return mark_safe("".join(parts))  # the only free text, the note, is escaped above


@dataclass
class ScheduleGrid:
    plan: WorkPlan
    rows: list[GridRow]
    current_month: int | None
    groups: list[tuple[MajorTask, list[GridRow]]] = field(default_factory=list)


def schedule_grid(
    plan: WorkPlan,
    *,
    department_id: int | None = None,
    on: dt.date | None = None,
    tasks: list[MajorTask] | None = None,
) -> ScheduleGrid:
    """The grid of ``tasks`` (default: the whole plan, or the department's part of it)."""
    on = on or today()
    current = on.month if on.year == plan.year else None
    rows: list[GridRow] = []
    groups: list[tuple[MajorTask, list[GridRow]]] = []
    for task in tasks if tasks is not None else plan_tree(plan, department_id=department_id):
        task_rows = []
        for project in task.projects.all():
            months = month_notes(project)
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


BUDGET_ROWS_PER_PAGE = 50


def _zero(name: str) -> Coalesce:
    return Coalesce(F(name), Value(0))


def _violating_lines(plan: WorkPlan) -> list[tuple[int, BudgetLine]]:
    """The lines breaking 계 = 재원 합계 or 총사업비 ≥ 계 + 이후 (``budget.check_amounts`` in SQL, "-" as 0),
    in statement order, each as ``(position in the statement, line)`` (counted only when there are some)."""
    sources = _zero("national") + _zero("provincial") + _zero("city") + _zero("other")
    lines: list[BudgetLine] = list(
        BudgetLine.objects.filter(plan=plan)
        .alias(this_year_0=_zero("this_year"), total_cost_0=_zero("total_cost"), sources=sources)
        .filter(~Q(this_year_0=F("sources")) | Q(total_cost_0__lt=_zero("this_year") + _zero("later")))
        .order_by("order", "pk")
    )
    if not lines:
        return []
    before = (
        BudgetLine.objects.filter(plan=plan)
        .filter(Q(order__lt=OuterRef("order")) | Q(order=OuterRef("order"), pk__lte=OuterRef("pk")))
        .values("plan")
        .annotate(n=Count("pk"))
        .values("n")
    )
    positions: dict[int, int] = dict(
        BudgetLine.objects.filter(pk__in=[line.pk for line in lines])
        .annotate(position=Subquery(before))
        .values_list("pk", "position")
    )
    return [(positions[line.pk], line) for line in lines]


@dataclass
class StatementPage:
    """The statement for the page: the header row and all rule violations, the rows of one page."""

    statement: Statement
    page: Page
    lines: list[BudgetLine]
    record: BudgetStatement | None  # where the statement came from (the imported file)


def budget_statement_page(plan: WorkPlan, *, page: Any = None, per_page: int = BUDGET_ROWS_PER_PAGE) -> StatementPage:
    """The budget statement as ``budget_statement`` shows it, computed in the database, one page of rows.

    Totals, the row count and the rule checks cover every line (set-based queries); only the page's
    lines are loaded."""
    record = BudgetStatement.objects.filter(plan=plan).first()
    totals_row = BudgetLine.objects.filter(plan=plan).aggregate(
        count=Count("pk"), **{name: Sum(name) for name in MONEY_FIELDS}
    )
    count = totals_row.pop("count")
    totals: dict[str, int | None] = {name: totals_row[name] for name in MONEY_FIELDS}
    slim = BudgetLine.objects.filter(plan=plan).order_by("order", "id").only("pk")
    paginator = Paginator(slim, per_page)
    paginator.count = count  # known already: no second COUNT query
    current = paginator.get_page(page)
    ids = [line.pk for line in current.object_list]
    by_id = {line.pk: line for line in budget_lines(plan).order_by().filter(pk__in=ids)} if ids else {}
    lines = [by_id[pk] for pk in ids]
    current.object_list = lines
    offset = current.start_index() - 1 if count else 0
    rows = []
    for i, line in enumerate(lines, start=offset + 1):
        row = StatementRow.of_line(line, i)
        for _rule, fields, message in check_amounts(row.amounts):
            row.flagged.update(fields)
            row.messages.append(message)
        rows.append(row)
    header_entered = record.header_entered if record else None
    header, violations = header_checks(
        totals=totals,
        count=count,
        header_entered=header_entered,
        header_source_row=record.header_row if record else None,
    )
    for position, line in _violating_lines(plan):
        for rule, fields, message in check_amounts(line.amounts()):
            violations.append(Violation(rule, position, line.name, fields, message, line.source_row, line.pk))
    statement = Statement(plan.year, header, rows, totals, violations, record.source_name if record else "")
    return StatementPage(statement, current, lines, record)


def budget_violation_count(plan: WorkPlan) -> int:
    """The number of broken rules of the year's statement, as ``budget_statement(plan).violations`` counts them."""
    return len(budget_statement_page(plan, per_page=1).statement.violations)


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


def progress_report(
    plan: WorkPlan,
    *,
    as_of: dt.date | None = None,
    department_id: int | None = None,
    tasks: list[MajorTask] | None = None,
) -> list[tuple[MajorTask, list[ProjectProgress]]]:
    """Each task's projects with planned and actual progress, state and budget execution.

    ``tasks`` (a page of ``plan_tree``) limits the report to them; by default the whole plan."""
    as_of = as_of or today()
    tree = tasks if tasks is not None else plan_tree(plan, department_id=department_id)
    lines_by_project: dict[int, list[BudgetLine]] = {}
    lines = BudgetLine.objects.filter(plan=plan, project__isnull=False)
    if tasks is not None or department_id:
        lines = lines.filter(project__in=[p.pk for task in tree for p in task.projects.all()])
    for line in lines:
        lines_by_project.setdefault(line.project_id or 0, []).append(line)
    result = []
    for task in tree:
        items = []
        for project in task.projects.all():
            planned = schedule.planned_progress(month_notes(project), year=plan.year, as_of=as_of)
            project_lines = lines_by_project.get(project.pk, [])
            budget = sum_or_none(
                line.this_year if line.this_year is not None else _sources(line) for line in project_lines
            )
            executed = sum(line.executed for line in project_lines)
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
        if items or not department_id:
            result.append((task, items))
    return result


def _sources(line: BudgetLine) -> int | None:
    return sum_or_none([line.national, line.provincial, line.city, line.other])


# --- dashboard ---------------------------------------------------------------------------


def behind_count(plan: WorkPlan, qs: QuerySet[Project], on: dt.date) -> int:
    """How many projects of ``qs`` are behind schedule on ``on`` (``schedule.is_behind``), counted in the database.

    A project is behind when its last planned month already over has a cumulative share (rounded to
    0.1 half up) above its progress: with k of its n planned months over, 100·k/n ≥ progress + 0.05,
    i.e. 2000·k ≥ n·(20·progress + 1)."""
    if plan.year > on.year:
        return 0
    over = Count("months") if plan.year < on.year else Count("months", filter=Q(months__month__lt=on.month))
    return (
        qs.order_by()
        .annotate(n=Count("months"), k=over)
        .alias(behind_lhs=F("k") * 2000, behind_rhs=F("n") * (F("progress") * 20 + 1))
        .filter(k__gt=0, behind_lhs__gte=F("behind_rhs"))
        .count()
    )


def dashboard_counts(plan: WorkPlan, *, department_id: int | None = None, violations: bool = True) -> dict[str, int]:
    """Projects, projects behind schedule and (unless ``violations`` is False) broken budget-statement rules."""
    qs = Project.objects.filter(plan=plan)
    if department_id:
        qs = qs.filter(department_id=department_id)
    counts = {"projects": qs.count(), "behind": behind_count(plan, qs, today())}
    if violations:
        counts["violations"] = budget_violation_count(plan)
    return counts
