"""Pages of the work plan: thin views that resolve through the policy and call one service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from hwallyu.core.documents import report_response
from hwallyu.org import selectors as org
from hwallyu.workplan import documents, exchange, selectors, services
from hwallyu.workplan import policies as p
from hwallyu.workplan.forms import (
    BudgetImportForm,
    BudgetLineForm,
    ExecutionForm,
    GoalForm,
    PlanCreateForm,
    PlanEditForm,
    PlanImportForm,
    ProgressForm,
    ProjectForm,
    ScheduleFilterForm,
    TaskForm,
)
from hwallyu.workplan.models import MONEY_FIELDS, WorkPlan
from hwallyu.workplan.policies import workplans

DOC_FORMATS = ("hwpx", "xlsx")


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form (field errors where the field exists)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


def _plan(request: HttpRequest, year: int) -> WorkPlan:
    return workplans.get_visible_or_404(request.user, year=year)


def _crumbs(plan: WorkPlan | None, *more: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [("업무계획", reverse("workplan:index"))]
    if plan is not None:
        crumbs.append((f"{plan.year}년", reverse("workplan:plan", args=[plan.year])))
    crumbs.extend(more)
    return crumbs


def _fmt(request: HttpRequest) -> str | None:
    fmt = request.GET.get("format", "")
    if fmt and fmt not in DOC_FORMATS:
        raise Http404("지원하지 않는 문서 형식입니다.")
    return fmt or None


# --- plans ------------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    plans = list(workplans.scope(request.user))
    current = selectors.current_plan()
    if current is not None and not request.GET.get("all"):
        return redirect("workplan:plan", year=current.year)
    return render(
        request,
        "workplan/index.html",
        {
            "plans": plans,
            "can_create": workplans.can(request.user, p.CREATE_PLAN),
            "breadcrumbs": _crumbs(None),
        },
    )


@login_required
def current(request: HttpRequest, target: str) -> HttpResponse:
    """The menu's year-less links: the same page of the current year's plan."""
    plan = selectors.current_plan()
    if plan is None:
        messages.info(request, "아직 등록된 연도 계획이 없습니다.")
        return redirect(f"{reverse('workplan:index')}?all=1")
    return redirect(f"workplan:{target}", year=plan.year)


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    workplans.check(request.user, p.CREATE_PLAN)
    form = PlanCreateForm(request.POST or None, initial={"year": selectors.today().year})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{plan.year}년 계획을 만들었습니다.")
            return redirect("workplan:plan", year=plan.year)
    return render(
        request,
        "workplan/form.html",
        {"form": form, "title": "새 연도 계획", "breadcrumbs": _crumbs(None, ("새 계획", None))},
    )


def _department_filter(request: HttpRequest) -> tuple[ScheduleFilterForm, Any]:
    """The "부서" filter of the plan-wide pages and the department it picks (None: every department)."""
    filters = ScheduleFilterForm(request.GET or None)
    department = filters.cleaned_data.get("department") if filters.is_valid() else None
    return filters, department


def _query_string(request: HttpRequest, *drop: str) -> str:
    query = request.GET.copy()
    for name in ("page", *drop):
        query.pop(name, None)
    return query.urlencode()


@login_required
def plan_detail(request: HttpRequest, year: int) -> HttpResponse:
    plan = _plan(request, year)
    filters, department = _department_filter(request)
    department_id = department.pk if department else None
    page = selectors.task_page(plan, department_id=department_id, page=request.GET.get("page"))
    user = request.user
    goals = plan.goals.order_by("order", "id")
    if department_id:
        goals = goals.filter(department_id=department_id)
    # the overview lists every goal and major task of the plan (hundreds in a large city): written here,
    # every text escaped, links built from one reversed URL
    task_url = reverse("workplan:task", args=[0]).removesuffix("0/")
    goal_url = reverse("workplan:goal_edit", args=[0]).removesuffix("0/edit/")
    can_add_task = workplans.can(user, p.ADD_TASK, plan)
    return render(
        request,
        "workplan/plan_detail.html",
        {
            "plan": plan,
            "goals_html": mark_safe(
                "".join(
                    f'<p><strong>목표</strong> {escape(text)} <span class="hw-muted">({escape(name)})</span>'
                    + (f' <a href="{goal_url}{pk}/edit/">수정</a>' if can_add_task else "")
                    + "</p>"
                    for pk, text, name in goals.values_list("pk", "text", "department__name")
                )
            ),
            "directions_html": mark_safe(
                "".join(
                    f'<li>▸ <a href="{task_url}{pk}/">{escape(title)}</a></li>'
                    for pk, title in selectors.task_list(plan, department_id=department_id).values_list("pk", "title")
                )
            ),
            "page": page,
            "tasks": [(t, workplans.can(user, p.EDIT_TASK, t), workplans.can(user, p.ADD_PROJECT, t)) for t in page],
            "filters": filters,
            "query_string": _query_string(request),
            "can_manage": workplans.can(user, p.MANAGE, plan),
            "can_add_task": can_add_task,
            "can_lock": workplans.can(user, p.LOCK, plan),
            "can_unlock": workplans.can(user, p.UNLOCK, plan),
            "can_create": workplans.can(user, p.CREATE_PLAN),
            "other_years": [y for y in selectors.plans().values_list("year", flat=True) if y != plan.year],
            "breadcrumbs": _crumbs(plan),
        },
    )


@login_required
def plan_edit(request: HttpRequest, year: int) -> HttpResponse:
    plan = _plan(request, year)
    workplans.check(request.user, p.MANAGE, plan)
    form = PlanEditForm(request.POST or None, initial={"title": plan.title, "context": plan.context})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(plan=plan, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "계획을 저장했습니다.")
            return redirect("workplan:plan", year=plan.year)
    return render(
        request,
        "workplan/form.html",
        {"form": form, "title": "계획 수정", "breadcrumbs": _crumbs(plan, ("수정", None))},
    )


@login_required
@require_POST
def plan_lock(request: HttpRequest, year: int) -> HttpResponse:
    plan = _plan(request, year)
    try:
        services.plan_lock(plan=plan, actor=request.user)
        messages.success(request, "계획을 확정(잠금)했습니다. 부서는 더 이상 수정할 수 없습니다.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("workplan:plan", year=plan.year)


@login_required
@require_POST
def plan_unlock(request: HttpRequest, year: int) -> HttpResponse:
    plan = _plan(request, year)
    try:
        services.plan_unlock(plan=plan, actor=request.user)
        messages.success(request, "계획 잠금을 풀었습니다.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("workplan:plan", year=plan.year)


@login_required
def goal_create(request: HttpRequest, year: int) -> HttpResponse:
    plan = _plan(request, year)
    workplans.check(request.user, p.ADD_TASK, plan)
    own_only = workplans.own_department_only(request.user)
    form = GoalForm(request.POST or None, user=request.user, own_only=own_only)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_save(plan=plan, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "목표를 추가했습니다.")
            return redirect("workplan:plan", year=plan.year)
    return render(
        request,
        "workplan/form.html",
        {"form": form, "title": "목표 추가", "breadcrumbs": _crumbs(plan, ("목표 추가", None))},
    )


@login_required
def goal_edit(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = _goal(request, goal_id)
    plan = goal.plan
    workplans.check(request.user, p.ADD_TASK, plan)
    own_only = workplans.own_department_only(request.user)
    if own_only:
        own = org.department_of(request.user)
        if own is None or own.pk != goal.department_id:
            raise PermissionDenied("자기 부서의 목표만 수정할 수 있습니다.")
    form = GoalForm(
        request.POST or None,
        user=request.user,
        own_only=own_only,
        initial={"text": goal.text, "department": goal.department_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_save(plan=plan, goal=goal, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "목표를 저장했습니다.")
            return redirect("workplan:plan", year=plan.year)
    return render(
        request,
        "workplan/form.html",
        {"form": form, "title": "목표 수정", "breadcrumbs": _crumbs(plan, ("목표 수정", None))},
    )


def _goal(request: HttpRequest, goal_id: int) -> Any:
    from hwallyu.workplan.models import Goal

    plan_ids = workplans.scope(request.user).values("pk")
    goal = Goal.objects.select_related("plan", "department").filter(pk=goal_id, plan__in=plan_ids).first()
    if goal is None:
        raise Http404("찾을 수 없습니다.")
    return goal


# --- major tasks ------------------------------------------------------------------------------


def _get_task(request: HttpRequest, task_id: int) -> Any:
    qs = workplans.task_scope(request.user).select_related("plan", "goal", "department", "team")
    task = qs.filter(pk=task_id).first()
    if task is None:
        raise Http404("찾을 수 없습니다.")
    return task


@login_required
def task_create(request: HttpRequest, year: int) -> HttpResponse:
    plan = _plan(request, year)
    workplans.check(request.user, p.ADD_TASK, plan)
    own_only = workplans.own_department_only(request.user)
    form = TaskForm(request.POST or None, plan=plan, user=request.user, own_only=own_only)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(plan=plan, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"주요업무 {task.number}을(를) 추가했습니다.")
            return redirect("workplan:task", task_id=task.pk)
    return render(
        request,
        "workplan/form.html",
        {"form": form, "title": "주요업무 추가", "breadcrumbs": _crumbs(plan, ("주요업무 추가", None))},
    )


@login_required
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _get_task(request, task_id)
    grid = selectors.schedule_grid(task.plan, tasks=selectors.task_tree(task))
    rows = next((r for t, r in grid.groups if t.pk == task.pk), [])
    return render(
        request,
        "workplan/task_detail.html",
        {
            "task": task,
            "plan": task.plan,
            "rows": rows,
            "current_month": grid.current_month,
            "months": range(1, 13),
            "can_edit": workplans.can(request.user, p.EDIT_TASK, task),
            "can_add_project": workplans.can(request.user, p.ADD_PROJECT, task),
            "breadcrumbs": _crumbs(task.plan, (f"{task.number}. {task.title}", None)),
        },
    )


@login_required
def task_edit(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _get_task(request, task_id)
    workplans.check(request.user, p.EDIT_TASK, task)
    own_only = workplans.own_department_only(request.user)
    initial = {
        "goal": task.goal_id,
        "title": task.title,
        "department": task.department_id,
        "team": task.team_id,
        "aims": task.aims,
        "overview": task.overview,
        "plan_text": task.plan_text,
        "expected_effects": task.expected_effects,
    }
    form = TaskForm(request.POST or None, plan=task.plan, user=request.user, own_only=own_only, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data}
        try:
            services.task_update(task=task, actor=request.user, **changed)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "주요업무를 저장했습니다.")
            return redirect("workplan:task", task_id=task.pk)
    return render(
        request,
        "workplan/form.html",
        {
            "form": form,
            "title": "주요업무 수정",
            "breadcrumbs": _crumbs(task.plan, (task.title, reverse("workplan:task", args=[task.pk])), ("수정", None)),
        },
    )


# --- projects ---------------------------------------------------------------------------------


def _project(request: HttpRequest, project_id: int) -> Any:
    project = workplans.project_scope(request.user, selectors.projects()).filter(pk=project_id).first()
    if project is None:
        raise Http404("찾을 수 없습니다.")
    return project


@login_required
def project_list(request: HttpRequest, year: int) -> HttpResponse:
    plan = _plan(request, year)
    filters = ScheduleFilterForm(request.GET or None)
    department_id = None
    if filters.is_valid() and filters.cleaned_data.get("department"):
        department_id = filters.cleaned_data["department"].pk
    qs = workplans.project_scope(
        request.user,
        selectors.project_list(
            plan, department_id=department_id, query=request.GET.get("q", "").strip()
        ).prefetch_related(None),  # the page's months come from attach_months
    )
    page = selectors.slim_page(qs, request.GET.get("page"), 50)
    on = selectors.today()
    rows = []
    for project in selectors.attach_months(list(page)):
        months = project.planned_months()
        rows.append(
            {
                "project": project,
                "months": months,
                "planned": selectors.schedule.planned_progress(months, year=plan.year, as_of=on),
                "behind": selectors.schedule.is_behind(months, progress=project.progress, year=plan.year, today=on),
            }
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workplan/project_list.html",
        {
            "plan": plan,
            "page": page,
            "rows": rows,
            "filters": filters,
            "query_string": query.urlencode(),
            "breadcrumbs": _crumbs(plan, ("사업 목록", None)),
        },
    )


@login_required
def project_create(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _get_task(request, task_id)
    workplans.check(request.user, p.ADD_PROJECT, task)
    own_only = workplans.own_department_only(request.user)
    form = ProjectForm(
        request.POST or None,
        user=request.user,
        own_only=own_only,
        initial={"department": task.department_id, "team": task.team_id},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = services.project_create(
                task=task,
                title=data["title"],
                department=data["department"],
                team=data["team"],
                description=data["description"],
                schedule_note=data["schedule_note"],
                months=form.schedule(),
                actor=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "사업을 추가했습니다.")
            return redirect("workplan:project", project_id=project.pk)
    return render(
        request,
        "workplan/project_form.html",
        {
            "form": form,
            "title": "사업 추가",
            "task": task,
            "breadcrumbs": _crumbs(
                task.plan, (task.title, reverse("workplan:task", args=[task.pk])), ("사업 추가", None)
            ),
        },
    )


@login_required
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project(request, project_id)
    plan = project.plan
    on = selectors.today()
    months = {m.month: m.note for m in project.months.all()}
    states = selectors.schedule.month_states(months, progress=project.progress, year=plan.year, today=on)
    from hwallyu.workplan.models import BudgetLine

    lines = BudgetLine.objects.filter(project=project).order_by("order")
    return render(
        request,
        "workplan/project_detail.html",
        {
            "project": project,
            "plan": plan,
            "cells": [
                {
                    "month": m,
                    "planned": m in months,
                    "note": months.get(m, ""),
                    "state": states.get(m, ""),
                    "current": on.year == plan.year and on.month == m,
                }
                for m in range(1, 13)
            ],
            "planned": selectors.planned_progress(project, on),
            "lines": lines,
            "can_edit": workplans.can(request.user, p.EDIT_PROJECT, project),
            "can_progress": workplans.can(request.user, p.UPDATE_PROGRESS, project),
            "progress_form": ProgressForm(
                initial={"progress": project.progress, "progress_note": project.progress_note}
            ),
            "breadcrumbs": _crumbs(
                plan, (project.task.title, reverse("workplan:task", args=[project.task_id])), (project.title, None)
            ),
        },
    )


@login_required
def project_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project(request, project_id)
    workplans.check(request.user, p.EDIT_PROJECT, project)
    own_only = workplans.own_department_only(request.user)
    form = ProjectForm(
        request.POST or None, user=request.user, own_only=own_only, initial=ProjectForm.initial_for(project)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {k: data[k] for k in ("title", "department", "team", "description", "schedule_note")}
        try:
            services.project_update(project=project, actor=request.user, months=form.schedule(), **fields)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "사업을 저장했습니다.")
            return redirect("workplan:project", project_id=project.pk)
    return render(
        request,
        "workplan/project_form.html",
        {
            "form": form,
            "title": "사업 수정",
            "task": project.task,
            "project": project,
            "breadcrumbs": _crumbs(
                project.plan, (project.title, reverse("workplan:project", args=[project.pk])), ("수정", None)
            ),
        },
    )


@login_required
def project_progress(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project(request, project_id)
    workplans.check(request.user, p.UPDATE_PROGRESS, project)
    form = ProgressForm(
        request.POST or None, initial={"progress": project.progress, "progress_note": project.progress_note}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.project_progress_update(
                project=project,
                progress=form.cleaned_data["progress"],
                note=form.cleaned_data["progress_note"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "추진 상황을 저장했습니다.")
            return redirect("workplan:project", project_id=project.pk)
    return render(
        request,
        "workplan/form.html",
        {
            "form": form,
            "title": f"추진 상황 — {project.title}",
            "breadcrumbs": _crumbs(
                project.plan, (project.title, reverse("workplan:project", args=[project.pk])), ("추진 상황", None)
            ),
        },
    )


@login_required
@require_POST
def project_delete(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project(request, project_id)
    task_id = project.task_id
    try:
        services.project_delete(project=project, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("workplan:project", project_id=project.pk)
    messages.success(request, "사업을 삭제했습니다.")
    return redirect("workplan:task", task_id=task_id)


# --- monthly schedule ---------------------------------------------------------------------------


@login_required
def schedule_view(request: HttpRequest, year: int) -> HttpResponse:
    plan = _plan(request, year)
    filters, department = _department_filter(request)
    department_id = department.pk if department else None
    fmt = _fmt(request)
    if fmt:
        grid = selectors.schedule_grid(plan, department_id=department_id)
        report = documents.schedule_report(
            grid, issued_on=selectors.today(), department_name=department.name if department else ""
        )
        suffix = f"_{department.name}" if department else ""
        return report_response(report, fmt, f"{plan.year}년_월별추진계획{suffix}")
    page = selectors.task_page(plan, department_id=department_id, page=request.GET.get("page"))
    grid = selectors.schedule_grid(plan, department_id=department_id, tasks=list(page))
    return render(
        request,
        "workplan/schedule.html",
        {
            "plan": plan,
            "grid": grid,
            "page": page,
            "filters": filters,
            "months": range(1, 13),
            "query_string": _query_string(request, "format"),
            "breadcrumbs": _crumbs(plan, ("월별 추진계획", None)),
        },
    )


# --- budget statement ---------------------------------------------------------------------------


@login_required
def budget_view(request: HttpRequest, year: int) -> HttpResponse:
    plan = _plan(request, year)
    fmt = _fmt(request)
    if fmt:
        statement = selectors.budget_statement(plan)
        return report_response(
            documents.budget_report(plan, statement, issued_on=selectors.today()), fmt, f"{plan.year}년_사업비조서"
        )
    shown = selectors.budget_statement_page(plan, page=request.GET.get("page"))
    return render(
        request,
        "workplan/budget.html",
        {
            "plan": plan,
            "statement": shown.statement,
            "page": shown.page,
            "query_string": _query_string(request, "format"),
            "record": shown.record,
            "can_edit": workplans.can(request.user, p.EDIT_BUDGET, plan),
            "lines": shown.lines,
            "breadcrumbs": _crumbs(plan, ("사업비 조서", None)),
        },
    )


@login_required
def budget_import(request: HttpRequest, year: int) -> HttpResponse:
    plan = _plan(request, year)
    workplans.check(request.user, p.EDIT_BUDGET, plan)
    form = BudgetImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.budget_import(plan=plan, data=upload.read(), filename=upload.name, actor=request.user)
        except services.BudgetImportError as exc:
            problems = exc.problems
        else:
            statement = selectors.budget_statement(plan)
            assert result.parsed is not None
            for note in result.parsed.warnings:
                messages.warning(request, note)
            if statement.violations:
                messages.warning(
                    request,
                    f"{len(result.parsed.lines)}개 사업을 가져왔습니다. 입력값 그대로 저장했고, 규칙 "
                    f"위반 {len(statement.violations)}건을 표시했습니다.",
                )
            else:
                messages.success(request, f"{len(result.parsed.lines)}개 사업을 가져왔습니다.")
            return redirect("workplan:budget", year=plan.year)
    return render(
        request,
        "workplan/budget_import.html",
        {
            "form": form,
            "plan": plan,
            "problems": problems,
            "breadcrumbs": _crumbs(
                plan, ("사업비 조서", reverse("workplan:budget", args=[plan.year])), ("가져오기", None)
            ),
        },
    )


def _line(request: HttpRequest, line_id: int) -> Any:
    line = workplans.line_scope(request.user).select_related("plan", "project").filter(pk=line_id).first()
    if line is None:
        raise Http404("찾을 수 없습니다.")
    return line


@login_required
def budget_line_create(request: HttpRequest, year: int) -> HttpResponse:
    plan = _plan(request, year)
    workplans.check(request.user, p.EDIT_BUDGET, plan)
    form = BudgetLineForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.budget_line_create(
                plan=plan,
                name=data["name"],
                project=data["project"],
                actor=request.user,
                **{n: data[n] for n in MONEY_FIELDS},
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "사업비 행을 추가했습니다.")
            return redirect("workplan:budget", year=plan.year)
    return render(
        request,
        "workplan/form.html",
        {
            "form": form,
            "title": "사업비 행 추가 (단위: 백만원)",
            "breadcrumbs": _crumbs(
                plan, ("사업비 조서", reverse("workplan:budget", args=[plan.year])), ("행 추가", None)
            ),
        },
    )


@login_required
def budget_line_edit(request: HttpRequest, line_id: int) -> HttpResponse:
    line = _line(request, line_id)
    workplans.check(request.user, p.EDIT_BUDGET, line)
    form = BudgetLineForm(request.POST or None, plan=line.plan, initial=BudgetLineForm.initial_for(line))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.budget_line_update(line=line, actor=request.user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "사업비 행을 저장했습니다.")
            return redirect("workplan:budget", year=line.plan.year)
    return render(
        request,
        "workplan/form.html",
        {
            "form": form,
            "title": "사업비 행 수정 (단위: 백만원)",
            "breadcrumbs": _crumbs(
                line.plan, ("사업비 조서", reverse("workplan:budget", args=[line.plan.year])), ("행 수정", None)
            ),
        },
    )


@login_required
@require_POST
def budget_line_delete(request: HttpRequest, line_id: int) -> HttpResponse:
    line = _line(request, line_id)
    year = line.plan.year
    services.budget_line_delete(line=line, actor=request.user)
    messages.success(request, "사업비 행을 삭제했습니다.")
    return redirect("workplan:budget", year=year)


@login_required
@require_POST
def budget_header_clear(request: HttpRequest, year: int) -> HttpResponse:
    plan = _plan(request, year)
    services.budget_header_clear(plan=plan, actor=request.user)
    messages.success(request, "가져온 총계 행을 지웠습니다. 총계는 사업별 합계로 표시합니다.")
    return redirect("workplan:budget", year=plan.year)


@login_required
def budget_execution(request: HttpRequest, line_id: int) -> HttpResponse:
    line = _line(request, line_id)
    workplans.check(request.user, p.UPDATE_EXECUTION, line)
    from hwallyu.workplan.money import to_million

    form = ExecutionForm(
        request.POST or None, initial={"executed": to_million(line.executed), "execution_note": line.execution_note}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_execution_update(
                line=line,
                executed=form.cleaned_data["executed"],
                note=form.cleaned_data["execution_note"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "집행액을 저장했습니다.")
            return redirect("workplan:budget", year=line.plan.year)
    return render(
        request,
        "workplan/form.html",
        {
            "form": form,
            "title": f"집행액 — {line.name}",
            "breadcrumbs": _crumbs(
                line.plan, ("사업비 조서", reverse("workplan:budget", args=[line.plan.year])), ("집행액", None)
            ),
        },
    )


# --- progress report ------------------------------------------------------------------------------


def _as_of(request: HttpRequest, plan: WorkPlan) -> dt.date:
    raw = request.GET.get("as_of", "")
    if raw:
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise Http404("기준일 형식이 올바르지 않습니다.")
    on = selectors.today()
    if on.year == plan.year:
        return on
    return dt.date(plan.year, 12, 31) if on.year > plan.year else dt.date(plan.year, 1, 1)


@login_required
def progress_report(request: HttpRequest, year: int) -> HttpResponse:
    plan = _plan(request, year)
    as_of = _as_of(request, plan)
    fmt = _fmt(request)
    if fmt:
        report = documents.progress_report(plan, as_of=as_of, issued_on=selectors.today())
        half = "상반기" if as_of.month <= 6 else "하반기"
        return report_response(report, fmt, f"{plan.year}년_주요업무_추진상황보고_{half}")
    filters, department = _department_filter(request)
    department_id = department.pk if department else None
    page = selectors.task_page(plan, department_id=department_id, page=request.GET.get("page"))
    return render(
        request,
        "workplan/report.html",
        {
            "plan": plan,
            "as_of": as_of,
            "half": "상반기" if as_of.month <= 6 else "하반기",
            "groups": selectors.progress_report(plan, as_of=as_of, department_id=department_id, tasks=list(page)),
            "page": page,
            "filters": filters,
            "query_string": _query_string(request, "format"),
            "breadcrumbs": _crumbs(plan, ("추진상황 보고", None)),
        },
    )


# --- export / import ---------------------------------------------------------------------------------


@login_required
def plan_export(request: HttpRequest, year: int) -> HttpResponse:
    plan = _plan(request, year)
    fmt = request.GET.get("format", "yaml")
    if fmt not in ("json", "yaml"):
        raise Http404("지원하지 않는 형식입니다.")
    body, content_type = exchange.export_plan(plan, fmt)
    from hwallyu.core.documents import content_disposition

    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition(f"{plan.year}년_주요업무계획.{fmt}")
    return response


@login_required
def plan_import(request: HttpRequest) -> HttpResponse:
    workplans.check(request.user, p.CREATE_PLAN)
    form = PlanImportForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            plan = exchange.import_plan(
                data=upload.read(),
                filename=upload.name,
                actor=request.user,
                year=form.cleaned_data.get("year"),
                replace=form.cleaned_data.get("replace", False),
            )
        except exchange.PlanImportError as exc:
            problems = exc.problems
        else:
            messages.success(request, f"{plan.year}년 계획을 가져왔습니다.")
            return redirect("workplan:plan", year=plan.year)
    return render(
        request,
        "workplan/plan_import.html",
        {"form": form, "problems": problems, "breadcrumbs": _crumbs(None, ("계획 가져오기", None))},
    )
