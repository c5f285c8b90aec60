"""Reads of the province evaluation, scoped and prefetched, and the status of every indicator.

Statuses are computed in Python from a handful of queries (indicators, their departments, their
actuals, last year's profile), so a list costs the same number of queries at 1 row and at 90.

Other apps (the department performance evaluation) read the province side only through
:func:`indicator_by_code`, :func:`latest_actual` and :func:`linked_indicators`: plain values,
no models.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any, NamedTuple

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from hwallyu.api.base import ServiceError
from hwallyu.org.models import Department
from hwallyu.province import forecast
from hwallyu.province.models import (
    Actual,
    ActualStatus,
    Deadline,
    DeadlineKind,
    EvaluationYear,
    Indicator,
    IndicatorType,
    PeerResult,
)
from hwallyu.province.policies import indicator_policy

QUALITATIVE_DONE = "제출 완료"
QUALITATIVE_OPEN = "준비 중"
QUALITATIVE_LATE = "기한 경과"
STATUS_TONES = {
    forecast.ACHIEVED: "success",
    forecast.ON_TRACK: "",
    forecast.LAGGING: "danger",
    forecast.NO_DATA: "warning",
    QUALITATIVE_DONE: "success",
    QUALITATIVE_OPEN: "",
    QUALITATIVE_LATE: "danger",
}


def rules_of(evaluation_year: EvaluationYear) -> forecast.Rules:
    return forecast.Rules(
        forecast_rule=evaluation_year.lagging_forecast_rule,
        share_from_month=evaluation_year.lagging_share_from_month,
        share=evaluation_year.lagging_share,
        achievement_cap=evaluation_year.achievement_cap,
    )


# --- years -----------------------------------------------------------------------------------


def years() -> QuerySet[EvaluationYear]:
    return EvaluationYear.objects.annotate(
        quantitative_count=Count("indicators", filter=Q(indicators__kind=IndicatorType.QUANTITATIVE)),
        qualitative_count=Count("indicators", filter=Q(indicators__kind=IndicatorType.QUALITATIVE)),
    ).order_by("-year")


def year_or_404(year: int) -> EvaluationYear:
    found = EvaluationYear.objects.filter(year=year).first()
    if found is None:
        raise Http404("해당 연도의 시군평가가 없습니다.")
    return found


def latest_year() -> EvaluationYear | None:
    """The year people work on: this year's when it exists, else the latest one."""
    this_year = timezone.localdate().year
    found = EvaluationYear.objects.filter(year__lte=this_year).order_by("-year").first()
    return found or EvaluationYear.objects.order_by("year").first()


def _type_counts(counts: dict[str, int]) -> dict[str, int]:
    quantitative = counts.get(IndicatorType.QUANTITATIVE, 0)
    qualitative = counts.get(IndicatorType.QUALITATIVE, 0)
    return {"quantitative": quantitative, "qualitative": qualitative, "total": quantitative + qualitative}


def type_counts(evaluation_year: EvaluationYear) -> dict[str, int]:
    counts = dict(
        Indicator.objects.filter(evaluation_year=evaluation_year)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    return _type_counts(counts)


def fields_and_type_counts(evaluation_year: EvaluationYear) -> tuple[list[str], dict[str, int]]:
    """:func:`fields_of` and :func:`type_counts` in one query (the indicator list shows both)."""
    counts: Counter[str] = Counter()
    fields: set[str] = set()
    for name, kind, n in (
        Indicator.objects.filter(evaluation_year=evaluation_year)
        .order_by()
        .values_list("field", "kind")
        .annotate(n=Count("id"))
        .values_list("field", "kind", "n")
    ):
        fields.add(name)
        counts[kind] += n
    return sorted(fields), _type_counts(counts)


def deadlines(evaluation_year: EvaluationYear) -> list[Deadline]:
    return list(Deadline.objects.filter(evaluation_year=evaluation_year).order_by("due_at"))


def deadline_of(evaluation_year: EvaluationYear, kind: str, month: int = 0) -> Deadline | None:
    return Deadline.objects.filter(evaluation_year=evaluation_year, kind=kind, month=month).first()


def default_month(evaluation_year: EvaluationYear) -> int:
    """The latest month with an actual (not returned), else the month actuals start."""
    latest = (
        Actual.objects.filter(indicator__evaluation_year=evaluation_year)
        .exclude(status=ActualStatus.RETURNED)
        .aggregate(m=Max("month"))["m"]
    )
    return int(latest or evaluation_year.actuals_start_month)


def month_param(evaluation_year: EvaluationYear, raw: Any) -> int:
    try:
        month = int(raw)
    except (TypeError, ValueError):
        return default_month(evaluation_year)
    return month if 1 <= month <= 12 else default_month(evaluation_year)


# --- indicators --------------------------------------------------------------------------------


@dataclass
class IndicatorFilters:
    kind: str = ""
    field: str = ""
    department: str = ""  # department code
    status: str = ""
    q: str = ""


def indicators_for(
    user: Any, evaluation_year: EvaluationYear, filters: IndicatorFilters | None = None
) -> QuerySet[Indicator]:
    # Through the year's related manager: every indicator gets ``evaluation_year`` set without a join.
    qs = indicator_policy.scope(user, evaluation_year.indicators.all())
    filters = filters or IndicatorFilters()
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.field:
        qs = qs.filter(field=filters.field)
    if filters.department:
        qs = qs.filter(departments__code=filters.department)
    if filters.q:
        qs = qs.filter(Q(code__icontains=filters.q) | Q(name__icontains=filters.q) | Q(policy__icontains=filters.q))
    return (
        qs.prefetch_related(Prefetch("departments", queryset=Department.objects.order_by("order", "name")))
        .order_by("order", "code")
        .distinct()
    )


def fields_of(evaluation_year: EvaluationYear) -> list[str]:
    return list(
        Indicator.objects.filter(evaluation_year=evaluation_year)
        .order_by("field")
        .values_list("field", flat=True)
        .distinct()
    )


def indicator_detail(user: Any, year: int, code: str) -> Indicator:
    qs = Indicator.objects.filter(evaluation_year__year=year).select_related("evaluation_year", "submitted_by")
    qs = qs.prefetch_related(Prefetch("departments", queryset=Department.objects.order_by("order", "name")))
    return indicator_policy.get_visible_or_404(user, qs, code=code)


def actuals_of(indicator: Indicator) -> list[Actual]:
    return list(
        indicator.actuals.select_related("submitted_by", "decided_by", "department")
        .prefetch_related("evidence")
        .order_by("month")
    )


# --- status ------------------------------------------------------------------------------------


@dataclass
class Row:
    """One indicator's standing as of a month."""

    indicator: Indicator
    month: int
    status: str
    actual_month: int | None = None
    actual: Decimal | None = None
    actual_status: str = ""
    evaluation: forecast.Evaluation | None = None
    series: list[Decimal | None] = field(default_factory=list)
    reason: str = ""
    note: str = ""
    profile: list[Decimal | None] = field(default_factory=list)

    @property
    def achievement(self) -> Decimal | None:
        return self.evaluation.achievement if self.evaluation else None

    @property
    def forecast(self) -> Decimal | None:
        return self.evaluation.forecast if self.evaluation else None

    @property
    def tone(self) -> str:
        return STATUS_TONES.get(self.status, "")

    @cached_property
    def departments(self) -> list[Department]:
        return list(self.indicator.departments.all())

    @property
    def owners(self) -> str:
        return ", ".join(d.name for d in self.departments)

    @property
    def is_lagging(self) -> bool:
        return self.status == forecast.LAGGING


class _Entry(NamedTuple):
    """The fields of an actual that the status needs (plain values: a list reads hundreds of them)."""

    value: Decimal
    status: str
    note: str
    lag_reason: str


def _actuals_by_indicator(indicator_ids: Sequence[int], *, accepted_only: bool = False) -> dict[int, dict[int, _Entry]]:
    qs = Actual.objects.filter(indicator_id__in=indicator_ids)
    qs = qs.filter(status=ActualStatus.ACCEPTED) if accepted_only else qs.exclude(status=ActualStatus.RETURNED)
    out: dict[int, dict[int, _Entry]] = defaultdict(dict)
    for indicator_id, month, value, status, note, lag_reason in qs.order_by().values_list(
        "indicator_id", "month", "value", "status", "note", "lag_reason"
    ):
        out[indicator_id][month] = _Entry(value, status, note, lag_reason)
    return out


def _prior_profiles(evaluation_year: EvaluationYear, codes: Iterable[str]) -> dict[str, list[Decimal | None]]:
    """Last year's monthly cumulative actuals by code, when the previous year is in the system
    with a December actual."""
    wanted = set(codes)
    if not wanted:
        return {}
    rows = (
        Actual.objects.filter(
            indicator__evaluation_year__year=evaluation_year.year - 1,
            indicator__code__in=wanted,
            indicator__kind=IndicatorType.QUANTITATIVE,
        )
        .exclude(status=ActualStatus.RETURNED)
        .values_list("indicator__code", "month", "value")
    )
    by_code: dict[str, list[Decimal | None]] = {}
    for code, month, value in rows:
        by_code.setdefault(code, [None] * 12)[month - 1] = value
    return {code: values for code, values in by_code.items() if values[11] is not None}


def _qualitative_status(indicator: Indicator, due: dt.datetime | None, now: dt.datetime) -> str:
    if indicator.submitted_at is not None:
        return QUALITATIVE_DONE
    if due is not None and now > due:
        return QUALITATIVE_LATE
    return QUALITATIVE_OPEN


@dataclass
class _Inputs:
    """What :func:`status_rows` reads from the database, so that a caller computing two months
    (the review pack) reads it once."""

    actuals: dict[int, dict[int, _Entry]]
    prior: dict[str, list[Decimal | None]]
    qualitative_due: dt.datetime | None


def _status_inputs(
    evaluation_year: EvaluationYear, items: Sequence[Indicator], *, accepted_only: bool = False
) -> _Inputs:
    quantitative = [i for i in items if i.is_quantitative]
    actuals = _actuals_by_indicator([i.pk for i in quantitative], accepted_only=accepted_only)
    missing_profiles = [i.code for i in quantitative if not i.profile]
    prior = _prior_profiles(evaluation_year, missing_profiles) if missing_profiles else {}
    qualitative_due = None
    if len(quantitative) != len(items):
        deadline = deadline_of(evaluation_year, DeadlineKind.QUALITATIVE)
        qualitative_due = deadline.due_at if deadline else None
    return _Inputs(actuals, prior, qualitative_due)


def status_rows(
    evaluation_year: EvaluationYear,
    indicators: Iterable[Indicator],
    *,
    month: int,
    now: dt.datetime | None = None,
    accepted_only: bool = False,
    inputs: _Inputs | None = None,
) -> list[Row]:
    """Each indicator's achievement, forecast and status through ``month`` (3–4 queries in all)."""
    items = list(indicators)
    moment = now or timezone.now()
    rules = rules_of(evaluation_year)
    if inputs is None:
        inputs = _status_inputs(evaluation_year, items, accepted_only=accepted_only)
    actuals, prior, qualitative_due = inputs.actuals, inputs.prior, inputs.qualitative_due
    rows: list[Row] = []
    for indicator in items:
        if not indicator.is_quantitative:
            rows.append(Row(indicator, month, _qualitative_status(indicator, qualitative_due, moment)))
            continue
        by_month = actuals.get(indicator.pk, {})
        series: list[Decimal | None] = [
            by_month[m].value if m in by_month and m <= month else None for m in range(1, 13)
        ]
        used = max((m for m in by_month if m <= month), default=None)
        latest = by_month[used] if used is not None else None
        profile = indicator.profile or prior.get(indicator.code, [])
        assert indicator.target is not None
        evaluation = forecast.evaluate(
            direction=indicator.direction,
            target=indicator.target,
            actual=latest.value if latest else None,
            month=used,
            rules=rules,
            profile=profile,
        )
        rows.append(
            Row(
                indicator,
                month,
                evaluation.status,
                actual_month=used,
                actual=latest.value if latest else None,
                actual_status=latest.status if latest else "",
                evaluation=evaluation,
                series=series,
                reason=latest.lag_reason if latest else "",
                note=latest.note if latest else "",
                profile=profile,
            )
        )
    return rows


def status_counts(rows: Iterable[Row]) -> dict[str, int]:
    counts = Counter(r.status for r in rows)
    return {
        status: counts.get(status, 0)
        for status in (*forecast.STATUSES, QUALITATIVE_DONE, QUALITATIVE_OPEN, QUALITATIVE_LATE)
    }


def year_rows(
    user: Any, evaluation_year: EvaluationYear, *, month: int, filters: IndicatorFilters | None = None
) -> list[Row]:
    rows = status_rows(evaluation_year, indicators_for(user, evaluation_year, filters), month=month)
    if filters and filters.status:
        rows = [r for r in rows if r.status == filters.status]
    return rows


def lagging_rows(user: Any, evaluation_year: EvaluationYear, *, month: int) -> list[Row]:
    indicators = indicators_for(user, evaluation_year, IndicatorFilters(kind=IndicatorType.QUANTITATIVE))
    return [r for r in status_rows(evaluation_year, indicators, month=month) if r.is_lagging]


def pending_actuals(evaluation_year: EvaluationYear) -> QuerySet[Actual]:
    """Actuals waiting for the performance team's review, oldest first."""
    return (
        Actual.objects.filter(indicator__evaluation_year=evaluation_year, status=ActualStatus.SUBMITTED)
        .select_related("indicator", "department", "submitted_by")
        .prefetch_related("evidence")
        .order_by("submitted_at", "id")
    )


def entry_rows(evaluation_year: EvaluationYear, indicators: Iterable[Indicator], month: int) -> list[dict[str, Any]]:
    """The monthly entry sheet: per quantitative indicator its entry for ``month`` and the month before."""
    items = [i for i in indicators if i.is_quantitative]
    actuals = Actual.objects.filter(indicator__in=items, month__lte=month).order_by("month")
    by_indicator: dict[int, dict[int, Actual]] = defaultdict(dict)
    for actual in actuals:
        by_indicator[actual.indicator_id][actual.month] = actual
    rows = []
    for indicator in items:
        months = by_indicator.get(indicator.pk, {})
        current = months.get(month)
        previous = next(
            (months[m] for m in range(month - 1, 0, -1) if m in months and months[m].status != ActualStatus.RETURNED),
            None,
        )
        rows.append({"indicator": indicator, "current": current, "previous": previous})
    return rows


# --- the monthly review pack (추진상황·부진지표 보고회) -------------------------------------------------


@dataclass
class GroupLine:
    label: str
    total: int = 0
    achieved: int = 0
    on_track: int = 0
    lagging: int = 0
    no_data: int = 0

    def add(self, status: str) -> None:
        self.total += 1
        if status == forecast.ACHIEVED:
            self.achieved += 1
        elif status == forecast.ON_TRACK:
            self.on_track += 1
        elif status == forecast.LAGGING:
            self.lagging += 1
        else:
            self.no_data += 1

    @property
    def lagging_rate(self) -> Decimal:
        if not self.total:
            return Decimal("0.0")
        return (Decimal(self.lagging) * 100 / self.total).quantize(Decimal("0.1"))


@dataclass
class Change:
    row: Row
    previous: Row | None
    kind: str  # "새 부진", "부진 해소", "상태 변경", "첫 실적"


@dataclass
class Pack:
    evaluation_year: EvaluationYear
    month: int
    rows: list[Row]
    by_field: list[GroupLine]
    by_department: list[GroupLine]
    total: GroupLine
    lagging: list[Row]
    changes: list[Change]
    updated_count: int
    qualitative_total: int
    qualitative_done: int


def _group(rows: Iterable[Row], keys: Any) -> list[GroupLine]:
    lines: dict[str, GroupLine] = {}
    for row in rows:
        for key in keys(row):
            lines.setdefault(key, GroupLine(key)).add(row.status)
    return list(lines.values())


def pack_data(evaluation_year: EvaluationYear, month: int) -> Pack:
    indicators = list(indicators_for_all(evaluation_year))
    inputs = _status_inputs(evaluation_year, indicators)
    all_rows = status_rows(evaluation_year, indicators, month=month, inputs=inputs)
    rows = [r for r in all_rows if r.indicator.is_quantitative]
    previous = (
        {
            r.indicator.pk: r
            for r in status_rows(evaluation_year, [r.indicator for r in rows], month=month - 1, inputs=inputs)
        }
        if month > 1
        else {}
    )
    by_field = sorted(_group(rows, lambda r: [r.indicator.field]), key=lambda g: g.label)
    department_order = {d.name: (d.order, d.name) for r in rows for d in r.departments}
    by_department = sorted(
        _group(rows, lambda r: [d.name for d in r.departments] or ["(담당 없음)"]),
        key=lambda g: department_order.get(g.label, (10**6, g.label)),
    )
    total = GroupLine("합계")
    for row in rows:
        total.add(row.status)
    changes: list[Change] = []
    updated = 0
    for row in rows:
        before = previous.get(row.indicator.pk)
        if before is not None and row.actual_month == month and before.actual != row.actual:
            updated += 1
        if before is None or before.status == row.status:
            continue
        if row.status == forecast.LAGGING:
            kind = "새 부진"
        elif before.status == forecast.LAGGING:
            kind = "부진 해소"
        elif before.status == forecast.NO_DATA:
            kind = "첫 실적"
        else:
            kind = "상태 변경"
        changes.append(Change(row, before, kind))
    order = {"새 부진": 0, "부진 해소": 1, "상태 변경": 2, "첫 실적": 3}
    changes.sort(key=lambda c: (order[c.kind], c.row.indicator.order, c.row.indicator.code))
    qualitative = [r for r in all_rows if not r.indicator.is_quantitative]
    return Pack(
        evaluation_year=evaluation_year,
        month=month,
        rows=rows,
        by_field=by_field,
        by_department=by_department,
        total=total,
        lagging=[r for r in rows if r.is_lagging],
        changes=changes,
        updated_count=updated,
        qualitative_total=len(qualitative),
        qualitative_done=sum(1 for r in qualitative if r.status == QUALITATIVE_DONE),
    )


def indicators_for_all(evaluation_year: EvaluationYear) -> QuerySet[Indicator]:
    return (
        evaluation_year.indicators.all()
        .prefetch_related(Prefetch("departments", queryset=Department.objects.order_by("order", "name")))
        .order_by("order", "code")
    )


# --- peers and what-if ----------------------------------------------------------------------------


def peer_results() -> QuerySet[PeerResult]:
    return PeerResult.objects.order_by("-year", "group", "rank", "place")


@dataclass
class RankLine:
    year: int
    group: str
    group_label: str
    rank: int
    score: Decimal
    group_size: int
    best_score: Decimal

    @property
    def gap(self) -> Decimal:
        return self.best_score - self.score


def rank_history() -> list[RankLine]:
    """The city's rank in its group over the years of published results."""
    results = list(PeerResult.objects.order_by("year", "group", "rank"))
    sizes = Counter((r.year, r.group) for r in results)
    best: dict[tuple[int, str], Decimal] = {}
    for r in results:
        key = (r.year, r.group)
        best[key] = max(best.get(key, r.score), r.score)
    return [
        RankLine(
            r.year, r.group, r.get_group_display(), r.rank, r.score, sizes[(r.year, r.group)], best[(r.year, r.group)]
        )
        for r in results
        if r.is_self
    ]


@dataclass
class WhatIfBase:
    score: Decimal | None
    source: str
    peers_year: int | None
    peers: list[PeerResult]  # the city's group that year, the city left out


def whatif_base(evaluation_year: EvaluationYear) -> WhatIfBase:
    own = (
        PeerResult.objects.filter(is_self=True, year__lt=evaluation_year.year).order_by("-year").first()
        or PeerResult.objects.filter(is_self=True).order_by("-year").first()
    )
    peers_year = own.year if own else None
    peers = (
        list(
            PeerResult.objects.filter(year=peers_year, group=evaluation_year.city_group, is_self=False).order_by("rank")
        )
        if peers_year
        else []
    )
    if evaluation_year.whatif_base_score is not None:
        return WhatIfBase(evaluation_year.whatif_base_score, "기준 설정의 점수", peers_year, peers)
    if own is not None:
        return WhatIfBase(own.score, f"{own.year}년 우리 시 결과", peers_year, peers)
    return WhatIfBase(None, "", peers_year, peers)


@dataclass
class WhatIfOutcome:
    base: WhatIfBase
    rows: list[tuple[Row, Decimal]]
    result: forecast.WhatIf


def what_if(evaluation_year: EvaluationYear, codes: Sequence[str], *, month: int) -> WhatIfOutcome:
    """The projected score and rank in the group when the indicators ``codes`` are assumed met."""
    wanted = list(dict.fromkeys(c.strip() for c in codes if c and c.strip()))
    indicators = {i.code: i for i in indicators_for_all(evaluation_year).filter(code__in=wanted)}
    unknown = [c for c in wanted if c not in indicators]
    if unknown:
        raise ServiceError(f"{evaluation_year.year}년에 없는 지표 코드입니다: {', '.join(unknown)}")
    qualitative = [c for c in wanted if not indicators[c].is_quantitative]
    if qualitative:
        raise ServiceError(f"정성 지표는 가정 분석에 넣을 수 없습니다: {', '.join(qualitative)}")
    base = whatif_base(evaluation_year)
    if base.score is None:
        raise ServiceError(
            "기준 점수가 없습니다. 시군평가 결과(우리 시 포함)를 가져오거나 기준 설정에서 기준 점수를 정하세요."
        )
    rows = status_rows(evaluation_year, [indicators[c] for c in wanted], month=month)
    result = forecast.what_if(
        base_score=base.score,
        assumed=[(r.indicator.points, r.achievement) for r in rows],
        peer_scores=[p.score for p in base.peers],
    )
    return WhatIfOutcome(
        base, [(r, forecast.recovered_points(r.indicator.points, r.achievement)) for r in rows], result
    )


# --- for other apps (department performance evaluation) ---------------------------------------------


@dataclass(frozen=True)
class IndicatorInfo:
    year: int
    code: str
    name: str
    field: str
    kind: str
    unit: str
    direction: str
    target: Decimal | None
    points: Decimal
    department_codes: tuple[str, ...]
    performance_code: str


@dataclass(frozen=True)
class ActualInfo:
    year: int
    code: str
    month: int
    value: Decimal
    status: str  # "submitted" (검토 대기) or "accepted" (승인)
    achievement: Decimal | None
    forecast: Decimal | None
    evaluation_status: str


def indicator_by_code(year: int, code: str) -> IndicatorInfo | None:
    """The province indicator ``code`` of ``year`` as plain values (None when there is none)."""
    indicator = (
        Indicator.objects.filter(evaluation_year__year=year, code=code)
        .prefetch_related(Prefetch("departments", queryset=Department.objects.order_by("order", "name")))
        .first()
    )
    if indicator is None:
        return None
    return IndicatorInfo(
        year=year,
        code=indicator.code,
        name=indicator.name,
        field=indicator.field,
        kind=indicator.kind,
        unit=indicator.unit,
        direction=indicator.direction,
        target=indicator.target,
        points=indicator.points,
        department_codes=tuple(d.code for d in indicator.departments.all()),
        performance_code=indicator.performance_code,
    )


def latest_actual(year: int, code: str, *, month: int | None = None, accepted_only: bool = False) -> ActualInfo | None:
    """The latest cumulative actual of a quantitative indicator (through ``month`` when given),
    with its achievement and forecast; returned actuals never count.  One actual is entered once,
    here, and the performance module reads it from this function."""
    indicator = (
        Indicator.objects.filter(evaluation_year__year=year, code=code).select_related("evaluation_year").first()
    )
    if indicator is None or not indicator.is_quantitative:
        return None
    row = status_rows(indicator.evaluation_year, [indicator], month=month or 12, accepted_only=accepted_only)[0]
    if row.actual is None or row.actual_month is None:
        return None
    return ActualInfo(
        year=year,
        code=code,
        month=row.actual_month,
        value=row.actual,
        status=row.actual_status,
        achievement=row.achievement,
        forecast=row.forecast,
        evaluation_status=row.status,
    )


def linked_indicators(year: int) -> dict[str, str]:
    """Department performance indicator code → province indicator code, for the links made here."""
    return dict(
        Indicator.objects.filter(evaluation_year__year=year)
        .exclude(performance_code="")
        .values_list("performance_code", "code")
    )
