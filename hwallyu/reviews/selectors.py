"""Reads of the review analysis: the year's scheme, planned progress, the proposal, round
summaries and trends; and the back-link other apps use (``alternative_for_directive``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.safestring import mark_safe

from hwallyu.pledges import selectors as pledge_selectors
from hwallyu.reviews.models import (
    Alternative,
    Assessment,
    AssessmentState,
    DelayCategory,
    ReviewRound,
    ReviewScheme,
    ReviewTarget,
    Rule,
    Submission,
    SubmissionStatus,
)
from hwallyu.workplan import schedule
from hwallyu.workplan import selectors as plan_selectors

# The default scheme (the office changes it per year in the UI).
DEFAULT_STATES: tuple[tuple[str, str, str, Decimal | None, str], ...] = (
    ("normal", "정상추진", Rule.DEFAULT, None, "success"),
    ("delayed", "지연", Rule.GAP, Decimal("10.0"), "warning"),
    ("poor", "부진", Rule.GAP, Decimal("30.0"), "danger"),
    ("completed", "완료", Rule.COMPLETE, None, "success"),
    ("long_term", "장기추진", Rule.LONG_TERM, None, ""),
)
DEFAULT_DELAY_CATEGORIES = (
    "예산 미확보·지연",
    "관계기관 협의 지연",
    "인허가·행정절차 지연",
    "민원·주민 반대",
    "사업계획 변경",
    "기타",
)


def scheme_for(year: int) -> ReviewScheme | None:
    """The scheme of ``year``, else the latest earlier one, else the earliest later one."""
    return (
        ReviewScheme.objects.filter(year__lte=year).order_by("-year").first()
        or ReviewScheme.objects.filter(year__gt=year).order_by("year").first()
    )


def states_of(scheme: ReviewScheme | None) -> list[AssessmentState]:
    return list(scheme.states.all()) if scheme is not None else []


def delay_categories(year: int) -> QuerySet[DelayCategory]:
    scheme = scheme_for(year)
    return scheme.delay_categories.all() if scheme else DelayCategory.objects.none()


# --- planned progress and the proposal --------------------------------------------------------


def planned_months(target: ReviewTarget) -> list[int]:
    if target.project_id and target.project is not None:
        return target.project.planned_months()
    if target.pledge_id and target.pledge is not None:
        return pledge_selectors.planned_months(target.pledge, target.year)
    return []


def planned_progress(target: ReviewTarget, as_of: dt.date) -> Decimal | None:
    """Planned progress (0–100) of a target on ``as_of``, from its monthly schedule."""
    if target.project_id and target.project is not None:
        return plan_selectors.planned_progress(target.project, as_of)
    return schedule.planned_progress(planned_months(target), year=target.year, as_of=as_of)


def propose(
    states: Iterable[AssessmentState], *, planned: Decimal | None, actual: int | None, long_term: bool = False
) -> tuple[AssessmentState | None, Decimal | None]:
    """The state the system proposes, and the gap (planned − actual, in points).

    Completed at 100%; a long-term target its long-term state; else the gap state with the
    highest threshold the gap exceeds; else the default state.
    """
    items = list(states)
    gap = (
        (Decimal(planned) - Decimal(actual)).quantize(Decimal("0.1"))
        if planned is not None and actual is not None
        else None
    )
    by_rule: dict[str, list[AssessmentState]] = {}
    for state in items:
        by_rule.setdefault(state.rule, []).append(state)
    if actual is not None and actual >= 100 and by_rule.get(Rule.COMPLETE):
        return by_rule[Rule.COMPLETE][0], gap
    if long_term and by_rule.get(Rule.LONG_TERM):
        return by_rule[Rule.LONG_TERM][0], gap
    if gap is not None:
        gap_states = sorted(
            (s for s in by_rule.get(Rule.GAP, []) if s.gap_threshold is not None),
            key=lambda s: s.gap_threshold or 0,
            reverse=True,
        )
        for state in gap_states:
            if gap > (state.gap_threshold or 0):
                return state, gap
    default = by_rule.get(Rule.DEFAULT)
    return (default[0] if default else None), gap


def is_lagging_state(state: AssessmentState | None) -> bool:
    return state is not None and state.rule == Rule.GAP


# --- lists -----------------------------------------------------------------------------------


def rounds() -> QuerySet[ReviewRound]:
    return ReviewRound.objects.all()


def targets(year: int | None = None) -> QuerySet[ReviewTarget]:
    qs = ReviewTarget.objects.select_related("department", "project", "pledge").order_by(
        "-year", "department__order", "title"
    )
    return qs.filter(year=year) if year else qs


def submissions(round_: ReviewRound | None = None) -> QuerySet[Submission]:
    qs = Submission.objects.select_related(
        "round",
        "target",
        "target__department",
        "target__project",
        "target__pledge",
        "delay_category",
        "assessment",
        "assessment__proposed_state",
        "assessment__final_state",
    ).prefetch_related(Prefetch("alternatives", queryset=Alternative.objects.select_related("department")))
    if round_ is not None:
        qs = qs.filter(round=round_)
    return qs.order_by("target__department__order", "target__title")


def round_rows(round_: ReviewRound) -> QuerySet[Submission]:
    """The round page's rows: each submission with its target's department, its assessment's states and
    the number of alternatives (no other related rows, no long texts)."""
    alternatives = (
        Alternative.objects.filter(submission=OuterRef("pk"))
        .order_by()
        .values("submission")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Submission.objects.filter(round=round_)
        .select_related("target__department", "assessment__proposed_state", "assessment__final_state")
        .defer("work_done", "issues", "delay_reason", "next_plan", "returned_reason", "budget_note")
        .annotate(alternative_count=Coalesce(Subquery(alternatives, output_field=IntegerField()), 0))
        .order_by("target__department__order", "target__title")
    )


def assessment_of(submission: Submission) -> Assessment | None:
    try:
        return submission.assessment
    except Assessment.DoesNotExist:
        return None


# --- the round summary ---------------------------------------------------------------------------

NOT_ASSESSED = "심사 전"


@dataclass
class SummaryRow:
    label: str
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0

    def cells_html(self, columns: list[str]) -> str:
        """The counts in column order as table cells ("" where none): a summary has a row per department."""
        # counts only: nothing to escape
        return mark_safe("".join(f'<td class="num">{self.counts.get(c, "")}</td>' for c in columns))


@dataclass
class RoundSummary:
    columns: list[str]
    by_department: list[SummaryRow]
    overall: SummaryRow
    status_counts: dict[str, int]


def round_summary(round_: ReviewRound, items: list[Submission]) -> RoundSummary:
    scheme = scheme_for(round_.year)
    columns = [s.label for s in states_of(scheme)] + [NOT_ASSESSED]
    overall = SummaryRow("합계")
    rows: dict[tuple[int, str], SummaryRow] = {}
    status_counts: dict[str, int] = {}
    for sub in items:
        assessment = assessment_of(sub)
        final = getattr(assessment, "final_state", None) if sub.status == SubmissionStatus.ASSESSED else None
        label = final.label if final is not None else NOT_ASSESSED
        if label not in columns:
            columns.insert(-1, label)
        department = sub.target.department
        row = rows.setdefault((department.order, department.name), SummaryRow(department.name))
        for target in (row, overall):
            target.counts[label] = target.counts.get(label, 0) + 1
            target.total += 1
        status_label = sub.get_status_display()
        status_counts[status_label] = status_counts.get(status_label, 0) + 1
    return RoundSummary(columns, [rows[k] for k in sorted(rows)], overall, status_counts)


def round_summary_counts(round_: ReviewRound, qs: QuerySet[Submission]) -> RoundSummary:
    """``round_summary`` of the submissions ``qs`` (already scoped to the user), counted in the database."""
    scheme = scheme_for(round_.year)
    columns = [s.label for s in states_of(scheme)] + [NOT_ASSESSED]
    overall = SummaryRow("합계")
    rows: dict[tuple[int, str], SummaryRow] = {}
    by_status: dict[str, int] = {}
    counted = (
        qs.order_by()
        .values("target__department__order", "target__department__name", "status", "assessment__final_state__label")
        .annotate(n=Count("pk"))
    )
    for item in counted:
        final = item["assessment__final_state__label"] if item["status"] == SubmissionStatus.ASSESSED else None
        label = final if final is not None else NOT_ASSESSED
        if label not in columns:
            columns.insert(-1, label)
        key = (item["target__department__order"], item["target__department__name"])
        row = rows.setdefault(key, SummaryRow(key[1]))
        for target in (row, overall):
            target.counts[label] = target.counts.get(label, 0) + item["n"]
            target.total += item["n"]
        by_status[item["status"]] = by_status.get(item["status"], 0) + item["n"]
    status_counts = {
        str(choice.label): by_status[choice.value] for choice in SubmissionStatus if choice.value in by_status
    }
    return RoundSummary(columns, [rows[k] for k in sorted(rows)], overall, status_counts)


# --- the trend of a target --------------------------------------------------------------------------


@dataclass
class TrendPoint:
    round: ReviewRound
    submission: Submission
    planned: Decimal | None
    actual: int | None
    gap: Decimal | None
    state_label: str


def trend(target: ReviewTarget) -> list[TrendPoint]:
    points = []
    items = (
        Submission.objects.filter(target=target)
        .select_related("round", "assessment", "assessment__final_state", "assessment__proposed_state")
        .order_by("round__as_of", "round__id")
    )
    for sub in items:
        assessment = assessment_of(sub)
        final = getattr(assessment, "final_state", None)
        proposed = getattr(assessment, "proposed_state", None)
        if sub.status == SubmissionStatus.ASSESSED and final is not None:
            label = final.label
        elif proposed is not None:
            label = f"{proposed.label}(제안)"
        else:
            label = sub.get_status_display()
        planned = (
            sub.planned_progress if sub.planned_progress is not None else planned_progress(target, sub.round.as_of)
        )
        gap = (planned - sub.progress) if planned is not None and sub.progress is not None else None
        points.append(TrendPoint(sub.round, sub, planned, sub.progress, gap, label))
    return points


# --- links for other apps ------------------------------------------------------------------------------


def alternative_for_directive(number: str) -> Alternative | None:
    """The review alternative a directive was made from (for the directive page's back-link)."""
    if not number:
        return None
    return (
        Alternative.objects.select_related("submission__round", "submission__target", "department")
        .filter(directive_number=number)
        .first()
    )


def alternative_url(alternative: Alternative) -> str:
    from django.urls import reverse

    return reverse("reviews:submission", args=[alternative.submission_id]) + f"#alt-{alternative.pk}"


def pending_for_department(department_id: int) -> int:
    """Open rounds' submissions the department still has to send."""
    return Submission.objects.filter(
        round__status="open",
        target__department_id=department_id,
        status__in=[SubmissionStatus.DRAFT, SubmissionStatus.RETURNED],
    ).count()
