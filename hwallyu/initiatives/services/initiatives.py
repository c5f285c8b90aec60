"""Initiatives themselves, their targets, budget lines, events, and the trend log."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from hwallyu.core.audit import diff, log_action, snapshot
from hwallyu.initiatives import links
from hwallyu.initiatives.models import (
    BUDGET_SOURCES,
    BudgetLine,
    Event,
    EventState,
    Initiative,
    Target,
    TrendEntry,
)
from hwallyu.initiatives.money import million_text
from hwallyu.initiatives.policies import MANAGE, trends
from hwallyu.initiatives.services import common
from hwallyu.initiatives.services.common import InitiativeError

INITIATIVE_FIELDS = (
    "name",
    "kind",
    "team",
    "departments",
    "starts_on",
    "ends_on",
    "aims",
    "summary",
    "status",
    "budget_total",
    "reminder_days",
)
TARGET_FIELDS = ("order", "name", "value", "unit", "actual", "actual_on", "note")
BUDGET_FIELDS = (
    "year",
    "name",
    "total",
    "national",
    "provincial",
    "city",
    "other",
    "in_total",
    "workplan_line_id",
    "note",
    "order",
)
EVENT_FIELDS = ("title", "kind", "starts_on", "ends_on", "tentative", "place", "audience", "outcome", "state", "note")
TREND_FIELDS = ("recorded_on", "title", "body", "source", "url", "tags", "initiatives")
REMINDER_PATTERN = re.compile(r"^\s*\d{1,2}(\s*,\s*\d{1,2})*\s*$")
INITIATIVE_AUDIT = [
    "name",
    "kind",
    "team_id",
    "starts_on",
    "ends_on",
    "aims",
    "summary",
    "status",
    "budget_total",
    "reminder_days",
]


# --- initiatives ------------------------------------------------------------------------------


def _check_initiative(initiative: Initiative) -> None:
    if initiative.ends_on < initiative.starts_on:
        raise InitiativeError("종료일이 시작일보다 이를 수 없습니다.", field="ends_on")
    if initiative.reminder_days.strip() and not REMINDER_PATTERN.match(initiative.reminder_days):
        raise InitiativeError("알림 시점은 근무일 수를 쉼표로 구분해 적으세요(예: 10,1).", field="reminder_days")
    if any(n > 60 for n in initiative.reminder_offsets()):
        raise InitiativeError("알림 시점은 60근무일 이내여야 합니다.", field="reminder_days")


def initiative_create(*, actor: Any, **fields: Any) -> Initiative:
    common.require_manage(actor)
    values = common.coerce_all(Initiative, fields, INITIATIVE_FIELDS)
    for name in ("name", "team", "starts_on", "ends_on"):
        if name not in values:
            values[name] = common.coerce(Initiative, name, None)  # a Korean "입력하세요"
    departments = values.pop("departments", [])
    with transaction.atomic():
        initiative = Initiative(**values)
        common.check_unique(initiative)
        _check_initiative(initiative)
        initiative.save()
        initiative.departments.set(departments)
        log_action(
            actor=actor,
            action="initiatives.initiative.create",
            target=initiative,
            department=initiative.team.department,
            after={**snapshot(initiative, INITIATIVE_AUDIT), "departments": [str(d) for d in departments]},
        )
    return initiative


def initiative_update(*, initiative: Initiative, actor: Any, **fields: Any) -> Initiative:
    return common.update(
        initiative,
        initiative=initiative,
        actor=actor,
        fields=fields,
        editable=INITIATIVE_FIELDS,
        action="initiatives.initiative",
        check=_check_initiative,
    )


# --- targets ------------------------------------------------------------------------------------


def _check_target(target: Target) -> None:
    if target.value <= 0:
        raise InitiativeError("목표값은 0보다 커야 합니다.", field="value")
    if target.actual_on and target.actual_on > timezone.localdate():
        raise InitiativeError("실적 기준일은 오늘 이후일 수 없습니다.", field="actual_on")


def target_create(*, initiative: Initiative, actor: Any, **fields: Any) -> Target:
    if fields.get("order") in (None, ""):
        last = Target.objects.filter(initiative=initiative).aggregate(n=Max("order"))["n"] or 0
        fields["order"] = last + 1
    return common.create(
        Target,
        initiative=initiative,
        actor=actor,
        fields=fields,
        editable=TARGET_FIELDS,
        action="initiatives.target",
        parent={"initiative": initiative},
        check=_check_target,
    )


def target_update(*, target: Target, actor: Any, **fields: Any) -> Target:
    return common.update(
        target,
        initiative=target.initiative,
        actor=actor,
        fields=fields,
        editable=TARGET_FIELDS,
        action="initiatives.target",
        check=_check_target,
    )


def target_delete(*, target: Target, actor: Any) -> None:
    common.delete(target, initiative=target.initiative, actor=actor, action="initiatives.target")


# --- budget lines ---------------------------------------------------------------------------------


def _check_budget(line: BudgetLine) -> None:
    if not 2000 <= line.year <= 2100:
        raise InitiativeError("연도는 2000–2100 사이여야 합니다.", field="year")
    sources = line.sources_sum()
    if line.total != sources:
        parts = " + ".join(
            f"{common.label_of(BudgetLine, name)} {million_text(getattr(line, name))}" for name in BUDGET_SOURCES
        )
        raise InitiativeError(
            f"계 {million_text(line.total)}백만원이 재원 합계 {million_text(sources)}백만원({parts})과 다릅니다.",
            field="total",
        )
    if line.workplan_line_id is not None:
        if not links.workplan_installed():
            raise InitiativeError("업무계획 모듈이 없어 사업비 조서와 연계할 수 없습니다.", field="workplan_line_id")
        if links.statement_line(line.year, line.workplan_line_id) is None:
            raise InitiativeError(
                f"{line.year}년 사업비 조서에서 연계할 행을 찾을 수 없습니다.", field="workplan_line_id"
            )


def budget_line_create(*, initiative: Initiative, actor: Any, **fields: Any) -> BudgetLine:
    if fields.get("order") in (None, ""):
        last = BudgetLine.objects.filter(initiative=initiative).aggregate(n=Max("order"))["n"] or 0
        fields["order"] = last + 1
    return common.create(
        BudgetLine,
        initiative=initiative,
        actor=actor,
        fields=fields,
        editable=BUDGET_FIELDS,
        action="initiatives.budget",
        parent={"initiative": initiative},
        check=_check_budget,
        defaults={"national": 0, "provincial": 0, "city": 0, "other": 0, "in_total": True},
    )


def budget_line_update(*, line: BudgetLine, actor: Any, **fields: Any) -> BudgetLine:
    return common.update(
        line,
        initiative=line.initiative,
        actor=actor,
        fields=fields,
        editable=BUDGET_FIELDS,
        action="initiatives.budget",
        check=_check_budget,
    )


def budget_line_delete(*, line: BudgetLine, actor: Any) -> None:
    common.delete(line, initiative=line.initiative, actor=actor, action="initiatives.budget")


# --- events ------------------------------------------------------------------------------------------


def _check_event(event: Event) -> None:
    if event.ends_on is not None and event.ends_on < event.starts_on:
        raise InitiativeError("종료일이 시작일보다 이를 수 없습니다.", field="ends_on")
    if event.state == EventState.DONE and event.starts_on > timezone.localdate():
        raise InitiativeError("아직 열리지 않은 행사는 완료로 표시할 수 없습니다.", field="state")


def event_create(*, initiative: Initiative, actor: Any, **fields: Any) -> Event:
    return common.create(
        Event,
        initiative=initiative,
        actor=actor,
        fields=fields,
        editable=EVENT_FIELDS,
        action="initiatives.event",
        parent={"initiative": initiative},
        check=_check_event,
        defaults={"state": EventState.PLANNED, "tentative": False},
    )


def event_update(*, event: Event, actor: Any, **fields: Any) -> Event:
    return common.update(
        event,
        initiative=event.initiative,
        actor=actor,
        fields=fields,
        editable=EVENT_FIELDS,
        action="initiatives.event",
        check=_check_event,
    )


def event_delete(*, event: Event, actor: Any) -> None:
    common.delete(event, initiative=event.initiative, actor=actor, action="initiatives.event")


# --- trend log ---------------------------------------------------------------------------------------


def normalise_tags(tags: str | Iterable[str] | None) -> str:
    """ "공공기관 이전, 충남도" or ["공공기관 이전", "충남도"] → "|공공기관 이전|충남도|"."""
    if tags is None:
        return ""
    items = re.split(r"[,|#\n]", tags) if isinstance(tags, str) else list(tags)
    clean: list[str] = []
    for item in items:
        text = str(item).strip()
        if text and text not in clean:
            clean.append(text[:40])
    value = "|" + "|".join(clean) + "|" if clean else ""
    if len(value) > 300:
        raise InitiativeError("태그가 너무 깁니다(300자 이하).", field="tags")
    return value


def _check_trend(entry: TrendEntry) -> None:
    if entry.recorded_on > timezone.localdate() + dt.timedelta(days=1):
        raise InitiativeError("동향 일자는 오늘 이후일 수 없습니다.", field="recorded_on")


def _trend_fields(fields: dict[str, Any]) -> dict[str, Any]:
    fields = dict(fields)
    if "tags" in fields:
        fields["tags"] = normalise_tags(fields["tags"])
    if "initiatives" in fields:
        items = list(fields["initiatives"] or [])
        if any(not isinstance(i, Initiative) for i in items):
            raise InitiativeError("관련 사업이 올바르지 않습니다.", field="initiatives")
    return fields


def trend_create(*, actor: Any, **fields: Any) -> TrendEntry:
    trends.check(actor, MANAGE)
    fields = _trend_fields(fields)
    values = common.coerce_all(TrendEntry, fields, TREND_FIELDS)
    for name in TREND_FIELDS:
        if name not in values:
            values[name] = common.coerce(TrendEntry, name, None)
    related = values.pop("initiatives")
    with transaction.atomic():
        entry = TrendEntry(**values, author=actor if getattr(actor, "is_authenticated", False) else None)
        _check_trend(entry)
        entry.save()
        entry.initiatives.set(related)
        log_action(
            actor=actor,
            action="initiatives.trend.create",
            target=entry,
            after={
                **snapshot(entry, ["recorded_on", "title", "source", "tags"]),
                "initiatives": [str(i) for i in related],
            },
        )
    return entry


def trend_update(*, entry: TrendEntry, actor: Any, **fields: Any) -> TrendEntry:
    trends.check(actor, MANAGE, entry)
    fields = _trend_fields(fields)
    values = common.coerce_all(TrendEntry, fields, TREND_FIELDS)
    related = values.pop("initiatives", None)
    names = list(values)
    with transaction.atomic():
        before = snapshot(entry, names)
        related_before = sorted(str(i) for i in entry.initiatives.all())
        for name, value in values.items():
            setattr(entry, name, value)
        _check_trend(entry)
        if names:
            entry.save(update_fields=names)
        b, a = diff(before, snapshot(entry, names))
        if related is not None:
            entry.initiatives.set(related)
            now = sorted(str(i) for i in related)
            if now != related_before:
                b["initiatives"], a["initiatives"] = related_before, now
        log_action(actor=actor, action="initiatives.trend.update", target=entry, before=b, after=a)
    return entry


def trend_delete(*, entry: TrendEntry, actor: Any) -> None:
    trends.check(actor, MANAGE, entry)
    with transaction.atomic():
        before = {
            **snapshot(entry, ["recorded_on", "title", "body", "source", "url", "tags"]),
            "initiatives": [str(i) for i in entry.initiatives.all()],
        }
        target_id, target_repr = entry.pk, str(entry)
        entry.delete()
        log_action(
            actor=actor,
            action="initiatives.trend.delete",
            target_type="initiatives.trendentry",
            target_id=target_id,
            target_repr=target_repr,
            before=before,
        )
