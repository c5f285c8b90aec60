"""The year's scheme (weights, cap, range, grades, scale), its copy, groups and their departments."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from hwallyu.api.base import ServiceError
from hwallyu.core.audit import diff, log_action, snapshot
from hwallyu.org.selectors import (
    departments,
    evaluation_groups,
)
from hwallyu.performance import scoring, versioning
from hwallyu.performance.models import (
    DEFAULT_GRADES,
    DEFAULT_LEVELS,
    CommonTask,
    EvaluationRun,
    Indicator,
    IndicatorSet,
    Scheme,
    SchemeGroup,
)
from hwallyu.performance.policies import MANAGE, performance_policy
from hwallyu.performance.services.common import (
    INDICATOR_FIELDS,
    SCHEME_FIELDS,
    parse_decimal,
    two_places,
)

# --- the year's scheme ---------------------------------------------------------------------------


@dataclass
class SchemeInput:
    weight_indicator: Decimal
    weight_customer: Decimal
    weight_common: Decimal
    achievement_cap: Decimal = Decimal(120)
    bonus_max: Decimal = Decimal(3)
    penalty_max: Decimal = Decimal(3)
    grades: Sequence[Mapping[str, Any]] = ()
    levels: Sequence[Mapping[str, Any]] = ()
    indicator_label: str = "지표달성도"
    customer_label: str = "고객인식도"
    common_label: str = "공통과제"
    note: str = ""


def clean_grades(grades: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    cleaned: list[dict[str, str]] = []
    for grade in grades:
        code = str(grade.get("code", "")).strip()
        if not code or len(code) > 5:
            raise ServiceError("등급 이름은 1~5자여야 합니다(예: S, A, B, C).")
        quota = two_places(parse_decimal(grade.get("quota"), f"{code} 등급 비율"), f"{code} 등급 비율")
        rate = two_places(parse_decimal(grade.get("pay_rate"), f"{code} 등급 지급률"), f"{code} 등급 지급률")
        if not 0 <= quota <= 100:
            raise ServiceError(f"{code} 등급 비율은 0~100% 사이여야 합니다.")
        if not 0 <= rate <= 1000:
            raise ServiceError(f"{code} 등급 지급률은 0~1000% 사이여야 합니다.")
        cleaned.append({"code": code, "quota": scoring.fmt(quota), "pay_rate": scoring.fmt(rate)})
    if len(cleaned) < 2:
        raise ServiceError("등급은 두 개 이상이어야 합니다.")
    if len({g["code"] for g in cleaned}) != len(cleaned):
        raise ServiceError("같은 등급 이름이 두 번 있습니다.")
    total = sum((Decimal(g["quota"]) for g in cleaned), Decimal(0))
    if total != 100:
        raise ServiceError(f"등급 비율의 합이 100%여야 합니다(지금 {scoring.fmt(total)}%).")
    return cleaned


def clean_levels(levels: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    cleaned: list[dict[str, str]] = []
    for level in levels:
        label = str(level.get("label", "")).strip()
        if not label or len(label) > 30:
            raise ServiceError("정성 평가 등급 이름은 1~30자여야 합니다.")
        points = two_places(parse_decimal(level.get("points"), f"'{label}' 점수"), f"'{label}' 점수")
        if not 0 <= points <= 100:
            raise ServiceError(f"정성 평가 등급 '{label}'의 점수는 0~100점이어야 합니다.")
        cleaned.append({"label": label, "points": scoring.fmt(points)})
    if not cleaned:
        raise ServiceError("정성 평가 척도에 등급을 하나 이상 입력하세요.")
    if len({lv["label"] for lv in cleaned}) != len(cleaned):
        raise ServiceError("정성 평가 척도에 같은 등급 이름이 두 번 있습니다.")
    return cleaned


def _clean_scheme(data: SchemeInput) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, label in (
        ("indicator_label", "지표 항목"),
        ("customer_label", "고객 항목"),
        ("common_label", "공통 항목"),
    ):
        text = (getattr(data, name) or "").strip()
        if not text or len(text) > 30:
            raise ServiceError(f"{label} 이름은 1~30자여야 합니다.")
        values[name] = text
    weights = {}
    for name, label in (
        ("weight_indicator", values["indicator_label"]),
        ("weight_customer", values["customer_label"]),
        ("weight_common", values["common_label"]),
    ):
        weight = two_places(parse_decimal(getattr(data, name), f"{label} 배점"), f"{label} 배점")
        if not 0 <= weight <= 100:
            raise ServiceError(f"{label} 배점은 0~100점이어야 합니다.")
        weights[name] = weight
    total = sum(weights.values(), Decimal(0))
    if total != 100:
        raise ServiceError(f"항목 배점의 합이 100점이어야 합니다(지금 {scoring.fmt(total)}점).")
    values.update(weights)
    cap = two_places(parse_decimal(data.achievement_cap, "달성률 상한"), "달성률 상한")
    if not 100 <= cap <= 300:
        raise ServiceError("달성률 상한은 100~300% 사이여야 합니다.")
    values["achievement_cap"] = cap
    for name, label in (("bonus_max", "가점 한도"), ("penalty_max", "감점 한도")):
        limit = two_places(parse_decimal(getattr(data, name), label), label)
        if not 0 <= limit <= 20:
            raise ServiceError(f"{label}는 0~20점이어야 합니다.")
        values[name] = limit
    values["grades"] = clean_grades(data.grades)
    values["levels"] = clean_levels(data.levels)
    values["note"] = (data.note or "").strip()
    return values


def _default_sets(scheme: Scheme, *, source: Scheme | None = None) -> None:
    """Groups and a set per active department: from ``source``'s scheme, else from the organisation."""
    origin: list[Any] = list(source.groups.all()) if source is not None else list(evaluation_groups())
    for group in origin:
        SchemeGroup.objects.create(scheme=scheme, code=group.code, name=group.name, order=group.order)
    groups = {g.code: g for g in scheme.groups.all()}
    previous = (
        {s.department_id: (s.group.code if s.group else None) for s in source.sets.select_related("group")}
        if source is not None
        else {}
    )
    sets = []
    for department in departments(active_only=True):
        default = department.evaluation_group.code if department.evaluation_group else None
        code = previous.get(department.pk, default)
        sets.append(IndicatorSet(scheme=scheme, department=department, group=groups.get(code) if code else None))
    IndicatorSet.objects.bulk_create(sets)


def scheme_create(
    *,
    year: int,
    actor: Any,
    copy_from: Scheme | None = None,
    copy_indicators: bool = False,
) -> Scheme:
    """A new year's scheme: the system defaults (and the organisation's groups), or a copy of
    ``copy_from`` — weights, cap, range, grades, scale, groups and members, common tasks and,
    when asked, the indicators as drafts (targets to be revised, actuals never copied)."""
    performance_policy.check(actor, MANAGE)
    if not 2000 <= int(year) <= 2100:
        raise ServiceError("연도는 2000~2100 사이여야 합니다.")
    with transaction.atomic():
        if Scheme.objects.filter(year=year).exists():
            raise ServiceError(f"{year}년 평가 체계가 이미 있습니다.", status=409)
        if copy_from is None:
            scheme = Scheme.objects.create(
                year=year, grades=[dict(g) for g in DEFAULT_GRADES], levels=[dict(lv) for lv in DEFAULT_LEVELS]
            )
            _default_sets(scheme)
        else:
            fields = {name: getattr(copy_from, name) for name in SCHEME_FIELDS}
            origin = f"{copy_from.year}년 체계에서 복사 (그 체계의 출처: {copy_from.origin})"
            scheme = Scheme.objects.create(year=year, origin=origin[:300], **fields)
            _default_sets(scheme, source=copy_from)
            CommonTask.objects.bulk_create(
                CommonTask(scheme=scheme, name=t.name, max_points=t.max_points, order=t.order)
                for t in copy_from.common_tasks.all()
            )
            if copy_indicators:
                _copy_indicators(copy_from, scheme)
        versioning.bump()  # the sets, tasks and indicators above were inserted in bulk, without signals
        log_action(
            actor=actor,
            action="performance.scheme_create",
            target=scheme,
            after={**snapshot(scheme, SCHEME_FIELDS), "copied_from": copy_from.year if copy_from else None},
        )
    return scheme


def _copy_indicators(source: Scheme, scheme: Scheme) -> None:
    new_sets = {s.department_id: s for s in scheme.sets.all()}
    copies = []
    for indicator in Indicator.objects.filter(indicator_set__scheme=source).select_related("indicator_set"):
        target_set = new_sets.get(indicator.indicator_set.department_id)
        if target_set is None:
            continue
        fields = {name: getattr(indicator, name) for name in INDICATOR_FIELDS}
        copies.append(Indicator(indicator_set=target_set, **fields))
    Indicator.objects.bulk_create(copies)


def scheme_update(*, scheme: Scheme, data: SchemeInput, actor: Any) -> Scheme:
    performance_policy.check(actor, MANAGE)
    values = _clean_scheme(data)
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update(of=("self",)).get(pk=scheme.pk)
        before = snapshot(scheme, SCHEME_FIELDS)
        for name, value in values.items():
            setattr(scheme, name, value)
        scheme.save(update_fields=[*values, "updated_at"])
        old, new = diff(before, snapshot(scheme, SCHEME_FIELDS))
        if new:
            log_action(actor=actor, action="performance.scheme_update", target=scheme, before=old, after=new)
    return scheme


def scheme_delete(*, scheme: Scheme, actor: Any) -> None:
    """Only an unused scheme (no indicators, no evaluation run) may be deleted."""
    performance_policy.check(actor, MANAGE)
    with transaction.atomic():
        if EvaluationRun.objects.filter(scheme=scheme).exists():
            raise ServiceError("평가 결과를 확정한 적이 있는 체계는 지울 수 없습니다.", status=409)
        if Indicator.objects.filter(indicator_set__scheme=scheme).exists():
            raise ServiceError("성과지표가 등록된 체계는 지울 수 없습니다.", status=409)
        log_action(
            actor=actor, action="performance.scheme_delete", target=scheme, before=snapshot(scheme, SCHEME_FIELDS)
        )
        scheme.delete()


# --- groups and their departments -----------------------------------------------------------------


def group_create(*, scheme: Scheme, code: str, name: str, actor: Any) -> SchemeGroup:
    performance_policy.check(actor, MANAGE)
    code, name = (code or "").strip(), (name or "").strip()
    if not code or len(code) > 20 or not name or len(name) > 50:
        raise ServiceError("평가군 코드(20자 이내)와 이름(50자 이내)을 입력하세요.")
    with transaction.atomic():
        if scheme.groups.filter(code=code).exists() or scheme.groups.filter(name=name).exists():
            raise ServiceError("같은 코드나 이름의 평가군이 이미 있습니다.", status=409)
        order = (scheme.groups.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        group = SchemeGroup.objects.create(scheme=scheme, code=code, name=name, order=order)
        log_action(actor=actor, action="performance.group_create", target=group, after={"code": code, "name": name})
    return group


def group_update(*, group: SchemeGroup, name: str, order: int, actor: Any) -> SchemeGroup:
    performance_policy.check(actor, MANAGE)
    name = (name or "").strip()
    if not name or len(name) > 50:
        raise ServiceError("평가군 이름은 1~50자여야 합니다.")
    with transaction.atomic():
        if SchemeGroup.objects.filter(scheme_id=group.scheme_id, name=name).exclude(pk=group.pk).exists():
            raise ServiceError("같은 이름의 평가군이 이미 있습니다.", status=409)
        before = snapshot(group, ["name", "order"])
        group.name, group.order = name, order
        group.save(update_fields=["name", "order"])
        log_action(
            actor=actor,
            action="performance.group_update",
            target=group,
            before=before,
            after=snapshot(group, ["name", "order"]),
        )
    return group


def group_delete(*, group: SchemeGroup, actor: Any) -> None:
    performance_policy.check(actor, MANAGE)
    with transaction.atomic():
        if group.sets.exists():
            raise ServiceError(
                "부서가 속한 평가군은 지울 수 없습니다. 부서를 먼저 다른 평가군으로 옮기세요.", status=409
            )
        log_action(
            actor=actor, action="performance.group_delete", target=group, before=snapshot(group, ["code", "name"])
        )
        group.delete()


def membership_update(*, scheme: Scheme, assignments: Mapping[int, int | None], actor: Any) -> int:
    """Put departments (by id) in groups (by id; ``None`` = not evaluated).  Returns how many moved.

    A department of the organisation without a place in the year yet gets one."""
    performance_policy.check(actor, MANAGE)
    groups = {g.pk: g for g in scheme.groups.all()}
    unknown = [g for g in assignments.values() if g is not None and g not in groups]
    if unknown:
        raise ServiceError("이 연도에 없는 평가군입니다.")
    with transaction.atomic():
        existing = {
            s.department_id: s for s in IndicatorSet.objects.select_for_update(of=("self",)).filter(scheme=scheme)
        }
        valid = {d.pk for d in departments()}
        moved: list[dict[str, Any]] = []
        for department_id, group_id in assignments.items():
            if department_id not in valid:
                raise ServiceError("없는 부서입니다.")
            current = existing.get(department_id)
            if current is None:
                current = IndicatorSet.objects.create(scheme=scheme, department_id=department_id, group_id=group_id)
                moved.append({"department_id": department_id, "group": group_id})
            elif current.group_id != group_id:
                moved.append({"department_id": department_id, "from": current.group_id, "to": group_id})
                current.group_id = group_id
                current.save(update_fields=["group"])
        if moved:
            log_action(actor=actor, action="performance.membership_update", target=scheme, after={"moved": moved})
    return len(moved)
