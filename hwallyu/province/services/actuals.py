"""Monthly cumulative actuals: entered by the owning departments, accepted or returned by the
performance team (planning office)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from hwallyu.api.base import ServiceError
from hwallyu.core.audit import diff, log_action, snapshot
from hwallyu.core.calendar import SEOUL
from hwallyu.org.selectors import department_of
from hwallyu.province.models import Actual, ActualStatus, Evidence, Indicator
from hwallyu.province.policies import DEPARTMENT_ROLES, indicator_policy, is_office
from hwallyu.province.services.common import (
    MAX_EVIDENCE_BYTES,
    MAX_EVIDENCE_FILES,
    department_people,
    indicator_url,
    moment_or_now,
    notify_on_commit,
    owners_label,
    plain,
    to_decimal,
)

AUDIT_FIELDS = ["month", "value", "note", "lag_reason", "status", "decision_comment"]


def check_can_enter(actor: Any, indicator: Indicator) -> None:
    """Owning departments and the planning office enter actuals; another department is told why not."""
    if indicator_policy.can(actor, "enter", indicator):
        return
    from hwallyu.org.selectors import role_of

    if role_of(actor) in DEPARTMENT_ROLES:
        mine = department_of(actor)
        raise ServiceError(
            f"{indicator.code} {indicator.name}은(는) {owners_label(indicator)} 담당 지표입니다. "
            f"{mine.name if mine else '소속 부서'}는 이 지표의 실적을 입력할 수 없습니다.",
            status=403,
        )
    raise PermissionDenied("이 작업을 할 권한이 없습니다.")


def _check_month(indicator: Indicator, month: int, now: dt.datetime) -> None:
    if not isinstance(month, int) or isinstance(month, bool) or not 1 <= month <= 12:
        raise ServiceError("월은 1~12 중 하나여야 합니다.")
    year = indicator.evaluation_year.year
    today = now.astimezone(SEOUL).date()
    if year > today.year or (year == today.year and month > today.month):
        raise ServiceError(f"{year}년 {month}월은 아직 오지 않았습니다. 지난 달까지의 누계만 입력할 수 있습니다.")


def _check_files(files: Sequence[UploadedFile]) -> None:
    if len(files) > MAX_EVIDENCE_FILES:
        raise ServiceError(f"증빙 파일은 한 번에 {MAX_EVIDENCE_FILES}개까지 올릴 수 있습니다.")
    for upload in files:
        if upload.size and upload.size > MAX_EVIDENCE_BYTES:
            raise ServiceError(f"{upload.name}: 파일당 {MAX_EVIDENCE_BYTES // (1024 * 1024)}MB까지 올릴 수 있습니다.")


def _check_cumulative(indicator: Indicator, month: int, value: Decimal, note: str) -> None:
    """A cumulative actual never goes down unless the department says why (비고)."""
    if note:
        return
    others = Actual.objects.filter(indicator=indicator).exclude(status=ActualStatus.RETURNED)
    previous = others.filter(month__lt=month).order_by("-month").first()
    if previous is not None and value < previous.value:
        raise ServiceError(
            f"{month}월 누계 {plain(value)}이(가) {previous.month}월 누계 {plain(previous.value)}보다 줄었습니다. "
            "누계가 줄어든 사유(정정, 취소 등)를 비고에 적어 주세요."
        )
    following = others.filter(month__gt=month).order_by("month").first()
    if following is not None and value > following.value:
        raise ServiceError(
            f"{month}월 누계 {plain(value)}이(가) 이미 입력된 {following.month}월 누계 {plain(following.value)}보다 "
            "큽니다. 값을 확인하거나 사유를 비고에 적어 주세요."
        )


def actual_submit(
    *,
    indicator: Indicator,
    month: int,
    value: Any,
    actor: Any,
    note: str = "",
    lag_reason: str = "",
    files: Sequence[UploadedFile] = (),
    at: dt.datetime | None = None,
) -> Actual:
    """Enter (or correct) the cumulative actual of ``month``; it waits for the performance team's review."""
    check_can_enter(actor, indicator)
    if not indicator.is_quantitative:
        raise ServiceError("정성 지표는 월별 실적을 입력하지 않습니다. 우수사례와 제출 점검표를 쓰세요.")
    now = moment_or_now(at)
    _check_month(indicator, month, now)
    amount = to_decimal(value, "누계 실적")
    if amount < 0:
        raise ServiceError("누계 실적은 0 이상이어야 합니다.")
    note, lag_reason = (note or "").strip(), (lag_reason or "").strip()
    _check_files(files)
    with transaction.atomic():
        indicator = (
            Indicator.objects.select_for_update(of=("self",))
            .select_related("evaluation_year")
            .prefetch_related("departments")
            .get(pk=indicator.pk)
        )
        actual = Actual.objects.select_for_update(of=("self",)).filter(indicator=indicator, month=month).first()
        if actual is not None and actual.status == ActualStatus.ACCEPTED and not is_office(actor):
            raise ServiceError(
                f"{month}월 실적은 이미 승인되었습니다. 고치려면 성과관리팀에 반려를 요청하세요.", status=409
            )
        _check_cumulative(indicator, month, amount, note)
        before = snapshot(actual, AUDIT_FIELDS) if actual is not None else {}
        if actual is None:
            actual = Actual(indicator=indicator, month=month)
        actual.value = amount
        actual.note = note
        actual.lag_reason = lag_reason
        actual.status = ActualStatus.SUBMITTED
        actual.department = department_of(actor)
        actual.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
        actual.submitted_at = now
        actual.decided_by = None
        actual.decided_at = None
        actual.decision_comment = ""
        actual.save()
        for upload in files:
            Evidence.objects.create(
                actual=actual,
                file=upload,
                name=(upload.name or "증빙")[:200],
                size=upload.size or 0,
                uploaded_by=actual.submitted_by,
                uploaded_at=now,
            )
        b, a = diff(before, snapshot(actual, AUDIT_FIELDS))
        log_action(
            actor=actor,
            action="province.actual_submit",
            target=actual,
            department=actual.department,
            before=b,
            after={**a, "indicator": indicator.code, "files": [f.name for f in files]},
        )
    return actual


def _lock(actual: Actual) -> Actual:
    # The department may be empty (an office entry): lock the actual's row only, not the outer join.
    return (
        Actual.objects.select_for_update(of=("self",))
        .select_related("indicator__evaluation_year", "department")
        .get(pk=actual.pk)
    )


def actual_accept(*, actual: Actual, actor: Any, comment: str = "", at: dt.datetime | None = None) -> Actual:
    indicator_policy.check(actor, "review")
    now = moment_or_now(at)
    with transaction.atomic():
        actual = _lock(actual)
        if actual.status != ActualStatus.SUBMITTED:
            raise ServiceError(f"검토 대기 중인 실적만 승인할 수 있습니다(현재: {actual.get_status_display()}).", 409)
        before = snapshot(actual, AUDIT_FIELDS)
        actual.status = ActualStatus.ACCEPTED
        actual.decided_by = actor
        actual.decided_at = now
        actual.decision_comment = (comment or "").strip()
        actual.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
        b, a = diff(before, snapshot(actual, AUDIT_FIELDS))
        log_action(
            actor=actor, action="province.actual_accept", target=actual, department=actual.department, before=b, after=a
        )
    return actual


def actual_return(*, actual: Actual, actor: Any, comment: str, at: dt.datetime | None = None) -> Actual:
    indicator_policy.check(actor, "review")
    comment = (comment or "").strip()
    if not comment:
        raise ServiceError("반려할 때는 보완할 내용을 의견에 적어 주세요.")
    now = moment_or_now(at)
    with transaction.atomic():
        actual = _lock(actual)
        if actual.status == ActualStatus.RETURNED:
            raise ServiceError("이미 반려된 실적입니다.", 409)
        before = snapshot(actual, AUDIT_FIELDS)
        actual.status = ActualStatus.RETURNED
        actual.decided_by = actor
        actual.decided_at = now
        actual.decision_comment = comment
        actual.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
        b, a = diff(before, snapshot(actual, AUDIT_FIELDS))
        log_action(
            actor=actor, action="province.actual_return", target=actual, department=actual.department, before=b, after=a
        )
        indicator = actual.indicator
        owners = list(indicator.departments.all())
        notify_on_commit(
            recipients=department_people(owners),
            title=f"[시군평가] {indicator.code} {actual.month}월 실적 반려",
            body=f"{indicator.name}\n{actual.month}월 누계 {plain(actual.value)} — 보완 의견: {comment}",
            url=indicator_url(indicator),
            kind="province.actual_returned",
        )
    return actual


def actual_delete(*, actual: Actual, actor: Any) -> None:
    """Withdraw an actual that was not accepted (its evidence files go with it)."""
    with transaction.atomic():
        actual = _lock(actual)
        check_can_enter(actor, actual.indicator)
        if actual.status == ActualStatus.ACCEPTED:
            raise ServiceError("승인된 실적은 삭제할 수 없습니다. 성과관리팀에 반려를 요청하세요.", 409)
        log_action(
            actor=actor,
            action="province.actual_delete",
            target=actual,
            department=actual.department,
            before={**snapshot(actual, AUDIT_FIELDS), "indicator": actual.indicator.code},
        )
        files = [e.file for e in actual.evidence.all()]
        actual.delete()
        transaction.on_commit(lambda: [f.delete(save=False) for f in files])
