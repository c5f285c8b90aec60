"""Province evaluation API (/api/v1/province): the same services and selectors as the pages.

Years are addressed by their number (``/province/2024``), indicators by code, actuals by id.
Types and directions accept the office's words ("정량", "하향") as well as the codes;
departments are given by code or name.  Figures are JSON numbers.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from hwallyu.api.base import ServiceError
from hwallyu.org.selectors import departments, role_of
from hwallyu.province import selectors, services
from hwallyu.province.importers import DIRECTION_VALUES, KIND_VALUES
from hwallyu.province.models import Actual, ActualStatus, CityGroup, EvaluationYear, Indicator, IndicatorType
from hwallyu.province.policies import indicator_policy

router = Router(tags=["시군평가"])


def iso(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def num(value: Decimal | None, places: int = 4) -> float | None:
    return float(round(value, places)) if value is not None else None


def _signed_in(request: HttpRequest) -> None:
    if role_of(request.user) is None:
        raise PermissionDenied("권한이 없습니다.")


def _year(year: int) -> EvaluationYear:
    return selectors.year_or_404(year)


# --- schemas -----------------------------------------------------------------------------------------


class SchemeIn(Schema):
    title: str | None = None
    city_group: str | None = None
    actuals_start_month: int | None = None
    actuals_due_working_day: int | None = None
    lagging_forecast_rule: bool | None = None
    lagging_share_from_month: int | None = None
    lagging_share: Decimal | None = None
    achievement_cap: Decimal | None = None
    qualitative_deadline: dt.date | None = None
    quantitative_deadline: dt.date | None = None
    reminder_days: list[int] | None = None
    qualitative_checklist: list[str] | None = None
    whatif_base_score: Decimal | None = None


class YearIn(SchemeIn):
    year: int


class IndicatorIn(Schema):
    code: str
    field: str
    name: str
    type: str
    points: Decimal
    departments: list[str]
    policy: str = ""
    unit: str = ""
    direction: str = ""
    target: Decimal | None = None
    evidence_rule: str = ""
    performance_code: str = ""
    prior_profile: list[Decimal | None] = []


class IndicatorPatch(Schema):
    code: str | None = None
    field: str | None = None
    name: str | None = None
    type: str | None = None
    points: Decimal | None = None
    departments: list[str] | None = None
    policy: str | None = None
    unit: str | None = None
    direction: str | None = None
    target: Decimal | None = None
    evidence_rule: str | None = None
    performance_code: str | None = None
    prior_profile: list[Decimal | None] | None = None


class ActualIn(Schema):
    code: str
    month: int
    value: Decimal
    note: str = ""
    lag_reason: str = ""


class ActualPatch(Schema):
    value: Decimal | None = None
    note: str | None = None
    lag_reason: str | None = None


class DecisionIn(Schema):
    comment: str = ""


class ActualQuery(Schema):
    code: str | None = None
    month: int | None = None
    status: str | None = None


class IndicatorQuery(Schema):
    type: str | None = None


class StatusQuery(Schema):
    month: int | None = None


class WhatIfIn(Schema):
    assume_met: list[str]
    month: int | None = None


class StatusOut(Schema):
    code: str
    name: str
    type: str
    type_label: str
    unit: str
    direction: str
    target: float | None
    actual: float | None
    actual_month: int | None
    achievement: float | None
    forecast: float | None
    status: str


class WhatIfItemOut(Schema):
    code: str
    name: str
    points: float
    achievement: float | None
    recovered: float


class WhatIfOut(Schema):
    score: float
    rank: int
    group_size: int
    group: str
    base_score: float
    base_source: str
    rank_before: int
    recovered: float
    peers_year: int | None
    month: int
    items: list[WhatIfItemOut]


# --- serialisation -----------------------------------------------------------------------------------


def year_json(y: EvaluationYear) -> dict[str, Any]:
    counts = selectors.type_counts(y)
    return {
        "year": y.year,
        "title": str(y),
        "city_group": y.city_group,
        "city_group_label": y.get_city_group_display(),
        "actuals_start_month": y.actuals_start_month,
        "actuals_due_working_day": y.actuals_due_working_day,
        "lagging_forecast_rule": y.lagging_forecast_rule,
        "lagging_share_from_month": y.lagging_share_from_month,
        "lagging_share": num(y.lagging_share),
        "achievement_cap": num(y.achievement_cap),
        "qualitative_deadline": y.qualitative_deadline.isoformat(),
        "quantitative_deadline": y.quantitative_deadline.isoformat(),
        "reminder_days": y.reminder_days,
        "qualitative_checklist": y.qualitative_checklist,
        "whatif_base_score": num(y.whatif_base_score),
        "indicator_counts": counts,
        "deadlines": [
            {"kind": d.kind, "kind_label": d.get_kind_display(), "month": d.month or None, "due_at": iso(d.due_at)}
            for d in selectors.deadlines(y)
        ],
    }


def indicator_json(i: Indicator) -> dict[str, Any]:
    return {
        "code": i.code,
        "field": i.field,
        "policy": i.policy,
        "name": i.name,
        "type": i.kind,
        "type_label": i.get_kind_display(),
        "unit": i.unit,
        "direction": i.direction,
        "direction_label": i.get_direction_display() if i.direction else "",
        "target": num(i.target),
        "points": num(i.points),
        "departments": [{"code": d.code, "name": d.name} for d in i.departments.all()],
        "evidence_rule": i.evidence_rule,
        "performance_code": i.performance_code,
        "prior_profile": [num(v) for v in i.profile],
        "submitted_at": iso(i.submitted_at),
    }


def actual_json(a: Actual) -> dict[str, Any]:
    return {
        "id": a.pk,
        "code": a.indicator.code,
        "month": a.month,
        "value": num(a.value),
        "note": a.note,
        "lag_reason": a.lag_reason,
        "status": a.status,
        "status_label": a.get_status_display(),
        "department": a.department.code if a.department else None,
        "submitted_at": iso(a.submitted_at),
        "decided_at": iso(a.decided_at),
        "decision_comment": a.decision_comment,
        "evidence": [{"id": e.pk, "name": e.name, "size": e.size} for e in a.evidence.all()],
    }


def _choice(mapping: dict[str, str], codes: list[str], value: str, label: str) -> str:
    wanted = (value or "").strip()
    if wanted in codes:
        return wanted
    if wanted in mapping:
        return mapping[wanted]
    raise ServiceError(f"{label} '{wanted}'은(는) 허용되지 않는 값입니다. 가능한 값: {', '.join(mapping)}")


def _departments(keys: list[str]) -> list[Any]:
    lookup: dict[str, Any] = {}
    for department in departments():
        lookup[department.code] = department
        lookup[department.name] = department
    found: list[Any] = []
    missing: list[str] = []
    for key in keys:
        match = lookup.get(key.strip())
        if match is None:
            missing.append(key)
        elif match not in found:
            found.append(match)
    if missing:
        raise ServiceError(f"없는 부서입니다: {', '.join(missing)}")
    return found


def _indicator_input(payload: IndicatorIn) -> services.IndicatorInput:
    kind = _choice(KIND_VALUES, IndicatorType.values, payload.type, "구분")
    direction = ""
    if kind == IndicatorType.QUANTITATIVE:
        direction = _choice(DIRECTION_VALUES, ["rising", "falling"], payload.direction, "방향")
    return services.IndicatorInput(
        code=payload.code,
        field=payload.field,
        name=payload.name,
        kind=kind,
        points=payload.points,
        departments=_departments(payload.departments),
        policy=payload.policy,
        unit=payload.unit,
        direction=direction,
        target=payload.target,
        evidence_rule=payload.evidence_rule,
        performance_code=payload.performance_code,
        prior_profile=list(payload.prior_profile),
    )


def _scheme(payload: SchemeIn) -> services.SchemeInput:
    data = payload.model_dump(exclude_unset=True)
    data.pop("year", None)
    clear = "whatif_base_score" in data and data["whatif_base_score"] is None
    return services.SchemeInput(**data, clear_base_score=clear)


def _indicator(request: HttpRequest, year: int, code: str) -> Indicator:
    return selectors.indicator_detail(request.user, year, code)


def _actual(request: HttpRequest, year: int, actual_id: int) -> Actual:
    actual = (
        Actual.objects.filter(pk=actual_id, indicator__evaluation_year__year=year)
        .select_related("indicator__evaluation_year", "department")
        .prefetch_related("evidence")
        .first()
    )
    if actual is None:
        raise Http404("찾을 수 없습니다.")
    indicator_policy.get_visible_or_404(request.user, pk=actual.indicator_id)
    return actual


# --- years -------------------------------------------------------------------------------------------


@router.get("", summary="시군평가 연도 목록")
def list_years(request: HttpRequest) -> list[dict[str, Any]]:
    _signed_in(request)
    return [year_json(y) for y in EvaluationYear.objects.order_by("-year")]


@router.post("", response={201: dict}, summary="연도 만들기 (기준 포함)")
def create_year(request: HttpRequest, payload: YearIn) -> Status[dict[str, Any]]:
    created = services.year_create(year=payload.year, actor=request.user, scheme=_scheme(payload))
    return Status(201, year_json(created))


@router.get("/{year}", summary="연도와 기준(scheme)·기한")
def get_year(request: HttpRequest, year: int) -> dict[str, Any]:
    _signed_in(request)
    return year_json(_year(year))


@router.patch("/{year}", summary="기준 고치기 (지나지 않은 기한은 다시 계산)")
def update_year(request: HttpRequest, year: int, payload: SchemeIn) -> dict[str, Any]:
    updated = services.year_update(evaluation_year=_year(year), scheme=_scheme(payload), actor=request.user)
    return year_json(updated)


@router.delete("/{year}", response={204: None}, summary="연도 삭제 (지표가 없을 때만)")
def delete_year(request: HttpRequest, year: int) -> Status[None]:
    services.year_delete(evaluation_year=_year(year), actor=request.user)
    return Status(204, None)


# --- indicators --------------------------------------------------------------------------------------


@router.get("/{year}/indicators", summary="지표 목록 (type=정량|정성)")
def list_indicators(request: HttpRequest, year: int, query: Query[IndicatorQuery]) -> list[dict[str, Any]]:
    _signed_in(request)
    evaluation_year = _year(year)
    kind = _choice(KIND_VALUES, IndicatorType.values, query.type, "구분") if query.type else ""
    qs = selectors.indicators_for(request.user, evaluation_year, selectors.IndicatorFilters(kind=kind))
    return [indicator_json(i) for i in qs]


@router.post("/{year}/indicators", response={201: dict}, summary="지표 추가")
def create_indicator(request: HttpRequest, year: int, payload: IndicatorIn) -> Status[dict[str, Any]]:
    indicator_policy.check(request.user, "manage")
    indicator = services.indicator_create(
        evaluation_year=_year(year), data=_indicator_input(payload), actor=request.user
    )
    return Status(201, indicator_json(indicator))


@router.get("/{year}/indicators/{code}", summary="지표 하나")
def get_indicator(request: HttpRequest, year: int, code: str) -> dict[str, Any]:
    return indicator_json(_indicator(request, year, code))


@router.patch("/{year}/indicators/{code}", summary="지표 고치기 (보낸 항목만)")
def update_indicator(request: HttpRequest, year: int, code: str, payload: IndicatorPatch) -> dict[str, Any]:
    indicator = _indicator(request, year, code)
    indicator_policy.check(request.user, "manage", indicator)
    current = indicator_json(indicator)
    merged = IndicatorIn(
        code=payload.code if payload.code is not None else indicator.code,
        field=payload.field if payload.field is not None else indicator.field,
        name=payload.name if payload.name is not None else indicator.name,
        type=payload.type if payload.type is not None else indicator.kind,
        points=payload.points if payload.points is not None else indicator.points,
        departments=payload.departments
        if payload.departments is not None
        else [d["code"] for d in current["departments"]],
        policy=payload.policy if payload.policy is not None else indicator.policy,
        unit=payload.unit if payload.unit is not None else indicator.unit,
        direction=payload.direction if payload.direction is not None else indicator.direction,
        target=payload.target if "target" in payload.model_fields_set else indicator.target,
        evidence_rule=payload.evidence_rule if payload.evidence_rule is not None else indicator.evidence_rule,
        performance_code=payload.performance_code
        if payload.performance_code is not None
        else indicator.performance_code,
        prior_profile=payload.prior_profile if payload.prior_profile is not None else indicator.profile,
    )
    updated = services.indicator_update(indicator=indicator, data=_indicator_input(merged), actor=request.user)
    return indicator_json(_indicator(request, year, updated.code))


@router.delete("/{year}/indicators/{code}", response={204: None}, summary="지표 삭제 (실적이 없을 때만)")
def delete_indicator(request: HttpRequest, year: int, code: str) -> Status[None]:
    services.indicator_delete(indicator=_indicator(request, year, code), actor=request.user)
    return Status(204, None)


# --- actuals -----------------------------------------------------------------------------------------


@router.get("/{year}/actuals", summary="월별 누계 실적 (code, month, status)")
def list_actuals(request: HttpRequest, year: int, query: Query[ActualQuery]) -> list[dict[str, Any]]:
    _signed_in(request)
    evaluation_year = _year(year)
    visible = indicator_policy.scope(request.user, Indicator.objects.filter(evaluation_year=evaluation_year))
    qs = (
        Actual.objects.filter(indicator__in=visible)
        .select_related("indicator", "department")
        .prefetch_related("evidence")
        .order_by("indicator__order", "indicator__code", "month")
    )
    if query.code:
        qs = qs.filter(indicator__code=query.code)
    if query.month is not None:
        if not 1 <= query.month <= 12:
            raise ServiceError("월은 1~12 중 하나여야 합니다.")
        qs = qs.filter(month=query.month)
    if query.status:
        labels = {str(label): code for code, label in ActualStatus.choices}
        qs = qs.filter(status=_choice(labels, ActualStatus.values, query.status, "상태"))
    return [actual_json(a) for a in qs]


@router.post("/{year}/actuals", response={201: dict}, summary="월별 누계 실적 입력 (담당 부서)")
def create_actual(request: HttpRequest, year: int, payload: ActualIn) -> Status[dict[str, Any]]:
    _signed_in(request)
    evaluation_year = _year(year)
    indicator = (
        Indicator.objects.filter(evaluation_year=evaluation_year, code=payload.code.strip())
        .select_related("evaluation_year")
        .first()
    )
    if indicator is None:
        raise ServiceError(f"{year}년에 없는 지표 코드입니다: {payload.code}")
    actual = services.actual_submit(
        indicator=indicator,
        month=payload.month,
        value=payload.value,
        note=payload.note,
        lag_reason=payload.lag_reason,
        actor=request.user,
    )
    return Status(201, actual_json(_actual(request, year, actual.pk)))


@router.get("/{year}/actuals/{actual_id}", summary="실적 하나")
def get_actual(request: HttpRequest, year: int, actual_id: int) -> dict[str, Any]:
    return actual_json(_actual(request, year, actual_id))


@router.patch("/{year}/actuals/{actual_id}", summary="실적 고쳐 다시 제출")
def update_actual(request: HttpRequest, year: int, actual_id: int, payload: ActualPatch) -> dict[str, Any]:
    actual = _actual(request, year, actual_id)
    services.actual_submit(
        indicator=actual.indicator,
        month=actual.month,
        value=payload.value if payload.value is not None else actual.value,
        note=payload.note if payload.note is not None else actual.note,
        lag_reason=payload.lag_reason if payload.lag_reason is not None else actual.lag_reason,
        actor=request.user,
    )
    return actual_json(_actual(request, year, actual_id))


@router.delete("/{year}/actuals/{actual_id}", response={204: None}, summary="실적 삭제 (승인 전)")
def delete_actual(request: HttpRequest, year: int, actual_id: int) -> Status[None]:
    services.actual_delete(actual=_actual(request, year, actual_id), actor=request.user)
    return Status(204, None)


@router.post("/{year}/actuals/{actual_id}/accept", summary="실적 승인 (성과관리팀)")
def accept_actual(request: HttpRequest, year: int, actual_id: int, payload: DecisionIn | None = None) -> dict[str, Any]:
    actual = _actual(request, year, actual_id)
    services.actual_accept(actual=actual, actor=request.user, comment=payload.comment if payload else "")
    return actual_json(_actual(request, year, actual_id))


@router.post("/{year}/actuals/{actual_id}/return", summary="실적 반려 (의견 필수)")
def return_actual(request: HttpRequest, year: int, actual_id: int, payload: DecisionIn) -> dict[str, Any]:
    actual = _actual(request, year, actual_id)
    services.actual_return(actual=actual, actor=request.user, comment=payload.comment)
    return actual_json(_actual(request, year, actual_id))


# --- status and what-if ------------------------------------------------------------------------------


@router.get("/{year}/status", response=list[StatusOut], summary="지표별 달성도·연말 전망·상태 (month=기준 월)")
def status(request: HttpRequest, year: int, query: Query[StatusQuery]) -> list[dict[str, Any]]:
    _signed_in(request)
    evaluation_year = _year(year)
    if query.month is not None and not 1 <= query.month <= 12:
        raise ServiceError("월은 1~12 중 하나여야 합니다.")
    month = query.month or selectors.default_month(evaluation_year)
    rows = selectors.year_rows(request.user, evaluation_year, month=month)
    return [
        {
            "code": r.indicator.code,
            "name": r.indicator.name,
            "type": r.indicator.kind,
            "type_label": r.indicator.get_kind_display(),
            "unit": r.indicator.unit,
            "direction": r.indicator.direction,
            "target": num(r.indicator.target),
            "actual": num(r.actual),
            "actual_month": r.actual_month,
            "achievement": num(r.achievement, 1),
            "forecast": num(r.forecast, 2),
            "status": r.status,
        }
        for r in rows
    ]


@router.post("/{year}/what-if", response=WhatIfOut, summary="가정 분석: 지표를 달성했다고 보면 점수와 평가군 순위")
def what_if(request: HttpRequest, year: int, payload: WhatIfIn) -> dict[str, Any]:
    indicator_policy.check(request.user, "peers")
    evaluation_year = _year(year)
    if payload.month is not None and not 1 <= payload.month <= 12:
        raise ServiceError("월은 1~12 중 하나여야 합니다.")
    month = payload.month or selectors.default_month(evaluation_year)
    outcome = selectors.what_if(evaluation_year, payload.assume_met, month=month)
    result = outcome.result
    return {
        "score": num(result.score, 3),
        "rank": result.rank,
        "group_size": result.group_size,
        "group": CityGroup(evaluation_year.city_group).label,
        "base_score": num(result.base_score, 3),
        "base_source": outcome.base.source,
        "rank_before": result.rank_before,
        "recovered": num(result.recovered, 3),
        "peers_year": outcome.base.peers_year,
        "month": month,
        "items": [
            {
                "code": row.indicator.code,
                "name": row.indicator.name,
                "points": num(row.indicator.points, 3),
                "achievement": num(row.achievement, 1),
                "recovered": num(recovered, 3),
            }
            for row, recovered in outcome.rows
        ],
    }
