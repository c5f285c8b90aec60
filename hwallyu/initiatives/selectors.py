"""Reads of strategic initiatives, already scoped by the policy and prefetched.

Other apps read initiatives only through these functions (``visible_initiatives``,
``dashboard_counts``)."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from hwallyu.initiatives import links
from hwallyu.initiatives.models import (
    BUDGET_SOURCES,
    OPEN_STATUSES,
    SIGNED_STATES,
    BudgetLine,
    Document,
    Event,
    EventState,
    Initiative,
    InstitutionTarget,
    Milestone,
    MilestoneState,
    Partner,
    Readiness,
    ReviewCriterion,
    TrendEntry,
)
from hwallyu.initiatives.money import million_text
from hwallyu.initiatives.policies import initiatives, trends

UPCOMING_DAYS = 30


def today() -> dt.date:
    return timezone.localdate()


def visible_initiatives(user: Any) -> QuerySet[Initiative]:
    return initiatives.scope(user).select_related("team", "team__department")


def initiative_for(user: Any, pk: int) -> Initiative:
    """The initiative ``pk`` if ``user`` may see it (404 otherwise)."""
    return initiatives.get_visible_or_404(
        user,
        Initiative.objects.select_related("team", "team__department").prefetch_related("departments"),
        pk=pk,
    )


# --- the portfolio ----------------------------------------------------------------------------


@dataclass
class PortfolioRow:
    initiative: Initiative
    stages_total: int
    stages_done: int
    late: int
    next_stage: Milestone | None
    partners: int
    signed: int


@dataclass(frozen=True)
class Upcoming:
    day: dt.date
    kind: str  # "단계" or the event kind's label
    initiative: Initiative
    title: str
    url: str
    note: str = ""
    late: bool = False


@dataclass(frozen=True)
class Change:
    day: dt.date
    initiative: Initiative
    what: str
    title: str
    url: str


@dataclass
class Portfolio:
    rows: list[PortfolioRow]
    upcoming: list[Upcoming]
    late: list[Upcoming]
    signed: list[Partner]
    changes: list[Change]
    today: dt.date


def portfolio_rows(qs: QuerySet[Initiative], on: dt.date) -> list[PortfolioRow]:
    qs = qs.annotate(
        partner_count=Count("partners", distinct=True),
        signed_count=Count("partners", filter=Q(partners__state__in=SIGNED_STATES), distinct=True),
    ).prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("order", "id")))
    rows = []
    for initiative in qs:
        stages = list(initiative.milestones.all())
        open_stages = [m for m in stages if m.state != MilestoneState.DONE]
        rows.append(
            PortfolioRow(
                initiative=initiative,
                stages_total=len(stages),
                stages_done=len(stages) - len(open_stages),
                late=sum(1 for m in stages if m.late_state(on) == "late"),
                next_stage=open_stages[0] if open_stages else None,
                partners=initiative.partner_count,  # type: ignore[attr-defined]
                signed=initiative.signed_count,  # type: ignore[attr-defined]
            )
        )
    return rows


def upcoming(qs: QuerySet[Initiative], on: dt.date, days: int = UPCOMING_DAYS) -> list[Upcoming]:
    """Open stages planned and events taking place in the next ``days`` days, by date."""
    until = on + dt.timedelta(days=days)
    items: list[Upcoming] = []
    stages = (
        Milestone.objects.filter(initiative__in=qs, planned_on__gte=on, planned_on__lte=until)
        .exclude(state=MilestoneState.DONE)
        .select_related("initiative")
    )
    for m in stages:
        items.append(
            Upcoming(
                m.planned_on or on,
                "추진 단계",
                m.initiative,
                m.name,
                reverse("initiatives:milestones", args=[m.initiative_id]),
                m.deciding_body,
            )
        )
    events = (
        Event.objects.filter(initiative__in=qs, state=EventState.PLANNED, starts_on__lte=until)
        .filter(Q(starts_on__gte=on) | Q(ends_on__gte=on))
        .select_related("initiative")
    )
    for e in events:
        items.append(
            Upcoming(
                max(e.starts_on, on),
                e.get_kind_display(),
                e.initiative,
                e.title,
                reverse("initiatives:events", args=[e.initiative_id]),
                e.place,
            )
        )
    return sorted(items, key=lambda u: (u.day, u.initiative.name, u.title))


def late_stages(qs: QuerySet[Initiative], on: dt.date) -> list[Upcoming]:
    stages = (
        Milestone.objects.filter(initiative__in=qs, planned_on__lt=on)
        .exclude(state=MilestoneState.DONE)
        .select_related("initiative")
        .order_by("planned_on", "order")
    )
    return [
        Upcoming(
            m.planned_on or on,
            "지연 단계",
            m.initiative,
            m.name,
            reverse("initiatives:milestones", args=[m.initiative_id]),
            f"계획 {m.planned_label()}",
            late=True,
        )
        for m in stages
    ]


def signed_partners(qs: QuerySet[Initiative], limit: int = 10) -> list[Partner]:
    return list(
        Partner.objects.filter(initiative__in=qs, state__in=SIGNED_STATES)
        .select_related("initiative")
        .order_by("-state_on", "-id")[:limit]
    )


def recent_changes(qs: QuerySet[Initiative], limit: int = 10) -> list[Change]:
    """The latest stage completions, agreement changes, institution updates, trends and documents."""
    changes: list[Change] = []
    for m in (
        Milestone.objects.filter(initiative__in=qs, state=MilestoneState.DONE)
        .select_related("initiative")
        .order_by("-actual_on", "-id")[:limit]
    ):
        url = reverse("initiatives:milestones", args=[m.initiative_id])
        changes.append(Change(m.actual_on or m.updated_at.date(), m.initiative, "단계 완료", m.name, url))
    for p in (
        Partner.objects.filter(initiative__in=qs, state_on__isnull=False)
        .select_related("initiative")
        .order_by("-state_on", "-id")[:limit]
    ):
        url = reverse("initiatives:partner", args=[p.initiative_id, p.pk])
        changes.append(Change(p.state_on, p.initiative, f"협약 상태: {p.get_state_display()}", p.name, url))  # type: ignore[arg-type]
    for i in (
        InstitutionTarget.objects.filter(initiative__in=qs, state_on__isnull=False)
        .select_related("initiative")
        .order_by("-state_on", "-id")[:limit]
    ):
        url = reverse("initiatives:institution", args=[i.initiative_id, i.pk])
        changes.append(Change(i.state_on, i.initiative, f"유치 상태: {i.get_state_display()}", i.name, url))  # type: ignore[arg-type]
    through = TrendEntry.initiatives.through
    # The latest entries first (through the date index), then their links: sorting every link of a
    # long trend log by its entry's date was the slowest part of the portfolio.
    latest = list(
        TrendEntry.objects.filter(pk__in=through.objects.filter(initiative__in=qs).values("trendentry_id"))
        .order_by("-recorded_on", "-id")
        .values_list("pk", flat=True)[:limit]
    )
    trend_rows = (
        through.objects.filter(initiative__in=qs, trendentry_id__in=latest)
        .select_related("trendentry", "initiative")
        .order_by("-trendentry__recorded_on", "-trendentry_id")[:limit]
    )
    for row in trend_rows:
        url = reverse("initiatives:initiative_trends", args=[row.initiative_id])
        changes.append(Change(row.trendentry.recorded_on, row.initiative, "동향", row.trendentry.title, url))
    for d in Document.objects.filter(initiative__in=qs).select_related("initiative").order_by("-uploaded_at")[:limit]:
        url = reverse("initiatives:documents", args=[d.initiative_id])
        changes.append(Change(timezone.localdate(d.uploaded_at), d.initiative, "문서 등록", d.title, url))
    changes.sort(key=lambda c: c.day, reverse=True)
    return changes[:limit]


def portfolio(user: Any, on: dt.date | None = None) -> Portfolio:
    on = on or today()
    qs = visible_initiatives(user)
    return Portfolio(
        rows=portfolio_rows(qs, on),
        upcoming=upcoming(qs, on),
        late=late_stages(qs.filter(status__in=OPEN_STATUSES), on),
        signed=signed_partners(qs),
        changes=recent_changes(qs),
        today=on,
    )


def dashboard_counts(user: Any, on: dt.date | None = None) -> dict[str, int]:
    on = on or today()
    qs = initiatives.scope(user)
    open_qs = qs.filter(status__in=OPEN_STATUSES)
    until = on + dt.timedelta(days=UPCOMING_DAYS)
    return {
        "open": open_qs.count(),
        "due": Milestone.objects.filter(initiative__in=open_qs, planned_on__gte=on, planned_on__lte=until)
        .exclude(state=MilestoneState.DONE)
        .count()
        + Event.objects.filter(initiative__in=open_qs, state=EventState.PLANNED, starts_on__lte=until)
        .filter(Q(starts_on__gte=on) | Q(ends_on__gte=on))
        .count(),
        "late": Milestone.objects.filter(initiative__in=open_qs, planned_on__lt=on)
        .exclude(state=MilestoneState.DONE)
        .count(),
        "signed": Partner.objects.filter(initiative__in=qs, state__in=SIGNED_STATES).count(),
    }


# --- the parts of one initiative -------------------------------------------------------------------


def milestones(initiative: Initiative) -> list[Milestone]:
    return list(
        initiative.milestones.order_by("order", "id").prefetch_related(
            Prefetch("documents", queryset=Document.objects.order_by("uploaded_at"))
        )
    )


@dataclass
class ReviewGroup:
    review: str
    criteria: list[ReviewCriterion]

    @property
    def ready(self) -> int:
        return sum(1 for c in self.criteria if c.state == Readiness.READY)

    @property
    def rate(self) -> Decimal | None:
        if not self.criteria:
            return None
        return (Decimal(self.ready) * 100 / len(self.criteria)).quantize(Decimal("0.1"))


def review_groups(initiative: Initiative) -> list[ReviewGroup]:
    groups: OrderedDict[str, list[ReviewCriterion]] = OrderedDict()
    criteria = (
        initiative.criteria.select_related("owner")
        .prefetch_related(Prefetch("documents", queryset=Document.objects.order_by("uploaded_at")))
        .order_by("review", "order", "id")
    )
    for criterion in criteria:
        groups.setdefault(criterion.review, []).append(criterion)
    return [ReviewGroup(review, items) for review, items in groups.items()]


def partners(initiative: Initiative) -> list[Partner]:
    return list(
        initiative.partners.annotate(
            contact_count=Count("contacts", distinct=True),
            meeting_count=Count("meetings", distinct=True),
            document_count=Count("documents", distinct=True),
        ).order_by("order", "id")
    )


def partner_for(initiative: Initiative, partner_id: int) -> Partner:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Partner.objects.select_related("initiative").prefetch_related(
            "contacts", "meetings", Prefetch("documents", queryset=Document.objects.order_by("-uploaded_at"))
        ),
        initiative=initiative,
        pk=partner_id,
    )


@dataclass
class BudgetRow:
    line: BudgetLine
    statement: links.StatementLine | None
    link: str  # "none", "linked", "differs", "missing"


@dataclass
class BudgetYear:
    year: int
    rows: list[BudgetRow]
    sums: dict[str, int]


@dataclass
class BudgetView:
    years: list[BudgetYear]
    sums: dict[str, int]
    in_total: int
    declared: int | None
    workplan: bool
    check: str  # "ok", "differs", "undeclared", "empty"
    message: str = ""
    outside: int = 0  # lines not counted in 총사업비 (e.g. approval preparation)
    rows: list[BudgetRow] = field(default_factory=list)


def _sums(lines: list[BudgetLine]) -> dict[str, int]:
    return {name: sum(getattr(line, name) for line in lines) for name in ("total", *BUDGET_SOURCES)}


def budget(initiative: Initiative) -> BudgetView:
    lines = list(initiative.budget_lines.order_by("year", "order", "id"))
    statements = links.statement_lines_for(
        (line.year, line.workplan_line_id) for line in lines if line.workplan_line_id is not None
    )
    rows = []
    for line in lines:
        if line.workplan_line_id is None:
            rows.append(BudgetRow(line, None, "none"))
            continue
        statement = statements.get((line.year, line.workplan_line_id))
        if statement is None:
            rows.append(BudgetRow(line, None, "missing"))
        else:
            rows.append(BudgetRow(line, statement, "linked" if statement.amount == line.total else "differs"))
    years: OrderedDict[int, list[BudgetRow]] = OrderedDict()
    for row in rows:
        years.setdefault(row.line.year, []).append(row)
    in_total = sum(line.total for line in lines if line.in_total)
    outside = sum(line.total for line in lines if not line.in_total)
    declared = initiative.budget_total
    if not lines:
        check, message = "empty", "예산 항목이 없습니다."
    elif declared is None:
        check, message = "undeclared", f"총사업비가 입력되지 않았습니다(항목 합계 {million_text(in_total)}백만원)."
    elif declared == in_total:
        check, message = "ok", f"총사업비 {million_text(declared)}백만원 = 항목 합계 {million_text(in_total)}백만원"
    else:
        gap = in_total - declared
        check = "differs"
        message = (
            f"총사업비 {million_text(declared)}백만원과 항목 합계 {million_text(in_total)}백만원이 다릅니다"
            f"(차이 {'+' if gap > 0 else '-'}{million_text(abs(gap))}백만원)."
        )
    return BudgetView(
        years=[BudgetYear(year, items, _sums([r.line for r in items])) for year, items in years.items()],
        sums=_sums(lines),
        in_total=in_total,
        declared=declared,
        workplan=links.workplan_installed(),
        check=check,
        message=message,
        outside=outside,
        rows=rows,
    )


def events_queryset(initiative: Initiative) -> QuerySet[Event]:
    return initiative.events.order_by("starts_on", "id")


def events(initiative: Initiative) -> list[Event]:
    return list(events_queryset(initiative))


def events_before(initiative: Initiative, on: dt.date) -> int:
    """How many events ended before ``on`` (the events list opens on the page with today's)."""
    return initiative.events.filter(starts_on__lt=on).filter(Q(ends_on__isnull=True) | Q(ends_on__lt=on)).count()


def upcoming_events(initiative: Initiative, on: dt.date, limit: int = 10) -> list[Event]:
    return list(
        initiative.events.filter(state=EventState.PLANNED)
        .filter(Q(starts_on__gte=on) | Q(ends_on__gte=on))
        .order_by("starts_on", "id")[:limit]
    )


def institutions(initiative: Initiative) -> list[InstitutionTarget]:
    return list(initiative.institutions.annotate(contact_count=Count("contacts")).order_by("order", "id"))


def institution_for(initiative: Initiative, institution_id: int) -> InstitutionTarget:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        InstitutionTarget.objects.prefetch_related("contacts__author", "documents"),
        initiative=initiative,
        pk=institution_id,
    )


def document_list(initiative: Initiative) -> QuerySet[Document]:
    return initiative.documents.select_related(
        "milestone", "partner", "criterion", "event", "institution", "uploaded_by"
    ).order_by("-uploaded_at", "-id")


def documents(initiative: Initiative) -> list[Document]:
    return list(document_list(initiative))


def initiative_trend_list(initiative: Initiative) -> QuerySet[TrendEntry]:
    return initiative.trends.prefetch_related("initiatives").order_by("-recorded_on", "-id")


def initiative_trends(initiative: Initiative, limit: int | None = None) -> list[TrendEntry]:
    qs = initiative_trend_list(initiative)
    return list(qs[:limit] if limit else qs)


def trend_list(user: Any, *, tag: str = "", initiative_id: int | None = None, query: str = "") -> QuerySet[TrendEntry]:
    qs = trends.scope(user).prefetch_related(Prefetch("initiatives", queryset=initiatives.scope(user).order_by("name")))
    if tag:
        qs = qs.filter(tags__contains=f"|{tag.strip()}|")
    if initiative_id:
        qs = qs.filter(initiatives__pk=initiative_id)
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(body__icontains=query) | Q(source__icontains=query))
    return qs.order_by("-recorded_on", "-id")


def trend_tags(user: Any) -> list[str]:
    tags: set[str] = set()
    for value in trends.scope(user).exclude(tags="").order_by().values_list("tags", flat=True).distinct():
        tags.update(t for t in value.split("|") if t)
    return sorted(tags)
