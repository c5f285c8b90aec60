"""REST API of strategic initiatives under /api/v1/initiatives.

* ``/`` and ``/{id}``: initiatives (list, register, read, change; ended through ``status``);
* ``/{id}/{part}`` and ``/{id}/{part}/{item_id}`` for milestones, criteria (review readiness),
  partners, targets, budget, events and institutions; ``/{id}/contacts``, ``/{id}/meetings``
  and ``/{id}/institution-contacts`` for the logs of a partner or an institution (created under
  ``/{id}/partners/{partner_id}/contacts`` …): list, create, read, change, delete;
* ``/{id}/milestones/{item_id}/complete`` and ``/{id}/partners/{item_id}/state``: the actions
  whose rules need evidence (upload the document first with ``/{id}/documents``);
* ``/{id}/documents`` (multipart upload, list, read, file, delete), ``/{id}/report?format=``,
  ``/{id}/summary``, ``/portfolio`` and ``/trends``.

Choice values are accepted as codes or Korean labels ("loi" or "참여의향서"); money is whole won.
Every write goes through the services: the same rules and the same audit rows as the pages.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import create_model

from hwallyu.api.base import ServiceError
from hwallyu.core.documents import report_response
from hwallyu.initiatives import reports, selectors, services
from hwallyu.initiatives.models import (
    BudgetLine,
    Document,
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
    TrendEntry,
)
from hwallyu.initiatives.policies import MANAGE, initiatives, trends
from hwallyu.initiatives.services import initiatives as initiative_services
from hwallyu.initiatives.services import partners as partner_services
from hwallyu.initiatives.services import pipeline
from hwallyu.org import selectors as org

router = Router(tags=["전략사업"])


# --- schemas built from the models ------------------------------------------------------------


def _python_type(field: models.Field) -> Any:
    if isinstance(field, models.BooleanField):
        return bool
    if isinstance(field, models.DateField):
        return dt.date
    if isinstance(field, models.DecimalField):
        return Decimal
    if isinstance(field, models.IntegerField):
        return int
    return str


def out_schema(name: str, model: type[models.Model], names: Iterable[str], **extra: Any) -> type[Schema]:
    fields: dict[str, Any] = {"id": (int, ...)}
    for field_name in names:
        field = model._meta.get_field(field_name)
        if isinstance(field, models.ForeignKey):
            fields[f"{field_name}_id"] = (int | None, None)
            continue
        kind = _python_type(field)
        fields[field_name] = (kind | None, None) if field.null else (kind, ...)
        if field.choices:
            fields[f"{field_name}_label"] = (str, ...)
    fields.update(extra)
    return create_model(name, __base__=Schema, **fields)


def in_schema(
    name: str, model: type[models.Model], names: Iterable[str], *, required: Iterable[str] = (), patch: bool = False
) -> type[Schema]:
    must = set(required)
    fields: dict[str, Any] = {}
    for field_name in names:
        field = model._meta.get_field(field_name)
        if isinstance(field, models.ForeignKey):
            fields[f"{field_name}_id"] = (int | None, None)
            continue
        kind = _python_type(field)
        if field_name in must and not patch:
            fields[field_name] = (kind, ...)
        else:
            fields[field_name] = (kind | None, None)
    return create_model(name, __base__=Schema, **fields)


def serialize(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    data: dict[str, Any] = {"id": obj.pk}
    for field_name in names:
        field = obj._meta.get_field(field_name)
        if isinstance(field, models.ForeignKey):
            data[f"{field_name}_id"] = getattr(obj, field.attname)
            continue
        data[field_name] = getattr(obj, field_name)
        if field.choices:
            data[f"{field_name}_label"] = getattr(obj, f"get_{field_name}_display")()
    return data


class Detail(Schema):
    detail: str


# --- lookups -------------------------------------------------------------------------------------


def _initiative(request: HttpRequest, initiative_id: int) -> Initiative:
    initiative = (
        initiatives.scope(request.user).select_related("team", "team__department").filter(pk=initiative_id).first()
    )
    if initiative is None:
        raise Http404
    return initiative


def _payload(payload: Schema, *, patch: bool) -> dict[str, Any]:
    data = payload.dict(exclude_unset=True)
    if patch:
        return data
    return {k: v for k, v in data.items() if v is not None}


def _user(user_id: int | None) -> Any:
    if user_id is None:
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise ServiceError(f"사용자 {user_id}을(를) 찾을 수 없습니다.")
    return user


# --- initiatives -------------------------------------------------------------------------------------

INITIATIVE_OUT = [
    "name",
    "kind",
    "team",
    "starts_on",
    "ends_on",
    "aims",
    "summary",
    "status",
    "budget_total",
    "reminder_days",
]
InitiativeOut = out_schema(
    "InitiativeOut", Initiative, INITIATIVE_OUT, departments=(list[str], ...), team_name=(str, ...)
)
_INITIATIVE_IN = [n for n in INITIATIVE_OUT if n != "team"]


InitiativeIn = create_model(
    "InitiativeIn",
    __base__=in_schema("InitiativeInBase", Initiative, _INITIATIVE_IN, required=["name", "starts_on", "ends_on"]),
    team_id=(int, ...),
    departments=(list[str] | None, None),
)
InitiativePatch = create_model(
    "InitiativePatch",
    __base__=in_schema("InitiativePatchBase", Initiative, _INITIATIVE_IN, patch=True),
    team_id=(int | None, None),
    departments=(list[str] | None, None),
)


def _initiative_out(initiative: Initiative) -> dict[str, Any]:
    data = serialize(initiative, INITIATIVE_OUT)
    data["departments"] = [d.code for d in initiative.departments.all()]
    data["team_name"] = str(initiative.team)
    return data


def _initiative_fields(data: dict[str, Any]) -> dict[str, Any]:
    if "team_id" in data:
        team_id = data.pop("team_id")
        team = org.active_teams().filter(pk=team_id).first() if team_id is not None else None
        if team is None:
            raise ServiceError(f"팀 {team_id}을(를) 찾을 수 없습니다.")
        data["team"] = team
    if "departments" in data:
        codes = data.pop("departments") or []
        found, missing = org.departments_by_codes(codes)
        if missing:
            raise ServiceError(f"부서 코드를 찾을 수 없습니다: {', '.join(missing)}")
        data["departments"] = found
    return data


@router.get("/", response=list[InitiativeOut], summary="전략사업 목록")
def initiative_list(request: HttpRequest) -> list[dict[str, Any]]:
    qs = selectors.visible_initiatives(request.user).prefetch_related("departments")
    return [_initiative_out(i) for i in qs]


@router.post("/", response={201: InitiativeOut}, summary="전략사업 등록")
def initiative_create(request: HttpRequest, payload: InitiativeIn) -> Status:  # type: ignore[valid-type]
    data = _initiative_fields(_payload(payload, patch=False))
    initiative = services.initiative_create(actor=request.user, **data)
    return Status(201, _initiative_out(initiative))


@router.get("/portfolio", summary="전략사업 현황(30일 내 일정, 지연, 서명, 최근 변경)")
def portfolio(request: HttpRequest) -> dict[str, Any]:
    data = selectors.portfolio(request.user)

    def item(u: selectors.Upcoming) -> dict[str, Any]:
        return {"date": u.day, "kind": u.kind, "initiative_id": u.initiative.pk, "title": u.title, "note": u.note}

    return {
        "today": data.today,
        "initiatives": [
            {
                "id": r.initiative.pk,
                "name": r.initiative.name,
                "status": r.initiative.status,
                "stages_done": r.stages_done,
                "stages_total": r.stages_total,
                "late": r.late,
                "next_stage": r.next_stage.name if r.next_stage else None,
                "partners": r.partners,
                "signed": r.signed,
                "budget_total": r.initiative.budget_total,
            }
            for r in data.rows
        ],
        "upcoming": [item(u) for u in data.upcoming],
        "late": [item(u) for u in data.late],
        "signed": [
            {"initiative_id": p.initiative_id, "partner_id": p.pk, "name": p.name, "state": p.state, "on": p.state_on}
            for p in data.signed
        ],
        "changes": [
            {"date": c.day, "initiative_id": c.initiative.pk, "what": c.what, "title": c.title} for c in data.changes
        ],
    }


@router.get("/{int:initiative_id}", response=InitiativeOut, summary="전략사업")
def initiative_detail(request: HttpRequest, initiative_id: int) -> dict[str, Any]:
    return _initiative_out(_initiative(request, initiative_id))


@router.patch("/{int:initiative_id}", response=InitiativeOut, summary="전략사업 수정(상태 변경 포함)")
def initiative_patch(request: HttpRequest, initiative_id: int, payload: InitiativePatch) -> dict[str, Any]:  # type: ignore[valid-type]
    initiative = _initiative(request, initiative_id)
    data = _initiative_fields(_payload(payload, patch=True))
    services.initiative_update(initiative=initiative, actor=request.user, **data)
    return _initiative_out(_initiative(request, initiative_id))


@router.get("/{int:initiative_id}/summary", summary="전략사업 요약(단계·예산 검사·서명)")
def initiative_summary(request: HttpRequest, initiative_id: int) -> dict[str, Any]:
    initiative = _initiative(request, initiative_id)
    on = selectors.today()
    stages = selectors.milestones(initiative)
    view = selectors.budget(initiative)
    partners = selectors.partners(initiative)
    return {
        "stages_total": len(stages),
        "stages_done": sum(1 for m in stages if m.state == "done"),
        "late": [m.pk for m in stages if m.late_state(on) == "late"],
        "budget": {
            "declared": view.declared,
            "lines_in_total": view.in_total,
            "outside_total": view.outside,
            "check": view.check,
            "message": view.message,
            "workplan": [
                {"line_id": r.line.pk, "workplan_line_id": r.line.workplan_line_id, "link": r.link} for r in view.rows
            ],
        },
        "partners": {"total": len(partners), "signed": sum(1 for p in partners if p.is_signed)},
    }


@router.get("/{int:initiative_id}/report", summary="추진상황 보고서(HWPX·XLSX)")
def initiative_report(request: HttpRequest, initiative_id: int, format: str = "hwpx") -> HttpResponse:
    initiative = _initiative(request, initiative_id)
    if format not in ("hwpx", "xlsx"):
        raise ServiceError("format은 hwpx 또는 xlsx입니다.")
    on = selectors.today()
    return report_response(reports.status_report(initiative, on=on), format, f"{initiative.name}_추진상황_{on:%Y%m%d}")


# --- the parts: one factory, five routes each ------------------------------------------------------------


def part_routes(
    *,
    segment: str,
    label: str,
    model: type[models.Model],
    names: list[str],
    required: list[str],
    queryset: Callable[[Initiative], Any],
    create: Callable[[Initiative, Any, dict[str, Any]], models.Model],
    update: Callable[[models.Model, Any, dict[str, Any]], models.Model],
    delete: Callable[[models.Model, Any], None],
    extra_out: Callable[[models.Model], dict[str, Any]] | None = None,
    extra_out_fields: dict[str, Any] | None = None,
    create_segment: str | None = None,
    parent: Callable[[Initiative, int], models.Model] | None = None,
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
        return [out(obj) for obj in queryset(_initiative(request, initiative_id))]

    def read_item(request: HttpRequest, initiative_id: int, item_id: int) -> dict[str, Any]:
        return out(item(_initiative(request, initiative_id), item_id))

    def change_item(request: HttpRequest, initiative_id: int, item_id: int, payload: Patch) -> dict[str, Any]:  # type: ignore[valid-type]
        initiative = _initiative(request, initiative_id)
        obj = item(initiative, item_id)
        update(obj, request.user, _payload(payload, patch=True))
        return out(item(initiative, item_id))

    def delete_item(request: HttpRequest, initiative_id: int, item_id: int) -> Status:
        initiative = _initiative(request, initiative_id)
        delete(item(initiative, item_id), request.user)
        return Status(204, None)

    base = f"/{{int:initiative_id}}/{segment}"
    router.get(base, response=list[Out], summary=f"{label} 목록", operation_id=f"initiatives_{key}_list")(list_items)
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
            initiative = _initiative(request, initiative_id)
            obj = create(initiative, request.user, _payload(payload, patch=False))
            return Status(201, out(obj))

        router.post(base, response={201: Out}, summary=f"{label} 추가", operation_id=f"initiatives_{key}_create")(
            create_item
        )
    else:

        def create_child(request: HttpRequest, initiative_id: int, parent_id: int, payload: In) -> Status:  # type: ignore[valid-type]
            initiative = _initiative(request, initiative_id)
            owner = parent(initiative, parent_id)
            obj = create(owner, request.user, _payload(payload, patch=False))  # type: ignore[arg-type]
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
        data["owner"] = _user(data.pop("owner_id"))
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
    initiative = _initiative(request, initiative_id)
    milestone = Milestone.objects.filter(initiative=initiative, pk=item_id).select_related("initiative").first()
    if milestone is None:
        raise Http404
    milestone = services.milestone_complete(
        milestone=milestone, actual_on=payload.actual_on, note=payload.note, actor=request.user
    )
    return serialize(milestone, pipeline.MILESTONE_FIELDS)


@router.post("/{int:initiative_id}/partners/{int:item_id}/state", summary="협약 상태 변경(서명 단계는 문서 필요)")
def partner_state(request: HttpRequest, initiative_id: int, item_id: int, payload: StateIn) -> dict[str, Any]:
    initiative = _initiative(request, initiative_id)
    partner = _partner_of(initiative, item_id)
    partner = services.partner_set_state(
        partner=partner, state=payload.state, on=payload.on, note=payload.note, actor=request.user
    )
    return serialize(partner, partner_services.PARTNER_FIELDS)


# --- documents ----------------------------------------------------------------------------------------

DOCUMENT_OUT = [
    "title",
    "kind",
    "filename",
    "size",
    "content_type",
    "milestone",
    "partner",
    "criterion",
    "event",
    "institution",
]
DocumentOut = out_schema("DocumentOut", Document, DOCUMENT_OUT, uploaded_at=(dt.datetime, ...))


def _document_out(document: Document) -> dict[str, Any]:
    return {**serialize(document, DOCUMENT_OUT), "uploaded_at": document.uploaded_at}


def _linked(model: type[models.Model], initiative: Initiative, pk: int | None) -> Any:
    if pk is None:
        return None
    obj = model._default_manager.filter(initiative=initiative, pk=pk).first()
    if obj is None:
        raise ServiceError(f"이 전략사업에 {model._meta.verbose_name} {pk}이(가) 없습니다.")
    return obj


@router.get("/{int:initiative_id}/documents", response=list[DocumentOut], summary="문서 목록")
def document_list(request: HttpRequest, initiative_id: int) -> list[dict[str, Any]]:
    return [_document_out(d) for d in selectors.documents(_initiative(request, initiative_id))]


@router.post("/{int:initiative_id}/documents", response={201: DocumentOut}, summary="문서 올리기(multipart)")
def document_upload(
    request: HttpRequest,
    initiative_id: int,
    file: File[UploadedFile],
    title: Form[str] = "",
    kind: Form[str] = "evidence",
    milestone_id: Form[int | None] = None,
    partner_id: Form[int | None] = None,
    criterion_id: Form[int | None] = None,
    event_id: Form[int | None] = None,
    institution_id: Form[int | None] = None,
) -> Status:
    initiative = _initiative(request, initiative_id)
    initiatives.check(request.user, MANAGE, initiative)
    document = services.document_upload(
        initiative=initiative,
        upload=file,
        actor=request.user,
        title=title,
        kind=kind,
        milestone=_linked(Milestone, initiative, milestone_id),
        partner=_linked(Partner, initiative, partner_id),
        criterion=_linked(ReviewCriterion, initiative, criterion_id),
        event=_linked(Event, initiative, event_id),
        institution=_linked(InstitutionTarget, initiative, institution_id),
    )
    return Status(201, _document_out(document))


def _document(request: HttpRequest, initiative_id: int, item_id: int) -> Document:
    initiative = _initiative(request, initiative_id)
    document = Document.objects.filter(initiative=initiative, pk=item_id).select_related("initiative").first()
    if document is None:
        raise Http404
    return document


@router.get("/{int:initiative_id}/documents/{int:item_id}", response=DocumentOut, summary="문서 정보")
def document_detail(request: HttpRequest, initiative_id: int, item_id: int) -> dict[str, Any]:
    return _document_out(_document(request, initiative_id, item_id))


@router.get("/{int:initiative_id}/documents/{int:item_id}/file", summary="문서 내려받기")
def document_file(request: HttpRequest, initiative_id: int, item_id: int) -> FileResponse:
    document = _document(request, initiative_id, item_id)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404
    return FileResponse(handle, as_attachment=True, filename=document.filename)


@router.delete("/{int:initiative_id}/documents/{int:item_id}", response={204: None}, summary="문서 삭제")
def document_delete(request: HttpRequest, initiative_id: int, item_id: int) -> Status:
    services.document_delete(document=_document(request, initiative_id, item_id), actor=request.user)
    return Status(204, None)


# --- trend log ------------------------------------------------------------------------------------------

TREND_OUT = ["recorded_on", "title", "body", "source", "url"]
TrendOut = out_schema("TrendOut", TrendEntry, TREND_OUT, tags=(list[str], ...), initiatives=(list[int], ...))
TrendIn = create_model(
    "TrendIn",
    __base__=in_schema("TrendInBase", TrendEntry, TREND_OUT, required=["recorded_on", "title"]),
    tags=(list[str] | None, None),
    initiatives=(list[int] | None, None),
)
TrendPatch = create_model(
    "TrendPatch",
    __base__=in_schema("TrendPatchBase", TrendEntry, TREND_OUT, patch=True),
    tags=(list[str] | None, None),
    initiatives=(list[int] | None, None),
)


def _trend_out(entry: TrendEntry) -> dict[str, Any]:
    return {
        **serialize(entry, TREND_OUT),
        "tags": entry.tag_list(),
        "initiatives": [i.pk for i in entry.initiatives.all()],
    }


def _trend_fields(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    if "initiatives" in data:
        ids = data["initiatives"] or []
        found = list(initiatives.scope(request.user).filter(pk__in=ids))
        if len(found) != len(set(ids)):
            raise ServiceError("관련 사업 중 찾을 수 없는 것이 있습니다.")
        data["initiatives"] = found
    return data


def _trend(request: HttpRequest, trend_id: int) -> TrendEntry:
    entry = trends.scope(request.user).filter(pk=trend_id).first()
    if entry is None:
        raise Http404
    return entry


@router.get("/trends", response=list[TrendOut], summary="동향 기록")
def trend_list(request: HttpRequest, tag: str = "", initiative: int | None = None, q: str = "") -> list[dict[str, Any]]:
    return [_trend_out(t) for t in selectors.trend_list(request.user, tag=tag, initiative_id=initiative, query=q)]


@router.post("/trends", response={201: TrendOut}, summary="동향 기록 추가")
def trend_create(request: HttpRequest, payload: TrendIn) -> Status:  # type: ignore[valid-type]
    entry = services.trend_create(actor=request.user, **_trend_fields(request, _payload(payload, patch=False)))
    return Status(201, _trend_out(entry))


@router.get("/trends/{int:trend_id}", response=TrendOut, summary="동향")
def trend_detail(request: HttpRequest, trend_id: int) -> dict[str, Any]:
    return _trend_out(_trend(request, trend_id))


@router.patch("/trends/{int:trend_id}", response=TrendOut, summary="동향 수정")
def trend_patch(request: HttpRequest, trend_id: int, payload: TrendPatch) -> dict[str, Any]:  # type: ignore[valid-type]
    entry = services.trend_update(
        entry=_trend(request, trend_id), actor=request.user, **_trend_fields(request, _payload(payload, patch=True))
    )
    return _trend_out(entry)


@router.delete("/trends/{int:trend_id}", response={204: None}, summary="동향 삭제")
def trend_delete(request: HttpRequest, trend_id: int) -> Status:
    services.trend_delete(entry=_trend(request, trend_id), actor=request.user)
    return Status(204, None)
