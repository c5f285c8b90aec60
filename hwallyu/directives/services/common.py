"""Shared pieces of the directive services: labels, clocks, timeline events, audit, notices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hwallyu.api.base import ServiceError
from hwallyu.core.audit import diff, log_action, snapshot
from hwallyu.core.calendar import SEOUL
from hwallyu.directives.models import (
    FINAL_STATES,
    Directive,
    DirectiveEvent,
    ReportKind,
    State,
)
from hwallyu.notifications.services import notify
from hwallyu.org.models import Department, Role
from hwallyu.org.selectors import department_of, users_with_role

MAX_ATTACHMENTS = 10
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_EXTENSION_DAYS = 60
AUDIT_FIELDS = [
    "state",
    "shared_at",
    "share_due_at",
    "share_late",
    "first_report_due_at",
    "first_reported_at",
    "result_due_at",
    "result_reported_at",
    "close_requested_at",
    "closed_at",
    "close_reason",
    "transfer_to",
]


# --- labels: the API and forms accept codes and the office's Korean words -------------------


def parse_choice(choices: Any, value: str, field_label: str) -> str:
    """The code of ``value`` given as code or Korean label (e.g. "지시" → "order")."""
    wanted = (value or "").strip()
    for code, label in choices.choices:
        if wanted in (code, str(label)):
            return code
    allowed = ", ".join(str(label) for _, label in choices.choices)
    raise ServiceError(f"{field_label} '{wanted}'은(는) 허용되지 않는 값입니다. 가능한 값: {allowed}")


REPORT_KIND_ALIASES = {"진행보고": ReportKind.PROGRESS, "추진상황 보고": ReportKind.PROGRESS, "처리결과 보고": "result"}
FINAL_STATE_ALIASES = {"이첩": State.TRANSFERRED, "타기관이첩": State.TRANSFERRED}


def parse_report_kind(value: str) -> str:
    alias = REPORT_KIND_ALIASES.get((value or "").strip())
    return str(alias) if alias else parse_choice(ReportKind, value, "보고 종류")


def parse_final_state(value: str) -> str:
    alias = FINAL_STATE_ALIASES.get((value or "").strip())
    state = str(alias) if alias else parse_choice(State, value, "종결 상태")
    if state not in FINAL_STATES:
        allowed = ", ".join(State(s).label for s in FINAL_STATES)
        raise ServiceError(f"종결 상태는 {allowed} 중 하나여야 합니다.")
    return state


# --- helpers ---------------------------------------------------------------------------------


def moment_or_now(at: dt.datetime | None) -> dt.datetime:
    if at is None:
        return timezone.now()
    if timezone.is_naive(at):
        raise ServiceError("시각에는 시간대(예: +09:00)가 있어야 합니다.")
    return at


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(SEOUL)


def quarter_of(moment: dt.datetime) -> int:
    return (local(moment).month - 1) // 3 + 1


def directive_url(directive: Directive) -> str:
    return reverse("directives:detail", args=[directive.number])


def actor_name(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "시스템"
    return actor.get_full_name() or actor.get_username()


def record_event(
    directive: Directive,
    kind: str,
    *,
    actor: Any,
    at: dt.datetime,
    message: str = "",
    department: Department | None = None,
    data: dict[str, Any] | None = None,
) -> DirectiveEvent:
    if department is None and actor is not None:
        department = department_of(actor)
    return DirectiveEvent.objects.create(
        directive=directive,
        at=at,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=actor_name(actor),
        department_name=department.name if department is not None else "",
        kind=kind,
        message=message,
        data=data or {},
    )


def audit_directive(directive: Directive, *, actor: Any, action: str, before: dict[str, Any]) -> None:
    b, a = diff(before, snapshot(directive, AUDIT_FIELDS))
    log_action(actor=actor, action=action, target=directive, department=directive.lead_department, before=b, after=a)


def lock_directive(directive: Directive) -> Directive:
    """The directive row, locked for the rest of the transaction (a fresh copy)."""
    return Directive.objects.select_for_update(of=("self",)).select_related("lead_department").get(pk=directive.pk)


def department_people(departments: Iterable[Department]) -> list[Any]:
    users: list[Any] = []
    for department in departments:
        users.extend(users_with_role(Role.MANAGER, Role.STAFF, department=department))
    return users


def notify_on_commit(
    *, recipients: Sequence[Any], title: str, body: str, url: str, kind: str, dedupe_key: str | None = None
) -> None:
    if not recipients:
        return
    people = list(recipients)
    transaction.on_commit(
        lambda: notify(recipients=people, title=title, body=body, url=url, kind=kind, dedupe_key=dedupe_key)
    )


def fmt(moment: dt.datetime | None) -> str:
    return f"{local(moment):%Y-%m-%d %H:%M}" if moment else "-"


def require_shared_open(directive: Directive) -> None:
    if directive.shared_at is None:
        raise ServiceError("아직 공유되지 않은 지시사항입니다.", status=409)
    if directive.state in FINAL_STATES:
        raise ServiceError(f"종결({directive.get_state_display()})된 지시사항은 변경할 수 없습니다.", status=409)
