"""Registering directives: numbers ``YYYY-NNNN``, gapless per year, taken under a row lock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from hwallyu.api.base import ServiceError
from hwallyu.core.audit import log_action, snapshot
from hwallyu.core.calendar import get_calendar
from hwallyu.directives.models import (
    AssignmentRole,
    Directive,
    DirectiveAssignment,
    DirectiveCounter,
    DirectiveScheme,
    EventKind,
    Kind,
)
from hwallyu.directives.policies import directive_policy
from hwallyu.directives.services.common import (
    fmt,
    local,
    moment_or_now,
    parse_choice,
    quarter_of,
    record_event,
)
from hwallyu.directives.services.lifecycle import directive_share
from hwallyu.directives.services.scheme import scheme_for_year
from hwallyu.org.models import Department

# --- register ----------------------------------------------------------------------------------


def _take_number(year: int) -> tuple[int, str]:
    """The next number of the year (gapless: taken in the registering transaction)."""
    counter, _ = DirectiveCounter.objects.select_for_update(of=("self",)).get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, f"{year}-{counter.last:04d}"


@dataclass
class DirectiveInput:
    """What the planning office enters for one directive (validated by ``directive_register``)."""

    title: str
    given_at: dt.datetime
    source: str
    given_by: str
    lead_department: Department
    kind: str = Kind.ORDER
    content: str = ""
    support_departments: list[Department] = field(default_factory=list)
    deadline_class: str = ""
    result_due_on: dt.date | None = None


def validate_input(data: DirectiveInput, *, now: dt.datetime) -> tuple[DirectiveScheme, dict[str, Any]]:
    """Raises ``ServiceError`` with a Korean message; returns the scheme and the chosen class."""
    title = (data.title or "").strip()
    if not title:
        raise ServiceError("제목을 입력하세요.")
    if len(title) > 200:
        raise ServiceError("제목은 200자 이내로 입력하세요.")
    if data.given_at is None or timezone.is_naive(data.given_at):
        raise ServiceError("지시 일시에는 시간대(예: +09:00)가 있어야 합니다.")
    if data.given_at > now + dt.timedelta(minutes=5):
        raise ServiceError("지시 일시는 현재보다 뒤일 수 없습니다.")
    year = local(data.given_at).year
    scheme = scheme_for_year(year)
    if data.source.strip() not in scheme.sources:
        raise ServiceError(
            f"지시 출처 '{data.source}'은(는) {year}년 기준에 없습니다. 가능한 값: {', '.join(scheme.sources)}"
        )
    if data.given_by.strip() not in scheme.givers:
        raise ServiceError(
            f"지시자 '{data.given_by}'은(는) {year}년 기준에 없습니다. 가능한 값: {', '.join(scheme.givers)}"
        )
    parse_choice(Kind, data.kind, "구분")
    if data.deadline_class:
        chosen = scheme.find_class(data.deadline_class)
        if chosen is None:
            names = ", ".join(c["name"] for c in scheme.deadline_classes)
            raise ServiceError(f"기한 구분 '{data.deadline_class}'은(는) {year}년 기준에 없습니다. 가능한 값: {names}")
    else:
        chosen = scheme.default_class
    if data.lead_department is None:
        raise ServiceError("주관부서를 지정하세요.")
    if not data.lead_department.active:
        raise ServiceError(f"'{data.lead_department.name}'은(는) 사용하지 않는 부서입니다.")
    support_ids = [d.pk for d in data.support_departments]
    if data.lead_department.pk in support_ids:
        raise ServiceError("주관부서를 협조부서로 함께 지정할 수 없습니다.")
    if len(set(support_ids)) != len(support_ids):
        raise ServiceError("같은 협조부서가 두 번 지정되었습니다.")
    inactive = [d.name for d in data.support_departments if not d.active]
    if inactive:
        raise ServiceError(f"사용하지 않는 부서입니다: {', '.join(inactive)}")
    if data.result_due_on is not None and data.result_due_on < local(data.given_at).date():
        raise ServiceError("처리결과 기한은 지시일보다 앞설 수 없습니다.")
    return scheme, chosen


def directive_register(*, data: DirectiveInput, actor: Any, at: dt.datetime | None = None) -> Directive:
    directive_policy.check(actor, "register")
    now = moment_or_now(at)
    with transaction.atomic():
        _, chosen = validate_input(data, now=now)
        calendar = get_calendar()
        given_at = data.given_at
        year = local(given_at).year
        result_due_at = None
        if data.result_due_on is not None:
            result_due_at = calendar.close_of(calendar.next_working_day(data.result_due_on, include=True))
        seq, number = _take_number(year)
        directive = Directive.objects.create(
            year=year,
            quarter=quarter_of(given_at),
            seq=seq,
            number=number,
            given_at=given_at,
            source=data.source.strip(),
            given_by=data.given_by.strip(),
            kind=parse_choice(Kind, data.kind, "구분"),
            title=data.title.strip(),
            content=(data.content or "").strip(),
            lead_department=data.lead_department,
            deadline_class=chosen["name"],
            report_days=chosen["days"],
            registered_by=actor,
            registered_at=now,
            share_due_at=calendar.same_day(given_at),
            result_due_at=result_due_at,
        )
        DirectiveAssignment.objects.bulk_create(
            [DirectiveAssignment(directive=directive, department=data.lead_department, role=AssignmentRole.LEAD)]
            + [
                DirectiveAssignment(directive=directive, department=d, role=AssignmentRole.SUPPORT)
                for d in data.support_departments
            ]
        )
        record_event(
            directive,
            EventKind.REGISTERED,
            actor=actor,
            at=now,
            message=f"{directive.source} · {directive.given_by} 지시를 등록했습니다. "
            f"공유 기한 {fmt(directive.share_due_at)}",
            data={"share_due_at": local(directive.share_due_at).isoformat()},
        )
        log_action(
            actor=actor,
            action="directive.register",
            target=directive,
            department=directive.lead_department,
            after={
                **snapshot(directive, ["number", "title", "given_at", "source", "given_by", "kind", "deadline_class"]),
                "lead_department": data.lead_department.code,
                "support_departments": [d.code for d in data.support_departments],
            },
        )
    return directive


def directive_register_many(
    *, items: Sequence[DirectiveInput], actor: Any, share_now: bool = False, at: dt.datetime | None = None
) -> list[Directive]:
    """Register a meeting's directives together: all of them, or none when one is refused."""
    directive_policy.check(actor, "register")
    if not items:
        raise ServiceError("등록할 지시사항이 없습니다.")
    with transaction.atomic():
        directives = [directive_register(data=item, actor=actor, at=at) for item in items]
        if share_now:
            directives = [directive_share(directive=d, actor=actor, at=at) for d in directives]
    return directives
