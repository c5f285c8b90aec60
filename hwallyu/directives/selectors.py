"""Reads of the directives module, already scoped to the user and prefetched."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from hwallyu.directives.models import (
    OPEN_STATES,
    AssignmentRole,
    Directive,
    DirectiveAssignment,
    DirectiveCounter,
    DirectiveReport,
    Kind,
    State,
)
from hwallyu.directives.policies import assigned_to, directive_policy
from hwallyu.org.selectors import department_by_code, department_of


def overdue_q(now: dt.datetime) -> Q:
    """Directives with a step whose due time passed without the step (as a SQL condition)."""
    share = Q(state=State.REGISTERED, share_due_at__lt=now)
    first = Q(
        state__in=OPEN_STATES, shared_at__isnull=False, first_reported_at__isnull=True, first_report_due_at__lt=now
    )
    result = Q(state__in=OPEN_STATES, kind=Kind.ORDER, result_reported_at__isnull=True, result_due_at__lt=now)
    # Every branch is of an open directive; saying so up front lets the state index skip the closed years.
    return Q(state__in=OPEN_STATES) & (share | first | result)


def due_on_q(start: dt.datetime, end: dt.datetime) -> Q:
    """Directives with an open step due in [start, end)."""
    share = Q(state=State.REGISTERED, share_due_at__gte=start, share_due_at__lt=end)
    first = Q(
        state__in=OPEN_STATES,
        shared_at__isnull=False,
        first_reported_at__isnull=True,
        first_report_due_at__gte=start,
        first_report_due_at__lt=end,
    )
    result = Q(
        state__in=OPEN_STATES,
        kind=Kind.ORDER,
        result_reported_at__isnull=True,
        result_due_at__gte=start,
        result_due_at__lt=end,
    )
    return Q(state__in=OPEN_STATES) & (share | first | result)


@dataclass
class ListFilters:
    year: int | None = None
    quarter: int | None = None
    department: str = ""  # department code
    state: str = ""
    overdue: bool = False
    q: str = ""


def filter_directives(qs: QuerySet[Directive], filters: ListFilters, *, now: dt.datetime) -> QuerySet[Directive]:
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.quarter:
        qs = qs.filter(quarter=filters.quarter)
    if filters.department:
        department = department_by_code(filters.department)
        qs = qs.filter(assigned_to(department)) if department else qs.none()
    if filters.state == "open":
        qs = qs.filter(state__in=OPEN_STATES)
    elif filters.state:
        qs = qs.filter(state=filters.state)
    if filters.overdue:
        qs = qs.filter(overdue_q(now))
    text = filters.q.strip()
    if text:
        qs = qs.filter(text_q(text, "number", "title", "content"))
    return qs


def text_q(text: str, *fields: str) -> Q:
    """Rows where any of ``fields`` contains ``text``, ignoring case.

    Text without a cased letter (Korean, digits) reads the same in any case, so it is matched as it
    is: PostgreSQL then runs a plain ``LIKE`` instead of ``UPPER(column) LIKE UPPER(...)``, which
    upper-cases every row's text first and takes about three times as long.
    """
    lookup = "icontains" if text.lower() != text.upper() else "contains"
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__{lookup}": text})
    return condition


def directive_list(
    user: Any, filters: ListFilters | None = None, *, now: dt.datetime | None = None
) -> QuerySet[Directive]:
    """The user's directives, filtered; one query per page whatever the row count."""
    qs = directive_policy.scope(user, Directive.objects.select_related("lead_department"))
    if filters is not None:
        qs = filter_directives(qs, filters, now=now or timezone.now())
    return qs.order_by("-year", "-seq")


def department_inbox(user: Any) -> QuerySet[Directive]:
    """ "우리 부서 지시사항": the directives shared with the user's department, open ones first."""
    department = department_of(user)
    if department is None:
        return Directive.objects.none()
    own = DirectiveAssignment.objects.filter(department=department).select_related("acknowledged_by")
    # The department roles' scope is already "assigned to the department and shared".
    return (
        directive_policy.scope(user, Directive.objects.select_related("lead_department"))
        .filter(shared_at__isnull=False)
        .prefetch_related(Prefetch("assignments", queryset=own, to_attr="own_assignments"))
        .order_by(F("closed_at").asc(nulls_first=True), F("first_report_due_at").asc(nulls_last=True), "-seq")
    )


def directive_detail(user: Any, number: str) -> Directive:
    """The directive with everything its page shows; 404 outside the user's scope."""
    qs = Directive.objects.select_related("lead_department", "registered_by").prefetch_related(
        Prefetch("assignments", queryset=DirectiveAssignment.objects.select_related("department", "acknowledged_by")),
        Prefetch(
            "reports",
            queryset=DirectiveReport.objects.select_related("department", "author").prefetch_related("attachments"),
        ),
        "events",
        "close_requests",
        "extensions",
    )
    return directive_policy.get_visible_or_404(user, qs, number=number)


def directive_for_action(user: Any, number: str) -> Directive:
    """The directive for a write, resolved through the policy (404 outside the user's scope)."""
    return directive_policy.get_visible_or_404(
        user, Directive.objects.select_related("lead_department").prefetch_related("assignments"), number=number
    )


def dashboard_counts(user: Any, *, now: dt.datetime | None = None) -> dict[str, int]:
    """Open, overdue and due-today counts of the user's directives (department users: their own)."""
    moment = now or timezone.now()
    local_today = timezone.localtime(moment).date()
    start = timezone.make_aware(dt.datetime.combine(local_today, dt.time.min))
    end = start + dt.timedelta(days=1)
    # Every count is of open directives: counting only those lets the state index skip the closed years.
    qs = directive_policy.scope(user).filter(state__in=OPEN_STATES)
    return qs.aggregate(
        open=Count("id", filter=Q(state__in=OPEN_STATES)),
        overdue=Count("id", filter=overdue_q(moment)),
        due_today=Count("id", filter=due_on_q(start, end)),
    )


def year_choices() -> list[int]:
    """The years that have directives (each has its number counter row), and this year."""
    years = set(DirectiveCounter.objects.filter(last__gt=0).values_list("year", flat=True))
    years.add(timezone.localtime().year)
    return sorted(years, reverse=True)


def lead_role_of(directive: Directive, department_id: int | None) -> str | None:
    for assignment in getattr(directive, "own_assignments", []):
        if assignment.department_id == department_id:
            return str(AssignmentRole(assignment.role).label)
    return None


def review_origin(number: str) -> tuple[str, str] | None:
    """The review alternative (심사분석 대안) a directive was made from, as (label, url)."""
    from django.apps import apps

    if not apps.is_installed("hwallyu.reviews"):
        return None
    from hwallyu.reviews.selectors import alternative_for_directive, alternative_url

    alternative = alternative_for_directive(number)
    if alternative is None:
        return None
    submission = alternative.submission
    label = f"{submission.round} · {submission.target} 심사분석 대안"
    return label, alternative_url(alternative)
