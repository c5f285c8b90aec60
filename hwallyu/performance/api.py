"""Department evaluation API (/api/v1/performance): the same services as the pages.

Departments are given by code, decimals as strings or numbers, kinds and directions as codes
(``quantitative``/``qualitative``, ``rising``/``falling``) or the office's words (정량, 정성,
상향, 하향).  ``POST /{year}/evaluate`` answers the current result without keeping it;
``POST /{year}/freeze`` approves it (the frozen rows never change afterwards)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status

from hwallyu.api.base import ServiceError
from hwallyu.org.selectors import department_by_code, role_of
from hwallyu.performance import selectors, services
from hwallyu.performance.models import Actual, Direction, Indicator, IndicatorSet, Kind, Scheme
from hwallyu.performance.policies import MANAGE, VIEW_RESULTS, performance_policy
from hwallyu.performance.scoring import fmt

router = Router(tags=["부서 성과관리"])

KIND_WORDS = {"정량": Kind.QUANTITATIVE, "정성": Kind.QUALITATIVE}
DIRECTION_WORDS = {"상향": Direction.RISING, "하향": Direction.FALLING}


# --- schemas ---------------------------------------------------------------------------------------


class GradeIn(Schema):
    code: str
    quota: Decimal
    pay_rate: Decimal


class LevelIn(Schema):
    label: str
    points: Decimal


class SchemeIn(Schema):
    weight_indicator: Decimal
    weight_customer: Decimal
    weight_common: Decimal
    achievement_cap: Decimal = Decimal(120)
    bonus_max: Decimal = Decimal(3)
    penalty_max: Decimal = Decimal(3)
    grades: list[GradeIn]
    levels: list[LevelIn]
    indicator_label: str = "지표달성도"
    customer_label: str = "고객인식도"
    common_label: str = "공통과제"
    note: str = ""


class SchemeCreateIn(Schema):
    year: int
    copy_from: int | None = None
    copy_indicators: bool = False


class GroupOut(Schema):
    code: str
    name: str
    departments: list[str]


class SchemeOut(Schema):
    year: int
    labels: dict[str, str]
    weights: dict[str, str]
    achievement_cap: str
    bonus_max: str
    penalty_max: str
    grades: list[dict[str, str]]
    levels: list[dict[str, str]]
    origin: str
    note: str
    groups: list[GroupOut]
    frozen: bool


class IndicatorIn(Schema):
    department: str | None = None
    name: str
    weight: Decimal
    kind: str = Kind.QUANTITATIVE
    direction: str = Direction.RISING
    unit: str = ""
    baseline: Decimal | None = None
    target: Decimal | None = None
    data_source: str = ""
    link_kind: str = ""
    link_ref: str = ""
    order: int | None = None


class IndicatorOut(Schema):
    id: int
    year: int
    department: str
    department_name: str
    set_status: str
    name: str
    kind: str
    direction: str
    unit: str
    baseline: str | None
    target: str | None
    weight: str
    data_source: str
    link_kind: str
    link_ref: str
    link_label: str
    order: int


class ActualIn(Schema):
    value: Decimal | None = None
    note: str = ""


class ActualOut(Schema):
    id: int
    indicator: int
    quarter: int
    value: str | None
    level: str
    note: str
    status: str
    comment: str
    evidence: list[str]


class AcceptIn(Schema):
    level: str = ""


class CommentIn(Schema):
    comment: str


class SetOut(Schema):
    department: str
    status: str
    comment: str


class FreezeOut(Schema):
    year: int
    frozen_at: str
    input_hash: str
    departments: int
    results: list[dict[str, Any]]


# --- helpers ---------------------------------------------------------------------------------------


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def _scheme(year: int) -> Scheme:
    scheme = selectors.scheme_for(year)
    if scheme is None:
        raise Http404
    return scheme


def _signed_in(request: HttpRequest) -> None:
    if role_of(request.user) is None:
        raise PermissionDenied("권한이 없습니다.")


def _scheme_out(scheme: Scheme) -> dict[str, Any]:
    members: dict[int, list[str]] = {}
    for s in IndicatorSet.objects.filter(scheme=scheme, group__isnull=False).select_related("department"):
        assert s.group_id is not None
        members.setdefault(s.group_id, []).append(s.department.code)
    return {
        "year": scheme.year,
        "labels": {
            "indicator": scheme.indicator_label,
            "customer": scheme.customer_label,
            "common": scheme.common_label,
        },
        "weights": {
            "indicator": fmt(scheme.weight_indicator),
            "customer": fmt(scheme.weight_customer),
            "common": fmt(scheme.weight_common),
        },
        "achievement_cap": fmt(scheme.achievement_cap),
        "bonus_max": fmt(scheme.bonus_max),
        "penalty_max": fmt(scheme.penalty_max),
        "grades": scheme.grades,
        "levels": scheme.levels,
        "origin": scheme.origin,
        "note": scheme.note,
        "groups": [
            {"code": g.code, "name": g.name, "departments": sorted(members.get(g.pk, []))} for g in scheme.groups.all()
        ],
        "frozen": selectors.frozen_run(scheme) is not None,
    }


def _indicator_out(indicator: Indicator) -> dict[str, Any]:
    s = indicator.indicator_set
    return {
        "id": indicator.pk,
        "year": s.scheme.year,
        "department": s.department.code,
        "department_name": s.department.name,
        "set_status": s.status,
        "name": indicator.name,
        "kind": indicator.kind,
        "direction": indicator.direction,
        "unit": indicator.unit,
        "baseline": _dec(indicator.baseline),
        "target": _dec(indicator.target),
        "weight": _dec(indicator.weight),
        "data_source": indicator.data_source,
        "link_kind": indicator.link_kind,
        "link_ref": indicator.link_ref,
        "link_label": indicator.link_label,
        "order": indicator.order,
    }


def _actual_out(actual: Actual) -> dict[str, Any]:
    return {
        "id": actual.pk,
        "indicator": actual.indicator_id,
        "quarter": actual.quarter,
        "value": _dec(actual.value),
        "level": actual.level,
        "note": actual.note,
        "status": actual.status,
        "comment": actual.comment,
        "evidence": [e.name for e in actual.evidence.all()],
    }


def _indicators(request: HttpRequest) -> Any:
    return performance_policy.indicators(request.user).select_related(
        "indicator_set__scheme", "indicator_set__department"
    )


def _indicator(request: HttpRequest, indicator_id: int) -> Indicator:
    indicator = _indicators(request).filter(pk=indicator_id).first()
    if indicator is None:
        raise Http404
    return indicator


def _set(request: HttpRequest, scheme: Scheme, code: str) -> IndicatorSet:
    return performance_policy.get_visible_or_404(
        request.user, IndicatorSet.objects.select_related("scheme", "department"), scheme=scheme, department__code=code
    )


def _data(payload: IndicatorIn) -> services.IndicatorData:
    kind = KIND_WORDS.get(payload.kind.strip(), payload.kind.strip())
    direction = DIRECTION_WORDS.get(payload.direction.strip(), payload.direction.strip())
    return services.IndicatorData(
        name=payload.name,
        weight=payload.weight,
        kind=kind,
        direction=direction,
        unit=payload.unit,
        baseline=payload.baseline,
        target=payload.target,
        data_source=payload.data_source,
        link_kind=payload.link_kind,
        link_ref=payload.link_ref,
        order=payload.order,
    )


def _scheme_input(payload: SchemeIn) -> services.SchemeInput:
    return services.SchemeInput(
        weight_indicator=payload.weight_indicator,
        weight_customer=payload.weight_customer,
        weight_common=payload.weight_common,
        achievement_cap=payload.achievement_cap,
        bonus_max=payload.bonus_max,
        penalty_max=payload.penalty_max,
        grades=[g.dict() for g in payload.grades],
        levels=[lv.dict() for lv in payload.levels],
        indicator_label=payload.indicator_label,
        customer_label=payload.customer_label,
        common_label=payload.common_label,
        note=payload.note,
    )


# --- schemes ---------------------------------------------------------------------------------------


@router.get("/schemes", response=list[SchemeOut], summary="연도별 평가 체계 목록")
def scheme_list(request: HttpRequest) -> list[dict[str, Any]]:
    _signed_in(request)
    return [_scheme_out(s) for s in selectors.schemes()]


@router.post("/schemes", response={201: SchemeOut}, summary="평가 체계 만들기(기본값 또는 앞 연도 복사)")
def scheme_create(request: HttpRequest, payload: SchemeCreateIn) -> Status:
    source = None
    if payload.copy_from is not None:
        source = selectors.scheme_for(payload.copy_from)
        if source is None:
            raise ServiceError(f"{payload.copy_from}년 평가 체계가 없습니다.")
    scheme = services.scheme_create(
        year=payload.year, copy_from=source, copy_indicators=payload.copy_indicators, actor=request.user
    )
    return Status(201, _scheme_out(scheme))


@router.get("/{int:year}/scheme", response=SchemeOut, summary="평가 체계")
def scheme_detail(request: HttpRequest, year: int) -> dict[str, Any]:
    _signed_in(request)
    return _scheme_out(_scheme(year))


@router.put("/{int:year}/scheme", response=SchemeOut, summary="평가 체계 수정")
def scheme_update(request: HttpRequest, year: int, payload: SchemeIn) -> dict[str, Any]:
    performance_policy.check(request.user, MANAGE)
    scheme = services.scheme_update(scheme=_scheme(year), data=_scheme_input(payload), actor=request.user)
    return _scheme_out(scheme)


@router.delete("/{int:year}/scheme", response={204: None}, summary="평가 체계 삭제(쓰지 않은 체계만)")
def scheme_delete(request: HttpRequest, year: int) -> Status:
    performance_policy.check(request.user, MANAGE)
    services.scheme_delete(scheme=_scheme(year), actor=request.user)
    return Status(204, None)


# --- indicators ------------------------------------------------------------------------------------


@router.get("/{int:year}/indicators", response=list[IndicatorOut], summary="성과지표 목록")
def indicator_list(request: HttpRequest, year: int, department: str | None = None) -> list[dict[str, Any]]:
    _signed_in(request)
    qs = _indicators(request).filter(indicator_set__scheme=_scheme(year))
    if department:
        qs = qs.filter(indicator_set__department__code=department)
    return [_indicator_out(i) for i in qs.order_by("indicator_set__department__order", "order", "id")]


@router.post("/{int:year}/indicators", response={201: IndicatorOut}, summary="성과지표 등록")
def indicator_create(request: HttpRequest, year: int, payload: IndicatorIn) -> Status:
    scheme = _scheme(year)
    if not payload.department:
        raise ServiceError("부서 코드(department)가 필요합니다.")
    if department_by_code(payload.department) is None:
        raise ServiceError(f"부서 코드 {payload.department!r}을(를) 찾을 수 없습니다.")
    indicator_set = _set(request, scheme, payload.department)
    indicator = services.indicator_create(indicator_set=indicator_set, data=_data(payload), actor=request.user)
    return Status(201, _indicator_out(_indicator(request, indicator.pk)))


@router.get("/indicators/{int:indicator_id}", response=IndicatorOut, summary="성과지표")
def indicator_detail(request: HttpRequest, indicator_id: int) -> dict[str, Any]:
    return _indicator_out(_indicator(request, indicator_id))


@router.put("/indicators/{int:indicator_id}", response=IndicatorOut, summary="성과지표 수정")
def indicator_update(request: HttpRequest, indicator_id: int, payload: IndicatorIn) -> dict[str, Any]:
    indicator = _indicator(request, indicator_id)
    services.indicator_update(indicator=indicator, data=_data(payload), actor=request.user)
    return _indicator_out(_indicator(request, indicator_id))


@router.delete("/indicators/{int:indicator_id}", response={204: None}, summary="성과지표 삭제")
def indicator_delete(request: HttpRequest, indicator_id: int) -> Status:
    services.indicator_delete(indicator=_indicator(request, indicator_id), actor=request.user)
    return Status(204, None)


@router.post("/{int:year}/departments/{code}/submit", response=SetOut, summary="부서 지표 승인 요청")
def set_submit(request: HttpRequest, year: int, code: str) -> dict[str, Any]:
    s = services.set_submit(indicator_set=_set(request, _scheme(year), code), actor=request.user)
    return {"department": s.department.code, "status": s.status, "comment": s.comment}


@router.post("/{int:year}/departments/{code}/approve", response=SetOut, summary="부서 지표 승인")
def set_approve(request: HttpRequest, year: int, code: str) -> dict[str, Any]:
    s = services.set_approve(indicator_set=_set(request, _scheme(year), code), actor=request.user)
    return {"department": s.department.code, "status": s.status, "comment": s.comment}


@router.post("/{int:year}/departments/{code}/return", response=SetOut, summary="부서 지표 보완 요청")
def set_return(request: HttpRequest, year: int, code: str, payload: CommentIn) -> dict[str, Any]:
    s = services.set_return(
        indicator_set=_set(request, _scheme(year), code), comment=payload.comment, actor=request.user
    )
    return {"department": s.department.code, "status": s.status, "comment": s.comment}


# --- actuals ---------------------------------------------------------------------------------------


def _actual(request: HttpRequest, actual_id: int) -> Actual:
    actual = (
        performance_policy.actuals(request.user)
        .select_related("indicator__indicator_set__scheme", "indicator__indicator_set__department")
        .filter(pk=actual_id)
        .first()
    )
    if actual is None:
        raise Http404
    return actual


@router.get("/indicators/{int:indicator_id}/actuals", response=list[ActualOut], summary="분기 실적 목록")
def actual_list(request: HttpRequest, indicator_id: int) -> list[dict[str, Any]]:
    indicator = _indicator(request, indicator_id)
    return [_actual_out(a) for a in indicator.actuals.prefetch_related("evidence").order_by("quarter")]


@router.put("/indicators/{int:indicator_id}/actuals/{int:quarter}", response=ActualOut, summary="분기 실적 입력(제출)")
def actual_put(request: HttpRequest, indicator_id: int, quarter: int, payload: ActualIn) -> dict[str, Any]:
    indicator = _indicator(request, indicator_id)
    actual = services.actual_submit(
        indicator=indicator, quarter=quarter, value=payload.value, note=payload.note, actor=request.user
    )
    return _actual_out(actual)


@router.delete("/actuals/{int:actual_id}", response={204: None}, summary="분기 실적 삭제(확인 전만)")
def actual_delete(request: HttpRequest, actual_id: int) -> Status:
    services.actual_delete(actual=_actual(request, actual_id), actor=request.user)
    return Status(204, None)


@router.post("/actuals/{int:actual_id}/accept", response=ActualOut, summary="실적 확인")
def actual_accept(request: HttpRequest, actual_id: int, payload: AcceptIn) -> dict[str, Any]:
    return _actual_out(
        services.actual_accept(actual=_actual(request, actual_id), level=payload.level, actor=request.user)
    )


@router.post("/actuals/{int:actual_id}/return", response=ActualOut, summary="실적 보완 요청")
def actual_return(request: HttpRequest, actual_id: int, payload: CommentIn) -> dict[str, Any]:
    return _actual_out(
        services.actual_return(actual=_actual(request, actual_id), comment=payload.comment, actor=request.user)
    )


# --- evaluation ------------------------------------------------------------------------------------


@router.post("/{int:year}/evaluate", summary="평가 계산(확정하지 않음)")
def evaluate(request: HttpRequest, year: int) -> list[dict[str, Any]]:
    """``[{department, group, score, rank, grade, items: {...}}, ...]`` from the current data; nothing is kept."""
    performance_policy.check(request.user, VIEW_RESULTS)
    return selectors.live_result(_scheme(year)).rows


@router.get("/{int:year}/results", summary="평가 결과(확정 결과가 있으면 그것)")
def results(request: HttpRequest, year: int) -> dict[str, Any]:
    performance_policy.check(request.user, VIEW_RESULTS)
    found = selectors.results(_scheme(year))
    return {
        "year": year,
        "frozen": found.frozen,
        "frozen_at": timezone.localtime(found.run.frozen_at).isoformat() if found.run else None,
        "results": found.rows,
    }


@router.post("/{int:year}/freeze", response={201: FreezeOut}, summary="평가 결과 확정")
def freeze(request: HttpRequest, year: int) -> Status:
    run = services.run_freeze(scheme=_scheme(year), actor=request.user)
    return Status(
        201,
        {
            "year": year,
            "frozen_at": timezone.localtime(run.frozen_at).isoformat(),
            "input_hash": run.input_hash,
            "departments": len(run.rows),
            "results": run.rows,
        },
    )
