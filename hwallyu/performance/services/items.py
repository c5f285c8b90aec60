"""The other items: customer perception, common tasks, bonus and penalty entries."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction

from hwallyu.api.base import ServiceError
from hwallyu.core.audit import log_action, snapshot
from hwallyu.org.models import Department
from hwallyu.performance import scoring, selectors
from hwallyu.performance.models import (
    Adjustment,
    AdjustmentKind,
    CommonTask,
    CommonTaskScore,
    CustomerScore,
    CustomerSource,
    IndicatorSet,
    Scheme,
)
from hwallyu.performance.policies import MANAGE, performance_policy
from hwallyu.performance.services.common import (
    parse_decimal,
    two_places,
)

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
        score = two_places(parse_decimal(raw, "고객인식도"), "고객인식도")
        if not 0 <= score <= 100:
            raise ServiceError("고객인식도는 0~100점이어야 합니다.")
        cleaned[department_id] = score
    changes = []
    with transaction.atomic():
        current = {
            c.department_id: c for c in CustomerScore.objects.select_for_update(of=("self",)).filter(scheme=scheme)
        }
        for department_id, entered in cleaned.items():
            row = current.get(department_id)
            if entered is None:
                if row is not None:
                    changes.append({"department_id": department_id, "from": str(row.score), "to": None})
                    row.delete()
                continue
            if row is None:
                CustomerScore.objects.create(scheme=scheme, department_id=department_id, score=entered)
                changes.append({"department_id": department_id, "from": None, "to": str(entered)})
            elif row.score != entered:
                changes.append({"department_id": department_id, "from": str(row.score), "to": str(entered)})
                row.score, row.source = entered, CustomerSource.ENTERED
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
    points = two_places(parse_decimal(max_points, "만점"), "만점")
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
        value = two_places(parse_decimal(raw, "점수"), "점수")
        if not 0 <= value <= task.max_points:
            raise ServiceError(f"'{task.name}' 점수는 0~{scoring.fmt(task.max_points)}점이어야 합니다.")
        cleaned[department_id] = value
    changes = []
    with transaction.atomic():
        current = {
            s.department_id: s for s in CommonTaskScore.objects.select_for_update(of=("self",)).filter(task=task)
        }
        for department_id, entered in cleaned.items():
            row = current.get(department_id)
            if entered is None:
                if row is not None:
                    changes.append({"department_id": department_id, "from": str(row.points), "to": None})
                    row.delete()
            elif row is None:
                CommonTaskScore.objects.create(task=task, department_id=department_id, points=entered)
                changes.append({"department_id": department_id, "from": None, "to": str(entered)})
            elif row.points != entered:
                changes.append({"department_id": department_id, "from": str(row.points), "to": str(entered)})
                row.points = entered
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
    value = two_places(parse_decimal(points, "점수"), "점수")
    if value <= 0:
        raise ServiceError("가감점은 0보다 커야 합니다.")
    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        raise ServiceError("가감점 사유를 300자 이내로 입력하세요.")
    if department.pk not in _grouped_department_ids(scheme):
        raise ServiceError("이 연도 평가 대상이 아닌 부서입니다.")
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update(of=("self",)).get(pk=scheme.pk)
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
