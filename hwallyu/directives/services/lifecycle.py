"""Sharing, acknowledging, reporting and closing a directive."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from hwallyu.api.base import ServiceError
from hwallyu.core.audit import log_action, snapshot
from hwallyu.core.calendar import CalendarError, get_calendar
from hwallyu.directives.models import (
    CloseRequest,
    Directive,
    DirectiveAssignment,
    DirectiveReport,
    EventKind,
    ReportAttachment,
    ReportKind,
    RequestStatus,
    State,
)
from hwallyu.directives.policies import directive_policy
from hwallyu.directives.services.common import (
    AUDIT_FIELDS,
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    audit_directive,
    department_people,
    directive_url,
    fmt,
    local,
    lock_directive,
    moment_or_now,
    notify_on_commit,
    parse_final_state,
    parse_report_kind,
    record_event,
    require_shared_open,
)
from hwallyu.org.selectors import department_of, planning_office_users

# --- share -------------------------------------------------------------------------------------


def directive_share(*, directive: Directive, actor: Any, at: dt.datetime | None = None) -> Directive:
    """Share with the lead and supporting departments; the first report clock starts now."""
    directive_policy.check(actor, "share", directive)
    backdated = at is not None
    now = moment_or_now(at)
    with transaction.atomic():
        directive = lock_directive(directive)
        if directive.state != State.REGISTERED or directive.shared_at is not None:
            raise ServiceError("이미 공유한 지시사항입니다.", status=409)
        if backdated:
            if now > timezone.now():
                raise ServiceError("공유 일시는 현재보다 뒤일 수 없습니다.")
            if now < directive.given_at:
                raise ServiceError("공유 일시는 지시 일시보다 앞설 수 없습니다.")
        elif now < directive.given_at:
            raise ServiceError("지시 일시가 아직 지나지 않아 공유할 수 없습니다.", status=409)
        before = snapshot(directive, AUDIT_FIELDS)
        try:
            first_due = get_calendar().deadline(now, directive.report_days)
        except CalendarError as exc:
            raise ServiceError(str(exc))
        directive.state = State.SHARED
        directive.shared_at = now
        directive.share_late = now > directive.share_due_at
        directive.first_report_due_at = first_due
        directive.save(update_fields=["state", "shared_at", "share_late", "first_report_due_at", "updated_at"])
        assignments = list(directive.assignments.select_related("department"))
        directive.assignments.update(received_at=now)
        late = " (공유 기한 경과)" if directive.share_late else ""
        record_event(
            directive,
            EventKind.SHARED,
            actor=actor,
            at=now,
            message=f"{', '.join(a.department.name for a in assignments)}에 공유했습니다{late}. "
            f"우선보고 기한 {fmt(first_due)}",
            data={"first_report_due_at": local(first_due).isoformat(), "share_late": directive.share_late},
        )
        audit_directive(directive, actor=actor, action="directive.share", before=before)
        if not backdated:
            notify_on_commit(
                recipients=department_people(a.department for a in assignments),
                title=f"지시사항 {directive.number} 공유: {directive.title}",
                body=f"{directive.given_by} 지시사항이 부서에 배정되었습니다. 우선보고 기한: {fmt(first_due)}",
                url=directive_url(directive),
                kind="directive.shared",
                dedupe_key=f"directive:{directive.pk}:shared",
            )
    return directive


# --- department side ---------------------------------------------------------------------------


def directive_acknowledge(*, directive: Directive, actor: Any, at: dt.datetime | None = None) -> DirectiveAssignment:
    """The actor's department confirms it received the directive."""
    directive_policy.check(actor, "acknowledge", directive)
    now = moment_or_now(at)
    department = department_of(actor)
    with transaction.atomic():
        directive = lock_directive(directive)
        require_shared_open(directive)
        assignment = DirectiveAssignment.objects.filter(directive=directive, department=department).first()
        if assignment is None:
            raise ServiceError("소속 부서에 배정된 지시사항이 아닙니다.", status=409)
        if assignment.acknowledged_at is not None:
            raise ServiceError("이미 접수를 확인했습니다.", status=409)
        assignment.acknowledged_at = now
        assignment.acknowledged_by = actor
        assignment.save(update_fields=["acknowledged_at", "acknowledged_by"])
        record_event(directive, EventKind.ACKNOWLEDGED, actor=actor, at=now, message="접수를 확인했습니다.")
        log_action(
            actor=actor,
            action="directive.acknowledge",
            target=directive,
            department=department,
            after={"department": department.code if department else None, "acknowledged_at": now},
        )
    return assignment


def _check_files(files: Sequence[UploadedFile]) -> None:
    if len(files) > MAX_ATTACHMENTS:
        raise ServiceError(f"첨부파일은 {MAX_ATTACHMENTS}개까지 올릴 수 있습니다.")
    for f in files:
        if f.size is not None and f.size > MAX_ATTACHMENT_BYTES:
            raise ServiceError(f"'{f.name}'이(가) 20MB를 넘습니다.")
        if not f.name or len(f.name) > 200:
            raise ServiceError("첨부파일 이름은 1~200자여야 합니다.")


def directive_report(
    *,
    directive: Directive,
    actor: Any,
    kind: str,
    body: str,
    files: Sequence[UploadedFile] = (),
    at: dt.datetime | None = None,
) -> DirectiveReport:
    """First report (우선보고), progress report or result report (처리결과)."""
    kind = parse_report_kind(kind)
    directive_policy.check(actor, "report_progress" if kind == ReportKind.PROGRESS else "report", directive)
    text = (body or "").strip()
    if not text:
        raise ServiceError("보고 내용을 입력하세요.")
    _check_files(files)
    now = moment_or_now(at)
    with transaction.atomic():
        directive = lock_directive(directive)
        require_shared_open(directive)
        before = snapshot(directive, AUDIT_FIELDS)
        fields = ["state", "updated_at"]
        if kind == ReportKind.FIRST:
            if directive.first_reported_at is not None:
                raise ServiceError("우선보고는 이미 제출되었습니다. 이후 내용은 추진상황으로 보고하세요.", status=409)
            directive.first_reported_at = now
            directive.state = State.REPORTED
            fields.append("first_reported_at")
        else:
            if directive.first_reported_at is None:
                raise ServiceError("우선보고를 먼저 제출하세요.", status=409)
            directive.state = State.IN_PROGRESS
            if kind == ReportKind.RESULT:
                directive.result_reported_at = now
                fields.append("result_reported_at")
        actor_department = department_of(actor)
        if directive_policy.can(actor, "share") or actor_department is None:
            report_department = directive.lead_department
        else:
            report_department = actor_department
        report = DirectiveReport.objects.create(
            directive=directive, department=report_department, kind=kind, body=text, author=actor, created_at=now
        )
        for f in files:
            ReportAttachment.objects.create(report=report, file=f, name=(f.name or "첨부")[:200], size=f.size or 0)
        directive.save(update_fields=fields)
        label = ReportKind(kind).label
        on_time = ""
        if kind == ReportKind.FIRST and directive.first_report_due_at is not None:
            on_time = " (기한 내)" if now <= directive.first_report_due_at else " (기한 경과)"
        record_event(
            directive,
            EventKind.REPORTED,
            actor=actor,
            at=now,
            department=report_department,
            message=f"{label}{on_time}: {text[:200]}",
            data={"report_id": report.pk, "kind": kind, "attachments": len(files)},
        )
        audit_directive(directive, actor=actor, action=f"directive.report.{kind}", before=before)
        if at is None:
            notify_on_commit(
                recipients=planning_office_users(),
                title=f"지시사항 {directive.number} {label}: {report_department.name}",
                body=text[:500],
                url=directive_url(directive),
                kind=f"directive.report.{kind}",
            )
    return report


# --- close -------------------------------------------------------------------------------------


def directive_close_request(
    *,
    directive: Directive,
    actor: Any,
    final_state: str,
    reason: str = "",
    transfer_to: str = "",
    at: dt.datetime | None = None,
) -> CloseRequest:
    directive_policy.check(actor, "close_request", directive)
    state = parse_final_state(final_state)
    reason = (reason or "").strip()
    transfer_to = (transfer_to or "").strip()
    if state == State.INFEASIBLE and not reason:
        raise ServiceError("추진불가로 종결하려면 사유를 입력하세요.")
    if state == State.TRANSFERRED and not transfer_to:
        raise ServiceError("타기관 이첩으로 종결하려면 이첩할 기관을 입력하세요.")
    if len(transfer_to) > 100:
        raise ServiceError("이첩 기관은 100자 이내로 입력하세요.")
    now = moment_or_now(at)
    with transaction.atomic():
        directive = lock_directive(directive)
        require_shared_open(directive)
        if directive.first_reported_at is None:
            raise ServiceError("우선보고를 제출한 뒤에 종결을 요청할 수 있습니다.", status=409)
        if (
            directive.close_requested_at is not None
            or directive.close_requests.filter(status=RequestStatus.PENDING).exists()
        ):
            raise ServiceError("이미 종결 요청이 접수되어 처리를 기다리고 있습니다.", status=409)
        if state == State.COMPLETED and directive.needs_result and directive.result_reported_at is None:
            raise ServiceError("완료로 종결하려면 처리결과를 먼저 보고하세요.", status=409)
        before = snapshot(directive, AUDIT_FIELDS)
        request = CloseRequest.objects.create(
            directive=directive,
            final_state=state,
            reason=reason,
            transfer_to=transfer_to if state == State.TRANSFERRED else "",
            requested_by=actor,
            requested_at=now,
        )
        directive.close_requested_at = now
        directive.save(update_fields=["close_requested_at", "updated_at"])
        detail = f" → {transfer_to}" if state == State.TRANSFERRED else ""
        record_event(
            directive,
            EventKind.CLOSE_REQUESTED,
            actor=actor,
            at=now,
            message=f"{State(state).label}{detail}(으)로 종결을 요청했습니다." + (f" 사유: {reason}" if reason else ""),
            data={"request_id": request.pk, "final_state": state},
        )
        audit_directive(directive, actor=actor, action="directive.close_request", before=before)
        if at is None:
            notify_on_commit(
                recipients=planning_office_users(),
                title=f"지시사항 {directive.number} 종결 요청({State(state).label})",
                body=f"{directive.lead_department.name}: {directive.title}" + (f"\n사유: {reason}" if reason else ""),
                url=directive_url(directive),
                kind="directive.close_request",
            )
    return request


def _pending_close(directive: Directive) -> CloseRequest:
    request = directive.close_requests.select_for_update(of=("self",)).filter(status=RequestStatus.PENDING).first()
    if request is None:
        raise ServiceError("처리할 종결 요청이 없습니다.", status=409)
    return request


def directive_close_approve(
    *, directive: Directive, actor: Any, comment: str = "", at: dt.datetime | None = None
) -> Directive:
    directive_policy.check(actor, "close_decide", directive)
    now = moment_or_now(at)
    with transaction.atomic():
        directive = lock_directive(directive)
        require_shared_open(directive)
        request = _pending_close(directive)
        before = snapshot(directive, AUDIT_FIELDS)
        request.status = RequestStatus.APPROVED
        request.decided_by = actor
        request.decided_at = now
        request.comment = (comment or "").strip()
        request.save(update_fields=["status", "decided_by", "decided_at", "comment"])
        directive.state = request.final_state
        directive.closed_at = now
        directive.close_requested_at = None
        directive.close_reason = request.reason
        directive.transfer_to = request.transfer_to
        directive.save(
            update_fields=["state", "closed_at", "close_requested_at", "close_reason", "transfer_to", "updated_at"]
        )
        record_event(
            directive,
            EventKind.CLOSE_APPROVED,
            actor=actor,
            at=now,
            message=f"{directive.get_state_display()}(으)로 종결을 승인했습니다."
            + (f" 의견: {request.comment}" if request.comment else ""),
            data={"request_id": request.pk, "final_state": directive.state},
        )
        audit_directive(directive, actor=actor, action="directive.close_approve", before=before)
        if at is None:
            notify_on_commit(
                recipients=department_people([directive.lead_department]),
                title=f"지시사항 {directive.number} 종결 승인({directive.get_state_display()})",
                body=directive.title,
                url=directive_url(directive),
                kind="directive.closed",
            )
    return directive


def directive_close_return(
    *, directive: Directive, actor: Any, comment: str, at: dt.datetime | None = None
) -> CloseRequest:
    directive_policy.check(actor, "close_decide", directive)
    comment = (comment or "").strip()
    if not comment:
        raise ServiceError("반려 의견을 입력하세요.")
    now = moment_or_now(at)
    with transaction.atomic():
        directive = lock_directive(directive)
        require_shared_open(directive)
        request = _pending_close(directive)
        before = snapshot(directive, AUDIT_FIELDS)
        request.status = RequestStatus.RETURNED
        request.decided_by = actor
        request.decided_at = now
        request.comment = comment
        request.save(update_fields=["status", "decided_by", "decided_at", "comment"])
        directive.close_requested_at = None
        directive.save(update_fields=["close_requested_at", "updated_at"])
        record_event(
            directive,
            EventKind.CLOSE_RETURNED,
            actor=actor,
            at=now,
            message=f"종결 요청({request.get_final_state_display()})을 반려했습니다. 의견: {comment}",
            data={"request_id": request.pk},
        )
        audit_directive(directive, actor=actor, action="directive.close_return", before=before)
        if at is None:
            notify_on_commit(
                recipients=department_people([directive.lead_department]),
                title=f"지시사항 {directive.number} 종결 요청 반려",
                body=comment,
                url=directive_url(directive),
                kind="directive.close_returned",
            )
    return request
