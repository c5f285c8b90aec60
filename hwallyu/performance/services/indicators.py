"""Department indicators and their approval; quarterly actuals, evidence and their check."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from hwallyu.api.base import ServiceError
from hwallyu.core.audit import diff, log_action, snapshot
from hwallyu.org.selectors import (
    department_managers,
    planning_office_users,
)
from hwallyu.performance import links, scoring
from hwallyu.performance.models import (
    Actual,
    ActualStatus,
    Direction,
    Evidence,
    Indicator,
    IndicatorSet,
    Kind,
    SetStatus,
)
from hwallyu.performance.policies import EDIT, MANAGE, SUBMIT, performance_policy
from hwallyu.performance.services.common import (
    INDICATOR_FIELDS,
    MAX_EVIDENCE_BYTES,
    MAX_EVIDENCE_FILES,
    notify_on_commit,
    page_url,
    parse_decimal,
    two_places,
)

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
    weight = two_places(parse_decimal(data.weight, "가중치"), "가중치")
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
        number = None if raw is None or raw == "" else two_places(parse_decimal(raw, label), label)
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
    return (
        IndicatorSet.objects.select_for_update(of=("self",))
        .select_related("scheme", "department")
        .get(pk=indicator_set.pk)
    )


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
        notify_on_commit(
            planning_office_users(),
            f"[성과지표] {indicator_set.department.name} 승인 요청",
            f"{indicator_set.scheme.year}년 {indicator_set.department.name} 성과지표의 승인 요청이 왔습니다.",
            page_url("department", year=indicator_set.scheme.year, code=indicator_set.department.code),
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
        notify_on_commit(
            department_managers(indicator_set.department),
            f"[성과지표] {indicator_set.scheme.year}년 성과지표 승인",
            "성과관리팀이 부서 성과지표를 승인했습니다. 분기별 실적을 입력하세요.",
            page_url("department", year=indicator_set.scheme.year, code=indicator_set.department.code),
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
        notify_on_commit(
            department_managers(indicator_set.department),
            f"[성과지표] {indicator_set.scheme.year}년 성과지표 보완 요청",
            comment,
            page_url("department", year=indicator_set.scheme.year, code=indicator_set.department.code),
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
        value = two_places(parse_decimal(value, "실적"), "실적")
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
        actual = Actual.objects.select_for_update(of=("self",)).filter(indicator=indicator, quarter=quarter).first()
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
            Evidence.objects.create(
                actual=actual, file=upload, name=(upload.name or "증빙")[:200], size=upload.size or 0
            )
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
        actual = (
            Actual.objects.select_for_update(of=("self",)).select_related("indicator__indicator_set").get(pk=actual.pk)
        )
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
        actual = Actual.objects.select_for_update(of=("self",)).get(pk=actual.pk)
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
        actual = (
            Actual.objects.select_for_update(of=("self",))
            .select_related("indicator__indicator_set__scheme")
            .get(pk=actual.pk)
        )
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
            Actual.objects.select_for_update(of=("self",))
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
        notify_on_commit(
            [actual.entered_by, *department_managers(department)],
            f"[성과실적] {actual.indicator.name} {actual.quarter}분기 보완 요청",
            comment,
            page_url("department", year=actual.indicator.indicator_set.scheme.year, code=department.code),
        )
    return actual
