"""Qualitative indicators: best-practice write-ups with versions, expert consulting log,
submission checklist and the submission itself."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from hwallyu.api.base import ServiceError
from hwallyu.core.audit import log_action
from hwallyu.core.calendar import SEOUL
from hwallyu.province.models import ChecklistCheck, ConsultingEntry, Indicator, WriteupVersion
from hwallyu.province.policies import indicator_policy
from hwallyu.province.services.common import moment_or_now


def _check(actor: Any, indicator: Indicator) -> None:
    if not indicator_policy.can(actor, "qualitative", indicator):
        raise PermissionDenied("이 지표의 정성 실적을 관리할 권한이 없습니다.")
    if indicator.is_quantitative:
        raise ServiceError("정량 지표에는 우수사례·컨설팅·제출 점검표가 없습니다. 월별 실적을 입력하세요.")


def _lock_open(indicator: Indicator) -> Indicator:
    locked = Indicator.objects.select_for_update(of=("self",)).select_related("evaluation_year").get(pk=indicator.pk)
    if locked.submitted_at is not None:
        raise ServiceError("이미 도에 제출한 지표입니다. 제출 후에는 고칠 수 없습니다.", status=409)
    return locked


def writeup_save(
    *, indicator: Indicator, title: str, body: str, actor: Any, at: dt.datetime | None = None
) -> WriteupVersion:
    """Save the write-up as a new version (earlier versions stay as they were)."""
    _check(actor, indicator)
    title, body = (title or "").strip(), (body or "").strip()
    if not title or not body:
        raise ServiceError("우수사례의 제목과 내용을 모두 적어 주세요.")
    if len(title) > 200:
        raise ServiceError("제목은 200자 이하로 적으세요.")
    now = moment_or_now(at)
    with transaction.atomic():
        indicator = _lock_open(indicator)
        last = indicator.writeups.aggregate(m=Max("version"))["m"] or 0
        version = WriteupVersion.objects.create(
            indicator=indicator, version=last + 1, title=title, body=body, author=actor, created_at=now
        )
        log_action(
            actor=actor,
            action="province.writeup_save",
            target=version,
            after={"indicator": indicator.code, "version": version.version, "title": title},
        )
    return version


def consulting_add(
    *,
    indicator: Indicator,
    held_on: dt.date,
    expert: str,
    advice: str,
    actor: Any,
    follow_up: str = "",
    at: dt.datetime | None = None,
) -> ConsultingEntry:
    _check(actor, indicator)
    now = moment_or_now(at)
    expert, advice, follow_up = (expert or "").strip(), (advice or "").strip(), (follow_up or "").strip()
    if not expert or not advice:
        raise ServiceError("전문가와 자문 내용을 적어 주세요.")
    if len(expert) > 100:
        raise ServiceError("전문가는 100자 이하로 적으세요.")
    if held_on > now.astimezone(SEOUL).date():
        raise ServiceError("컨설팅 일자는 오늘 이후일 수 없습니다.")
    with transaction.atomic():
        indicator = Indicator.objects.select_for_update(of=("self",)).get(pk=indicator.pk)
        entry = ConsultingEntry.objects.create(
            indicator=indicator,
            held_on=held_on,
            expert=expert,
            advice=advice,
            follow_up=follow_up,
            created_by=actor,
            created_at=now,
        )
        log_action(
            actor=actor,
            action="province.consulting_add",
            target=entry,
            after={"indicator": indicator.code, "held_on": held_on, "expert": expert},
        )
    return entry


def checklist_set(
    *, indicator: Indicator, label: str, checked: bool, actor: Any, at: dt.datetime | None = None
) -> bool:
    """Check or uncheck one item of the year's checklist; returns whether it is checked now."""
    _check(actor, indicator)
    now = moment_or_now(at)
    with transaction.atomic():
        indicator = _lock_open(indicator)
        if label not in indicator.evaluation_year.qualitative_checklist:
            raise ServiceError(f"'{label}'은(는) 올해 제출 점검 항목이 아닙니다.")
        existing = ChecklistCheck.objects.filter(indicator=indicator, label=label).first()
        if checked and existing is None:
            ChecklistCheck.objects.create(indicator=indicator, label=label, checked_by=actor, checked_at=now)
        elif not checked and existing is not None:
            existing.delete()
        else:
            return checked
        log_action(
            actor=actor,
            action="province.checklist_set",
            target=indicator,
            after={"label": label, "checked": checked},
        )
    return checked


def qualitative_submit(*, indicator: Indicator, actor: Any, at: dt.datetime | None = None) -> Indicator:
    """Mark the qualitative indicator as submitted to the province: every checklist item done and a write-up."""
    _check(actor, indicator)
    now = moment_or_now(at)
    with transaction.atomic():
        indicator = _lock_open(indicator)
        done = set(indicator.checks.values_list("label", flat=True))
        missing = [label for label in indicator.evaluation_year.qualitative_checklist if label not in done]
        if missing:
            raise ServiceError(f"제출 점검 항목이 남았습니다: {', '.join(missing)}")
        if not indicator.writeups.exists():
            raise ServiceError("우수사례를 한 판 이상 작성한 뒤 제출하세요.")
        indicator.submitted_at = now
        indicator.submitted_by = actor
        indicator.save(update_fields=["submitted_at", "submitted_by", "updated_at"])
        log_action(actor=actor, action="province.qualitative_submit", target=indicator, after={"submitted_at": now})
    return indicator
