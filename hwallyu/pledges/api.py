"""REST API of pledges under /api/v1/pledges: list, register, edit, progress notes, completion rates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from hwallyu.api.base import ServiceError
from hwallyu.org import selectors as org
from hwallyu.pledges import selectors, services
from hwallyu.pledges.models import Pledge, PledgeCategory
from hwallyu.pledges.policies import pledges

router = Router(tags=["공약"])


class PledgeOut(Schema):
    id: int
    code: str
    title: str
    category: str
    department: str
    department_name: str
    term: str
    summary: str
    state: str
    state_label: str
    progress: int
    budget_needed: int
    budget_secured: int
    published: bool


class PledgeIn(Schema):
    code: str
    title: str
    category: str
    department: str
    state: str
    term: str = "민선8기"
    summary: str = ""
    progress: int = 0
    budget_needed: int = 0
    budget_secured: int = 0
    published: bool = True


class PledgePatch(Schema):
    code: str | None = None
    title: str | None = None
    category: str | None = None
    department: str | None = None
    state: str | None = None
    term: str | None = None
    summary: str | None = None
    progress: int | None = None
    budget_needed: int | None = None
    budget_secured: int | None = None
    published: bool | None = None


class NoteIn(Schema):
    written_on: dt.date
    text: str
    state: str
    progress: int


class NoteOut(Schema):
    id: int
    written_on: dt.date
    text: str
    state: str
    progress: int


class StateOut(Schema):
    code: str
    label: str
    counts_as_complete: bool


def _out(pledge: Pledge, states: dict[str, Any] | None = None) -> dict[str, Any]:
    states = states if states is not None else selectors.state_map()
    state = states.get(pledge.state_code)
    return {
        "id": pledge.pk,
        "code": pledge.code,
        "title": pledge.title,
        "category": pledge.category.name,
        "department": pledge.department.code,
        "department_name": pledge.department.name,
        "term": pledge.term,
        "summary": pledge.summary,
        "state": pledge.state_code,
        "state_label": state.label if state else pledge.state_code,
        "progress": pledge.progress,
        "budget_needed": pledge.budget_needed,
        "budget_secured": pledge.budget_secured,
        "published": pledge.published,
    }


def _category(name: str) -> PledgeCategory:
    category = PledgeCategory.objects.filter(name=name).first()
    if category is None:
        raise ServiceError(f"'{name}' 분야가 없습니다.")
    return category


def _department(code: str) -> Any:
    department = org.department_by_code(code)
    if department is None:
        raise ServiceError(f"부서 코드 {code!r}을(를) 찾을 수 없습니다.")
    return department


def _pledge(request: HttpRequest, pledge_id: int) -> Pledge:
    pledge = pledges.scope(request.user).select_related("category", "department").filter(pk=pledge_id).first()
    if pledge is None:
        raise Http404
    return pledge


@router.get("/", response=list[PledgeOut], summary="공약 목록")
def pledge_list(
    request: HttpRequest, category: str | None = None, department: str | None = None, state: str | None = None
) -> list[dict[str, Any]]:
    qs = selectors.pledge_list(
        pledges.scope(request.user),
        category_id=_category(category).pk if category else None,
        department_id=_department(department).pk if department else None,
        state_code=state or "",
    )
    states = selectors.state_map()
    return [_out(pl, states) for pl in qs]


@router.post("/", response={201: PledgeOut}, summary="공약 등록")
def pledge_create(request: HttpRequest, payload: PledgeIn) -> Status:
    pledge = services.pledge_create(
        code=payload.code,
        title=payload.title,
        category=_category(payload.category),
        department=_department(payload.department),
        state_code=payload.state,
        term=payload.term,
        summary=payload.summary,
        progress=payload.progress,
        budget_needed=payload.budget_needed,
        budget_secured=payload.budget_secured,
        published=payload.published,
        actor=request.user,
    )
    return Status(201, _out(pledge))


@router.get("/states", response=list[StateOut], summary="연도별 공약 상태")
def states(request: HttpRequest, year: int | None = None) -> list[dict[str, Any]]:
    return [
        {"code": s.code, "label": s.label, "counts_as_complete": s.counts_as_complete}
        for s in selectors.states_for(year)
    ]


@router.get("/completion", summary="이행률(전체·분야별·부서별)")
def completion(request: HttpRequest, year: int | None = None) -> dict[str, Any]:
    if year is not None and not 2000 <= year <= 2100:
        raise ServiceError("연도는 2000–2100 사이여야 합니다.")
    return selectors.completion(pledges.scope(request.user), year=year).as_dict()


@router.get("/{int:pledge_id}", response=PledgeOut, summary="공약")
def pledge_detail(request: HttpRequest, pledge_id: int) -> dict[str, Any]:
    return _out(_pledge(request, pledge_id))


@router.patch("/{int:pledge_id}", response=PledgeOut, summary="공약 수정")
def pledge_patch(request: HttpRequest, pledge_id: int, payload: PledgePatch) -> dict[str, Any]:
    pledge = _pledge(request, pledge_id)
    data = payload.dict(exclude_unset=True)
    fields: dict[str, Any] = {}
    for key, value in data.items():
        if value is None:
            raise ServiceError(f"{key}: 값을 비울 수 없습니다.")
        if key == "category":
            fields["category"] = _category(value)
        elif key == "department":
            fields["department"] = _department(value)
        elif key == "state":
            fields["state_code"] = value
        else:
            fields[key] = value
    services.pledge_update(pledge=pledge, actor=request.user, **fields)
    return _out(_pledge(request, pledge_id))


@router.post("/{int:pledge_id}/notes", response={201: NoteOut}, summary="추진 실적 등록")
def note_create(request: HttpRequest, pledge_id: int, payload: NoteIn) -> Status:
    pledge = _pledge(request, pledge_id)
    note = services.pledge_note_add(
        pledge=pledge,
        written_on=payload.written_on,
        text=payload.text,
        state_code=payload.state,
        progress=payload.progress,
        actor=request.user,
    )
    return Status(
        201,
        {
            "id": note.pk,
            "written_on": note.written_on,
            "text": note.text,
            "state": note.state_code,
            "progress": note.progress,
        },
    )
