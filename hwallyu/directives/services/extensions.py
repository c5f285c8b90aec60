"""Extension requests and the recomputation of due times when the calendar changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q

from hwallyu.api.base import ServiceError
from hwallyu.core.audit import log_action, snapshot
from hwallyu.core.calendar import get_calendar
from hwallyu.directives.models import (
    FINAL_STATES,
    OPEN_STATES,
    Directive,
    EventKind,
    ExtensionRequest,
    ExtensionStep,
    RequestStatus,
)
from hwallyu.directives.policies import directive_policy
from hwallyu.directives.services.common import (
    AUDIT_FIELDS,
    MAX_EXTENSION_DAYS,
    audit_directive,
    department_people,
    directive_url,
    fmt,
    local,
    lock_directive,
    moment_or_now,
    notify_on_commit,
    record_event,
    require_shared_open,
)
from hwallyu.org.selectors import planning_office_users

# --- extensions ---------------------------------------------------------------------------------


def extension_step_of(directive: Directive) -> str | None:
    """The due time an extension would move: the first report, else the result."""
    if directive.shared_at is None or directive.state in FINAL_STATES:
        return None
    if directive.first_reported_at is None:
        return ExtensionStep.FIRST_REPORT
    if directive.needs_result and directive.result_reported_at is None and directive.result_due_at is not None:
        return ExtensionStep.RESULT
    return None


STEP_FIELDS = {
    ExtensionStep.FIRST_REPORT: ("first_report_due_at", "first_report_escalated_at"),
    ExtensionStep.RESULT: ("result_due_at", "result_escalated_at"),
}


def directive_extension_request(
    *, directive: Directive, actor: Any, days: int, reason: str, at: dt.datetime | None = None
) -> ExtensionRequest:
    directive_policy.check(actor, "extension_request", directive)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("기한 연장 사유를 입력하세요.")
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise ServiceError("연장 일수는 숫자여야 합니다.")
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ServiceError(f"연장 일수는 1~{MAX_EXTENSION_DAYS}일이어야 합니다.")
    now = moment_or_now(at)
    with transaction.atomic():
        directive = lock_directive(directive)
        require_shared_open(directive)
        step = extension_step_of(directive)
        if step is None:
            raise ServiceError("연장할 기한이 없습니다(우선보고·처리결과 기한이 모두 끝났습니다).", status=409)
        if directive.extensions.filter(status=RequestStatus.PENDING).exists():
            raise ServiceError("이미 기한 연장 요청이 처리를 기다리고 있습니다.", status=409)
        request = ExtensionRequest.objects.create(
            directive=directive,
            step=step,
            days=days,
            reason=reason,
            requested_by=actor,
            requested_at=now,
            old_due_at=getattr(directive, STEP_FIELDS[ExtensionStep(step)][0]),
        )
        record_event(
            directive,
            EventKind.EXTENSION_REQUESTED,
            actor=actor,
            at=now,
            message=f"{ExtensionStep(step).label} 기한 {days}일 연장을 요청했습니다. 사유: {reason}",
            data={"request_id": request.pk, "step": step, "days": days},
        )
        log_action(
            actor=actor,
            action="directive.extension_request",
            target=directive,
            department=directive.lead_department,
            after={"step": step, "days": days, "reason": reason},
        )
        if at is None:
            notify_on_commit(
                recipients=planning_office_users(),
                title=f"지시사항 {directive.number} 기한 연장 요청(+{days}일)",
                body=f"{directive.lead_department.name}: {reason}",
                url=directive_url(directive),
                kind="directive.extension_request",
            )
    return request


def _lock_extension(extension: ExtensionRequest) -> tuple[Directive, ExtensionRequest]:
    directive = lock_directive(extension.directive)
    extension = ExtensionRequest.objects.select_for_update(of=("self",)).get(pk=extension.pk)
    if extension.status != RequestStatus.PENDING:
        raise ServiceError("이미 처리된 연장 요청입니다.", status=409)
    return directive, extension


def extension_approve(
    *, extension: ExtensionRequest, actor: Any, comment: str = "", at: dt.datetime | None = None
) -> ExtensionRequest:
    """Approve: the due time moves by the requested days (calendar), the old one stays in history."""
    directive_policy.check(actor, "extension_decide", extension.directive)
    now = moment_or_now(at)
    with transaction.atomic():
        directive, extension = _lock_extension(extension)
        require_shared_open(directive)
        if extension_step_of(directive) != extension.step:
            raise ServiceError("해당 단계의 보고가 이미 끝나 연장할 필요가 없습니다.", status=409)
        due_field, escalated_field = STEP_FIELDS[ExtensionStep(extension.step)]
        old_due = getattr(directive, due_field)
        before = snapshot(directive, AUDIT_FIELDS)
        new_due = get_calendar().deadline(old_due, extension.days)
        setattr(directive, due_field, new_due)
        setattr(directive, escalated_field, None)
        directive.save(update_fields=[due_field, escalated_field, "updated_at"])
        extension.status = RequestStatus.APPROVED
        extension.decided_by = actor
        extension.decided_at = now
        extension.comment = (comment or "").strip()
        extension.old_due_at = old_due
        extension.new_due_at = new_due
        extension.save(update_fields=["status", "decided_by", "decided_at", "comment", "old_due_at", "new_due_at"])
        record_event(
            directive,
            EventKind.EXTENSION_APPROVED,
            actor=actor,
            at=now,
            message=f"{extension.get_step_display()} 기한 연장 승인: {fmt(old_due)} → {fmt(new_due)}",
            data={
                "request_id": extension.pk,
                "old_due_at": local(old_due).isoformat(),
                "new_due_at": local(new_due).isoformat(),
            },
        )
        audit_directive(directive, actor=actor, action="directive.extension_approve", before=before)
        if at is None:
            notify_on_commit(
                recipients=department_people([directive.lead_department]),
                title=f"지시사항 {directive.number} 기한 연장 승인",
                body=f"{extension.get_step_display()} 기한: {fmt(old_due)} → {fmt(new_due)}",
                url=directive_url(directive),
                kind="directive.extension_approved",
            )
    return extension


def extension_return(
    *, extension: ExtensionRequest, actor: Any, comment: str, at: dt.datetime | None = None
) -> ExtensionRequest:
    directive_policy.check(actor, "extension_decide", extension.directive)
    comment = (comment or "").strip()
    if not comment:
        raise ServiceError("반려 의견을 입력하세요.")
    now = moment_or_now(at)
    with transaction.atomic():
        directive, extension = _lock_extension(extension)
        extension.status = RequestStatus.RETURNED
        extension.decided_by = actor
        extension.decided_at = now
        extension.comment = comment
        extension.save(update_fields=["status", "decided_by", "decided_at", "comment"])
        record_event(
            directive,
            EventKind.EXTENSION_RETURNED,
            actor=actor,
            at=now,
            message=f"기한 연장 요청(+{extension.days}일)을 반려했습니다. 의견: {comment}",
            data={"request_id": extension.pk},
        )
        log_action(
            actor=actor,
            action="directive.extension_return",
            target=directive,
            department=directive.lead_department,
            after={"request_id": extension.pk, "comment": comment},
        )
        if at is None:
            notify_on_commit(
                recipients=department_people([directive.lead_department]),
                title=f"지시사항 {directive.number} 기한 연장 반려",
                body=comment,
                url=directive_url(directive),
                kind="directive.extension_returned",
            )
    return extension


# --- calendar changes ----------------------------------------------------------------------------


def _replayed_first_report_due(directive: Directive, calendar: Any) -> dt.datetime:
    due = calendar.deadline(directive.shared_at, directive.report_days)
    approved = directive.extensions.filter(step=ExtensionStep.FIRST_REPORT, status=RequestStatus.APPROVED).order_by(
        "decided_at", "id"
    )
    for extension in approved:
        due = calendar.deadline(due, extension.days)
    return due


def directives_recompute_due(*, now: dt.datetime | None = None, batch: int = 500) -> int:
    """Recompute share and first-report due times that have not passed (the calendar changed).

    Result due times are dates a person chose and stay as they are.  Returns how many
    directives got a new due time."""
    moment = moment_or_now(now)
    calendar = get_calendar()
    changed = 0
    candidates = Directive.objects.filter(state__in=OPEN_STATES).filter(
        Q(shared_at__isnull=True, share_due_at__gt=moment)
        | Q(shared_at__isnull=False, first_reported_at__isnull=True, first_report_due_at__gt=moment)
    )
    ids = list(candidates.values_list("id", flat=True))
    for start in range(0, len(ids), batch):
        with transaction.atomic():
            for directive in Directive.objects.select_for_update(of=("self",)).filter(
                id__in=ids[start : start + batch]
            ):
                if directive.shared_at is None:
                    field_name, escalated = "share_due_at", "share_escalated_at"
                    new_due = calendar.same_day(directive.given_at)
                else:
                    field_name, escalated = "first_report_due_at", "first_report_escalated_at"
                    new_due = _replayed_first_report_due(directive, calendar)
                old_due = getattr(directive, field_name)
                if old_due is None or old_due <= moment or new_due == old_due:
                    continue
                setattr(directive, field_name, new_due)
                setattr(directive, escalated, None)
                directive.save(update_fields=[field_name, escalated, "updated_at"])
                label = "공유" if field_name == "share_due_at" else "우선보고"
                record_event(
                    directive,
                    EventKind.DUE_RECOMPUTED,
                    actor=None,
                    at=moment,
                    message=f"근무일 달력 변경으로 {label} 기한을 다시 계산했습니다: {fmt(old_due)} → {fmt(new_due)}",
                    data={"field": field_name, "old": local(old_due).isoformat(), "new": local(new_due).isoformat()},
                )
                log_action(
                    actor=None,
                    action="directive.due_recompute",
                    target=directive,
                    department=directive.lead_department_id,
                    before={field_name: old_due},
                    after={field_name: new_due},
                )
                changed += 1
    return changed
