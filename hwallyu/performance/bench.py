"""Benchmark data of the department evaluation: a scheme per benchmark year with the organisation's
evaluation groups, an indicator set per department per year (five to eight indicators, weights adding up
to 100, one qualitative), quarterly cumulative actuals, customer-perception scores, three common tasks
with their points, bonus and penalty entries, and the frozen evaluation run of every past year.

Past years are finished: every set approved, four accepted quarters per indicator, scores complete and
the result frozen in February of the next year (one year also has a withdrawn run before the final one).
This year (``ctx.today`` = 20 November) most sets are approved while a few wait for approval, were
returned or are still drafts; the third quarter is partly waiting for the performance team or returned,
the customer survey has not been held yet and only the first common task is scored.  Some indicators
link to the province evaluation's indicators of the same year (that generator makes the same codes).
Evidence: a tiny stored file for the second and fourth quarter of some indicators.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from hwallyu.core.benchdata import BENCH_ACCOUNTS, BenchContext, BenchPage
from hwallyu.core.calendar import SEOUL
from hwallyu.performance import scoring, selectors, versioning
from hwallyu.performance.models import (
    DEFAULT_GRADES,
    DEFAULT_LEVELS,
    Actual,
    ActualStatus,
    Adjustment,
    AdjustmentKind,
    CommonTask,
    CommonTaskScore,
    CustomerScore,
    CustomerSource,
    Direction,
    EvaluationRun,
    Evidence,
    Indicator,
    IndicatorSet,
    Kind,
    LinkKind,
    RunStatus,
    Scheme,
    SchemeGroup,
    SetStatus,
)

COMMON_TASKS = [("적극행정 추진", Decimal(4)), ("청렴도 향상 노력", Decimal(3)), ("규제·제도 개선", Decimal(3))]
# (name, kind, direction, unit, baseline, target, data source); numbers are scaled per department.
POOL: list[tuple[str, str, str, str, float, float, str]] = [
    ("주요업무 추진율", Kind.QUANTITATIVE, Direction.RISING, "%", 90, 100, "주요업무계획 추진상황 보고"),
    ("민원 평균 처리기간", Kind.QUANTITATIVE, Direction.FALLING, "일", 6, 4, "새올 민원사무처리부"),
    ("예산 집행률", Kind.QUANTITATIVE, Direction.RISING, "%", 88, 95, "e호조 집행 현황"),
    ("시책 홍보·참여 건수", Kind.QUANTITATIVE, Direction.RISING, "건", 20, 24, "부서 자체 집계"),
    ("현장 점검 실시 건수", Kind.QUANTITATIVE, Direction.RISING, "건", 120, 140, "점검 결과 보고"),
    ("규제·제도 개선 건수", Kind.QUANTITATIVE, Direction.RISING, "건", 3, 5, "규제개혁 추진 실적"),
    ("보조금 정산 완료율", Kind.QUANTITATIVE, Direction.RISING, "%", 92, 98, "보조금 관리 시스템"),
    ("직무 교육 이수율", Kind.QUANTITATIVE, Direction.RISING, "%", 85, 95, "인재개발 시스템"),
    ("공공데이터 개방 건수", Kind.QUANTITATIVE, Direction.RISING, "건", 4, 6, "공공데이터 포털"),
    ("안전사고 발생 건수", Kind.QUANTITATIVE, Direction.FALLING, "건", 4, 2, "안전관리 일지"),
]
LOCAL_FIRST = ("주민자치 프로그램 운영 실적", Kind.QUANTITATIVE, Direction.RISING, "건", 10, 12, "부서 자체 집계")
QUALITATIVE = ("적극행정 우수사례 발굴", Kind.QUALITATIVE, Direction.RISING, "", 0, 0, "성과평가위원회 정성평가")
WEIGHT_SPLITS = {
    5: [30, 25, 20, 15, 10],
    6: [25, 20, 20, 15, 10, 10],
    7: [20, 20, 15, 15, 10, 10, 10],
    8: [20, 15, 15, 10, 10, 10, 10, 10],
}
LEVEL_PICKS = ["탁월", "우수", "우수", "보통", "보통", "보통", "미흡"]
ADJUSTMENT_REASONS = [
    ("bonus", "정부합동평가 우수사례 선정"),
    ("bonus", "국민권익위 민원서비스 평가 우수"),
    ("bonus", "중앙부처 공모사업 선정"),
    ("bonus", "주민자치 우수 공모 선정"),
    ("penalty", "자체감사 지적(인허가 처리 지연)"),
    ("penalty", "보조금 정산 지연"),
    ("penalty", "개인정보 관리 소홀 지적"),
]
EVIDENCE_BYTES = b"%PDF-1.4\n% bench evidence\n%%EOF\n"


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=SEOUL)


def _q2(value: float) -> Decimal:
    return scoring.q2(Decimal(str(round(value, 4))))


def _quarter_entered(year: int, quarter: int, day: int) -> dt.date:
    """A day in the month after the quarter (the entry window)."""
    return dt.date(year + 1, 1, day) if quarter == 4 else dt.date(year, quarter * 3 + 1, day)


def _province_links(ctx: BenchContext, year: int) -> dict[str, list[tuple[str, str]]]:
    """Department name → (code, label) of the province indicators it owns that year."""
    from django.apps import apps

    if not apps.is_installed("hwallyu.province"):
        return {}
    from hwallyu.province.bench import quantitative_indicators

    out: dict[str, list[tuple[str, str]]] = {}
    for code, name, owners in quantitative_indicators(ctx, year):
        for owner in owners:
            out.setdefault(owner, []).append((code, f"{code} {name}"))
    return out


def generate(ctx: BenchContext) -> None:
    from django.contrib.auth import get_user_model

    from hwallyu.org.models import Role
    from hwallyu.org.selectors import departments, evaluation_groups, people

    this_year = ctx.years[-1]
    today = ctx.today
    org_groups = list(evaluation_groups().order_by("order", "code"))
    active = list(departments(active_only=True).order_by("order", "code"))
    planner_id = (
        get_user_model().objects.filter(username=BENCH_ACCOUNTS["planning"]).values_list("pk", flat=True).first()
    )
    users: dict[int, list[int]] = {}
    managers: dict[int, int] = {}
    for user_id, department_id, role in people().values_list("user_id", "department_id", "role"):
        users.setdefault(department_id, []).append(user_id)
        if role == Role.MANAGER:
            managers.setdefault(department_id, user_id)

    # --- schemes and groups -------------------------------------------------------------------
    schemes = []
    for year in ctx.years:
        # The city moved five points from the indicators to the customers from 2022 on.
        new_weights = year >= 2022
        schemes.append(
            Scheme(
                year=year,
                weight_indicator=Decimal(65 if new_weights else 70),
                weight_customer=Decimal(25 if new_weights else 20),
                weight_common=Decimal(10),
                grades=[dict(g) for g in DEFAULT_GRADES],
                levels=[dict(lv) for lv in DEFAULT_LEVELS],
                note="벤치마크 자료",
            )
        )
    Scheme.objects.bulk_create(schemes)
    by_year = {s.year: s for s in Scheme.objects.all()}
    SchemeGroup.objects.bulk_create(
        [
            SchemeGroup(scheme=scheme, code=g.code, name=g.name, order=g.order)
            for scheme in by_year.values()
            for g in org_groups
        ]
    )
    groups = {(g.scheme_id, g.code): g.pk for g in SchemeGroup.objects.all()}
    CommonTask.objects.bulk_create(
        [
            CommonTask(scheme=scheme, name=name, max_points=points, order=i)
            for scheme in by_year.values()
            for i, (name, points) in enumerate(COMMON_TASKS, start=1)
        ]
    )

    # --- indicator sets (one per department and year) -----------------------------------------
    set_status: dict[tuple[int, int], str] = {}
    sets = []
    for year, scheme in by_year.items():
        rng = ctx.rng(f"performance:sets:{year}")
        for n, department in enumerate(active):
            status = SetStatus.APPROVED
            if year == this_year and department.code != "D002":
                roll = rng.random()
                status = (
                    SetStatus.SUBMITTED
                    if roll < 0.04
                    else SetStatus.RETURNED
                    if roll < 0.07
                    else SetStatus.DRAFT
                    if roll < 0.10
                    else SetStatus.APPROVED
                )
            set_status[(year, department.pk)] = status
            group_code = department.evaluation_group.code if department.evaluation_group else None
            submitted = _at(dt.date(year, 2, 5 + n % 15)) if status != SetStatus.DRAFT else None
            decided = (
                submitted + dt.timedelta(days=4)
                if submitted and status in (SetStatus.APPROVED, SetStatus.RETURNED)
                else None
            )
            sets.append(
                IndicatorSet(
                    scheme=scheme,
                    department=department,
                    group_id=groups.get((scheme.pk, group_code)) if group_code else None,
                    status=status,
                    submitted_at=submitted,
                    submitted_by_id=managers.get(department.pk) if submitted else None,
                    decided_at=decided,
                    decided_by_id=planner_id if decided else None,
                    comment="목표값이 전년 실적보다 낮습니다. 상향 조정하세요." if status == SetStatus.RETURNED else "",
                )
            )
    ctx.bulk_create(IndicatorSet, sets, desc="부서 지표 묶음", total=len(sets))
    set_ids = {
        (year, department_id): pk
        for pk, year, department_id in IndicatorSet.objects.values_list("pk", "scheme__year", "department_id")
    }

    # --- indicators ---------------------------------------------------------------------------
    def indicator_rows() -> Iterator[Indicator]:
        for year in ctx.years:
            links = _province_links(ctx, year)
            growth = 1 + 0.02 * (year - ctx.years[0])
            for department in active:
                r = random.Random(f"{ctx.seed}:{ctx.scale.name}:performance:ind:{department.code}")
                count = r.choice([5, 6, 6, 7, 7, 8])
                pool = list(POOL)
                r.shuffle(pool)
                first = LOCAL_FIRST if department.kind == "local" else pool.pop(0)
                chosen = [first, *pool[: count - 2], QUALITATIVE]
                province = links.get(department.name, [])
                for order, ((name, kind, direction, unit, base, target, source), weight) in enumerate(
                    zip(chosen, WEIGHT_SPLITS[count], strict=True), start=1
                ):
                    link = province[0] if order == 2 and province else None
                    baseline_value = target_value = None
                    if kind == Kind.QUANTITATIVE:
                        # Rates and days stay put; counts grow a little every year.
                        scale = 1.0 if unit in ("%", "일") else r.uniform(0.8, 1.6) * growth
                        baseline_value, target_value = _q2(base * scale), _q2(target * scale)
                    yield Indicator(
                        indicator_set_id=set_ids[(year, department.pk)],
                        name=link[1].split(" ", 1)[1][:200] if link else name,
                        kind=kind,
                        direction=direction,
                        unit=unit,
                        baseline=baseline_value,
                        target=target_value,
                        weight=Decimal(weight),
                        data_source=source,
                        link_kind=LinkKind.PROVINCE if link else "",
                        link_ref=link[0] if link else "",
                        link_label=link[1] if link else "",
                        order=order,
                    )

    ctx.bulk_create(Indicator, indicator_rows(), desc="성과지표", total=len(sets) * 7)

    # --- quarterly actuals ------------------------------------------------------------------------
    set_year = {pk: year for (year, _), pk in set_ids.items()}
    set_department = {pk: department_id for (_, department_id), pk in set_ids.items()}
    quarters_now = (today.month - 1) // 3 if today.year == this_year else 4  # quarters already over

    indicator_source = Indicator.objects.order_by("pk").values_list(
        "pk", "indicator_set_id", "kind", "direction", "target"
    )

    def actual_rows() -> Iterator[Actual]:
        for pk, set_id, kind, direction, target in indicator_source.iterator(chunk_size=ctx.batch_size):
            year = set_year[set_id]
            department_id = set_department[set_id]
            if set_status[(year, department_id)] != SetStatus.APPROVED:
                continue
            r = random.Random(f"{ctx.seed}:{ctx.scale.name}:performance:act:{pk}")
            current = year == this_year
            last = quarters_now if current else 4
            entrants: Sequence[int | None] = users.get(department_id) or [planner_id]
            if kind == Kind.QUANTITATIVE:
                assert target is not None
                if direction == Direction.FALLING:
                    final = float(target) * r.uniform(0.8, 1.4)
                else:
                    final = float(target) * r.uniform(0.78, 1.18)
            level = LEVEL_PICKS[r.randrange(len(LEVEL_PICKS))]
            for quarter in range(1, last + 1):
                status = ActualStatus.ACCEPTED
                if current and quarter == last:
                    roll = r.random()
                    status = (
                        ActualStatus.SUBMITTED
                        if roll < 0.3
                        else ActualStatus.RETURNED
                        if roll < 0.35
                        else ActualStatus.ACCEPTED
                    )
                    if roll > 0.95:
                        break  # not entered yet
                if kind == Kind.QUANTITATIVE:
                    value = _q2(final if direction == Direction.FALLING else final * quarter / 4)
                else:
                    value = None
                entered = _at(_quarter_entered(year, quarter, r.randint(2, 12)), 9 + r.randrange(8))
                accepted = status == ActualStatus.ACCEPTED
                decided = status != ActualStatus.SUBMITTED
                yield Actual(
                    indicator_id=pk,
                    quarter=quarter,
                    value=value,
                    level=level if accepted and kind == Kind.QUALITATIVE else "",
                    note=f"{quarter}분기 추진 실적: 계획대로 추진" if kind == Kind.QUALITATIVE else "",
                    status=status,
                    entered_at=entered,
                    entered_by_id=entrants[(pk + quarter) % len(entrants)],
                    decided_at=entered + dt.timedelta(days=3) if decided else None,
                    decided_by_id=planner_id if decided else None,
                    comment="증빙자료를 보완하세요." if status == ActualStatus.RETURNED else "",
                )

    ctx.bulk_create(Actual, actual_rows(), desc="분기 실적", total=len(sets) * 7 * 4)

    evidence_source = Actual.objects.filter(quarter__in=(2, 4), indicator__order__lte=2).values_list(
        "pk", "indicator__indicator_set__scheme__year"
    )

    def evidence_rows() -> Iterator[Evidence]:
        for actual_id, year in evidence_source.iterator(chunk_size=ctx.batch_size):
            name = f"실적증빙_{actual_id}.pdf"
            stored = default_storage.save(f"performance/{year}/{actual_id}/{name}", ContentFile(EVIDENCE_BYTES))
            yield Evidence(actual_id=actual_id, file=stored, name=name, size=len(EVIDENCE_BYTES))

    ctx.bulk_create(Evidence, evidence_rows(), desc="실적 증빙", total=evidence_source.count())

    # --- customer scores, common-task points, adjustments ----------------------------------------
    tasks = list(CommonTask.objects.select_related("scheme").order_by("scheme__year", "order"))

    def customer_rows() -> Iterator[CustomerScore]:
        for (year, department_id), _ in set_ids.items():
            if year == this_year:
                continue  # the survey is held in December
            r = random.Random(f"{ctx.seed}:{ctx.scale.name}:performance:cus:{year}:{department_id}")
            yield CustomerScore(
                scheme=by_year[year],
                department_id=department_id,
                score=_q2(r.uniform(68, 96)),
                source=CustomerSource.SURVEY if year >= 2023 else CustomerSource.ENTERED,
            )

    ctx.bulk_create(CustomerScore, customer_rows(), desc="고객인식도", total=len(sets))

    def common_rows() -> Iterator[CommonTaskScore]:
        for task in tasks:
            year = task.scheme.year
            if year == this_year and task.order != 1:
                continue
            r = random.Random(f"{ctx.seed}:{ctx.scale.name}:performance:com:{task.pk}")
            for department in active:
                share = Decimal(r.choice([50, 60, 70, 80, 90, 100])) / 100
                yield CommonTaskScore(task=task, department=department, points=scoring.q2(task.max_points * share))

    ctx.bulk_create(CommonTaskScore, common_rows(), desc="공통과제 점수", total=len(tasks) * len(active))

    adjustments = []
    for year, scheme in by_year.items():
        r = ctx.rng(f"performance:adj:{year}")
        for _ in range(max(2, len(active) // 8)):
            department = active[r.randrange(len(active))]
            kind, reason = ADJUSTMENT_REASONS[r.randrange(len(ADJUSTMENT_REASONS))]
            adjustments.append(
                Adjustment(
                    scheme=scheme,
                    department=department,
                    kind=AdjustmentKind.BONUS if kind == "bonus" else AdjustmentKind.PENALTY,
                    points=Decimal(r.choice(["0.5", "1", "1.5", "2"])),
                    reason=reason,
                    created_by_id=planner_id,
                )
            )
    Adjustment.objects.bulk_create(adjustments)

    # --- frozen runs of the past years -------------------------------------------------------------
    runs = []
    with ctx.progress("평가 결과 확정", len(ctx.years) - 1) as bar:
        for year in ctx.years[:-1]:
            scheme = by_year[year]
            live = selectors.compute_live_result(scheme)
            frozen_at = _at(dt.date(year + 1, 2, 20), 15)
            rules = selectors.rules_to_json(live.rules)
            if year == ctx.years[-2]:
                runs.append(
                    EvaluationRun(
                        scheme=scheme,
                        status=RunStatus.REOPENED,
                        rows=live.rows,
                        rules=rules,
                        input_hash=live.fingerprint,
                        frozen_at=frozen_at - dt.timedelta(days=7),
                        frozen_by_id=planner_id,
                        reopened_at=frozen_at - dt.timedelta(days=3),
                        reopened_by_id=planner_id,
                        reopen_reason="가감점 반영 누락(이의신청 수용)",
                    )
                )
            runs.append(
                EvaluationRun(
                    scheme=scheme,
                    rows=live.rows,
                    rules=rules,
                    input_hash=live.fingerprint,
                    frozen_at=frozen_at,
                    frozen_by_id=planner_id,
                )
            )
            bar.update(1)
    EvaluationRun.objects.bulk_create(runs)
    versioning.bump()  # everything above went in by bulk insert, which sends no signals


def pages() -> list[BenchPage]:
    from django.urls import reverse

    from hwallyu.performance.models import CommonTask, Scheme

    latest = Scheme.objects.order_by("-year").first()
    if latest is None:
        return []
    year = latest.year
    past = Scheme.objects.filter(year__lt=year).order_by("-year").first()
    task = CommonTask.objects.filter(scheme=latest).order_by("order").first()
    code = "D002"
    out = [
        BenchPage("연도 목록", reverse("performance:index")),
        BenchPage("연도 개요", reverse("performance:overview", args=[year])),
        BenchPage("평가 체계", reverse("performance:scheme", args=[year])),
        BenchPage("평가군", reverse("performance:groups", args=[year])),
        BenchPage("부서별 성과지표", reverse("performance:departments", args=[year])),
        BenchPage("부서별 성과지표(부서장)", reverse("performance:departments", args=[year]), role="manager"),
        BenchPage("부서 성과지표", reverse("performance:department", args=[year, code])),
        BenchPage("우리 부서 성과지표(부서장)", reverse("performance:department", args=[year, code]), role="manager"),
        BenchPage("우리 부서 성과지표(담당)", reverse("performance:department", args=[year, code]), role="staff"),
        BenchPage("검토 대기", reverse("performance:review", args=[year])),
        BenchPage("고객인식도", reverse("performance:customer", args=[year])),
        BenchPage("공통과제", reverse("performance:common", args=[year])),
        BenchPage("가감점", reverse("performance:adjustments", args=[year])),
        BenchPage("평가 결과(진행 중)", reverse("performance:results", args=[year])),
        BenchPage("가정 분석(진행 중)", reverse("performance:whatif", args=[year])),
    ]
    if task is not None:
        out.insert(12, BenchPage("공통과제 점수", reverse("performance:common_scores", args=[year, task.pk])))
    if past is not None:
        out += [
            BenchPage("고객인식도(지난해)", reverse("performance:customer", args=[past.year])),
            BenchPage("평가 결과(확정)", reverse("performance:results", args=[past.year])),
            BenchPage("세부 결과", reverse("performance:drilldown", args=[past.year, code])),
            BenchPage("세부 결과(부서장)", reverse("performance:drilldown", args=[past.year, code]), role="manager"),
            BenchPage("가정 분석(확정)", reverse("performance:whatif", args=[past.year])),
        ]
    return out
