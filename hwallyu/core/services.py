"""Writes of the core: the city's closures (휴무일) and working hours.

Every change is checked against :data:`calendar_policy`, written with its audit row,
bumps ``CalendarSettings.version`` (so :func:`get_calendar` reloads in every process) and
sends :data:`calendar_changed` once the transaction commits, so apps that store deadlines
can recompute those not yet passed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from hwallyu.core import selectors
from hwallyu.core.audit import diff, log_action, snapshot
from hwallyu.core.models import CalendarSettings, Closure
from hwallyu.core.policies import MANAGE, calendar_policy
from hwallyu.core.signals import calendar_changed

HOURS_FIELDS = ["morning_start", "morning_end", "afternoon_start", "afternoon_end"]


def _bump_version(*, reason: str, dates: list[dt.date] | None = None) -> int:
    """Bump the calendar version (inside the caller's transaction) and announce it on commit."""
    settings_row = CalendarSettings.load()
    CalendarSettings.objects.filter(pk=settings_row.pk).update(version=F("version") + 1)
    version = CalendarSettings.objects.values_list("version", flat=True).get(pk=settings_row.pk)
    changed = list(dates or [])
    transaction.on_commit(
        lambda: calendar_changed.send(sender=CalendarSettings, version=version, reason=reason, dates=changed)
    )
    return version


def closure_add(*, date: dt.date, name: str, actor: Any) -> Closure:
    """Add a day the city closes (e.g. 개청기념일).  Weekends and public holidays are refused."""
    calendar_policy.check(actor, MANAGE)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "휴무 사유를 입력해 주세요."})
    if len(name) > 100:
        raise ValidationError({"name": "휴무 사유는 100자 이내로 입력해 주세요."})
    label = f"{date:%Y-%m-%d}({selectors.WEEKDAYS[date.weekday()]})"
    if date.weekday() >= 5:
        raise ValidationError(
            {"date": f"{label}은 주말이라 이미 근무일이 아닙니다. 휴무일로 따로 등록하지 않아도 됩니다."}
        )
    holiday = selectors.holiday_name(date)
    if holiday:
        raise ValidationError({"date": f"{label}은 공휴일({holiday})이라 이미 근무일이 아닙니다."})
    with transaction.atomic():
        existing = Closure.objects.filter(date=date).first()
        if existing is not None:
            raise ValidationError({"date": f"{label}은 이미 휴무일({existing.name})로 등록되어 있습니다."})
        try:
            with transaction.atomic():
                closure = Closure.objects.create(date=date, name=name)
        except IntegrityError:
            raise ValidationError({"date": f"{label}은 방금 다른 사용자가 휴무일로 등록했습니다."})
        log_action(
            actor=actor, action="calendar.closure_add", target=closure, after=snapshot(closure, ["date", "name"])
        )
        _bump_version(reason="closure_add", dates=[date])
    return closure


def closure_remove(*, closure: Closure, actor: Any) -> None:
    """Remove a closure; the audit row keeps what was removed."""
    calendar_policy.check(actor, MANAGE)
    with transaction.atomic():
        before = snapshot(closure, ["date", "name"])
        target_id = closure.pk
        repr_ = str(closure)
        deleted, _ = Closure.objects.filter(pk=closure.pk).delete()
        if not deleted:
            raise ValidationError("이미 삭제된 휴무일입니다.")
        log_action(
            actor=actor,
            action="calendar.closure_remove",
            target_type=Closure._meta.label_lower,
            target_id=target_id,
            target_repr=repr_,
            before=before,
        )
        _bump_version(reason="closure_remove", dates=[closure.date])


def working_hours_update(
    *,
    morning_start: dt.time,
    morning_end: dt.time,
    afternoon_start: dt.time,
    afternoon_end: dt.time,
    actor: Any,
) -> CalendarSettings:
    """Change the working hours (default 09:00–12:00, 13:00–18:00)."""
    calendar_policy.check(actor, MANAGE)
    with transaction.atomic():
        row = CalendarSettings.objects.select_for_update(of=("self",)).get(pk=CalendarSettings.load().pk)
        before = snapshot(row, HOURS_FIELDS)
        row.morning_start, row.morning_end = morning_start, morning_end
        row.afternoon_start, row.afternoon_end = afternoon_start, afternoon_end
        row.clean()
        b, a = diff(before, snapshot(row, HOURS_FIELDS))
        if not a:
            return row
        row.save(update_fields=[*HOURS_FIELDS, "updated_at"])
        log_action(actor=actor, action="calendar.working_hours_update", target=row, before=b, after=a)
        row.version = _bump_version(reason="working_hours_update")
    return row
