"""The integrity index, the year's scheme and the measures plan (writes)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from django.db import transaction

from hwallyu.api.base import ServiceError
from hwallyu.core.audit import diff, log_action, snapshot
from hwallyu.core.calendar import get_calendar
from hwallyu.integrity.models import (
    AuditorActivity,
    Broadcast,
    CitizenAuditor,
    GuideDistribution,
    IntegrityIndex,
    IntegrityScheme,
    Measure,
    MeasurePlan,
)
from hwallyu.integrity.policies import EDIT, program_policy

SCHEME_FIELDS = [
    "received_days",
    "review_days",
    "investigation_days",
    "action_days",
    "perceived_weight",
    "effort_weight",
    "external_share",
    "max_deduction",
    "cutoff_1",
    "cutoff_2",
    "cutoff_3",
    "cutoff_4",
    "retention_days",
]
INDEX_FIELDS = [
    "perceived_external",
    "perceived_internal",
    "perceived",
    "effort",
    "deduction",
    "grade",
    "perceived_grade",
    "effort_grade",
    "note",
]


def _check_cutoffs(values: dict[str, Any]) -> None:
    entered: list[tuple[int, Any]] = [
        (g, values[f"cutoff_{g}"]) for g in (1, 2, 3, 4) if values.get(f"cutoff_{g}") is not None
    ]
    for (g1, v1), (g2, v2) in pairwise(entered):
        if v1 <= v2:
            raise ServiceError(f"{g1}등급 하한({v1})은 {g2}등급 하한({v2})보다 높아야 합니다.")


def scheme_save(*, year: int, values: dict[str, Any], actor: Any) -> IntegrityScheme:
    program_policy.check(actor, EDIT)
    _check_cutoffs(values)
    with transaction.atomic():
        scheme, created = IntegrityScheme.objects.select_for_update(of=("self",)).get_or_create(year=year)
        before = {} if created else snapshot(scheme, SCHEME_FIELDS)
        for name in SCHEME_FIELDS:
            if name in values:
                setattr(scheme, name, values[name])
        scheme.full_clean()
        scheme.save()
        old, new = diff(before, snapshot(scheme, SCHEME_FIELDS))
        log_action(actor=actor, action="integrity.scheme_saved", target=scheme, before=old, after=new)
    return scheme


def index_save(*, year: int, values: dict[str, Any], actor: Any) -> IntegrityIndex:
    program_policy.check(actor, EDIT)
    deduction = values.get("deduction")
    if deduction is not None and not (0 <= deduction <= 10):
        raise ServiceError("부패실태 감점은 0점 이상 10점 이하입니다.")
    for name in ("grade", "perceived_grade", "effort_grade"):
        grade = values.get(name)
        if grade is not None and not 1 <= grade <= 5:
            raise ServiceError("등급은 1등급부터 5등급까지입니다.")
    with transaction.atomic():
        record, created = IntegrityIndex.objects.select_for_update(of=("self",)).get_or_create(year=year)
        before = {} if created else snapshot(record, INDEX_FIELDS)
        for name in INDEX_FIELDS:
            if name in values:
                setattr(record, name, values[name] if values[name] is not None or name != "note" else "")
        record.save()
        old, new = diff(before, snapshot(record, INDEX_FIELDS))
        log_action(actor=actor, action="integrity.index_saved", target=record, before=old, after=new)
    return record


# --- measures --------------------------------------------------------------------------------


def plan_get_or_create(*, year: int, actor: Any) -> MeasurePlan:
    program_policy.check(actor, EDIT)
    with transaction.atomic():
        plan, created = MeasurePlan.objects.get_or_create(year=year)
        if created:
            log_action(actor=actor, action="integrity.plan_created", target=plan)
    return plan


def plan_update(*, plan: MeasurePlan, survey_url: str, note: str, actor: Any) -> MeasurePlan:
    program_policy.check(actor, EDIT)
    url = (survey_url or "").strip()
    if url and not (url.startswith("/") or url.startswith("https://") or url.startswith("http://")):
        raise ServiceError("조사 링크는 http(s):// 또는 /로 시작해야 합니다.")
    with transaction.atomic():
        before = snapshot(plan, ["survey_url", "note"])
        plan.survey_url, plan.note = url, (note or "").strip()
        plan.save(update_fields=["survey_url", "note", "updated_at"])
        old, new = diff(before, snapshot(plan, ["survey_url", "note"]))
        log_action(actor=actor, action="integrity.plan_updated", target=plan, before=old, after=new)
    return plan


def measure_save(*, plan: MeasurePlan, values: dict[str, Any], actor: Any, measure: Measure | None = None) -> Measure:
    program_policy.check(actor, EDIT)
    if values["ends_on"] < values["starts_on"]:
        raise ServiceError("종료일은 시작일보다 빠를 수 없습니다.")
    fields = ["kind", "title", "owner", "starts_on", "ends_on", "status", "record"]
    with transaction.atomic():
        measure = measure or Measure(plan=plan)
        before = snapshot(measure, [f if f != "owner" else "owner_id" for f in fields]) if measure.pk else {}
        for name in fields:
            setattr(measure, name, values.get(name, getattr(measure, name, None)))
        measure.record = measure.record or ""
        measure.save()
        old, new = diff(before, snapshot(measure, [f if f != "owner" else "owner_id" for f in fields]))
        log_action(actor=actor, action="integrity.measure_saved", target=measure, before=old, after=new)
    return measure


def broadcast_save(
    *, plan: MeasurePlan, values: dict[str, Any], actor: Any, broadcast: Broadcast | None = None
) -> Broadcast:
    program_policy.check(actor, EDIT)
    fields = ["on_date", "speaker_name", "speaker_title", "topic", "done", "record"]
    with transaction.atomic():
        clash = Broadcast.objects.filter(plan=plan, on_date=values["on_date"])
        if broadcast is not None:
            clash = clash.exclude(pk=broadcast.pk)
        if clash.exists():
            raise ServiceError(f"{values['on_date']:%Y-%m-%d}에는 이미 청렴 방송이 있습니다.")
        broadcast = broadcast or Broadcast(plan=plan)
        before = snapshot(broadcast, fields) if broadcast.pk else {}
        for name in fields:
            if name in values:
                setattr(broadcast, name, values[name])
        broadcast.save()
        old, new = diff(before, snapshot(broadcast, fields))
        log_action(actor=actor, action="integrity.broadcast_saved", target=broadcast, before=old, after=new)
    return broadcast


def broadcast_relay_plan(
    *, plan: MeasurePlan, start: dt.date, speakers: Sequence[tuple[str, str, str]], actor: Any, weekday: int = 0
) -> list[Broadcast]:
    """Schedule the weekly relay: one speaker a week, the mayor first, then senior staff.

    ``speakers`` are (title, name, topic); the broadcast falls on ``weekday`` (0 = Monday) of
    each week, moved to the next working day of that week when it is a holiday.
    """
    program_policy.check(actor, EDIT)
    if not speakers:
        raise ServiceError("출연자를 한 명 이상 입력해 주세요.")
    mayors = [i for i, s in enumerate(speakers) if s[0].strip() == "시장"]
    if mayors and mayors[0] != 0:
        speakers = [speakers[mayors[0]], *[s for i, s in enumerate(speakers) if i != mayors[0]]]
    calendar = get_calendar()
    week = start - dt.timedelta(days=start.weekday())
    if week + dt.timedelta(days=weekday) < start:
        week += dt.timedelta(days=7)
    created: list[Broadcast] = []
    with transaction.atomic():
        taken = set(Broadcast.objects.filter(plan=plan).values_list("on_date", flat=True))
        for title, name, topic in speakers:
            on = None
            for _ in range(60):
                days = [week + dt.timedelta(days=d) for d in range(weekday, 5)]
                week += dt.timedelta(days=7)
                on = next((d for d in days if calendar.is_working_day(d) and d not in taken), None)
                if on is not None:
                    break
            if on is None:
                raise ServiceError("방송일을 정할 수 없습니다. 시작일을 확인해 주세요.")
            created.append(
                Broadcast.objects.create(
                    plan=plan, on_date=on, speaker_title=title.strip(), speaker_name=name.strip(), topic=topic.strip()
                )
            )
            taken.add(on)
        log_action(
            actor=actor, action="integrity.broadcast_relay_planned", target=plan, after={"broadcasts": len(created)}
        )
    return created


def auditor_save(*, values: dict[str, Any], actor: Any, auditor: CitizenAuditor | None = None) -> CitizenAuditor:
    program_policy.check(actor, EDIT)
    if values["term_end"] < values["term_start"]:
        raise ServiceError("임기 종료일은 시작일보다 빠를 수 없습니다.")
    fields = ["name", "field", "affiliation", "term_start", "term_end", "active"]
    with transaction.atomic():
        auditor = auditor or CitizenAuditor()
        before = snapshot(auditor, fields) if auditor.pk else {}
        for name in fields:
            if name in values:
                setattr(auditor, name, values[name])
        auditor.save()
        old, new = diff(before, snapshot(auditor, fields))
        log_action(actor=actor, action="integrity.citizen_auditor_saved", target=auditor, before=old, after=new)
    return auditor


def auditor_activity_add(*, auditor: CitizenAuditor, values: dict[str, Any], actor: Any) -> AuditorActivity:
    program_policy.check(actor, EDIT)
    if not (auditor.term_start <= values["on_date"] <= auditor.term_end):
        raise ServiceError("활동일이 시민감사관의 임기 밖입니다.")
    with transaction.atomic():
        activity = AuditorActivity.objects.create(
            auditor=auditor, on_date=values["on_date"], kind=values["kind"], summary=values.get("summary", "")
        )
        log_action(actor=actor, action="integrity.auditor_activity_added", target=activity)
    return activity


def guide_distribution_add(*, plan: MeasurePlan, values: dict[str, Any], actor: Any) -> GuideDistribution:
    program_policy.check(actor, EDIT)
    with transaction.atomic():
        row = GuideDistribution.objects.create(
            plan=plan,
            on_date=values["on_date"],
            edition=values.get("edition", ""),
            recipients=values["recipients"],
            copies=values.get("copies") or 0,
            note=values.get("note", ""),
        )
        log_action(actor=actor, action="integrity.guide_distributed", target=row)
    return row
