"""Benchmark review analysis (심사분석): each year's scheme (the default states and delay reasons), key
projects chosen from the year's work-plan projects and pledges, two quarterly rounds a year (2분기,
3분기) with a submission per target — ``scale.review_submissions`` in all — and the planning office's
assessments and alternatives.

Rounds of past years are closed and assessed.  This year the second quarter is closed; the third is
still open after its deadline (most submitted and assessed, some returned, some drafts overdue); the
fourth quarter's round is being prepared.  Targets, schedules and progress come from
``ctx.shared`` (published by the work plan and pledge generators)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from hwallyu.core.benchdata import BenchContext, BenchPage
from hwallyu.core.calendar import SEOUL
from hwallyu.org import selectors as org
from hwallyu.org.models import Role
from hwallyu.reviews import selectors
from hwallyu.reviews.models import (
    Alternative,
    Assessment,
    AssessmentState,
    DelayCategory,
    ReviewRound,
    ReviewScheme,
    ReviewTarget,
    RoundKind,
    RoundStatus,
    Rule,
    Submission,
    SubmissionStatus,
)
from hwallyu.reviews.services import QUARTER_END, _due_at
from hwallyu.workplan import schedule

QUARTERS = (2, 3)  # the rounds with submissions every year
WORK_DONE = [
    "세부 추진계획 수립 및 관계기관 협의 완료",
    "실시설계 용역 준공, 공사 발주",
    "공정률 목표 대비 정상 추진",
    "시범 운영 및 만족도 조사 실시",
    "국·도비 교부 신청 및 집행",
    "주민설명회 개최, 의견 반영",
]
ISSUES = ["", "", "자재비 상승", "관계기관 협의 장기화", "민원 발생", "전문 인력 부족"]
DELAY_REASONS = [
    "국비 교부 지연으로 발주가 늦어짐",
    "관계기관 인허가 협의가 길어짐",
    "토지 보상 협의 지연",
    "입찰 유찰로 재공고",
    "사업 계획 일부 변경",
]
ALTERNATIVES = [
    "관계기관 실무 협의를 월 1회 정례화하고 인허가를 조기 완료",
    "잔여 공정을 하반기에 집중 관리하고 추진 상황을 격주로 보고",
    "추경 예산을 확보하고 발주를 앞당김",
    "민원 조정을 위한 주민 협의체 구성·운영",
]
COMMENTS = {
    "normal": "계획대로 정상 추진 중",
    "completed": "목표 달성, 성과 관리 지속",
    "long_term": "장기 과제로 단계별 관리",
    "delayed": "일정 만회 방안 마련 필요",
    "poor": "부진 사유 해소 대책 수립 및 집중 관리 필요",
}


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=SEOUL)


def _round5(value: float) -> int:
    return int(max(0, min(100, round(value / 5) * 5)))


def _status(rng: random.Random, round_: ReviewRound) -> str:
    if round_.status == RoundStatus.CLOSED:
        return SubmissionStatus.ASSESSED if rng.random() < 0.99 else SubmissionStatus.APPROVED
    return rng.choices(
        [
            SubmissionStatus.ASSESSED,
            SubmissionStatus.APPROVED,
            SubmissionStatus.SUBMITTED,
            SubmissionStatus.RETURNED,
            SubmissionStatus.DRAFT,
        ],
        [45, 15, 12, 5, 23],
    )[0]


def generate(ctx: BenchContext) -> None:
    rng = ctx.rng("reviews")
    today = ctx.today
    projects_by_year: dict[int, list[tuple[Any, ...]]] = ctx.shared.get("workplan.projects", {})
    pledges_by_year: dict[int, list[tuple[Any, ...]]] = ctx.shared.get("pledges.targets", {})
    planners = org.planning_office_users()
    planner = planners[0] if planners else None
    managers: dict[int, int] = {}
    staff: dict[int, list[int]] = {}
    for person in org.people().filter(role__in=[Role.MANAGER, Role.STAFF]).order_by("pk"):
        if person.role == Role.MANAGER:
            managers.setdefault(person.department_id, person.user_id)
        else:
            staff.setdefault(person.department_id, []).append(person.user_id)

    # the yearly schemes: the default states and reasons for delay
    schemes = ReviewScheme.objects.bulk_create([ReviewScheme(year=y) for y in ctx.years])
    states_by_year: dict[int, list[AssessmentState]] = {}
    categories_by_year: dict[int, list[DelayCategory]] = {}
    for scheme in schemes:
        states_by_year[scheme.year] = [
            AssessmentState(scheme=scheme, code=code, label=label, rule=rule, gap_threshold=gap, tone=tone, order=i)
            for i, (code, label, rule, gap, tone) in enumerate(selectors.DEFAULT_STATES, start=1)
        ]
        categories_by_year[scheme.year] = [
            DelayCategory(scheme=scheme, label=label, order=i)
            for i, label in enumerate(selectors.DEFAULT_DELAY_CATEGORIES, start=1)
        ]
    AssessmentState.objects.bulk_create([s for states in states_by_year.values() for s in states])
    DelayCategory.objects.bulk_create([c for cats in categories_by_year.values() for c in cats])

    # targets: the year's key projects, some of them pledges
    per_year = ctx.spread(ctx.scale.review_submissions, ctx.years)
    targets: list[ReviewTarget] = []
    facts: dict[int, tuple[tuple[int, ...], int, int, int]] = {}  # target index → months, progress, budget, executed
    for year, year_submissions in zip(ctx.years, per_year, strict=True):
        wanted = year_submissions // len(QUARTERS)
        pledges = pledges_by_year.get(year, [])
        projects = projects_by_year.get(year, [])
        n_pledges = min(len(pledges), wanted // 8)
        n_projects = min(len(projects), wanted - n_pledges)
        for pk, title, department_id, months, progress in rng.sample(pledges, n_pledges):
            facts[len(targets)] = (months, progress, 0, 0)
            targets.append(
                ReviewTarget(
                    year=year,
                    pledge_id=pk,
                    title=title,
                    department_id=department_id,
                    long_term=rng.random() < 0.15,
                    note="공약사업",
                )
            )
        for pk, title, department_id, months, progress, budget, executed in rng.sample(projects, n_projects):
            facts[len(targets)] = (months, progress, budget, executed)
            targets.append(
                ReviewTarget(
                    year=year,
                    project_id=pk,
                    title=title,
                    department_id=department_id,
                    long_term=rng.random() < 0.04,
                )
            )
    ReviewTarget.objects.bulk_create(targets, batch_size=ctx.batch_size)
    targets_by_year: dict[int, list[tuple[ReviewTarget, tuple[tuple[int, ...], int, int, int]]]] = {}
    for i, target in enumerate(targets):
        targets_by_year.setdefault(target.year, []).append((target, facts[i]))

    # rounds: 2분기 and 3분기 every year; this year's third still open past its deadline, the fourth in preparation
    rounds: list[ReviewRound] = []
    for year in ctx.years:
        quarters = list(QUARTERS) + ([4] if year == today.year else [])
        for quarter in quarters:
            month, day = QUARTER_END[quarter]
            as_of = dt.date(year, month, day)
            opens = as_of + dt.timedelta(days=1)
            closes = opens + dt.timedelta(days=11)
            if closes < today and not (year == today.year and quarter == max(QUARTERS)):
                status = RoundStatus.CLOSED
            elif opens <= today:
                status = RoundStatus.OPEN
            else:
                status = RoundStatus.DRAFT
            rounds.append(
                ReviewRound(
                    year=year,
                    kind=RoundKind.QUARTERLY,
                    quarter=quarter,
                    title=f"{year}년 {quarter}분기 역점사업 심사분석",
                    as_of=as_of,
                    opens_on=opens,
                    closes_on=closes,
                    due_at=_due_at(closes),
                    status=status,
                    opened_at=_at(opens, 9) if status != RoundStatus.DRAFT else None,
                    closed_at=_at(closes + dt.timedelta(days=14), 18) if status == RoundStatus.CLOSED else None,
                    created_by=planner,
                )
            )
    ReviewRound.objects.bulk_create(rounds)

    submissions: list[Submission] = []
    pending: list[tuple[Submission, ReviewTarget]] = []
    for round_ in rounds:
        if round_.status == RoundStatus.DRAFT:
            continue
        categories = categories_by_year[round_.year]
        year_end = min(today, dt.date(round_.year, 12, 31))
        for target, (months, final, budget, executed) in targets_by_year.get(round_.year, []):
            sub_status = _status(rng, round_)
            sub = Submission(round=round_, target=target, status=sub_status)
            submissions.append(sub)
            if sub_status == SubmissionStatus.DRAFT and rng.random() < 0.5:
                continue  # not started: the department has not written anything yet
            planned = schedule.planned_progress(months, year=round_.year, as_of=round_.as_of)
            reference = schedule.planned_progress(months, year=round_.year, as_of=year_end) or Decimal(100)
            ratio = min(1.2, final / float(reference)) if reference else 1.0
            actual = _round5(float(planned or 0) * ratio + rng.uniform(-8, 6))
            share = float(planned or 0) / 100
            sub.progress = actual
            sub.planned_progress = planned
            sub.work_done = rng.choice(WORK_DONE)
            sub.budget = budget or None
            sub.budget_executed = int(executed * min(1.0, share * rng.uniform(0.8, 1.1))) if budget else None
            sub.issues = rng.choice(ISSUES)
            sub.next_plan = "다음 분기 세부 계획에 따라 추진"
            if planned is not None and planned - actual > 10:
                sub.delay_category = rng.choice(categories)
                sub.delay_reason = rng.choice(DELAY_REASONS)
            if sub_status == SubmissionStatus.DRAFT:
                continue
            writers: Sequence[int | None] = staff.get(target.department_id) or [managers.get(target.department_id)]
            submitted = round_.opens_on + dt.timedelta(days=rng.randint(2, 10))
            sub.submitted_by_id = rng.choice(writers)
            sub.submitted_at = _at(submitted, rng.randint(9, 17))
            if sub_status == SubmissionStatus.RETURNED:
                sub.returned_reason = "추진 실적을 수치로 구체화하고 증빙을 보완해 주세요."
            if sub_status in (SubmissionStatus.APPROVED, SubmissionStatus.ASSESSED):
                sub.approved_by_id = managers.get(target.department_id)
                sub.approved_at = _at(submitted + dt.timedelta(days=1), 14)
                pending.append((sub, target))
    ctx.bulk_create(Submission, submissions, desc="심사분석 제출", total=len(submissions))
    # ctx.bulk_create keeps no pks: read them back by (round, target)
    ids = {
        (r, t): pk
        for pk, r, t in Submission.objects.filter(round__in=rounds).values_list("pk", "round_id", "target_id")
    }
    assessments: list[Assessment] = []
    alternatives: list[Alternative] = []
    for sub, target in pending:
        sub.pk = ids[(sub.round.pk, target.pk)]
        states = states_by_year[sub.round.year]
        proposed, gap = selectors.propose(
            states, planned=sub.planned_progress, actual=sub.progress, long_term=target.long_term
        )
        assessment = Assessment(submission_id=sub.pk, gap=gap, proposed_state=proposed)
        if sub.status == SubmissionStatus.ASSESSED:
            final_state = proposed if rng.random() < 0.9 or proposed is None else rng.choice(states)
            assessment.final_state = final_state
            assessment.comment = COMMENTS.get(final_state.code if final_state else "", "")
            assessment.assessed_by = planner
            assessment.assessed_at = _at(sub.round.closes_on + dt.timedelta(days=rng.randint(3, 12)), 16)
            if final_state is not None and final_state.rule == Rule.GAP and rng.random() < 0.6:
                alternatives.append(
                    Alternative(
                        submission_id=sub.pk,
                        text=rng.choice(ALTERNATIVES),
                        department_id=target.department_id,
                        due_on=sub.round.as_of + dt.timedelta(days=rng.choice([60, 75, 90])),
                        created_by=planner,
                    )
                )
        assessments.append(assessment)
    ctx.bulk_create(Assessment, assessments, desc="심사 결과", total=len(assessments))
    ctx.bulk_create(Alternative, alternatives, desc="대안", total=len(alternatives))


def pages() -> list[BenchPage]:
    from django.db.models import Count
    from django.urls import reverse

    year = ReviewRound.objects.order_by("-year").values_list("year", flat=True).first() or 2026
    # the round with the most submissions (this year's open round when there is one)
    round_ = ReviewRound.objects.annotate(n=Count("submissions")).order_by("-n", "-status", "-year", "-as_of").first()
    target = (
        ReviewTarget.objects.filter(year=year, project__isnull=False)
        .annotate(n=Count("submissions"))
        .order_by("-n", "pk")
        .first()
    )
    sub = (
        Submission.objects.filter(
            status=SubmissionStatus.ASSESSED, alternatives__isnull=False, target__project__isnull=False
        )
        .order_by("-round__year", "-pk")
        .first()
        or Submission.objects.order_by("-pk").first()
    )
    rounds = reverse("reviews:rounds")
    return [
        BenchPage("회차 목록", rounds),
        BenchPage("회차", reverse("reviews:round", args=[round_.pk]) if round_ else rounds),
        BenchPage("회차(부서장)", reverse("reviews:round", args=[round_.pk]) if round_ else rounds, role="manager"),
        BenchPage("심사분석 대상", reverse("reviews:targets") + f"?year={year}"),
        BenchPage("심사분석 대상(부서장)", reverse("reviews:targets") + f"?year={year}", role="manager"),
        BenchPage("대상 추이", reverse("reviews:target", args=[target.pk]) if target else rounds),
        BenchPage("제출 상세", reverse("reviews:submission", args=[sub.pk]) if sub else rounds),
        BenchPage("체계(구분·기준)", reverse("reviews:scheme")),
    ]
