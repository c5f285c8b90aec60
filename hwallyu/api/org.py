"""Organisation endpoints: departments, teams, people and the org chart import.

Everyone signed in reads departments and teams; people are scoped like the pages (office: all,
department manager: their department, others: themselves).  Writes are for the planning office
and system admins (403 otherwise) and go through :mod:`hwallyu.org.services`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from hwallyu.api.base import ServiceError
from hwallyu.org import importers, selectors, services
from hwallyu.org.models import Bureau, Department, DepartmentKind, EvaluationGroup, Person, Role, Team
from hwallyu.org.policies import MANAGE, org_policy

router = Router(tags=["조직"])

KIND_BY_TEXT = {**{v: v for v in DepartmentKind.values}, **importers.KIND_BY_LABEL}


# --- schemas ------------------------------------------------------------------------------


class DepartmentOut(Schema):
    code: str
    name: str
    kind: str
    kind_label: str
    group: str | None
    bureau: str | None
    active: bool
    is_planning_office: bool
    order: int


class DepartmentIn(Schema):
    code: str
    name: str
    kind: str
    bureau: str | None = None
    group: str | None = None
    order: int | None = None
    is_planning_office: bool = False


class DepartmentPatch(Schema):
    code: str | None = None
    name: str | None = None
    kind: str | None = None
    bureau: str | None = None
    group: str | None = None
    order: int | None = None
    is_planning_office: bool | None = None
    active: bool | None = None


class TeamOut(Schema):
    id: int
    department: str
    department_name: str
    name: str
    order: int
    active: bool


class TeamIn(Schema):
    department: str
    name: str
    order: int | None = None


class TeamPatch(Schema):
    name: str | None = None
    order: int | None = None
    active: bool | None = None


class PersonOut(Schema):
    id: int
    username: str
    name: str
    email: str
    department: str
    department_name: str
    team: str | None
    team_id: int | None
    position: str
    role: str
    role_label: str
    phone: str
    active: bool


class PersonIn(Schema):
    username: str
    name: str
    department: str
    team_id: int | None = None
    email: str = ""
    position: str = ""
    role: str = Role.STAFF.value
    phone: str = ""
    password: str | None = None


class PersonPatch(Schema):
    name: str | None = None
    email: str | None = None
    department: str | None = None
    team_id: int | None = None
    position: str | None = None
    role: str | None = None
    phone: str | None = None
    active: bool | None = None


class ImportRowOut(Schema):
    row: int
    code: str
    name: str
    outcome: str
    outcome_label: str
    changes: list[str]


class ImportOut(Schema):
    filename: str
    dry_run: bool
    created: int
    updated: int
    unchanged: int
    bureaus_created: list[str]
    groups_created: list[str]
    teams_created: int
    rows: list[ImportRowOut]


class ImportErrorRow(Schema):
    row: int | None
    column: str
    message: str


class ImportFailedOut(Schema):
    detail: str
    errors: list[ImportErrorRow]


# --- conversions --------------------------------------------------------------------------


def _department_out(d: Department) -> dict[str, Any]:
    return {
        "code": d.code,
        "name": d.name,
        "kind": d.kind,
        "kind_label": d.get_kind_display(),
        "group": d.evaluation_group.name if d.evaluation_group else None,
        "bureau": d.bureau.name if d.bureau else None,
        "active": d.active,
        "is_planning_office": d.is_planning_office,
        "order": d.order,
    }


def _team_out(t: Team) -> dict[str, Any]:
    return {
        "id": t.pk,
        "department": t.department.code,
        "department_name": t.department.name,
        "name": t.name,
        "order": t.order,
        "active": t.active,
    }


def _person_out(p: Person) -> dict[str, Any]:
    return {
        "id": p.pk,
        "username": p.user.username,
        "name": p.user.first_name,
        "email": p.user.email,
        "department": p.department.code,
        "department_name": p.department.name,
        "team": p.team.name if p.team else None,
        "team_id": p.team_id,
        "position": p.position,
        "role": p.role,
        "role_label": Role(p.role).label,
        "phone": p.phone,
        "active": p.user.is_active,
    }


def _kind(text: str) -> str:
    kind = KIND_BY_TEXT.get(text.strip())
    if kind is None:
        raise ServiceError(f"구분 '{text}'은(는) 허용되지 않는 값입니다 ({importers.KIND_LABELS})")
    return kind


def _bureau(name: str | None) -> Bureau | None:
    if not name:
        return None
    bureau = Bureau.objects.filter(name=name.strip()).first()
    if bureau is None:
        raise ServiceError(f"국 '{name}'이(가) 없습니다. 먼저 국을 등록하세요.")
    return bureau


def _group(name: str | None) -> EvaluationGroup | None:
    if not name:
        return None
    group = EvaluationGroup.objects.filter(name=name.strip()).first()
    if group is None:
        raise ServiceError(f"평가군 '{name}'이(가) 없습니다. 먼저 평가군을 등록하세요.")
    return group


def _department_for_write(code: str) -> Department:
    department = Department.objects.filter(code=code).first()
    if department is None:
        raise ServiceError(f"부서 코드 '{code}'인 부서가 없습니다.")
    return department


def _team_for_write(team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    team = Team.objects.select_related("department").filter(pk=team_id).first()
    if team is None:
        raise ServiceError(f"팀 번호 {team_id}인 팀이 없습니다.")
    return team


def _role(value: str) -> str:
    if value not in Role.values:
        raise ServiceError(f"역할 '{value}'은(는) 허용되지 않는 값입니다 ({', '.join(Role.values)})")
    return value


# --- departments ----------------------------------------------------------------------------


@router.get("/departments", response=list[DepartmentOut], summary="부서 목록")
def department_list(request: HttpRequest, kind: str = "", active: bool | None = None) -> list[dict[str, Any]]:
    filters: dict[str, Any] = {"active": active}
    if kind:
        filters["kind"] = _kind(kind)
    return [_department_out(d) for d in org_policy.scope(request.user, selectors.department_list(**filters))]


@router.get("/departments/{code}", response=DepartmentOut, summary="부서 한 건")
def department_get(request: HttpRequest, code: str) -> dict[str, Any]:
    return _department_out(org_policy.get_visible_or_404(request.user, code=code))


@router.post("/departments", response={201: DepartmentOut}, summary="부서 등록")
def department_create(request: HttpRequest, payload: DepartmentIn) -> Status[dict[str, Any]]:
    org_policy.check(request.user, MANAGE)
    department = services.department_create(
        actor=request.user,
        code=payload.code,
        name=payload.name,
        kind=_kind(payload.kind),
        bureau=_bureau(payload.bureau),
        evaluation_group=_group(payload.group),
        order=payload.order,
        is_planning_office=payload.is_planning_office,
    )
    return Status(201, _department_out(department))


@router.patch("/departments/{code}", response=DepartmentOut, summary="부서 수정·사용 중지")
def department_update(request: HttpRequest, code: str, payload: DepartmentPatch) -> dict[str, Any]:
    org_policy.check(request.user, MANAGE)
    department = org_policy.get_visible_or_404(request.user, code=code)
    data = payload.model_dump(exclude_unset=True)
    active = data.pop("active", None)
    changes: dict[str, Any] = {}
    for name in ("code", "name", "order", "is_planning_office"):
        if data.get(name) is not None:
            changes[name] = data[name]
    if data.get("kind") is not None:
        changes["kind"] = _kind(data["kind"])
    if "bureau" in data:
        changes["bureau"] = _bureau(data["bureau"])
    if "group" in data:
        changes["evaluation_group"] = _group(data["group"])
    if changes:
        department = services.department_update(department=department, actor=request.user, **changes)
    if active is False:
        department = services.department_deactivate(department=department, actor=request.user)
    elif active is True:
        department = services.department_activate(department=department, actor=request.user)
    return _department_out(selectors.departments().get(pk=department.pk))


# --- teams -------------------------------------------------------------------------------------


@router.get("/teams", response=list[TeamOut], summary="팀 목록")
def team_list(request: HttpRequest, department: str = "") -> list[dict[str, Any]]:
    qs = org_policy.team_scope(request.user).order_by("department__order", "department__code", "order", "name")
    if department:
        qs = qs.filter(department__code=department)
    return [_team_out(t) for t in qs]


@router.post("/teams", response={201: TeamOut}, summary="팀 등록")
def team_create(request: HttpRequest, payload: TeamIn) -> Status[dict[str, Any]]:
    org_policy.check(request.user, MANAGE)
    team = services.team_create(
        department=_department_for_write(payload.department),
        actor=request.user,
        name=payload.name,
        order=payload.order,
    )
    return Status(201, _team_out(team))


@router.patch("/teams/{team_id}", response=TeamOut, summary="팀 수정·사용 중지")
def team_update(request: HttpRequest, team_id: int, payload: TeamPatch) -> dict[str, Any]:
    org_policy.check(request.user, MANAGE)
    team = org_policy.get_team_or_404(request.user, pk=team_id)
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    team = services.team_update(team=team, actor=request.user, **changes)
    return _team_out(team)


# --- people -------------------------------------------------------------------------------------


@router.get("/people", response=list[PersonOut], summary="직원 목록")
def person_list(request: HttpRequest, department: str = "", active: bool | None = None) -> list[dict[str, Any]]:
    qs = org_policy.people_scope(request.user).order_by("department__order", "department__code", "user__username")
    if department:
        qs = qs.filter(department__code=department)
    if active is not None:
        qs = qs.filter(user__is_active=active)
    return [_person_out(p) for p in qs]


@router.get("/people/{person_id}", response=PersonOut, summary="직원 한 명")
def person_get(request: HttpRequest, person_id: int) -> dict[str, Any]:
    return _person_out(org_policy.get_person_or_404(request.user, pk=person_id))


@router.post("/people", response={201: PersonOut}, summary="직원 등록(계정 생성)")
def person_create(request: HttpRequest, payload: PersonIn) -> Status[dict[str, Any]]:
    org_policy.check(request.user, MANAGE)
    person = services.person_create(
        actor=request.user,
        username=payload.username,
        name=payload.name,
        department=_department_for_write(payload.department),
        team=_team_for_write(payload.team_id),
        email=payload.email,
        position=payload.position,
        role=_role(payload.role),
        phone=payload.phone,
        password=payload.password or None,
    )
    return Status(201, _person_out(selectors.people().get(pk=person.pk)))


@router.patch("/people/{person_id}", response=PersonOut, summary="직원 수정·사용 중지")
def person_update(request: HttpRequest, person_id: int, payload: PersonPatch) -> dict[str, Any]:
    org_policy.check(request.user, MANAGE)
    person = org_policy.get_person_or_404(request.user, pk=person_id)
    data = payload.model_dump(exclude_unset=True)
    active = data.pop("active", None)
    changes: dict[str, Any] = {}
    for name in ("name", "email", "position", "phone"):
        if data.get(name) is not None:
            changes[name] = data[name]
    if data.get("role") is not None:
        changes["role"] = _role(data["role"])
    if data.get("department") is not None:
        changes["department"] = _department_for_write(data["department"])
    if "team_id" in data:
        changes["team"] = _team_for_write(data["team_id"])
    if changes:
        person = services.person_update(person=person, actor=request.user, **changes)
    if active is False:
        person = services.person_deactivate(person=person, actor=request.user)
    elif active is True:
        person = services.person_activate(person=person, actor=request.user)
    return _person_out(selectors.people().get(pk=person.pk))


# --- import --------------------------------------------------------------------------------------


@router.post("/org/import", response={200: ImportOut, 422: ImportFailedOut}, summary="조직도 가져오기(CSV·XLSX)")
def org_import(request: HttpRequest, file: File[UploadedFile], dry_run: Form[bool] = False) -> Status[dict[str, Any]]:
    """All or nothing: when any row fails, nothing is saved and the answer lists the errors by row."""
    org_policy.check(request.user, MANAGE)
    try:
        report = services.org_chart_import(
            data=file.read(importers.MAX_BYTES + 1), filename=file.name or "", actor=request.user, dry_run=dry_run
        )
    except importers.OrgImportError as exc:
        return Status(422, {"detail": exc.message, "errors": [e.as_dict() for e in exc.errors]})
    return Status(
        200,
        {
            "filename": report.filename,
            "dry_run": report.dry_run,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "bureaus_created": report.bureaus_created,
            "groups_created": report.groups_created,
            "teams_created": report.teams_created,
            "rows": [
                {
                    "row": r.row,
                    "code": r.code,
                    "name": r.name,
                    "outcome": r.outcome,
                    "outcome_label": r.outcome_label,
                    "changes": r.changes,
                }
                for r in report.rows
            ],
        },
    )
