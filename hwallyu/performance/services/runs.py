"""Freezing the evaluation (the approved run) and withdrawing the approval."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from hwallyu.api.base import ServiceError
from hwallyu.core.audit import log_action
from hwallyu.org.models import Role
from hwallyu.org.selectors import (
    users_with_role,
)
from hwallyu.performance import selectors
from hwallyu.performance.models import (
    EvaluationRun,
    RunStatus,
    Scheme,
)
from hwallyu.performance.policies import MANAGE, performance_policy
from hwallyu.performance.services.common import (
    notify_on_commit,
    page_url,
)

# --- freezing the evaluation -------------------------------------------------------------------------


def run_freeze(*, scheme: Scheme, actor: Any, expected_fingerprint: str | None = None) -> EvaluationRun:
    """Approve the evaluation: compute it now and keep the rows; later edits never change them.

    ``expected_fingerprint`` is the fingerprint of the inputs the approver looked at; when the
    inputs changed since, the freeze is refused so that nobody approves numbers they did not see."""
    performance_policy.check(actor, MANAGE)
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update(of=("self",)).get(pk=scheme.pk)
        if EvaluationRun.objects.filter(scheme=scheme, status=RunStatus.FROZEN).exists():
            raise ServiceError(
                f"{scheme.year}년 평가 결과는 이미 확정했습니다. 확정을 취소한 뒤 다시 확정하세요.", status=409
            )
        # Computed afresh, not taken from the cache: what is frozen is what the database holds now.
        live = selectors.compute_live_result(scheme)
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
        notify_on_commit(
            users_with_role(Role.MANAGER),
            f"[부서 성과평가] {scheme.year}년 평가 결과 확정",
            "부서 성과평가 결과가 확정되었습니다. 우리 부서의 점수와 산출 근거를 확인하세요.",
            page_url("results", year=scheme.year),
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
        run = (
            EvaluationRun.objects.select_for_update(of=("self",)).filter(scheme=scheme, status=RunStatus.FROZEN).first()
        )
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
