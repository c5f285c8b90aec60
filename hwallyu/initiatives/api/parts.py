"""The parts of an initiative (one factory, five routes each) and the actions that need evidence."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import models
from django.http import Http404, HttpRequest
from ninja import Schema, Status

from hwallyu.initiatives import selectors, services
from hwallyu.initiatives.api.base import (
    active_user,
    in_schema,
    initiative_or_404,
    out_schema,
    payload_fields,
    router,
    serialize,
)
from hwallyu.initiatives.models import (
    BudgetLine,
    Event,
    Initiative,
    InstitutionContact,
    InstitutionTarget,
    Milestone,
    Partner,
    PartnerContact,
    PartnerMeeting,
    ReviewCriterion,
    Target,
)
from hwallyu.initiatives.services import initiatives as initiative_services
from hwallyu.initiatives.services import partners as partner_services
from hwallyu.initiatives.services import pipeline

# --- the parts: one factory, five routes each ------------------------------------------------------------


def part_routes(
    *,
    segment: str,
    label: str,
    model: type[models.Model],
    names: list[str],
    required: list[str],
    queryset: Callable[[Initiative], Any],
    create: Callable[[Any, Any, dict[str, Any]], Any],
    update: Callable[[Any, Any, dict[str, Any]], Any],
    delete: Callable[[Any, Any], None],
    extra_out: Callable[[Any], dict[str, Any]] | None = None,
    extra_out_fields: dict[str, Any] | None = None,
    create_segment: str | None = None,
    parent: Callable[[Initiative, int], Any] | None = None,
    input_names: list[str] | None = None,
) -> None:
    """List, create, read, change and delete routes for one part of an initiative."""
    key = segment.replace("-", "_")
    title = key.title().replace("_", "")
    Out = out_schema(f"{title}Out", model, names, **(extra_out_fields or {}))
    In = in_schema(f"{title}In", model, input_names or names, required=required)
    Patch = in_schema(f"{title}Patch", model, input_names or names, patch=True)

    def out(obj: models.Model) -> dict[str, Any]:
        data = serialize(obj, names)
        if extra_out is not None:
            data.update(extra_out(obj))
        return data

    def item(initiative: Initiative, item_id: int) -> models.Model:
        obj = queryset(initiative).filter(pk=item_id).first()
        if obj is None:
            raise Http404
        return obj

    def list_items(request: HttpRequest, initiative_id: int) -> list[dict[str, Any]]:
        return [out(obj) for obj in queryset(initiative_or_404(request, initiative_id))]

    def read_item(request: HttpRequest, initiative_id: int, item_id: int) -> dict[str, Any]:
        return out(item(initiative_or_404(request, initiative_id), item_id))

    def change_item(request: HttpRequest, initiative_id: int, item_id: int, payload: Patch) -> dict[str, Any]:  # type: ignore[valid-type]
        initiative = initiative_or_404(request, initiative_id)
        obj = item(initiative, item_id)
        update(obj, request.user, payload_fields(payload, patch=True))
        return out(item(initiative, item_id))

    def delete_item(request: HttpRequest, initiative_id: int, item_id: int) -> Status:
        initiative = initiative_or_404(request, initiative_id)
        delete(item(initiative, item_id), request.user)
        return Status(204, None)

    base = f"/{{int:initiative_id}}/{segment}"
    router.get(
        base,
        response=list[Out],  # type: ignore[valid-type]
        summary=f"{label} 목록",
        operation_id=f"initiatives_{key}_list",
    )(list_items)
    router.get(f"{base}/{{int:item_id}}", response=Out, summary=label, operation_id=f"initiatives_{key}_read")(
        read_item
    )
    router.patch(
        f"{base}/{{int:item_id}}", response=Out, summary=f"{label} 수정", operation_id=f"initiatives_{key}_update"
    )(change_item)
    router.delete(
        f"{base}/{{int:item_id}}",
        response={204: None},
        summary=f"{label} 삭제",
        operation_id=f"initiatives_{key}_delete",
    )(delete_item)

    if parent is None:

        def create_item(request: HttpRequest, initiative_id: int, payload: In) -> Status:  # type: ignore[valid-type]
            initiative = initiative_or_404(request, initiative_id)
            obj = create(initiative, request.user, payload_fields(payload, patch=False))
            return Status(201, out(obj))

        router.post(base, response={201: Out}, summary=f"{label} 추가", operation_id=f"initiatives_{key}_create")(
            create_item
        )
    else:

        def create_child(request: HttpRequest, initiative_id: int, parent_id: int, payload: In) -> Status:  # type: ignore[valid-type]
            initiative = initiative_or_404(request, initiative_id)
            owner = parent(initiative, parent_id)
            obj = create(owner, request.user, payload_fields(payload, patch=False))  # type: ignore[arg-type]
            return Status(201, out(obj))

        router.post(
            f"/{{int:initiative_id}}/{create_segment}",
            response={201: Out},
            summary=f"{label} 추가",
            operation_id=f"initiatives_{key}_create",
        )(create_child)


def _documents(obj: models.Model) -> dict[str, Any]:
    return {"documents": [d.pk for d in obj.documents.all()]}  # type: ignore[attr-defined]


def _partner_of(initiative: Initiative, partner_id: int) -> Partner:
    partner = Partner.objects.filter(initiative=initiative, pk=partner_id).select_related("initiative").first()
    if partner is None:
        raise Http404
    return partner


def _institution_of(initiative: Initiative, institution_id: int) -> InstitutionTarget:
    institution = (
        InstitutionTarget.objects.filter(initiative=initiative, pk=institution_id).select_related("initiative").first()
    )
    if institution is None:
        raise Http404
    return institution


def _criterion_fields(data: dict[str, Any]) -> dict[str, Any]:
    if "owner_id" in data:
        data["owner"] = active_user(data.pop("owner_id"))
    return data


part_routes(
    segment="milestones",
    label="추진 단계",
    model=Milestone,
    names=pipeline.MILESTONE_FIELDS,  # type: ignore[arg-type]
    required=["name"],
    queryset=lambda i: i.milestones.order_by("order", "id").prefetch_related("documents"),
    create=lambda i, actor, data: services.milestone_create(initiative=i, actor=actor, **data),
    update=lambda obj, actor, data: services.milestone_update(milestone=obj, actor=actor, **data),
    delete=lambda obj, actor: services.milestone_delete(milestone=obj, actor=actor),
    extra_out=lambda m: {**_documents(m), "late": m.late_state(selectors.today())},  # type: ignore[attr-defined]
    extra_out_fields={"documents": (list[int], ...), "late": (str, ...)},
)
part_routes(
    segment="criteria",
    label="심사 대비 항목",
    model=ReviewCriterion,
    names=list(pipeline.CRITERION_FIELDS),
    required=["review", "name"],
    queryset=lambda i: i.criteria.order_by("review", "order", "id").prefetch_related("documents"),
    create=lambda i, actor, data: services.criterion_create(initiative=i, actor=actor, **_criterion_fields(data)),
    update=lambda obj, actor, data: services.criterion_update(criterion=obj, actor=actor, **_criterion_fields(data)),
    delete=lambda obj, actor: services.criterion_delete(criterion=obj, actor=actor),
    extra_out=_documents,
    extra_out_fields={"documents": (list[int], ...)},
)
part_routes(
    segment="partners",
    label="협력 기관",
    model=Partner,
    names=list(partner_services.PARTNER_FIELDS),
    required=["name", "kind"],
    queryset=lambda i: i.partners.order_by("order", "id").prefetch_related("documents"),
    create=lambda i, actor, data: services.partner_create(initiative=i, actor=actor, **data),
    update=lambda obj, actor, data: services.partner_update(partner=obj, actor=actor, **data),
    delete=lambda obj, actor: services.partner_delete(partner=obj, actor=actor),
    extra_out=_documents,
    extra_out_fields={"documents": (list[int], ...)},
)
part_routes(
    segment="contacts",
    label="협력 기관 담당자",
    model=PartnerContact,
    names=["partner", *partner_services.CONTACT_FIELDS],
    input_names=list(partner_services.CONTACT_FIELDS),
    required=["name"],
    queryset=lambda i: PartnerContact.objects.filter(partner__initiative=i).select_related("partner__initiative"),
    create=lambda p, actor, data: services.contact_create(partner=p, actor=actor, **data),  # type: ignore[arg-type]
    update=lambda obj, actor, data: services.contact_update(contact=obj, actor=actor, **data),
    delete=lambda obj, actor: services.contact_delete(contact=obj, actor=actor),
    parent=_partner_of,
    create_segment="partners/{int:parent_id}/contacts",
)
part_routes(
    segment="meetings",
    label="협의 기록",
    model=PartnerMeeting,
    names=["partner", *partner_services.MEETING_FIELDS],
    input_names=list(partner_services.MEETING_FIELDS),
    required=["held_on", "summary"],
    queryset=lambda i: PartnerMeeting.objects.filter(partner__initiative=i).select_related("partner__initiative"),
    create=lambda p, actor, data: services.meeting_create(partner=p, actor=actor, **data),  # type: ignore[arg-type]
    update=lambda obj, actor, data: services.meeting_update(meeting=obj, actor=actor, **data),
    delete=lambda obj, actor: services.meeting_delete(meeting=obj, actor=actor),
    parent=_partner_of,
    create_segment="partners/{int:parent_id}/meetings",
)
part_routes(
    segment="targets",
    label="목표",
    model=Target,
    names=list(initiative_services.TARGET_FIELDS),
    required=["name", "value", "unit"],
    queryset=lambda i: i.targets.order_by("order", "id"),
    create=lambda i, actor, data: services.target_create(initiative=i, actor=actor, **data),
    update=lambda obj, actor, data: services.target_update(target=obj, actor=actor, **data),
    delete=lambda obj, actor: services.target_delete(target=obj, actor=actor),
    extra_out=lambda t: {"achievement": t.achievement()},  # type: ignore[attr-defined]
    extra_out_fields={"achievement": (Decimal | None, None)},
)
part_routes(
    segment="budget",
    label="예산",
    model=BudgetLine,
    names=list(initiative_services.BUDGET_FIELDS),
    required=["year", "name", "total"],
    queryset=lambda i: i.budget_lines.order_by("year", "order", "id"),
    create=lambda i, actor, data: services.budget_line_create(initiative=i, actor=actor, **data),
    update=lambda obj, actor, data: services.budget_line_update(line=obj, actor=actor, **data),
    delete=lambda obj, actor: services.budget_line_delete(line=obj, actor=actor),
)
part_routes(
    segment="events",
    label="행사·홍보",
    model=Event,
    names=list(initiative_services.EVENT_FIELDS),
    required=["title", "kind", "starts_on"],
    queryset=lambda i: i.events.order_by("starts_on", "id"),
    create=lambda i, actor, data: services.event_create(initiative=i, actor=actor, **data),
    update=lambda obj, actor, data: services.event_update(event=obj, actor=actor, **data),
    delete=lambda obj, actor: services.event_delete(event=obj, actor=actor),
)
part_routes(
    segment="institutions",
    label="유치 대상 기관",
    model=InstitutionTarget,
    names=list(partner_services.INSTITUTION_FIELDS),
    required=["name", "type"],
    queryset=lambda i: i.institutions.order_by("order", "id"),
    create=lambda i, actor, data: services.institution_create(initiative=i, actor=actor, **data),
    update=lambda obj, actor, data: services.institution_update(institution=obj, actor=actor, **data),
    delete=lambda obj, actor: services.institution_delete(institution=obj, actor=actor),
)
part_routes(
    segment="institution-contacts",
    label="유치 대상 접촉 기록",
    model=InstitutionContact,
    names=["institution", *partner_services.INSTITUTION_CONTACT_FIELDS],
    input_names=list(partner_services.INSTITUTION_CONTACT_FIELDS),
    required=["contacted_on", "summary"],
    queryset=lambda i: InstitutionContact.objects.filter(institution__initiative=i).select_related(
        "institution__initiative"
    ),
    create=lambda p, actor, data: services.institution_contact_create(institution=p, actor=actor, **data),  # type: ignore[arg-type]
    update=lambda obj, actor, data: services.institution_contact_update(contact=obj, actor=actor, **data),
    delete=lambda obj, actor: services.institution_contact_delete(contact=obj, actor=actor),
    parent=_institution_of,
    create_segment="institutions/{int:parent_id}/contacts",
)


# --- actions with evidence ----------------------------------------------------------------------------


class CompleteIn(Schema):
    actual_on: dt.date
    note: str | None = None


class StateIn(Schema):
    state: str
    on: dt.date | None = None
    note: str | None = None


@router.post("/{int:initiative_id}/milestones/{int:item_id}/complete", summary="단계 완료(실제 일자)")
def milestone_complete(request: HttpRequest, initiative_id: int, item_id: int, payload: CompleteIn) -> dict[str, Any]:
    initiative = initiative_or_404(request, initiative_id)
    milestone = Milestone.objects.filter(initiative=initiative, pk=item_id).select_related("initiative").first()
    if milestone is None:
        raise Http404
    milestone = services.milestone_complete(
        milestone=milestone, actual_on=payload.actual_on, note=payload.note, actor=request.user
    )
    return serialize(milestone, pipeline.MILESTONE_FIELDS)


@router.post("/{int:initiative_id}/partners/{int:item_id}/state", summary="협약 상태 변경(서명 단계는 문서 필요)")
def partner_state(request: HttpRequest, initiative_id: int, item_id: int, payload: StateIn) -> dict[str, Any]:
    initiative = initiative_or_404(request, initiative_id)
    partner = _partner_of(initiative, item_id)
    partner = services.partner_set_state(
        partner=partner, state=payload.state, on=payload.on, note=payload.note, actor=request.user
    )
    return serialize(partner, partner_services.PARTNER_FIELDS)
