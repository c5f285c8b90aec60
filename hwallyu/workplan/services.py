"""Writes of the work plan: plans, goals, major tasks, projects, schedules, budget lines.

Every service is keyword-only with ``actor``; it checks the policy, validates, saves, and
writes one audit row inside its transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone

from hwallyu.core.audit import diff, log_action, snapshot
from hwallyu.org import selectors as org
from hwallyu.org.models import Department, Team
from hwallyu.workplan import policies as p
from hwallyu.workplan.budget_import import ImportResult, Problem, parse_statement
from hwallyu.workplan.models import (
    MONEY_FIELDS,
    BudgetLine,
    BudgetStatement,
    Goal,
    MajorTask,
    PlanStatus,
    Project,
    ScheduleMonth,
    WorkPlan,
)
from hwallyu.workplan.money import MAX_WON
from hwallyu.workplan.policies import workplans

TASK_FIELDS = ("title", "department", "team", "aims", "overview", "plan_text", "expected_effects", "goal")
PROJECT_FIELDS = ("title", "department", "team", "description", "schedule_note")
LINE_FIELDS = ("name", "project", *MONEY_FIELDS)


class BudgetImportError(ValidationError):
    """The budget file could not be read; ``problems`` name each by row and column."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__([pr.text() for pr in problems])
        self.problems = problems


def _check_department(actor: Any, department: Department) -> None:
    if workplans.own_department_only(actor):
        own = org.department_of(actor)
        if own is None or own.pk != department.pk:
            raise PermissionDenied("자기 부서의 업무만 등록·수정할 수 있습니다.")


def _check_team(team: Team | None, department: Department) -> None:
    if team is not None and team.department_id != department.pk:
        raise ValidationError({"team": "선택한 팀이 담당 부서에 속하지 않습니다."})


def _validate_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "연도는 2000–2100 사이여야 합니다."})


# --- plans -------------------------------------------------------------------------------


def plan_create(*, year: int, title: str = "", context: str = "", actor: Any) -> WorkPlan:
    workplans.check(actor, p.CREATE_PLAN)
    _validate_year(year)
    with transaction.atomic():
        if WorkPlan.objects.filter(year=year).exists():
            raise ValidationError({"year": f"{year}년 계획이 이미 있습니다."})
        plan = WorkPlan.objects.create(year=year, title=title.strip() or f"{year}년 주요업무계획", context=context)
        BudgetStatement.objects.create(plan=plan)
        log_action(actor=actor, action="workplan.plan_create", target=plan, after=snapshot(plan, ["year", "title"]))
    return plan


def plan_update(*, plan: WorkPlan, title: str, context: str, actor: Any) -> WorkPlan:
    workplans.check(actor, p.MANAGE, plan)
    with transaction.atomic():
        before = snapshot(plan, ["title", "context"])
        plan.title = title.strip() or f"{plan.year}년 주요업무계획"
        plan.context = context
        plan.save(update_fields=["title", "context", "updated_at"])
        b, a = diff(before, snapshot(plan, ["title", "context"]))
        log_action(actor=actor, action="workplan.plan_update", target=plan, before=b, after=a)
    return plan


def plan_lock(*, plan: WorkPlan, actor: Any) -> WorkPlan:
    workplans.check(actor, p.LOCK, plan)
    with transaction.atomic():
        updated = WorkPlan.objects.filter(pk=plan.pk, status=PlanStatus.OPEN).update(
            status=PlanStatus.LOCKED, locked_at=timezone.now(), locked_by=actor
        )
        if not updated:
            raise ValidationError("이미 확정된 계획입니다.")
        plan.refresh_from_db()
        log_action(actor=actor, action="workplan.plan_lock", target=plan, after={"status": plan.status})
    return plan


def plan_unlock(*, plan: WorkPlan, actor: Any) -> WorkPlan:
    workplans.check(actor, p.UNLOCK, plan)
    with transaction.atomic():
        updated = WorkPlan.objects.filter(pk=plan.pk, status=PlanStatus.LOCKED).update(
            status=PlanStatus.OPEN, locked_at=None, locked_by=None
        )
        if not updated:
            raise ValidationError("작성 중인 계획입니다.")
        plan.refresh_from_db()
        log_action(actor=actor, action="workplan.plan_unlock", target=plan, after={"status": plan.status})
    return plan


# --- goals and major tasks ---------------------------------------------------------------


def goal_save(*, plan: WorkPlan, text: str, department: Department, goal: Goal | None = None, actor: Any) -> Goal:
    workplans.check(actor, p.ADD_TASK, plan)
    _check_department(actor, department)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "목표를 입력하세요."})
    with transaction.atomic():
        if goal is None:
            order = (plan.goals.aggregate(m=Max("order"))["m"] or 0) + 1
            goal = Goal.objects.create(plan=plan, department=department, text=text[:200], order=order)
            log_action(actor=actor, action="workplan.goal_create", target=goal, department=department)
        else:
            if goal.plan_id != plan.pk:
                raise ValidationError("다른 연도의 목표입니다.")
            _check_department(actor, goal.department)
            before = snapshot(goal, ["text", "department_id"])
            goal.text, goal.department = text[:200], department
            goal.save(update_fields=["text", "department"])
            b, a = diff(before, snapshot(goal, ["text", "department_id"]))
            log_action(
                actor=actor, action="workplan.goal_update", target=goal, department=department, before=b, after=a
            )
    return goal


def task_create(
    *,
    plan: WorkPlan,
    goal: Goal,
    title: str,
    department: Department,
    team: Team | None = None,
    aims: str = "",
    overview: str = "",
    plan_text: str = "",
    expected_effects: str = "",
    number: int | None = None,
    actor: Any,
) -> MajorTask:
    workplans.check(actor, p.ADD_TASK, plan)
    _check_department(actor, department)
    _check_team(team, department)
    if goal.plan_id != plan.pk:
        raise ValidationError({"goal": "이 계획의 목표가 아닙니다."})
    if not title.strip():
        raise ValidationError({"title": "주요업무 이름을 입력하세요."})
    with transaction.atomic():
        if number is None:
            number = (plan.tasks.aggregate(m=Max("number"))["m"] or 0) + 1
        elif plan.tasks.filter(number=number).exists():
            raise ValidationError({"number": f"{number}번 주요업무가 이미 있습니다."})
        task = MajorTask.objects.create(
            plan=plan,
            goal=goal,
            number=number,
            title=title.strip(),
            department=department,
            team=team,
            aims=aims,
            overview=overview,
            plan_text=plan_text,
            expected_effects=expected_effects,
        )
        log_action(
            actor=actor,
            action="workplan.task_create",
            target=task,
            department=department,
            after=snapshot(task, ["number", "title", "department_id", "team_id"]),
        )
    return task


def task_update(*, task: MajorTask, actor: Any, **fields: Any) -> MajorTask:
    workplans.check(actor, p.EDIT_TASK, task)
    unknown = set(fields) - set(TASK_FIELDS)
    if unknown:
        raise ValidationError(f"바꿀 수 없는 항목입니다: {', '.join(sorted(unknown))}")
    department = fields.get("department", task.department)
    if "department" in fields:
        _check_department(actor, department)
    _check_team(fields.get("team", task.team), department)
    if "title" in fields and not str(fields["title"]).strip():
        raise ValidationError({"title": "주요업무 이름을 입력하세요."})
    if "goal" in fields and fields["goal"].plan_id != task.plan_id:
        raise ValidationError({"goal": "이 계획의 목표가 아닙니다."})
    names = [f"{n}_id" if n in ("department", "team", "goal") else n for n in fields]
    with transaction.atomic():
        before = snapshot(task, names)
        for name, value in fields.items():
            setattr(task, name, value.strip() if isinstance(value, str) else value)
        task.save(update_fields=[*fields, "updated_at"])
        b, a = diff(before, snapshot(task, names))
        log_action(
            actor=actor, action="workplan.task_update", target=task, department=task.department, before=b, after=a
        )
    return task


# --- projects ----------------------------------------------------------------------------


def _clean_months(months: Mapping[int, str] | None) -> dict[int, str]:
    cleaned: dict[int, str] = {}
    for month, note in (months or {}).items():
        try:
            m = int(month)
        except (TypeError, ValueError):
            raise ValidationError({"months": f"월은 1–12의 숫자여야 합니다: {month!r}"})
        if not 1 <= m <= 12:
            raise ValidationError({"months": f"월은 1–12 사이여야 합니다: {m}"})
        cleaned[m] = str(note or "").strip()[:100]
    return cleaned


def _set_months(project: Project, months: dict[int, str]) -> None:
    project.months.exclude(month__in=list(months)).delete()
    existing = {m.month: m for m in project.months.all()}
    for month, note in months.items():
        row = existing.get(month)
        if row is None:
            ScheduleMonth.objects.create(project=project, month=month, note=note)
        elif row.note != note:
            row.note = note
            row.save(update_fields=["note"])


def project_create(
    *,
    task: MajorTask,
    title: str,
    department: Department | None = None,
    team: Team | None = None,
    description: str = "",
    schedule_note: str = "",
    months: Mapping[int, str] | None = None,
    number: int | None = None,
    actor: Any,
) -> Project:
    workplans.check(actor, p.ADD_PROJECT, task)
    department = department or task.department
    _check_department(actor, department)
    _check_team(team, department)
    if not title.strip():
        raise ValidationError({"title": "사업명을 입력하세요."})
    cleaned = _clean_months(months)
    with transaction.atomic():
        if number is None:
            number = (task.projects.aggregate(m=Max("number"))["m"] or 0) + 1
        elif task.projects.filter(number=number).exists():
            raise ValidationError({"number": f"연번 {number}이(가) 이미 있습니다."})
        project = Project.objects.create(
            plan_id=task.plan_id,
            task=task,
            number=number,
            title=title.strip(),
            department=department,
            team=team,
            description=description,
            schedule_note=schedule_note.strip(),
        )
        _set_months(project, cleaned)
        log_action(
            actor=actor,
            action="workplan.project_create",
            target=project,
            department=department,
            after={**snapshot(project, ["title", "department_id"]), "months": sorted(cleaned)},
        )
    return project


def project_update(*, project: Project, actor: Any, months: Mapping[int, str] | None = None, **fields: Any) -> Project:
    workplans.check(actor, p.EDIT_PROJECT, project)
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise ValidationError(f"바꿀 수 없는 항목입니다: {', '.join(sorted(unknown))}")
    department = fields.get("department", project.department)
    if "department" in fields:
        _check_department(actor, department)
    _check_team(fields.get("team", project.team), department)
    if "title" in fields and not str(fields["title"]).strip():
        raise ValidationError({"title": "사업명을 입력하세요."})
    cleaned = _clean_months(months) if months is not None else None
    names = [f"{n}_id" if n in ("department", "team") else n for n in fields]
    with transaction.atomic():
        before = {**snapshot(project, names), "months": project.planned_months()}
        for name, value in fields.items():
            setattr(project, name, value.strip() if isinstance(value, str) else value)
        if fields:
            project.save(update_fields=[*fields, "updated_at"])
        if cleaned is not None:
            _set_months(project, cleaned)
        after = {**snapshot(project, names), "months": sorted(cleaned) if cleaned is not None else before["months"]}
        b, a = diff(before, after)
        log_action(
            actor=actor, action="workplan.project_update", target=project, department=department, before=b, after=a
        )
    return project


def project_progress_update(*, project: Project, progress: int, note: str = "", actor: Any) -> Project:
    workplans.check(actor, p.UPDATE_PROGRESS, project)
    try:
        value = int(progress)
    except (TypeError, ValueError):
        raise ValidationError({"progress": "추진률은 0–100 사이의 정수여야 합니다."})
    if not 0 <= value <= 100:
        raise ValidationError({"progress": f"추진률은 0–100 사이여야 합니다(입력값 {value})."})
    with transaction.atomic():
        before = snapshot(project, ["progress", "progress_note"])
        project.progress = value
        project.progress_note = note
        project.progress_updated_at = timezone.now()
        project.save(update_fields=["progress", "progress_note", "progress_updated_at", "updated_at"])
        b, a = diff(before, snapshot(project, ["progress", "progress_note"]))
        log_action(
            actor=actor,
            action="workplan.project_progress",
            target=project,
            department=project.department,
            before=b,
            after=a,
        )
    return project


def project_delete(*, project: Project, actor: Any) -> None:
    workplans.check(actor, p.EDIT_PROJECT, project)
    with transaction.atomic():
        record = {**snapshot(project, ["title", "department_id", "task_id"]), "months": project.planned_months()}
        department = project.department
        try:
            project.delete()
        except ProtectedError:
            raise ValidationError("심사분석 대상으로 지정된 사업은 삭제할 수 없습니다.")
        log_action(
            actor=actor,
            action="workplan.project_delete",
            target_type="workplan.project",
            target_id=record.get("title", ""),
            target_repr=str(record.get("title", "")),
            department=department,
            before=record,
        )


# --- budget lines --------------------------------------------------------------------------


def _validate_amounts(values: Mapping[str, Any]) -> None:
    errors = {}
    for name in MONEY_FIELDS:
        value = values.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            errors[name] = "금액은 원 단위 정수여야 합니다."
        elif value < 0:
            errors[name] = "금액은 0 이상이어야 합니다."
        elif value > MAX_WON:
            errors[name] = "금액이 너무 큽니다."
    if errors:
        raise ValidationError(errors)


def budget_line_create(
    *, plan: WorkPlan, name: str, project: Project | None = None, actor: Any, **amounts: Any
) -> BudgetLine:
    workplans.check(actor, p.EDIT_BUDGET, plan)
    if set(amounts) - set(MONEY_FIELDS):
        raise ValidationError("알 수 없는 금액 항목입니다.")
    _validate_amounts(amounts)
    if not name.strip():
        raise ValidationError({"name": "사업명을 입력하세요."})
    if project is not None and project.plan_id != plan.pk:
        raise ValidationError({"project": "다른 연도의 사업입니다."})
    with transaction.atomic():
        order = (plan.budget_lines.aggregate(m=Max("order"))["m"] or 0) + 1
        line = BudgetLine.objects.create(plan=plan, name=name.strip(), project=project, order=order, **amounts)
        BudgetStatement.objects.get_or_create(plan=plan)
        log_action(
            actor=actor,
            action="workplan.budget_line_create",
            target=line,
            after=snapshot(line, ["name", *MONEY_FIELDS]),
        )
    return line


def budget_line_update(*, line: BudgetLine, actor: Any, **fields: Any) -> BudgetLine:
    workplans.check(actor, p.EDIT_BUDGET, line)
    if set(fields) - set(LINE_FIELDS):
        raise ValidationError("바꿀 수 없는 항목입니다.")
    _validate_amounts(fields)
    if "name" in fields and not str(fields["name"]).strip():
        raise ValidationError({"name": "사업명을 입력하세요."})
    project = fields.get("project")
    if project is not None and project.plan_id != line.plan_id:
        raise ValidationError({"project": "다른 연도의 사업입니다."})
    names = [f"{n}_id" if n == "project" else n for n in fields]
    with transaction.atomic():
        before = snapshot(line, names)
        for name, value in fields.items():
            setattr(line, name, value.strip() if isinstance(value, str) else value)
        line.save(update_fields=list(fields))
        b, a = diff(before, snapshot(line, names))
        log_action(actor=actor, action="workplan.budget_line_update", target=line, before=b, after=a)
    return line


def budget_line_delete(*, line: BudgetLine, actor: Any) -> None:
    workplans.check(actor, p.EDIT_BUDGET, line)
    with transaction.atomic():
        record = snapshot(line, ["name", *MONEY_FIELDS])
        target_id = line.pk
        line.delete()
        log_action(
            actor=actor,
            action="workplan.budget_line_delete",
            target_type="workplan.budgetline",
            target_id=target_id,
            target_repr=record["name"],
            before=record,
        )


def budget_execution_update(*, line: BudgetLine, executed: int, note: str = "", actor: Any) -> BudgetLine:
    workplans.check(actor, p.UPDATE_EXECUTION, line)
    if isinstance(executed, bool) or not isinstance(executed, int) or not 0 <= executed <= MAX_WON:
        raise ValidationError({"executed": "집행액은 0 이상의 원 단위 정수여야 합니다."})
    budget = (
        line.this_year
        if line.this_year is not None
        else sum(v or 0 for v in (line.national, line.provincial, line.city, line.other))
    )
    if executed > budget and not note.strip():
        raise ValidationError({"execution_note": "집행액이 예산을 넘습니다. 사유를 비고에 적어 주세요."})
    with transaction.atomic():
        before = snapshot(line, ["executed", "execution_note"])
        line.executed, line.execution_note = executed, note.strip()[:200]
        line.save(update_fields=["executed", "execution_note"])
        b, a = diff(before, snapshot(line, ["executed", "execution_note"]))
        log_action(actor=actor, action="workplan.budget_execution", target=line, before=b, after=a)
    return line


def _norm_title(text: str) -> str:
    return "".join(text.split())


def budget_import(*, plan: WorkPlan, data: bytes, filename: str, actor: Any) -> ImportResult:
    """Replace the year's budget lines with those of the file, numbers exactly as entered.

    Nothing is saved when the file has any problem (:class:`BudgetImportError`).  Rule
    violations of the numbers themselves (계 ≠ sources, …) are not problems of the file: the
    lines are saved as written and the statement shows them marked.
    """
    workplans.check(actor, p.EDIT_BUDGET, plan)
    result = parse_statement(data, filename)
    if not result.ok or result.parsed is None:
        raise BudgetImportError(result.problems)
    parsed = result.parsed
    with transaction.atomic():
        by_title = {_norm_title(pr.title): pr for pr in Project.objects.filter(plan=plan)}
        removed = list(plan.budget_lines.values("name", *MONEY_FIELDS))
        plan.budget_lines.all().delete()
        BudgetLine.objects.bulk_create(
            [
                BudgetLine(
                    plan=plan,
                    project=by_title.get(_norm_title(line.name)),
                    name=line.name,
                    source_row=line.source_row,
                    order=i,
                    **line.amounts,
                )
                for i, line in enumerate(parsed.lines, start=1)
            ]
        )
        statement, _ = BudgetStatement.objects.get_or_create(plan=plan)
        statement.header_entered = parsed.header_entered
        statement.header_row = parsed.header_row
        statement.source_name = filename[:200]
        statement.imported_at = timezone.now()
        statement.imported_by = actor
        statement.save(update_fields=["header_entered", "header_row", "source_name", "imported_at", "imported_by"])
        log_action(
            actor=actor,
            action="workplan.budget_import",
            target=statement,
            before={"lines": removed},
            after={
                "file": filename,
                "unit": parsed.unit_label,
                "header": parsed.header_entered,
                "lines": [{"row": ln.source_row, "name": ln.name, **ln.amounts} for ln in parsed.lines],
            },
        )
    return result


def budget_header_clear(*, plan: WorkPlan, actor: Any) -> None:
    """Drop the imported header row: the statement's header goes back to the sums of the rows."""
    workplans.check(actor, p.EDIT_BUDGET, plan)
    with transaction.atomic():
        statement, _ = BudgetStatement.objects.get_or_create(plan=plan)
        before = {"header_entered": statement.header_entered}
        statement.header_entered = None
        statement.header_row = None
        statement.save(update_fields=["header_entered", "header_row"])
        log_action(actor=actor, action="workplan.budget_header_clear", target=statement, before=before)
