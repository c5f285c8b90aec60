"""The approval pipeline (milestones) and the readiness checklist of the approving reviews."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from hwallyu.initiatives.models import (
    DatePrecision,
    DocumentKind,
    Initiative,
    Milestone,
    MilestoneState,
    Readiness,
    ReviewCriterion,
)
from hwallyu.initiatives.services import common
from hwallyu.initiatives.services.common import InitiativeError
from hwallyu.initiatives.services.documents import attach

MILESTONE_FIELDS = (
    "order",
    "name",
    "deciding_body",
    "planned_on",
    "planned_precision",
    "actual_on",
    "state",
    "note",
)
CRITERION_FIELDS = ("review", "order", "name", "description", "owner", "state", "evidence", "due_on")


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def check_sequence(milestones: list[Milestone], *, current: Milestone | None = None) -> None:
    """Each stage's actual date may not precede the latest earlier stage's unless its note says why."""
    previous: Milestone | None = None
    for stage in sorted(milestones, key=lambda m: (m.order, m.pk or 0)):
        if stage.actual_on is None:
            continue
        earlier = previous is not None and previous.actual_on and stage.actual_on < previous.actual_on
        if earlier and previous is not None and not stage.note.strip():
            raise InitiativeError(
                f"'{stage.name}'의 실제 일자({stage.actual_on:%Y-%m-%d})가 앞 단계 '{previous.name}'의 "
                f"실제 일자({previous.actual_on:%Y-%m-%d})보다 이릅니다. 순서가 바뀐 사유를 비고에 적으세요.",
                field="actual_on" if stage is current else "",
            )
        previous = stage


def _check_milestone(milestone: Milestone, *, removing: bool = False) -> None:
    if milestone.planned_on and milestone.planned_precision == DatePrecision.MONTH:
        milestone.planned_on = month_end(milestone.planned_on)
    if milestone.state == MilestoneState.DONE and milestone.actual_on is None:
        raise InitiativeError("완료로 표시하려면 실제 일자를 입력하세요.", field="actual_on")
    if milestone.actual_on is not None and milestone.state != MilestoneState.DONE:
        raise InitiativeError("실제 일자가 있는 단계의 상태는 '완료'여야 합니다.", field="state")
    if milestone.actual_on and milestone.actual_on > timezone.localdate():
        raise InitiativeError(
            "실제 일자는 오늘 이후일 수 없습니다. 앞으로의 일정은 계획일에 적으세요.", field="actual_on"
        )
    others = list(Milestone.objects.filter(initiative_id=milestone.initiative_id).exclude(pk=milestone.pk))
    check_sequence(others if removing else [*others, milestone], current=milestone)


def _normalise(fields: dict[str, Any], milestone: Milestone | None = None) -> dict[str, Any]:
    """An actual date given without a state means the stage is done; clearing it reopens the stage."""
    fields = dict(fields)
    if "actual_on" in fields and "state" not in fields:
        if fields["actual_on"]:
            fields["state"] = MilestoneState.DONE
        elif milestone is not None and milestone.state == MilestoneState.DONE:
            fields["state"] = MilestoneState.IN_PROGRESS
    return fields


def milestone_create(*, initiative: Initiative, actor: Any, **fields: Any) -> Milestone:
    fields = _normalise(fields)
    if fields.get("order") in (None, ""):
        last = Milestone.objects.filter(initiative=initiative).aggregate(n=Max("order"))["n"] or 0
        fields["order"] = last + 1
    return common.create(
        Milestone,
        initiative=initiative,
        actor=actor,
        fields=fields,
        editable=MILESTONE_FIELDS,
        action="initiatives.milestone",
        parent={"initiative": initiative},
        check=_check_milestone,
        defaults={"planned_precision": DatePrecision.DAY, "state": MilestoneState.PLANNED},
    )


def milestone_update(*, milestone: Milestone, actor: Any, **fields: Any) -> Milestone:
    return common.update(
        milestone,
        initiative=milestone.initiative,
        actor=actor,
        fields=_normalise(fields, milestone),
        editable=MILESTONE_FIELDS,
        action="initiatives.milestone",
        check=_check_milestone,
    )


def milestone_complete(
    *,
    milestone: Milestone,
    actual_on: dt.date,
    actor: Any,
    note: str | None = None,
    upload: UploadedFile | None = None,
    document_title: str = "",
    document_kind: str = DocumentKind.EVIDENCE,
) -> Milestone:
    """Mark the stage done on ``actual_on``, with its evidence document when one is given."""
    fields: dict[str, Any] = {"actual_on": actual_on, "state": MilestoneState.DONE}
    if note is not None:
        fields["note"] = note
    with transaction.atomic():
        milestone = milestone_update(milestone=milestone, actor=actor, **fields)
        if upload is not None:
            attach(
                initiative=milestone.initiative,
                upload=upload,
                actor=actor,
                kind=document_kind,
                title=document_title,
                milestone=milestone,
            )
    return milestone


def milestone_delete(*, milestone: Milestone, actor: Any) -> None:
    common.delete(
        milestone,
        initiative=milestone.initiative,
        actor=actor,
        action="initiatives.milestone",
        check=lambda m: _check_milestone(m, removing=True),
    )


# --- review readiness ---------------------------------------------------------------------


def _check_criterion(criterion: ReviewCriterion, *, uploading: bool = False) -> None:
    if criterion.state != Readiness.READY or criterion.evidence.strip() or uploading:
        return
    if criterion.pk is None or not criterion.documents.exists():
        raise InitiativeError("준비 완료로 표시하려면 근거·증빙을 적거나 증빙 문서를 올리세요.", field="evidence")


def criterion_create(
    *, initiative: Initiative, actor: Any, upload: UploadedFile | None = None, **fields: Any
) -> ReviewCriterion:
    if fields.get("order") in (None, ""):
        last = ReviewCriterion.objects.filter(initiative=initiative).aggregate(n=Max("order"))["n"] or 0
        fields["order"] = last + 1
    with transaction.atomic():
        criterion = common.create(
            ReviewCriterion,
            initiative=initiative,
            actor=actor,
            fields=fields,
            editable=CRITERION_FIELDS,
            action="initiatives.criterion",
            parent={"initiative": initiative},
            check=lambda c: _check_criterion(c, uploading=upload is not None),
            defaults={"state": Readiness.NOT_STARTED},
        )
        if upload is not None:
            attach(initiative=initiative, upload=upload, actor=actor, criterion=criterion, title=criterion.name)
    return criterion


def criterion_update(
    *, criterion: ReviewCriterion, actor: Any, upload: UploadedFile | None = None, **fields: Any
) -> ReviewCriterion:
    with transaction.atomic():
        criterion = common.update(
            criterion,
            initiative=criterion.initiative,
            actor=actor,
            fields=fields,
            editable=CRITERION_FIELDS,
            action="initiatives.criterion",
            check=lambda c: _check_criterion(c, uploading=upload is not None),
        )
        if upload is not None:
            attach(
                initiative=criterion.initiative, upload=upload, actor=actor, criterion=criterion, title=criterion.name
            )
    return criterion


def criterion_delete(*, criterion: ReviewCriterion, actor: Any) -> None:
    common.delete(criterion, initiative=criterion.initiative, actor=actor, action="initiatives.criterion")
