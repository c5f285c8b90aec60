"""Reads of the department evaluation: schemes, lists, the evaluation inputs and results, charts."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar, cast

from django.apps import apps
from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from hwallyu.performance import scoring, versioning
from hwallyu.performance.models import (
    Actual,
    ActualStatus,
    Adjustment,
    AdjustmentKind,
    CommonTask,
    CommonTaskScore,
    CustomerScore,
    CustomerSource,
    EvaluationRun,
    Indicator,
    IndicatorSet,
    RunStatus,
    Scheme,
    SchemeGroup,
    SetStatus,
)
from hwallyu.performance.policies import performance_policy

T = TypeVar("T")


def this_year() -> int:
    return timezone.localdate().year


def schemes() -> QuerySet[Scheme]:
    return Scheme.objects.order_by("-year")


def scheme_for(year: int) -> Scheme | None:
    return Scheme.objects.filter(year=year).first()


def groups_of(scheme: Scheme) -> QuerySet[SchemeGroup]:
    return scheme.groups.annotate(member_count=Count("sets")).order_by("order", "code")


def rules_of(scheme: Scheme) -> scoring.Rules:
    return scoring.Rules(
        weight_indicator=scheme.weight_indicator,
        weight_customer=scheme.weight_customer,
        weight_common=scheme.weight_common,
        cap=scheme.achievement_cap,
        bonus_max=scheme.bonus_max,
        penalty_max=scheme.penalty_max,
        grades=tuple(
            scoring.GradeRule(g["code"], Decimal(str(g["quota"])), Decimal(str(g["pay_rate"]))) for g in scheme.grades
        ),
        labels=(
            (scoring.ITEM_INDICATOR, scheme.indicator_label),
            (scoring.ITEM_CUSTOMER, scheme.customer_label),
            (scoring.ITEM_COMMON, scheme.common_label),
        ),
    )


def rules_to_json(rules: scoring.Rules) -> dict[str, Any]:
    return {
        "weights": {
            scoring.ITEM_INDICATOR: scoring.fmt(rules.weight_indicator),
            scoring.ITEM_CUSTOMER: scoring.fmt(rules.weight_customer),
            scoring.ITEM_COMMON: scoring.fmt(rules.weight_common),
        },
        "labels": dict(rules.labels),
        "cap": scoring.fmt(rules.cap),
        "bonus_max": scoring.fmt(rules.bonus_max),
        "penalty_max": scoring.fmt(rules.penalty_max),
        "grades": [
            {"code": g.code, "quota": scoring.fmt(g.quota), "pay_rate": scoring.fmt(g.pay_rate)} for g in rules.grades
        ],
    }


# --- lists ------------------------------------------------------------------------------------


def set_list(user: Any, scheme: Scheme) -> QuerySet[IndicatorSet]:
    """The departments of the year with their group, indicator count, weight sum and actual counts."""
    qs = performance_policy.scope(user, IndicatorSet.objects.filter(scheme=scheme))
    return (
        qs.select_related("department", "group")
        .annotate(
            indicator_count=Count("indicators", distinct=True),
            weight_sum=Sum("indicators__weight"),
        )
        .order_by("group__order", "department__order", "department__code")
    )


def actual_counts(sets: list[IndicatorSet]) -> dict[int, dict[str, int]]:
    """Per set id: how many actuals are submitted / accepted / returned (one query)."""
    rows = (
        Actual.objects.filter(indicator__indicator_set__in=[s.pk for s in sets])
        .values_list("indicator__indicator_set_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {s.value: 0 for s in ActualStatus})
    for set_id, status, n in rows:
        counts[set_id][status] = n
    return counts


def set_detail(indicator_set: IndicatorSet) -> list[Indicator]:
    """The set's indicators with their actuals and evidence (three queries)."""
    return list(
        indicator_set.indicators.prefetch_related(
            Prefetch(
                "actuals",
                queryset=Actual.objects.select_related("entered_by", "decided_by")
                .prefetch_related("evidence")
                .order_by("quarter"),
            )
        )
    )


def pending_actuals(scheme: Scheme) -> QuerySet[Actual]:
    return (
        Actual.objects.filter(indicator__indicator_set__scheme=scheme, status=ActualStatus.SUBMITTED)
        .select_related("indicator__indicator_set__department", "entered_by")
        .prefetch_related("evidence")
        .order_by("indicator__indicator_set__department__order", "indicator__order", "quarter")
    )


def status_counts(scheme: Scheme) -> dict[str, Any]:
    sets = dict(
        IndicatorSet.objects.filter(scheme=scheme, group__isnull=False)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    actuals = dict(
        Actual.objects.filter(indicator__indicator_set__scheme=scheme)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        "sets": {s.value: sets.get(s.value, 0) for s in SetStatus},
        "set_total": sum(sets.values()),
        "actuals": {s.value: actuals.get(s.value, 0) for s in ActualStatus},
    }


# --- the evaluation inputs ---------------------------------------------------------------------


def evaluation_inputs(scheme: Scheme) -> list[scoring.DepartmentInput]:
    """Every grouped department's inputs for :func:`scoring.evaluate` (a fixed number of queries).

    * indicators count only when the department's set is approved;
    * the actual of an indicator is its latest accepted quarter (quarterly actuals are cumulative);
    * the customer score is the stored one (entered, or imported from the satisfaction survey);
    * common-task points are summed over the year's tasks (a task without points counts 0);
    * bonus and penalty are the sums of the entries (capped by the scoring)."""
    # Plain values rather than model instances: a large city reads a thousand indicators and
    # thousands of actuals here on every results page.
    sets = list(
        IndicatorSet.objects.filter(scheme=scheme, group__isnull=False)
        .order_by("department__code")
        .values_list(
            "pk",
            "department_id",
            "department__code",
            "department__name",
            "group__code",
            "group__name",
            "group__order",
            "status",
        )
    )
    department_ids = [s[1] for s in sets]
    indicators: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in (
        Indicator.objects.filter(indicator_set__scheme=scheme, indicator_set__group__isnull=False)
        .order_by("order", "id")
        .values_list("indicator_set_id", "pk", "name", "weight", "kind", "direction", "target", "unit")
    ):
        indicators[row[0]].append(row[1:])
    latest: dict[int, tuple[int, Decimal | None, str]] = {}
    for indicator_id, quarter, value, level in (
        Actual.objects.filter(indicator__indicator_set__scheme=scheme, status=ActualStatus.ACCEPTED)
        .order_by("quarter")
        .values_list("indicator_id", "quarter", "value", "level")
    ):
        latest[indicator_id] = (quarter, value, level)
    sources = dict(CustomerSource.choices)
    customer = {
        department_id: (score, str(sources.get(source, source)))
        for department_id, score, source in CustomerScore.objects.filter(scheme=scheme).values_list(
            "department_id", "score", "source"
        )
    }
    common_max = CommonTask.objects.filter(scheme=scheme).aggregate(total=Sum("max_points"))["total"] or scoring.ZERO
    common = dict(
        CommonTaskScore.objects.filter(task__scheme=scheme, department_id__in=department_ids)
        .values_list("department_id")
        .annotate(total=Sum("points"))
        .order_by()
    )
    adjustments: dict[tuple[int, str], Decimal] = {
        (dep, kind): total
        for dep, kind, total in Adjustment.objects.filter(scheme=scheme)
        .values_list("department_id", "kind")
        .annotate(total=Sum("points"))
        .order_by()
    }
    level_points: dict[str, Decimal] = {}
    for entry in scheme.levels:
        level_points.setdefault(entry["label"], Decimal(str(entry["points"])))
    result = []
    for set_id, department_id, code, name, group, group_name, group_order, status in sets:
        items = []
        for pk, indicator_name, weight, kind, direction, target, unit in indicators[set_id]:
            found = latest.get(pk)
            level = found[2] if found else ""
            items.append(
                scoring.IndicatorInput(
                    id=pk,
                    name=indicator_name,
                    weight=weight,
                    kind=kind,
                    direction=direction,
                    target=target,
                    actual=found[1] if found else None,
                    actual_quarter=found[0] if found else None,
                    unit=unit,
                    level=level,
                    level_points=level_points.get(level) if level else None,
                )
            )
        score, source = customer.get(department_id, (None, ""))
        result.append(
            scoring.DepartmentInput(
                id=department_id,
                code=code,
                name=name,
                group=group,
                group_name=group_name,
                group_order=group_order,
                indicators=tuple(items),
                indicators_approved=status == SetStatus.APPROVED,
                customer=score,
                customer_source=source,
                common_points=common.get(department_id, scoring.ZERO),
                common_max=common_max,
                bonus=adjustments.get((department_id, AdjustmentKind.BONUS), scoring.ZERO),
                penalty=adjustments.get((department_id, AdjustmentKind.PENALTY), scoring.ZERO),
            )
        )
    return result


@dataclass
class LiveResult:
    rows: list[dict[str, Any]]
    fingerprint: str
    rules: scoring.Rules


# Scored results and inputs are kept for an hour under the inputs' version token (see ``versioning``).
CACHE_SECONDS = 3600


def _cache_key(kind: str, scheme: Scheme) -> str | None:
    """The key of ``scheme``'s cached ``kind`` at the current inputs version; None: do not cache.

    The version token is read first, before any input, so an entry is never older than its token.
    The key also carries a digest of the scheme as this request loaded it (rules and the qualitative
    scale): a scheme object read before a concurrent edit cannot fill the entry of the new token."""
    token = versioning.current()
    if token is None:
        return None
    scheme_digest = hashlib.sha256(
        repr((rules_of(scheme), scheme.levels)).encode("utf-8"), usedforsecurity=False
    ).hexdigest()[:16]
    return f"performance:{kind}:{scheme.pk}:{token}:{scheme_digest}"


def _cached(kind: str, scheme: Scheme, compute: Callable[[], T]) -> T:
    key = _cache_key(kind, scheme)
    if key is not None:
        found = cache.get(key)
        if found is not None:
            return cast(T, found)
    value = compute()
    if key is not None:
        cache.set(key, value, CACHE_SECONDS)
    return value


def compute_live_result(scheme: Scheme) -> LiveResult:
    """Score every department from the inputs read now (no cache)."""
    rules = rules_of(scheme)
    inputs = evaluation_inputs(scheme)
    return LiveResult(scoring.evaluate_rows(inputs, rules), scoring.input_fingerprint(rules, inputs), rules)


def live_result(scheme: Scheme) -> LiveResult:
    """The live evaluation, scored once per version of its inputs (a fixed number of queries)."""
    return _cached("live", scheme, lambda: compute_live_result(scheme))


def cached_evaluation_inputs(scheme: Scheme) -> list[scoring.DepartmentInput]:
    """:func:`evaluation_inputs`, read once per version of the inputs (the what-if page)."""
    return _cached("inputs", scheme, lambda: evaluation_inputs(scheme))


def live_fingerprint(scheme: Scheme) -> str:
    """The fingerprint of the current inputs (is a frozen run still current?)."""
    return live_result(scheme).fingerprint


def frozen_run(scheme: Scheme) -> EvaluationRun | None:
    return EvaluationRun.objects.filter(scheme=scheme, status=RunStatus.FROZEN).select_related("frozen_by").first()


def past_runs(scheme: Scheme) -> QuerySet[EvaluationRun]:
    return (
        EvaluationRun.objects.filter(scheme=scheme, status=RunStatus.REOPENED)
        .select_related("frozen_by", "reopened_by")
        .defer("rows", "rules")
    )


@dataclass
class Results:
    """The rows to show: the frozen run when there is one, else the live computation."""

    rows: list[dict[str, Any]]
    run: EvaluationRun | None
    live: LiveResult | None

    @property
    def frozen(self) -> bool:
        return self.run is not None


def results(scheme: Scheme, *, live: bool = False) -> Results:
    run = frozen_run(scheme)
    if run is not None and not live:
        return Results(list(run.rows), run, None)
    computed = live_result(scheme)
    return Results(computed.rows, run, computed)


def groups_of_rows(rows: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in sorted(rows, key=lambda r: (r["group_order"], r["group"], r["rank"], r["department"])):
        grouped.setdefault(row["group_name"] or row["group"], []).append(row)
    return list(grouped.items())


def grade_counts(rows: list[dict[str, Any]], grades: list[str]) -> list[dict[str, Any]]:
    """Per group: how many departments got each grade."""
    out = []
    for name, members in groups_of_rows(rows):
        counts = {g: 0 for g in grades}
        for row in members:
            counts[row["grade"]] = counts.get(row["grade"], 0) + 1
        out.append({"group": name, "size": len(members), "counts": [counts.get(g, 0) for g in grades]})
    return out


# --- the chart: score distribution per group (Chart.js via data-chart) ------------------------

BAND_WIDTH = 5
COLOURS = ["#063a74", "#256ef4", "#0b8a6d", "#c26a00", "#8c1b1b", "#5d3fa3"]


def distribution_chart(rows: list[dict[str, Any]]) -> str:
    """A bar chart of how many departments of each group fall in each 5-point score band."""
    scores = [Decimal(r["score"]) for r in rows]
    if not scores:
        return ""
    low = int(min(scores)) // BAND_WIDTH * BAND_WIDTH
    high = int(max(scores)) // BAND_WIDTH * BAND_WIDTH
    bands = list(range(low, high + BAND_WIDTH, BAND_WIDTH))
    labels = [f"{b}~{b + BAND_WIDTH}점 미만" for b in bands]
    datasets = []
    for i, (name, members) in enumerate(groups_of_rows(rows)):
        counts = [0] * len(bands)
        for row in members:
            counts[(int(Decimal(row["score"])) // BAND_WIDTH * BAND_WIDTH - low) // BAND_WIDTH] += 1
        datasets.append({"label": name, "data": counts, "backgroundColor": COLOURS[i % len(COLOURS)]})
    chart = {
        "type": "bar",
        "data": {"labels": labels, "datasets": datasets},
        "options": {
            "responsive": True,
            "maintainAspectRatio": False,
            "scales": {
                "x": {"title": {"display": True, "text": "총점 구간"}},
                "y": {"beginAtZero": True, "ticks": {"precision": 0}, "title": {"display": True, "text": "부서 수"}},
            },
            "plugins": {"legend": {"display": True}},
        },
    }
    return json.dumps(chart, ensure_ascii=False)


def distribution_table(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same numbers as the chart, for the table beside it: per group min, mean, max."""
    out = []
    for name, members in groups_of_rows(rows):
        scores = [Decimal(r["score"]) for r in members]
        mean = scoring.q2(sum(scores, scoring.ZERO) / len(scores))
        out.append({"group": name, "size": len(scores), "min": min(scores), "mean": mean, "max": max(scores)})
    return out


def customer_survey_scores(scheme: Scheme, department_ids: list[int]) -> dict[int, Decimal | None]:
    """The satisfaction survey's customer-perception score per department, when that app is installed."""
    if not apps.is_installed("hwallyu.surveys"):
        return {}
    try:
        from hwallyu.surveys import selectors as surveys
    except ImportError:
        return {}
    return dict(surveys.customer_perception_scores(department_ids, scheme.year))  # fixed queries for any count


def department_row(rows: list[dict[str, Any]], code: str) -> dict[str, Any] | None:
    return next((r for r in rows if r["department"] == code), None)


def pending_counts_for(user: Any) -> dict[str, int]:
    """Dashboard numbers: what waits for the performance team, or for the user's department."""
    year = this_year()
    scheme = scheme_for(year) or schemes().first()
    if scheme is None:
        return {}
    sets = performance_policy.scope(user, IndicatorSet.objects.filter(scheme=scheme))
    return {
        "year": scheme.year,
        "sets_submitted": sets.filter(status=SetStatus.SUBMITTED).count(),
        "sets_open": sets.filter(Q(status=SetStatus.DRAFT) | Q(status=SetStatus.RETURNED), group__isnull=False).count(),
        "actuals_submitted": Actual.objects.filter(
            indicator__indicator_set__in=sets, status=ActualStatus.SUBMITTED
        ).count(),
        "actuals_returned": Actual.objects.filter(
            indicator__indicator_set__in=sets, status=ActualStatus.RETURNED
        ).count(),
        "frozen": int(EvaluationRun.objects.filter(scheme=scheme, status=RunStatus.FROZEN).exists()),
    }
