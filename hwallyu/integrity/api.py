"""The integrity API: the anonymous channel (no authentication) and the handlers' endpoints.

Anonymous endpoints answer the same calm refusal for every receipt that does not open a
case.  A cross-site browser request (``Origin`` of another site) is refused.  Handlers read
content by sending their passphrase with the request; it opens their key for that request only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from hwallyu.api.base import ServiceError
from hwallyu.integrity.forms import CROSS_SITE, same_origin
from hwallyu.integrity.models import MessageKind, Step
from hwallyu.integrity.policies import VIEW, case_policy
from hwallyu.integrity.selectors import cases as select_cases
from hwallyu.integrity.services import cases as case_services
from hwallyu.integrity.services import keys as key_services

router = Router(tags=["청렴"])


def _public(request: HttpRequest) -> None:
    if not same_origin(request):
        raise HttpError(403, CROSS_SITE)


class ReportIn(Schema):
    category: str
    kind: Literal["counsel", "report"]
    title: str
    body: str


class ReceiptOut(Schema):
    receipt: str


class ReceiptIn(Schema):
    receipt: str


class MessageOut(Schema):
    author: str
    kind: str
    body: str
    at: dt.datetime


class ReceiptStateOut(Schema):
    state: str
    state_label: str
    kind: str
    category: str
    messages: list[MessageOut]


class ReplyIn(Schema):
    receipt: str
    body: str


def _state(receipt: str) -> dict[str, Any]:
    case, private = case_services.receipt_open(receipt=receipt)
    view = case_services.reporter_view(case, private)
    return {
        "state": view.state,
        "state_label": view.state_label,
        "kind": case.kind,
        "category": case.category,
        "messages": [
            {
                "author": "reporter" if m.kind == MessageKind.REPORTER else "handler",
                "kind": m.kind,
                "body": m.body,
                "at": m.at,
            }
            for m in view.messages
        ],
    }


@router.post("/reports", auth=None, response={201: ReceiptOut}, summary="익명 상담·신고 접수 (인증 없음)")
def report_file(request: HttpRequest, payload: ReportIn) -> Status:
    _public(request)
    _, receipt = case_services.case_file(
        kind=payload.kind, category=payload.category, title=payload.title, body=payload.body
    )
    return Status(201, {"receipt": receipt})


@router.post("/receipt", auth=None, response=ReceiptStateOut, summary="접수번호로 처리 상태·답변 보기 (인증 없음)")
def receipt_state(request: HttpRequest, payload: ReceiptIn) -> dict[str, Any]:
    _public(request)
    return _state(payload.receipt)


@router.post(
    "/receipt/messages", auth=None, response={201: ReceiptStateOut}, summary="접수번호로 답글 남기기 (인증 없음)"
)
def receipt_reply(request: HttpRequest, payload: ReplyIn) -> Status:
    _public(request)
    case_services.reporter_reply(receipt=payload.receipt, body=payload.body)
    return Status(201, _state(payload.receipt))


# --- handlers ------------------------------------------------------------------------------------


class CaseOut(Schema):
    number: str
    kind: str
    category: str
    category_label: str
    step: str
    step_label: str
    received_at: dt.datetime
    due_at: dt.datetime | None
    closed_at: dt.datetime | None
    assignee: str | None


def _case_out(case: Any) -> dict[str, Any]:
    return {
        "number": case.number,
        "kind": case.kind,
        "category": case.category,
        "category_label": case.get_category_display(),
        "step": case.step,
        "step_label": case.get_step_display(),
        "received_at": case.received_at,
        "due_at": case.due_at,
        "closed_at": case.closed_at,
        "assignee": case.assignee.get_username() if case.assignee else None,
    }


def _designated(request: HttpRequest) -> None:
    if not case_policy.can(request.user, VIEW):
        raise ServiceError("지정된 청렴 상담·신고 담당자만 쓸 수 있습니다.", status=403)


@router.get("/cases", response=list[CaseOut], summary="사건 목록(내용 없음, 지정 담당자)")
def case_list(request: HttpRequest, step: str | None = None) -> list[dict[str, Any]]:
    _designated(request)
    if step and step not in Step.values:
        raise ServiceError("알 수 없는 단계입니다.")
    return [_case_out(c) for c in select_cases(case_policy.scope(request.user), step=step)[:500]]


class OpenIn(Schema):
    passphrase: str


class HandlerMessageOut(Schema):
    kind: str
    author: str
    body: str
    at: dt.datetime


class CaseContentOut(CaseOut):
    title: str
    body: str
    disclosed_name: str | None
    action_kind: str
    action_detail: str | None
    messages: list[HandlerMessageOut]


@router.post("/cases/{number}/open", response=CaseContentOut, summary="사건 내용 열람(암호문구, 감사 기록)")
def case_open(request: HttpRequest, number: str, payload: OpenIn) -> dict[str, Any]:
    _designated(request)
    case = case_policy.get_visible_or_404(request.user, number=number)
    private = key_services.handler_key_for_api(actor=request.user, passphrase=payload.passphrase)
    content = case_services.case_open(case=case, actor=request.user, private_key=private)
    return {
        **_case_out(case),
        "title": content.title,
        "body": content.body,
        "disclosed_name": content.disclosed_name,
        "action_kind": case.action_kind,
        "action_detail": content.action_detail,
        "messages": [{"kind": m.kind, "author": m.author, "body": m.body, "at": m.at} for m in content.messages],
    }


class HandlerMessageIn(Schema):
    kind: Literal["answer", "note"] = "answer"
    body: str


@router.post("/cases/{number}/messages", response={201: CaseOut}, summary="답변·내부 메모 쓰기")
def case_message(request: HttpRequest, number: str, payload: HandlerMessageIn) -> Status:
    _designated(request)
    case = case_policy.get_visible_or_404(request.user, number=number)
    case_services.case_message_add(case=case, actor=request.user, kind=payload.kind, body=payload.body)
    return Status(201, _case_out(case))


class StepIn(Schema):
    step: Literal["review", "investigation", "action", "closed"]
    result: str = ""


@router.post("/cases/{number}/step", response=CaseOut, summary="단계 옮기기")
def case_step(request: HttpRequest, number: str, payload: StepIn) -> dict[str, Any]:
    _designated(request)
    case = case_policy.get_visible_or_404(request.user, number=number)
    return _case_out(
        case_services.case_advance(case=case, actor=request.user, to_step=payload.step, result=payload.result)
    )
