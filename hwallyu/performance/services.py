"""Writes of the department evaluation: ``<thing>_<verb>(*, …, actor)``.

Each service checks the policy, validates, saves inside one transaction, writes the audit row
and sends notices on commit.  Business-rule refusals raise ``ServiceError`` (Korean message;
409 for a state conflict, 422 for bad input)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from hwallyu.api.base import ServiceError
from hwallyu.core.audit import diff, log_action, snapshot
from hwallyu.notifications.services import notify
from hwallyu.org.models import Department, Role
from hwallyu.org.selectors import (
    department_managers,
    departments,
    evaluation_groups,
    planning_office_users,
    users_with_role,
)
from hwallyu.performance import links, scoring, selectors
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
    RunStatus,
    Scheme,
    SchemeGroup,
    SetStatus,
)
from hwallyu.performance.policies import EDIT, MANAGE, SUBMIT, performance_policy

MAX_EVIDENCE_FILES = 10
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
SCHEME_FIELDS = [
    "indicator_label",
    "customer_label",
    "common_label",
    "weight_indicator",
    "weight_customer",
    "weight_common",
    "achievement_cap",
    "bonus_max",
    "penalty_max",
    "grades",
    "levels",
    "note",
]
INDICATOR_FIELDS = [
    "name",
    "kind",
    "direction",
    "unit",
    "baseline",
    "target",
    "weight",
    "data_source",
    "link_kind",
    "link_ref",
    "link_label",
    "order",
]


def _decimal(value: Any, label: str) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ServiceError(f"{label}: 숫자가 아닙니다.")
    if not number.is_finite():
        raise ServiceError(f"{label}: 숫자가 아닙니다.")
    return number


def _places(number: Decimal, label: str) -> Decimal:
    """The number with exactly two decimals; more decimals are refused, not rounded away."""
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise ServiceError(f"{label}: 소수 둘째 자리까지 입력할 수 있습니다.")
    return scoring.q2(number)


def _url(name: str, **kwargs: Any) -> str:
    return reverse(f"performance:{name}", kwargs=kwargs)


def _notify_on_commit(
    recipients: Iterable[Any], title: str, body: str, url: str, dedupe_key: str | None = None
) -> None:
    people = [u for u in recipients if u is not None]
    if people:
        transaction.on_commit(
            lambda: notify(
                recipients=people, title=title, body=body, url=url, kind="performance", dedupe_key=dedupe_key
            )
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
        quota = _places(_decimal(grade.get("quota"), f"{code} 등급 비율"), f"{code} 등급 비율")
        rate = _places(_decimal(grade.get("pay_rate"), f"{code} 등급 지급률"), f"{code} 등급 지급률")
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
        points = _places(_decimal(level.get("points"), f"'{label}' 점수"), f"'{label}' 점수")
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
        weight = _places(_decimal(getattr(data, name), f"{label} 배점"), f"{label} 배점")
        if not 0 <= weight <= 100:
            raise ServiceError(f"{label} 배점은 0~100점이어야 합니다.")
        weights[name] = weight
    total = sum(weights.values(), Decimal(0))
    if total != 100:
        raise ServiceError(f"항목 배점의 합이 100점이어야 합니다(지금 {scoring.fmt(total)}점).")
    values.update(weights)
    cap = _places(_decimal(data.achievement_cap, "달성률 상한"), "달성률 상한")
    if not 100 <= cap <= 300:
        raise ServiceError("달성률 상한은 100~300% 사이여야 합니다.")
    values["achievement_cap"] = cap
    for name, label in (("bonus_max", "가점 한도"), ("penalty_max", "감점 한도")):
        limit = _places(_decimal(getattr(data, name), label), label)
        if not 0 <= limit <= 20:
            raise ServiceError(f"{label}는 0~20점이어야 합니다.")
        values[name] = limit
    values["grades"] = clean_grades(data.grades)
    values["levels"] = clean_levels(data.levels)
    values["note"] = (data.note or "").strip()
    return values


def _default_sets(scheme: Scheme, *, source: Scheme | None = None) -> None:
    """Groups and a set per active department: from ``source``'s scheme, else from the organisation."""
    if source is not None:
        for group in source.groups.all():
            SchemeGroup.objects.create(scheme=scheme, code=group.code, name=group.name, order=group.order)
    else:
        for group in evaluation_groups():
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
        scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
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
        existing = {s.department_id: s for s in IndicatorSet.objects.select_for_update().filter(scheme=scheme)}
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


# --- indicators ----------------------------------------------------------------------------------


@dataclass
class IndicatorData:
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


def _clean_indicator(data: IndicatorData, *, year: int) -> dict[str, Any]:
    name = (data.name or "").strip()
    if not name or len(name) > 200:
        raise ServiceError("지표명은 1~200자여야 합니다.")
    if data.kind not in Kind.values:
        raise ServiceError("지표 유형은 정량 또는 정성이어야 합니다.")
    if data.direction not in Direction.values:
        raise ServiceError("지표 방향은 상향 또는 하향이어야 합니다.")
    weight = _places(_decimal(data.weight, "가중치"), "가중치")
    if not 0 < weight <= 100:
        raise ServiceError("가중치는 0보다 크고 100 이하여야 합니다.")
    values: dict[str, Any] = {
        "name": name,
        "kind": data.kind,
        "direction": data.direction,
        "unit": (data.unit or "").strip()[:20],
        "weight": weight,
        "data_source": (data.data_source or "").strip()[:200],
    }
    for field, label in (("baseline", "기준값"), ("target", "목표값")):
        raw = getattr(data, field)
        number = None if raw is None or raw == "" else _places(_decimal(raw, label), label)
        if number is not None and abs(number) >= Decimal("1e14"):
            raise ServiceError(f"{label}이(가) 너무 큽니다.")
        values[field] = number
    if values["target"] is not None and values["target"] < 0:
        raise ServiceError("목표값은 0 이상이어야 합니다.")
    if data.kind == Kind.QUALITATIVE:
        values["direction"] = Direction.RISING
    values["link_kind"] = (data.link_kind or "").strip()
    values["link_ref"] = (data.link_ref or "").strip() if values["link_kind"] else ""
    values["link_label"] = links.resolve(values["link_kind"], values["link_ref"], year=year)
    if data.order is not None:
        values["order"] = max(int(data.order), 0)
    return values


def _lock_set(indicator_set: IndicatorSet) -> IndicatorSet:
    return IndicatorSet.objects.select_for_update().select_related("scheme", "department").get(pk=indicator_set.pk)


def _require_editable(indicator_set: IndicatorSet) -> None:
    if not indicator_set.editable:
        raise ServiceError(
            "승인 요청 중이거나 승인된 지표는 바꿀 수 없습니다. 성과관리팀의 보완 요청을 받은 뒤 고치세요.", status=409
        )


def indicator_create(*, indicator_set: IndicatorSet, data: IndicatorData, actor: Any) -> Indicator:
    performance_policy.check(actor, EDIT, indicator_set)
    values = _clean_indicator(data, year=indicator_set.scheme.year)
    with transaction.atomic():
        indicator_set = _lock_set(indicator_set)
        _require_editable(indicator_set)
        if "order" not in values:
            last = indicator_set.indicators.order_by("-order").values_list("order", flat=True).first()
            values["order"] = (last or 0) + 1
        indicator = Indicator.objects.create(indicator_set=indicator_set, **values)
        log_action(
            actor=actor,
            action="performance.indicator_create",
            target=indicator,
            department=indicator_set.department,
            after=snapshot(indicator, INDICATOR_FIELDS),
        )
    return indicator


def indicator_update(*, indicator: Indicator, data: IndicatorData, actor: Any) -> Indicator:
    performance_policy.check(actor, EDIT, indicator.indicator_set)
    values = _clean_indicator(data, year=indicator.indicator_set.scheme.year)
    with transaction.atomic():
        indicator_set = _lock_set(indicator.indicator_set)
        _require_editable(indicator_set)
        indicator = Indicator.objects.get(pk=indicator.pk)
        if indicator.kind != values["kind"] and indicator.actuals.exists():
            raise ServiceError("실적이 입력된 지표는 유형(정량·정성)을 바꿀 수 없습니다.", status=409)
        before = snapshot(indicator, INDICATOR_FIELDS)
        for name, value in values.items():
            setattr(indicator, name, value)
        indicator.save(update_fields=[*values, "updated_at"])
        old, new = diff(before, snapshot(indicator, INDICATOR_FIELDS))
        if new:
            log_action(
                actor=actor,
                action="performance.indicator_update",
                target=indicator,
                department=indicator_set.department,
                before=old,
                after=new,
            )
    return indicator


def indicator_delete(*, indicator: Indicator, actor: Any) -> None:
    performance_policy.check(actor, EDIT, indicator.indicator_set)
    with transaction.atomic():
        indicator_set = _lock_set(indicator.indicator_set)
        _require_editable(indicator_set)
        log_action(
            actor=actor,
            action="performance.indicator_delete",
            target=indicator,
            department=indicator_set.department,
            before={**snapshot(indicator, INDICATOR_FIELDS), "actuals": indicator.actuals.count()},
        )
        indicator.delete()


def set_problems(indicator_set: IndicatorSet) -> list[str]:
    """Why the set cannot be approved yet (empty when it can)."""
    indicators = list(indicator_set.indicators.all())
    if not indicators:
        return ["성과지표가 하나도 없습니다."]
    problems = []
    total = sum((i.weight for i in indicators), Decimal(0))
    if total != 100:
        problems.append(f"지표 가중치의 합이 100이어야 합니다(지금 {scoring.fmt(total)}).")
    for indicator in indicators:
        if indicator.kind == Kind.QUANTITATIVE and (indicator.target is None or indicator.target <= 0):
            problems.append(
                f"'{indicator.name}': 정량지표의 목표값은 0보다 커야 합니다"
                " (목표값 0인 지표는 달성률을 계산할 수 없으니 목표를 다시 정하거나 정성지표로 바꾸세요)."
            )
    return problems


def set_submit(*, indicator_set: IndicatorSet, actor: Any) -> IndicatorSet:
    performance_policy.check(actor, SUBMIT, indicator_set)
    with transaction.atomic():
        indicator_set = _lock_set(indicator_set)
        if indicator_set.status not in (SetStatus.DRAFT, SetStatus.RETURNED):
            raise ServiceError("작성 중이거나 보완 요청된 지표만 승인을 요청할 수 있습니다.", status=409)
        problems = set_problems(indicator_set)
        if problems:
            raise ServiceError(" ".join(problems))
        indicator_set.status = SetStatus.SUBMITTED
        indicator_set.submitted_at = timezone.now()
        indicator_set.submitted_by = actor
        indicator_set.save(update_fields=["status", "submitted_at", "submitted_by"])
        log_action(
            actor=actor,
            action="performance.set_submit",
            target=indicator_set,
            department=indicator_set.department,
            after={"status": indicator_set.status},
        )
        _notify_on_commit(
            planning_office_users(),
            f"[성과지표] {indicator_set.department.name} 승인 요청",
            f"{indicator_set.scheme.year}년 {indicator_set.department.name} 성과지표의 승인 요청이 왔습니다.",
            _url("department", year=indicator_set.scheme.year, code=indicator_set.department.code),
        )
    return indicator_set


def set_approve(*, indicator_set: IndicatorSet, actor: Any) -> IndicatorSet:
    performance_policy.check(actor, MANAGE, indicator_set)
    with transaction.atomic():
        indicator_set = _lock_set(indicator_set)
        if indicator_set.status == SetStatus.APPROVED:
            raise ServiceError("이미 승인한 지표입니다.", status=409)
        problems = set_problems(indicator_set)
        if problems:
            raise ServiceError(" ".join(problems))
        indicator_set.status = SetStatus.APPROVED
        indicator_set.decided_at = timezone.now()
        indicator_set.decided_by = actor
        indicator_set.comment = ""
        indicator_set.save(update_fields=["status", "decided_at", "decided_by", "comment"])
        log_action(
            actor=actor,
            action="performance.set_approve",
            target=indicator_set,
            department=indicator_set.department,
            after={"status": indicator_set.status},
        )
        _notify_on_commit(
            department_managers(indicator_set.department),
            f"[성과지표] {indicator_set.scheme.year}년 성과지표 승인",
            "성과관리팀이 부서 성과지표를 승인했습니다. 분기별 실적을 입력하세요.",
            _url("department", year=indicator_set.scheme.year, code=indicator_set.department.code),
        )
    return indicator_set


def set_return(*, indicator_set: IndicatorSet, comment: str, actor: Any) -> IndicatorSet:
    performance_policy.check(actor, MANAGE, indicator_set)
    comment = (comment or "").strip()
    if not comment:
        raise ServiceError("보완 요청 사유를 입력하세요.")
    with transaction.atomic():
        indicator_set = _lock_set(indicator_set)
        if indicator_set.status not in (SetStatus.SUBMITTED, SetStatus.APPROVED):
            raise ServiceError("승인 요청되었거나 승인된 지표만 보완 요청할 수 있습니다.", status=409)
        before = indicator_set.status
        indicator_set.status = SetStatus.RETURNED
        indicator_set.decided_at = timezone.now()
        indicator_set.decided_by = actor
        indicator_set.comment = comment
        indicator_set.save(update_fields=["status", "decided_at", "decided_by", "comment"])
        log_action(
            actor=actor,
            action="performance.set_return",
            target=indicator_set,
            department=indicator_set.department,
            before={"status": before},
            after={"status": indicator_set.status, "comment": comment},
        )
        _notify_on_commit(
            department_managers(indicator_set.department),
            f"[성과지표] {indicator_set.scheme.year}년 성과지표 보완 요청",
            comment,
            _url("department", year=indicator_set.scheme.year, code=indicator_set.department.code),
        )
    return indicator_set


# --- quarterly actuals ---------------------------------------------------------------------------


def _check_files(files: Sequence[UploadedFile], existing: int) -> None:
    if existing + len(files) > MAX_EVIDENCE_FILES:
        raise ServiceError(f"증빙자료는 실적 하나에 {MAX_EVIDENCE_FILES}개까지 올릴 수 있습니다.")
    for upload in files:
        if (upload.size or 0) > MAX_EVIDENCE_BYTES:
            raise ServiceError(f"'{upload.name}'이(가) 20MB를 넘습니다.")
        if not upload.name or len(upload.name) > 200:
            raise ServiceError("파일 이름은 200자 이내여야 합니다.")


def actual_submit(
    *,
    indicator: Indicator,
    quarter: int,
    actor: Any,
    value: Decimal | None = None,
    note: str = "",
    files: Sequence[UploadedFile] = (),
) -> Actual:
    """Enter (or re-enter after a return) a quarter's cumulative actual; it waits for the team's check."""
    performance_policy.check(actor, EDIT, indicator.indicator_set)
    if quarter not in (1, 2, 3, 4):
        raise ServiceError("분기는 1~4 중 하나여야 합니다.")
    note = (note or "").strip()
    if indicator.kind == Kind.QUANTITATIVE:
        if value is None or value == "":
            raise ServiceError("정량지표는 실적값을 입력해야 합니다.")
        value = _places(_decimal(value, "실적"), "실적")
        if abs(value) >= Decimal("1e14"):
            raise ServiceError("실적값이 너무 큽니다.")
    else:
        value = None
        if not note:
            raise ServiceError("정성지표는 추진 실적(내용)을 입력해야 합니다.")
    with transaction.atomic():
        indicator_set = _lock_set(indicator.indicator_set)
        if indicator_set.status != SetStatus.APPROVED:
            raise ServiceError("지표가 승인된 뒤에 실적을 입력할 수 있습니다.", status=409)
        actual = Actual.objects.select_for_update().filter(indicator=indicator, quarter=quarter).first()
        existing = actual.evidence.count() if actual else 0
        _check_files(files, existing)
        if actual is not None and actual.status == ActualStatus.ACCEPTED:
            raise ServiceError("확인된 실적은 바꿀 수 없습니다. 성과관리팀에 보완 요청을 받으세요.", status=409)
        before = snapshot(actual, ["value", "note", "status"]) if actual else {}
        if actual is None:
            actual = Actual(indicator=indicator, quarter=quarter)
        actual.value, actual.note = value, note
        actual.status = ActualStatus.SUBMITTED
        actual.entered_at, actual.entered_by = timezone.now(), actor
        actual.save()
        for upload in files:
            Evidence.objects.create(actual=actual, file=upload, name=upload.name[:200], size=upload.size or 0)
        log_action(
            actor=actor,
            action="performance.actual_submit",
            target=actual,
            department=indicator_set.department,
            before=before,
            after={**snapshot(actual, ["value", "note", "status"]), "files": [f.name for f in files]},
        )
    return actual


def actual_delete(*, actual: Actual, actor: Any) -> None:
    """Withdraw an actual that is not accepted yet (its evidence files go with it)."""
    performance_policy.check(actor, EDIT, actual.indicator.indicator_set)
    with transaction.atomic():
        actual = Actual.objects.select_for_update().select_related("indicator__indicator_set").get(pk=actual.pk)
        if actual.status == ActualStatus.ACCEPTED:
            raise ServiceError("확인된 실적은 지울 수 없습니다. 성과관리팀에 보완 요청을 받으세요.", status=409)
        stored = [e.file for e in actual.evidence.all()]
        log_action(
            actor=actor,
            action="performance.actual_delete",
            target=actual,
            department=actual.indicator.indicator_set.department_id,
            before={**snapshot(actual, ["quarter", "value", "note", "status"]), "files": [f.name for f in stored]},
        )
        actual.delete()
        transaction.on_commit(lambda: [f.delete(save=False) for f in stored])


def evidence_delete(*, evidence: Evidence, actor: Any) -> None:
    actual = evidence.actual
    performance_policy.check(actor, EDIT, actual.indicator.indicator_set)
    with transaction.atomic():
        actual = Actual.objects.select_for_update().get(pk=actual.pk)
        if actual.status == ActualStatus.ACCEPTED:
            raise ServiceError("확인된 실적의 증빙자료는 지울 수 없습니다.", status=409)
        log_action(
            actor=actor,
            action="performance.evidence_delete",
            target=actual,
            before={"file": evidence.name, "size": evidence.size},
        )
        stored = evidence.file
        evidence.delete()
        transaction.on_commit(lambda: stored.delete(save=False))


def actual_accept(*, actual: Actual, actor: Any, level: str = "") -> Actual:
    """The performance team accepts the actual; a qualitative one gets the committee's grade."""
    performance_policy.check(actor, MANAGE)
    with transaction.atomic():
        actual = Actual.objects.select_for_update().select_related("indicator__indicator_set__scheme").get(pk=actual.pk)
        if actual.status != ActualStatus.SUBMITTED:
            raise ServiceError("제출된 실적만 확인할 수 있습니다.", status=409)
        scheme = actual.indicator.indicator_set.scheme
        level = (level or "").strip()
        if actual.indicator.kind == Kind.QUALITATIVE:
            level = level or actual.level
            if not level:
                raise ServiceError("정성지표는 평가 등급을 골라야 확인할 수 있습니다.")
            if scheme.level_points(level) is None:
                raise ServiceError(f"'{level}'은(는) {scheme.year}년 정성 평가 척도에 없는 등급입니다.")
            actual.level = level
        actual.status = ActualStatus.ACCEPTED
        actual.decided_at, actual.decided_by = timezone.now(), actor
        actual.save(update_fields=["status", "level", "decided_at", "decided_by"])
        log_action(
            actor=actor,
            action="performance.actual_accept",
            target=actual,
            department=actual.indicator.indicator_set.department_id,
            after={"status": actual.status, "level": actual.level, "value": actual.value},
        )
    return actual


def actual_return(*, actual: Actual, comment: str, actor: Any) -> Actual:
    performance_policy.check(actor, MANAGE)
    comment = (comment or "").strip()
    if not comment:
        raise ServiceError("보완 요청 사유를 입력하세요.")
    with transaction.atomic():
        actual = (
            Actual.objects.select_for_update()
            .select_related("indicator__indicator_set__scheme", "indicator__indicator_set__department", "entered_by")
            .get(pk=actual.pk)
        )
        if actual.status == ActualStatus.RETURNED:
            raise ServiceError("이미 보완 요청한 실적입니다.", status=409)
        before = actual.status
        actual.status = ActualStatus.RETURNED
        actual.comment = comment
        actual.decided_at, actual.decided_by = timezone.now(), actor
        actual.save(update_fields=["status", "comment", "decided_at", "decided_by"])
        department = actual.indicator.indicator_set.department
        log_action(
            actor=actor,
            action="performance.actual_return",
            target=actual,
            department=department,
            before={"status": before},
            after={"status": actual.status, "comment": comment},
        )
        _notify_on_commit(
            [actual.entered_by, *department_managers(department)],
            f"[성과실적] {actual.indicator.name} {actual.quarter}분기 보완 요청",
            comment,
            _url("department", year=actual.indicator.indicator_set.scheme.year, code=department.code),
        )
    return actual


# --- the other items -------------------------------------------------------------------------------


def _grouped_department_ids(scheme: Scheme) -> set[int]:
    return set(IndicatorSet.objects.filter(scheme=scheme).values_list("department_id", flat=True))


def customer_scores_save(*, scheme: Scheme, scores: Mapping[int, Any], actor: Any) -> int:
    """Enter customer-perception scores (100 points) by department id; ``None`` clears one."""
    performance_policy.check(actor, MANAGE)
    allowed = _grouped_department_ids(scheme)
    cleaned: dict[int, Decimal | None] = {}
    for department_id, raw in scores.items():
        if department_id not in allowed:
            raise ServiceError("이 연도 평가 대상이 아닌 부서입니다.")
        if raw is None or raw == "":
            cleaned[department_id] = None
            continue
        score = _places(_decimal(raw, "고객인식도"), "고객인식도")
        if not 0 <= score <= 100:
            raise ServiceError("고객인식도는 0~100점이어야 합니다.")
        cleaned[department_id] = score
    changes = []
    with transaction.atomic():
        current = {c.department_id: c for c in CustomerScore.objects.select_for_update().filter(scheme=scheme)}
        for department_id, score in cleaned.items():
            row = current.get(department_id)
            if score is None:
                if row is not None:
                    changes.append({"department_id": department_id, "from": str(row.score), "to": None})
                    row.delete()
                continue
            if row is None:
                CustomerScore.objects.create(scheme=scheme, department_id=department_id, score=score)
                changes.append({"department_id": department_id, "from": None, "to": str(score)})
            elif row.score != score:
                changes.append({"department_id": department_id, "from": str(row.score), "to": str(score)})
                row.score, row.source = score, CustomerSource.ENTERED
                row.save(update_fields=["score", "source", "updated_at"])
        if changes:
            log_action(actor=actor, action="performance.customer_save", target=scheme, after={"changes": changes})
    return len(changes)


def customer_scores_import(*, scheme: Scheme, actor: Any) -> tuple[int, int]:
    """Fill the scores from the satisfaction survey (module 6) where it has one.

    Returns (filled, without a survey score); departments without one keep what they had."""
    performance_policy.check(actor, MANAGE)
    department_ids = sorted(_grouped_department_ids(scheme))
    survey = selectors.customer_survey_scores(scheme, department_ids)
    if not survey:
        raise ServiceError("행정만족도 조사 모듈이 없어 점수를 가져올 수 없습니다.", status=409)
    filled = 0
    with transaction.atomic():
        for department_id, score in survey.items():
            if score is None:
                continue
            CustomerScore.objects.update_or_create(
                scheme=scheme,
                department_id=department_id,
                defaults={"score": scoring.q2(Decimal(score)), "source": CustomerSource.SURVEY},
            )
            filled += 1
        log_action(
            actor=actor,
            action="performance.customer_import",
            target=scheme,
            after={"filled": filled, "missing": len(department_ids) - filled},
        )
    return filled, len(department_ids) - filled


def common_task_create(*, scheme: Scheme, name: str, max_points: Any, actor: Any) -> CommonTask:
    performance_policy.check(actor, MANAGE)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ServiceError("공통과제 이름은 1~100자여야 합니다.")
    points = _places(_decimal(max_points, "만점"), "만점")
    if not 0 < points <= 100:
        raise ServiceError("공통과제 만점은 0보다 크고 100 이하여야 합니다.")
    with transaction.atomic():
        if scheme.common_tasks.filter(name=name).exists():
            raise ServiceError("같은 이름의 공통과제가 이미 있습니다.", status=409)
        order = (scheme.common_tasks.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        task = CommonTask.objects.create(scheme=scheme, name=name, max_points=points, order=order)
        log_action(
            actor=actor,
            action="performance.common_task_create",
            target=task,
            after=snapshot(task, ["name", "max_points"]),
        )
    return task


def common_task_delete(*, task: CommonTask, actor: Any) -> None:
    performance_policy.check(actor, MANAGE)
    with transaction.atomic():
        log_action(
            actor=actor,
            action="performance.common_task_delete",
            target=task,
            before={**snapshot(task, ["name", "max_points"]), "scores": task.scores.count()},
        )
        task.delete()


def common_scores_save(*, task: CommonTask, points: Mapping[int, Any], actor: Any) -> int:
    """A common task's points per department id (0 … the task's maximum; ``None`` clears)."""
    performance_policy.check(actor, MANAGE)
    allowed = _grouped_department_ids(task.scheme)
    cleaned: dict[int, Decimal | None] = {}
    for department_id, raw in points.items():
        if department_id not in allowed:
            raise ServiceError("이 연도 평가 대상이 아닌 부서입니다.")
        if raw is None or raw == "":
            cleaned[department_id] = None
            continue
        value = _places(_decimal(raw, "점수"), "점수")
        if not 0 <= value <= task.max_points:
            raise ServiceError(f"'{task.name}' 점수는 0~{scoring.fmt(task.max_points)}점이어야 합니다.")
        cleaned[department_id] = value
    changes = []
    with transaction.atomic():
        current = {s.department_id: s for s in CommonTaskScore.objects.select_for_update().filter(task=task)}
        for department_id, value in cleaned.items():
            row = current.get(department_id)
            if value is None:
                if row is not None:
                    changes.append({"department_id": department_id, "from": str(row.points), "to": None})
                    row.delete()
            elif row is None:
                CommonTaskScore.objects.create(task=task, department_id=department_id, points=value)
                changes.append({"department_id": department_id, "from": None, "to": str(value)})
            elif row.points != value:
                changes.append({"department_id": department_id, "from": str(row.points), "to": str(value)})
                row.points = value
                row.save(update_fields=["points"])
        if changes:
            log_action(actor=actor, action="performance.common_scores_save", target=task, after={"changes": changes})
    return len(changes)


def adjustment_create(
    *, scheme: Scheme, department: Department, kind: str, points: Any, reason: str, actor: Any
) -> Adjustment:
    """A bonus or penalty entry with its reason; a department's total stays within the scheme's range."""
    performance_policy.check(actor, MANAGE)
    if kind not in AdjustmentKind.values:
        raise ServiceError("구분은 가점 또는 감점이어야 합니다.")
    value = _places(_decimal(points, "점수"), "점수")
    if value <= 0:
        raise ServiceError("가감점은 0보다 커야 합니다.")
    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        raise ServiceError("가감점 사유를 300자 이내로 입력하세요.")
    if department.pk not in _grouped_department_ids(scheme):
        raise ServiceError("이 연도 평가 대상이 아닌 부서입니다.")
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
        limit = scheme.bonus_max if kind == AdjustmentKind.BONUS else scheme.penalty_max
        label = AdjustmentKind(kind).label
        current = sum(
            Adjustment.objects.filter(scheme=scheme, department=department, kind=kind).values_list("points", flat=True),
            Decimal(0),
        )
        if current + value > limit:
            raise ServiceError(
                f"{department.name}의 {label} 합계가 한도 {scoring.fmt(limit)}점을 넘습니다"
                f" (지금 {scoring.fmt(current)}점 + {scoring.fmt(value)}점)."
            )
        entry = Adjustment.objects.create(
            scheme=scheme, department=department, kind=kind, points=value, reason=reason, created_by=actor
        )
        log_action(
            actor=actor,
            action="performance.adjustment_create",
            target=entry,
            department=department,
            after=snapshot(entry, ["kind", "points", "reason"]),
        )
    return entry


def adjustment_delete(*, adjustment: Adjustment, actor: Any) -> None:
    performance_policy.check(actor, MANAGE)
    with transaction.atomic():
        log_action(
            actor=actor,
            action="performance.adjustment_delete",
            target=adjustment,
            department=adjustment.department_id,
            before=snapshot(adjustment, ["kind", "points", "reason"]),
        )
        adjustment.delete()


# --- freezing the evaluation -------------------------------------------------------------------------


def run_freeze(*, scheme: Scheme, actor: Any, expected_fingerprint: str | None = None) -> EvaluationRun:
    """Approve the evaluation: compute it now and keep the rows; later edits never change them.

    ``expected_fingerprint`` is the fingerprint of the inputs the approver looked at; when the
    inputs changed since, the freeze is refused so that nobody approves numbers they did not see."""
    performance_policy.check(actor, MANAGE)
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
        if EvaluationRun.objects.filter(scheme=scheme, status=RunStatus.FROZEN).exists():
            raise ServiceError(
                f"{scheme.year}년 평가 결과는 이미 확정했습니다. 확정을 취소한 뒤 다시 확정하세요.", status=409
            )
        live = selectors.live_result(scheme)
        if not live.rows:
            raise ServiceError("평가군에 속한 부서가 없어 확정할 결과가 없습니다.")
        if expected_fingerprint and expected_fingerprint != live.fingerprint:
            raise ServiceError(
                "결과를 연 뒤 평가 자료가 바뀌었습니다. 최신 결과를 다시 확인한 뒤 확정하세요.", status=409
            )
        try:
            with transaction.atomic():
                run = EvaluationRun.objects.create(
                    scheme=scheme,
                    rows=live.rows,
                    rules=selectors.rules_to_json(live.rules),
                    input_hash=live.fingerprint,
                    frozen_at=timezone.now(),
                    frozen_by=actor,
                )
        except IntegrityError:
            raise ServiceError(f"{scheme.year}년 평가 결과는 이미 확정했습니다.", status=409)
        log_action(
            actor=actor,
            action="performance.run_freeze",
            target=run,
            after={"year": scheme.year, "departments": len(live.rows), "input_hash": live.fingerprint},
        )
        _notify_on_commit(
            users_with_role(Role.MANAGER),
            f"[부서 성과평가] {scheme.year}년 평가 결과 확정",
            "부서 성과평가 결과가 확정되었습니다. 우리 부서의 점수와 산출 근거를 확인하세요.",
            _url("results", year=scheme.year),
            dedupe_key=f"performance-frozen-{run.pk}",
        )
    return run


def run_reopen(*, scheme: Scheme, reason: str, actor: Any) -> EvaluationRun:
    """Withdraw the approval (the frozen rows are kept, marked as withdrawn, for the record)."""
    performance_policy.check(actor, MANAGE)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("확정 취소 사유를 입력하세요.")
    with transaction.atomic():
        run = EvaluationRun.objects.select_for_update().filter(scheme=scheme, status=RunStatus.FROZEN).first()
        if run is None:
            raise ServiceError("확정된 평가 결과가 없습니다.", status=409)
        run.status = RunStatus.REOPENED
        run.reopened_at, run.reopened_by, run.reopen_reason = timezone.now(), actor, reason
        run.save(update_fields=["status", "reopened_at", "reopened_by", "reopen_reason"])
        log_action(
            actor=actor,
            action="performance.run_reopen",
            target=run,
            before={"status": RunStatus.FROZEN},
            after={"status": run.status, "reason": reason},
        )
    return run
