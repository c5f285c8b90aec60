"""The reminder sweep: D-1 working day and on-the-day reminders, and the one-time escalation.

Safe to run again and from several workers at once:
* every notice carries a ``dedupe_key`` (directive, step, due time, stage), so a notice is
  issued once whatever runs the sweep; a moved due time (extension, calendar change) gives new
  keys, so the new due time is reminded again;
* the escalation first claims the directive's ``*_escalated_at`` marker with compare-and-set,
  so the sweep does not even look at an escalated step again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hwallyu.core.calendar import SEOUL, get_calendar
from hwallyu.directives.models import OPEN_STATES, STEP_LABELS, Directive, DirectiveEvent, EventKind, Kind, State
from hwallyu.directives.selectors import due_on_q
from hwallyu.directives.services import department_people, directive_url
from hwallyu.notifications.services import notify
from hwallyu.org.selectors import department_managers, planning_office_users

# D-1 can lie a week and more before the due time (Chuseok, Seollal): look that far ahead.
HORIZON = dt.timedelta(days=16)

ESCALATION_STEPS: dict[str, tuple[str, Q]] = {
    "share": ("share_escalated_at", Q(state=State.REGISTERED)),
    "first_report": (
        "first_report_escalated_at",
        Q(state__in=OPEN_STATES, shared_at__isnull=False, first_reported_at__isnull=True),
    ),
    "result": (
        "result_escalated_at",
        Q(state__in=OPEN_STATES, kind=Kind.ORDER, shared_at__isnull=False, result_reported_at__isnull=True),
    ),
}
DUE_FIELDS = {"share": "share_due_at", "first_report": "first_report_due_at", "result": "result_due_at"}


@dataclass
class SweepResult:
    reminders: int = 0
    escalations: int = 0


def _fmt(moment: dt.datetime) -> str:
    return f"{moment.astimezone(SEOUL):%Y-%m-%d %H:%M}"


def reminder_stage(due: dt.datetime, now: dt.datetime) -> str | None:
    """ "day" from the start of work on the due day, "d1" from one working day before; else None."""
    if now >= due:
        return None
    calendar = get_calendar()
    local_due = due.astimezone(SEOUL)
    work_start = dt.datetime.combine(local_due.date(), calendar.blocks[0][0], tzinfo=SEOUL)
    if now >= min(work_start, due):
        return "day"
    if now >= calendar.reminder_before(due):
        return "d1"
    return None


def _remind(directive: Directive, step: str, due: dt.datetime, stage: str, now: dt.datetime) -> bool:
    key = f"directive:{directive.pk}:{step}:{due.astimezone(dt.UTC):%Y%m%dT%H%M}:{stage}"
    label = STEP_LABELS[step]
    when = "내일(다음 근무일)" if stage == "d1" else "오늘"
    with transaction.atomic():
        sent = notify(
            recipients=department_people([directive.lead_department]),
            title=f"[기한 {when}] 지시사항 {directive.number} {label}",
            body=f"{directive.title}\n{label} 기한: {_fmt(due)}",
            url=directive_url(directive),
            kind=f"directive.reminder.{stage}",
            dedupe_key=key,
        )
        if sent:
            DirectiveEvent.objects.create(
                directive=directive,
                at=now,
                actor_name="시스템",
                kind=EventKind.REMINDED,
                message=f"{label} 기한 {'하루 전' if stage == 'd1' else '당일'} 알림을 "
                f"{directive.lead_department.name}에 보냈습니다.",
                data={"step": step, "stage": stage, "due": due.astimezone(SEOUL).isoformat()},
            )
    return sent


def _escalate(directive_id: int, step: str, now: dt.datetime) -> bool:
    marker = ESCALATION_STEPS[step][0]
    with transaction.atomic():
        claimed = Directive.objects.filter(id=directive_id, **{f"{marker}__isnull": True}).update(**{marker: now})
        if not claimed:
            return False
        directive = Directive.objects.select_related("lead_department").get(id=directive_id)
        due = getattr(directive, DUE_FIELDS[step])
        label = STEP_LABELS[step]
        recipients: list[Any] = list(planning_office_users())
        if step != "share":
            recipients = department_managers(directive.lead_department) + recipients
        sent = notify(
            recipients=recipients,
            title=f"[기한 경과] 지시사항 {directive.number} {label}",
            body=f"{directive.lead_department.name}: {directive.title}\n{label} 기한 {_fmt(due)}이(가) 지났습니다.",
            url=directive_url(directive),
            kind="directive.overdue",
            dedupe_key=f"directive:{directive.pk}:{step}:{due.astimezone(dt.UTC):%Y%m%dT%H%M}:overdue",
        )
        if sent:
            DirectiveEvent.objects.create(
                directive=directive,
                at=now,
                actor_name="시스템",
                kind=EventKind.ESCALATED,
                message=f"{label} 기한({_fmt(due)}) 경과를 부서장과 기획감사실에 알렸습니다.",
                data={"step": step, "due": due.astimezone(SEOUL).isoformat()},
            )
    return sent


def sweep(*, now: dt.datetime | None = None) -> SweepResult:
    moment = now or timezone.now()
    result = SweepResult()
    upcoming = (
        Directive.objects.filter(due_on_q(moment, moment + HORIZON), shared_at__isnull=False)
        .select_related("lead_department")
        .order_by("id")
    )
    for directive in upcoming.iterator(chunk_size=500):
        for step, due in directive.open_steps():
            if step == "share":
                continue
            stage = reminder_stage(due, moment)
            if stage and _remind(directive, step, due, stage, moment):
                result.reminders += 1
    for step, (marker, condition) in ESCALATION_STEPS.items():
        due_field = DUE_FIELDS[step]
        ids = list(
            Directive.objects.filter(condition, **{f"{due_field}__lt": moment, f"{marker}__isnull": True})
            .order_by("id")
            .values_list("id", flat=True)
        )
        for directive_id in ids:
            if _escalate(directive_id, step, moment):
                result.escalations += 1
    return result
