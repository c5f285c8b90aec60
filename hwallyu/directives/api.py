"""Directives API (/api/v1/directives): the same services as the pages.

Enumerated fields accept the office's Korean labels ("간부회의", "시장", "지시", "완료") as well
as the codes; departments are given by code; times are ISO 8601 and answered in +09:00.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from hwallyu.api.base import ServiceError
from hwallyu.core.documents import report_response
from hwallyu.directives import reviews, selectors, services
from hwallyu.directives.models import Directive, ExtensionRequest, State
from hwallyu.directives.policies import directive_policy
from hwallyu.org.selectors import department_by_code, departments_by_codes

router = Router(tags=["지시사항"])
MAX_PAGE_SIZE = 200


def iso(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


# --- schemas ---------------------------------------------------------------------------------------


class DirectiveIn(Schema):
    title: str
    content: str = ""
    given_at: dt.datetime
    source: str
    given_by: str
    kind: str = "지시"
    lead_department: str
    support_departments: list[str] = []
    deadline_class: str | None = None
    result_due_on: dt.date | None = None


class AssignmentOut(Schema):
    department: str
    department_name: str
    role: str
    received_at: str | None
    acknowledged_at: str | None


class DirectiveOut(Schema):
    number: str
    year: int
    quarter: int
    state: str
    state_label: str
    kind: str
    kind_label: str
    title: str
    content: str
    source: str
    given_by: str
    deadline_class: str
    report_days: int
    lead_department: str
    lead_department_name: str
    support_departments: list[str]
    given_at: str
    share_due_at: str
    shared_at: str | None
    share_late: bool
    first_report_due_at: str | None
    first_reported_at: str | None
    result_due_at: str | None
    result_reported_at: str | None
    close_requested_at: str | None
    closed_at: str | None
    close_reason: str
    transfer_to: str
    overdue: bool


class ReportOut(Schema):
    id: int
    kind: str
    kind_label: str
    department: str
    body: str
    author: str
    created_at: str


class EventOut(Schema):
    at: str
    kind: str
    kind_label: str
    actor: str
    department: str
    message: str


class DirectiveDetailOut(DirectiveOut):
    assignments: list[AssignmentOut]
    reports: list[ReportOut]
    timeline: list[EventOut]


class DirectivePage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[DirectiveOut]


class ListQuery(Schema):
    year: int | None = None
    quarter: int | None = None
    department: str | None = None
    state: str | None = None
    overdue: bool | None = None
    q: str | None = None
    page: int = 1
    page_size: int = 50


class ShareIn(Schema):
    at: dt.datetime | None = None


class ReportIn(Schema):
    kind: str
    body: str


class CloseRequestIn(Schema):
    final_state: str
    reason: str = ""
    transfer_to: str = ""


class CommentIn(Schema):
    comment: str = ""


class ExtensionIn(Schema):
    days: int
    reason: str


class ExtensionOut(Schema):
    id: int
    step: str
    step_label: str
    days: int
    reason: str
    status: str
    status_label: str
    requested_at: str
    old_due_at: str | None
    new_due_at: str | None
    comment: str


class CloseRequestOut(Schema):
    id: int
    final_state: str
    final_state_label: str
    reason: str
    transfer_to: str
    status: str
    status_label: str
    requested_at: str
    comment: str


class ReviewApproveIn(Schema):
    note: str = ""


# --- serialisation -----------------------------------------------------------------------------------


def directive_json(d: Directive, *, now: dt.datetime) -> dict[str, Any]:
    supports = [a.department.code for a in d.assignments.all() if a.role == "support"]
    return {
        "number": d.number,
        "year": d.year,
        "quarter": d.quarter,
        "state": d.state,
        "state_label": d.get_state_display(),
        "kind": d.kind,
        "kind_label": d.get_kind_display(),
        "title": d.title,
        "content": d.content,
        "source": d.source,
        "given_by": d.given_by,
        "deadline_class": d.deadline_class,
        "report_days": d.report_days,
        "lead_department": d.lead_department.code,
        "lead_department_name": d.lead_department.name,
        "support_departments": supports,
        "given_at": iso(d.given_at),
        "share_due_at": iso(d.share_due_at),
        "shared_at": iso(d.shared_at),
        "share_late": d.share_late,
        "first_report_due_at": iso(d.first_report_due_at),
        "first_reported_at": iso(d.first_reported_at),
        "result_due_at": iso(d.result_due_at),
        "result_reported_at": iso(d.result_reported_at),
        "close_requested_at": iso(d.close_requested_at),
        "closed_at": iso(d.closed_at),
        "close_reason": d.close_reason,
        "transfer_to": d.transfer_to,
        "overdue": d.is_overdue(now),
    }


def _detail(request: HttpRequest, number: str) -> dict[str, Any]:
    d = selectors.directive_detail(request.user, number)
    data = directive_json(d, now=timezone.now())
    data["assignments"] = [
        {
            "department": a.department.code,
            "department_name": a.department.name,
            "role": a.role,
            "received_at": iso(a.received_at),
            "acknowledged_at": iso(a.acknowledged_at),
        }
        for a in d.assignments.all()
    ]
    data["reports"] = [
        {
            "id": r.pk,
            "kind": r.kind,
            "kind_label": r.get_kind_display(),
            "department": r.department.code,
            "body": r.body,
            "author": (r.author.get_full_name() or r.author.get_username()) if r.author else "",
            "created_at": iso(r.created_at),
        }
        for r in d.reports.all()
    ]
    data["timeline"] = [
        {
            "at": iso(e.at),
            "kind": e.kind,
            "kind_label": e.get_kind_display(),
            "actor": e.actor_name,
            "department": e.department_name,
            "message": e.message,
        }
        for e in d.events.all()
    ]
    return data


def _extension_json(e: ExtensionRequest) -> dict[str, Any]:
    return {
        "id": e.pk,
        "step": e.step,
        "step_label": e.get_step_display(),
        "days": e.days,
        "reason": e.reason,
        "status": e.status,
        "status_label": e.get_status_display(),
        "requested_at": iso(e.requested_at),
        "old_due_at": iso(e.old_due_at),
        "new_due_at": iso(e.new_due_at),
        "comment": e.comment,
    }


def _directive(request: HttpRequest, number: str) -> Directive:
    return selectors.directive_for_action(request.user, number)


# --- endpoints -----------------------------------------------------------------------------------------


@router.post("", response={201: DirectiveDetailOut}, summary="지시사항 등록")
def create(request: HttpRequest, payload: DirectiveIn) -> Status[dict[str, Any]]:
    directive_policy.check(request.user, "register")
    lead = department_by_code(payload.lead_department.strip())
    if lead is None:
        raise ServiceError(f"알 수 없는 부서 코드입니다: {payload.lead_department}")
    supports, missing = departments_by_codes([c.strip() for c in payload.support_departments])
    if missing:
        raise ServiceError(f"알 수 없는 부서 코드입니다: {', '.join(missing)}")
    directive = services.directive_register(
        data=services.DirectiveInput(
            title=payload.title,
            content=payload.content,
            given_at=payload.given_at,
            source=payload.source,
            given_by=payload.given_by,
            kind=payload.kind,
            lead_department=lead,
            support_departments=supports,
            deadline_class=payload.deadline_class or "",
            result_due_on=payload.result_due_on,
        ),
        actor=request.user,
    )
    return Status(201, _detail(request, directive.number))


@router.get("", response=DirectivePage, summary="지시사항 목록 (year, quarter, department, state, overdue, q)")
def list_directives(request: HttpRequest, query: Query[ListQuery]) -> dict[str, Any]:
    if query.quarter is not None and not 1 <= query.quarter <= 4:
        raise ServiceError("분기는 1~4 사이여야 합니다.")
    if not 1 <= query.page_size <= MAX_PAGE_SIZE:
        raise ServiceError(f"page_size는 1~{MAX_PAGE_SIZE} 사이여야 합니다.")
    department = (query.department or "").strip()
    if department and department_by_code(department) is None:
        raise ServiceError(f"알 수 없는 부서 코드입니다: {department}")
    state = (query.state or "").strip()
    if state and state not in ("open", "미종결"):
        state = services.parse_choice(State, state, "상태")
    elif state:
        state = "open"
    now = timezone.now()
    filters = selectors.ListFilters(
        year=query.year,
        quarter=query.quarter,
        department=department,
        state=state,
        overdue=bool(query.overdue),
        q=query.q or "",
    )
    qs = selectors.directive_list(request.user, filters, now=now).prefetch_related("assignments__department")
    paginator = Paginator(qs, query.page_size)
    if query.page < 1 or (query.page > paginator.num_pages and paginator.count):
        raise ServiceError("페이지 번호가 범위를 벗어났습니다.")
    page = paginator.page(min(query.page, paginator.num_pages))
    return {
        "count": paginator.count,
        "page": page.number,
        "page_size": query.page_size,
        "pages": paginator.num_pages,
        "items": [directive_json(d, now=now) for d in page.object_list],
    }


@router.get("/reviews/{year}/{quarter}", summary="분기별 점검 수치")
def review(request: HttpRequest, year: int, quarter: int) -> dict[str, Any]:
    directive_policy.check(request.user, "review_view")
    reviews.validate_quarter(year, quarter)
    review_row, data = reviews.review_data(year, quarter)
    return {
        "status": review_row.status if review_row else "draft",
        "approved_at": iso(review_row.approved_at) if review_row else None,
        "frozen": bool(review_row and review_row.is_frozen),
        **data,
    }


@router.post("/reviews/{year}/{quarter}/approve", summary="분기별 점검 승인(확정)")
def review_approve(
    request: HttpRequest, year: int, quarter: int, payload: ReviewApproveIn | None = None
) -> dict[str, Any]:
    row = reviews.review_approve(year=year, quarter=quarter, actor=request.user, note=payload.note if payload else "")
    return {"status": row.status, "approved_at": iso(row.approved_at), "frozen": True, **(row.snapshot or {})}


def _download(request: HttpRequest, year: int, quarter: int, fmt: str) -> HttpResponse:
    directive_policy.check(request.user, "review_view")
    reviews.validate_quarter(year, quarter)
    review_row, data = reviews.review_data(year, quarter)
    return report_response(reviews.summary_report(data, review_row), fmt, f"{year}년_{quarter}분기_지시사항_총괄보고")


@router.get("/reviews/{year}/{quarter}/report.hwpx", summary="분기별 총괄보고 (HWPX)")
def review_hwpx(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    return _download(request, year, quarter, "hwpx")


@router.get("/reviews/{year}/{quarter}/report.xlsx", summary="분기별 총괄보고 (XLSX)")
def review_xlsx(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    return _download(request, year, quarter, "xlsx")


@router.get("/{number}", response=DirectiveDetailOut, summary="지시사항 상세(보고·처리 이력 포함)")
def detail(request: HttpRequest, number: str) -> dict[str, Any]:
    return _detail(request, number)


@router.post("/{number}/share", response=DirectiveDetailOut, summary="부서에 공유")
def share(request: HttpRequest, number: str, payload: ShareIn | None = None) -> dict[str, Any]:
    """`at`: only for importing past records by the planning office; otherwise the server's clock."""
    directive = _directive(request, number)
    at = payload.at if payload is not None else None
    if at is not None:
        directive_policy.check(request.user, "import_past", directive)
        if timezone.is_naive(at):
            raise ServiceError("at에는 시간대(예: +09:00)가 있어야 합니다.")
    services.directive_share(directive=directive, actor=request.user, at=at)
    return _detail(request, number)


@router.post("/{number}/acknowledge", response=DirectiveDetailOut, summary="접수 확인")
def acknowledge(request: HttpRequest, number: str) -> dict[str, Any]:
    services.directive_acknowledge(directive=_directive(request, number), actor=request.user)
    return _detail(request, number)


@router.post("/{number}/reports", response={201: DirectiveDetailOut}, summary="보고 (first|progress|result)")
def add_report(request: HttpRequest, number: str, payload: ReportIn) -> Status[dict[str, Any]]:
    services.directive_report(
        directive=_directive(request, number), actor=request.user, kind=payload.kind, body=payload.body
    )
    return Status(201, _detail(request, number))


@router.post("/{number}/close-request", response={201: CloseRequestOut}, summary="종결 요청")
def close_request(request: HttpRequest, number: str, payload: CloseRequestIn) -> Status[dict[str, Any]]:
    row = services.directive_close_request(
        directive=_directive(request, number),
        actor=request.user,
        final_state=payload.final_state,
        reason=payload.reason,
        transfer_to=payload.transfer_to,
    )
    return Status(
        201,
        {
            "id": row.pk,
            "final_state": row.final_state,
            "final_state_label": row.get_final_state_display(),
            "reason": row.reason,
            "transfer_to": row.transfer_to,
            "status": row.status,
            "status_label": row.get_status_display(),
            "requested_at": iso(row.requested_at),
            "comment": row.comment,
        },
    )


@router.post("/{number}/close-approve", response=DirectiveDetailOut, summary="종결 승인")
def close_approve(request: HttpRequest, number: str, payload: CommentIn | None = None) -> dict[str, Any]:
    services.directive_close_approve(
        directive=_directive(request, number), actor=request.user, comment=payload.comment if payload else ""
    )
    return _detail(request, number)


@router.post("/{number}/close-return", response=DirectiveDetailOut, summary="종결 요청 반려")
def close_return(request: HttpRequest, number: str, payload: CommentIn) -> dict[str, Any]:
    services.directive_close_return(directive=_directive(request, number), actor=request.user, comment=payload.comment)
    return _detail(request, number)


@router.post("/{number}/extensions", response={201: ExtensionOut}, summary="기한 연장 요청")
def extensions(request: HttpRequest, number: str, payload: ExtensionIn) -> Status[dict[str, Any]]:
    row = services.directive_extension_request(
        directive=_directive(request, number), actor=request.user, days=payload.days, reason=payload.reason
    )
    return Status(201, _extension_json(row))


def _extension(request: HttpRequest, number: str, extension_id: int) -> ExtensionRequest:
    directive = _directive(request, number)
    row = ExtensionRequest.objects.select_related("directive").filter(pk=extension_id, directive=directive).first()
    if row is None:
        raise ServiceError("기한 연장 요청을 찾을 수 없습니다.", status=404)
    return row


@router.post("/{number}/extensions/{extension_id}/approve", response=ExtensionOut, summary="기한 연장 승인")
def extension_approve(
    request: HttpRequest, number: str, extension_id: int, payload: CommentIn | None = None
) -> dict[str, Any]:
    row = services.extension_approve(
        extension=_extension(request, number, extension_id),
        actor=request.user,
        comment=payload.comment if payload else "",
    )
    return _extension_json(row)


@router.post("/{number}/extensions/{extension_id}/return", response=ExtensionOut, summary="기한 연장 반려")
def extension_return(request: HttpRequest, number: str, extension_id: int, payload: CommentIn) -> dict[str, Any]:
    row = services.extension_return(
        extension=_extension(request, number, extension_id), actor=request.user, comment=payload.comment
    )
    return _extension_json(row)
