"""REST API of the work plan under /api/v1/workplan: plans, projects, budget lines, the budget statement."""

from __future__ import annotations

from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from hwallyu.api.base import ServiceError
from hwallyu.core.documents import content_disposition
from hwallyu.org import selectors as org
from hwallyu.workplan import exchange, selectors, services
from hwallyu.workplan import policies as p
from hwallyu.workplan.models import MONEY_FIELDS, BudgetLine, MajorTask, Project, WorkPlan
from hwallyu.workplan.policies import workplans

router = Router(tags=["업무계획"])
MAX_UPLOAD = 5 * 1024 * 1024


# --- schemas ------------------------------------------------------------------------------


class PlanSummaryOut(Schema):
    year: int
    title: str
    status: str
    status_label: str


class MonthIO(Schema):
    month: int
    note: str = ""


class ProjectOut(Schema):
    id: int
    year: int
    task_number: int
    number: int
    title: str
    department: str
    department_name: str
    team: str | None
    description: str
    schedule_note: str
    schedule: list[MonthIO]
    progress: int
    progress_note: str
    planned_progress_today: float | None


class TaskOut(Schema):
    id: int
    number: int
    title: str
    goal: str
    department: str
    team: str | None
    aims: list[str]
    overview: str
    plan: str
    expected_effects: list[str]
    projects: list[ProjectOut]


class PlanOut(Schema):
    year: int
    title: str
    status: str
    context: str
    goals: list[str]
    tasks: list[TaskOut]


class PlanIn(Schema):
    year: int
    title: str = ""
    context: str = ""


class PlanPatch(Schema):
    title: str | None = None
    context: str | None = None


class ProjectIn(Schema):
    task_number: int
    title: str
    department: str | None = None
    description: str = ""
    schedule_note: str = ""
    schedule: list[MonthIO] = []


class ProjectPatch(Schema):
    title: str | None = None
    department: str | None = None
    description: str | None = None
    schedule_note: str | None = None
    schedule: list[MonthIO] | None = None


class ProgressIn(Schema):
    progress: int
    note: str = ""


class LineOut(Schema):
    id: int
    name: str
    project_id: int | None
    total_cost: int | None
    this_year: int | None
    national: int | None
    provincial: int | None
    city: int | None
    other: int | None
    later: int | None
    executed: int
    source_row: int | None


class LineIn(Schema):
    name: str
    project_id: int | None = None
    total_cost: int | None = None
    this_year: int | None = None
    national: int | None = None
    provincial: int | None = None
    city: int | None = None
    other: int | None = None
    later: int | None = None


class LinePatch(Schema):
    name: str | None = None
    project_id: int | None = None
    total_cost: int | None = None
    this_year: int | None = None
    national: int | None = None
    provincial: int | None = None
    city: int | None = None
    other: int | None = None
    later: int | None = None


# --- helpers -------------------------------------------------------------------------------


def _plan(request: HttpRequest, year: int) -> WorkPlan:
    return workplans.get_visible_or_404(request.user, year=year)


def _department(code: str | None) -> Any:
    if code is None:
        return None
    department = org.department_by_code(code)
    if department is None:
        raise ServiceError(f"부서 코드 {code!r}을(를) 찾을 수 없습니다.")
    return department


def _project_out(project: Project) -> dict[str, Any]:
    planned = selectors.planned_progress(project, selectors.today())
    return {
        "id": project.pk,
        "year": project.plan.year,
        "task_number": project.task.number,
        "number": project.number,
        "title": project.title,
        "department": project.department.code,
        "department_name": project.department.name,
        "team": project.team.name if project.team else None,
        "description": project.description,
        "schedule_note": project.schedule_note,
        "schedule": [{"month": m.month, "note": m.note} for m in project.months.all()],
        "progress": project.progress,
        "progress_note": project.progress_note,
        "planned_progress_today": float(planned) if planned is not None else None,
    }


def _project(request: HttpRequest, project_id: int) -> Project:
    project = workplans.project_scope(request.user, selectors.projects()).filter(pk=project_id).first()
    if project is None:
        raise Http404
    return project


def _line(request: HttpRequest, line_id: int) -> BudgetLine:
    line = workplans.line_scope(request.user).select_related("plan", "project").filter(pk=line_id).first()
    if line is None:
        raise Http404
    return line


def _months(items: list[MonthIO] | None) -> dict[int, str] | None:
    if items is None:
        return None
    months: dict[int, str] = {}
    for item in items:
        if item.month in months:
            raise ServiceError(f"{item.month}월이 두 번 있습니다.")
        months[item.month] = item.note
    return months


# --- plans -----------------------------------------------------------------------------------


@router.get("/", response=list[PlanSummaryOut], summary="연도별 계획 목록")
def plan_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"year": pl.year, "title": pl.title, "status": pl.status, "status_label": pl.get_status_display()}
        for pl in workplans.scope(request.user)
    ]


@router.post("/", response={201: PlanSummaryOut}, summary="연도 계획 만들기")
def plan_create(request: HttpRequest, payload: PlanIn) -> Status:
    plan = services.plan_create(year=payload.year, title=payload.title, context=payload.context, actor=request.user)
    return Status(
        201, {"year": plan.year, "title": plan.title, "status": plan.status, "status_label": plan.get_status_display()}
    )


@router.post("/import", response={201: PlanSummaryOut}, summary="계획 파일(JSON·YAML) 가져오기")
def plan_import(
    request: HttpRequest,
    file: UploadedFile = File(...),  # noqa: B008
    year: int | None = Form(None),
    replace: bool = Form(False),
) -> Any:
    if file.size and file.size > MAX_UPLOAD:
        raise ServiceError("파일이 너무 큽니다(최대 5MB).")
    try:
        plan = exchange.import_plan(
            data=file.read(), filename=file.name or "plan", actor=request.user, year=year, replace=replace
        )
    except exchange.PlanImportError as exc:
        return JsonResponse(
            {
                "detail": "계획 파일에 문제가 있어 아무것도 저장하지 않았습니다.",
                "errors": [pr.as_dict() for pr in exc.problems],
            },
            status=422,
        )
    return Status(
        201, {"year": plan.year, "title": plan.title, "status": plan.status, "status_label": plan.get_status_display()}
    )


@router.get("/{int:year}", response=PlanOut, summary="연도 계획(목표·주요업무·사업)")
def plan_detail(request: HttpRequest, year: int) -> dict[str, Any]:
    plan = _plan(request, year)
    tasks: list[MajorTask] = selectors.plan_tree(plan)
    return {
        "year": plan.year,
        "title": plan.title,
        "status": plan.status,
        "context": plan.context,
        "goals": list(plan.goals.values_list("text", flat=True)),
        "tasks": [
            {
                "id": t.pk,
                "number": t.number,
                "title": t.title,
                "goal": t.goal.text,
                "department": t.department.code,
                "team": t.team.name if t.team else None,
                "aims": t.aim_lines(),
                "overview": t.overview,
                "plan": t.plan_text,
                "expected_effects": t.effect_lines(),
                "projects": [_project_out(_with_parents(pr, plan, t)) for pr in t.projects.all()],
            }
            for t in tasks
        ],
    }


def _with_parents(project: Project, plan: WorkPlan, task: MajorTask) -> Project:
    project.plan = plan
    project.task = task
    return project


@router.patch("/{int:year}", response=PlanSummaryOut, summary="계획 정보 수정")
def plan_patch(request: HttpRequest, year: int, payload: PlanPatch) -> dict[str, Any]:
    plan = _plan(request, year)
    plan = services.plan_update(
        plan=plan,
        title=payload.title if payload.title is not None else plan.title,
        context=payload.context if payload.context is not None else plan.context,
        actor=request.user,
    )
    return {"year": plan.year, "title": plan.title, "status": plan.status, "status_label": plan.get_status_display()}


@router.post("/{int:year}/lock", response=PlanSummaryOut, summary="계획 확정(잠금)")
def plan_lock(request: HttpRequest, year: int) -> dict[str, Any]:
    plan = services.plan_lock(plan=_plan(request, year), actor=request.user)
    return {"year": plan.year, "title": plan.title, "status": plan.status, "status_label": plan.get_status_display()}


@router.post("/{int:year}/unlock", response=PlanSummaryOut, summary="계획 잠금 해제")
def plan_unlock(request: HttpRequest, year: int) -> dict[str, Any]:
    plan = services.plan_unlock(plan=_plan(request, year), actor=request.user)
    return {"year": plan.year, "title": plan.title, "status": plan.status, "status_label": plan.get_status_display()}


@router.get("/{int:year}/export", summary="계획 내보내기(JSON·YAML)")
def plan_export(request: HttpRequest, year: int, format: Literal["json", "yaml"] = "json") -> HttpResponse:
    plan = _plan(request, year)
    body, content_type = exchange.export_plan(plan, format)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition(f"{plan.year}년_주요업무계획.{format}")
    return response


# --- projects -----------------------------------------------------------------------------------


@router.get("/{int:year}/projects", response=list[ProjectOut], summary="사업 목록")
def project_list(request: HttpRequest, year: int, department: str | None = None) -> list[dict[str, Any]]:
    plan = _plan(request, year)
    dept = _department(department) if department else None
    qs = workplans.project_scope(request.user, selectors.project_list(plan, department_id=dept.pk if dept else None))
    return [_project_out(pr) for pr in qs]


@router.post("/{int:year}/projects", response={201: ProjectOut}, summary="사업 추가")
def project_create(request: HttpRequest, year: int, payload: ProjectIn) -> Status:
    plan = _plan(request, year)
    task = MajorTask.objects.filter(plan=plan, number=payload.task_number).select_related("department", "plan").first()
    if task is None:
        raise ServiceError(f"{payload.task_number}번 주요업무가 없습니다.", status=404)
    project = services.project_create(
        task=task,
        title=payload.title,
        department=_department(payload.department),
        description=payload.description,
        schedule_note=payload.schedule_note,
        months=_months(payload.schedule),
        actor=request.user,
    )
    return Status(201, _project_out(selectors.projects().get(pk=project.pk)))


@router.get("/projects/{int:project_id}", response=ProjectOut, summary="사업")
def project_detail(request: HttpRequest, project_id: int) -> dict[str, Any]:
    return _project_out(_project(request, project_id))


@router.patch("/projects/{int:project_id}", response=ProjectOut, summary="사업 수정(월별 추진계획 포함)")
def project_patch(request: HttpRequest, project_id: int, payload: ProjectPatch) -> dict[str, Any]:
    project = _project(request, project_id)
    workplans.check(request.user, p.EDIT_PROJECT, project)
    fields: dict[str, Any] = {}
    for name in ("title", "description", "schedule_note"):
        value = getattr(payload, name)
        if value is not None:
            fields[name] = value
    if payload.department is not None:
        fields["department"] = _department(payload.department)
    services.project_update(project=project, actor=request.user, months=_months(payload.schedule), **fields)
    return _project_out(selectors.projects().get(pk=project.pk))


@router.put("/projects/{int:project_id}/progress", response=ProjectOut, summary="추진률·추진 상황 입력")
def project_progress(request: HttpRequest, project_id: int, payload: ProgressIn) -> dict[str, Any]:
    project = _project(request, project_id)
    services.project_progress_update(project=project, progress=payload.progress, note=payload.note, actor=request.user)
    return _project_out(selectors.projects().get(pk=project.pk))


# --- budget -----------------------------------------------------------------------------------------


def _line_out(line: BudgetLine) -> dict[str, Any]:
    return {
        "id": line.pk,
        "name": line.name,
        "project_id": line.project_id,
        **{n: getattr(line, n) for n in MONEY_FIELDS},
        "executed": line.executed,
        "source_row": line.source_row,
    }


def _project_in_plan(plan: WorkPlan, project_id: int | None) -> Project | None:
    if project_id is None:
        return None
    project = Project.objects.filter(plan=plan, pk=project_id).first()
    if project is None:
        raise ServiceError("이 연도 계획에 없는 사업입니다.")
    return project


@router.get("/{int:year}/budget-lines", response=list[LineOut], summary="사업비 행 목록(원)")
def budget_lines(request: HttpRequest, year: int) -> list[dict[str, Any]]:
    return [_line_out(line) for line in selectors.budget_lines(_plan(request, year))]


@router.post("/{int:year}/budget-lines", response={201: LineOut}, summary="사업비 행 추가(원)")
def budget_line_create(request: HttpRequest, year: int, payload: LineIn) -> Status:
    plan = _plan(request, year)
    line = services.budget_line_create(
        plan=plan,
        name=payload.name,
        project=_project_in_plan(plan, payload.project_id),
        actor=request.user,
        **{n: getattr(payload, n) for n in MONEY_FIELDS},
    )
    return Status(201, _line_out(line))


@router.patch("/budget-lines/{int:line_id}", response=LineOut, summary="사업비 행 수정(원)")
def budget_line_patch(request: HttpRequest, line_id: int, payload: LinePatch) -> dict[str, Any]:
    line = _line(request, line_id)
    data = payload.dict(exclude_unset=True)
    fields: dict[str, Any] = {k: v for k, v in data.items() if k in (*MONEY_FIELDS, "name")}
    if "project_id" in data:
        fields["project"] = _project_in_plan(line.plan, data["project_id"])
    line = services.budget_line_update(line=line, actor=request.user, **fields)
    return _line_out(line)


@router.delete("/budget-lines/{int:line_id}", response={204: None}, summary="사업비 행 삭제")
def budget_line_delete(request: HttpRequest, line_id: int) -> Status:
    services.budget_line_delete(line=_line(request, line_id), actor=request.user)
    return Status(204, None)


@router.get("/{int:year}/budget-statement", summary="사업비 조서(행, 합계, 규칙 위반)")
def budget_statement(request: HttpRequest, year: int) -> dict[str, Any]:
    return selectors.budget_statement(_plan(request, year)).as_dict()


@router.post("/{int:year}/budget-statement/import", summary="사업비 조서 XLSX·CSV 가져오기")
def budget_import(request: HttpRequest, year: int, file: UploadedFile = File(...)) -> Any:  # noqa: B008
    plan = _plan(request, year)
    if file.size and file.size > MAX_UPLOAD:
        raise ServiceError("파일이 너무 큽니다(최대 5MB).")
    try:
        result = services.budget_import(
            plan=plan, data=file.read(), filename=file.name or "budget.xlsx", actor=request.user
        )
    except services.BudgetImportError as exc:
        return JsonResponse(
            {
                "detail": "파일에 문제가 있어 아무것도 저장하지 않았습니다.",
                "errors": [pr.as_dict() for pr in exc.problems],
            },
            status=422,
        )
    statement = selectors.budget_statement(plan).as_dict()
    statement["warnings"] = result.parsed.warnings if result.parsed else []
    return statement
