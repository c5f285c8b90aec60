"""Evidence documents (multipart upload, file, delete) and the trend log."""

import datetime as dt
from typing import Any

from django.db import models
from django.http import FileResponse, Http404, HttpRequest
from ninja import File, Form, Status
from ninja.files import UploadedFile
from pydantic import create_model

from hwallyu.api.base import ServiceError
from hwallyu.initiatives import selectors, services
from hwallyu.initiatives.api.base import (
    in_schema,
    initiative_or_404,
    out_schema,
    payload_fields,
    router,
    serialize,
)
from hwallyu.initiatives.models import (
    Document,
    Event,
    Initiative,
    InstitutionTarget,
    Milestone,
    Partner,
    ReviewCriterion,
    TrendEntry,
)
from hwallyu.initiatives.policies import MANAGE, initiatives, trends

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


@router.get("/{int:initiative_id}/documents", response=list[DocumentOut], summary="문서 목록")  # type: ignore[valid-type]
def document_list(request: HttpRequest, initiative_id: int) -> list[dict[str, Any]]:
    return [_document_out(d) for d in selectors.documents(initiative_or_404(request, initiative_id))]


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
    initiative = initiative_or_404(request, initiative_id)
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
    initiative = initiative_or_404(request, initiative_id)
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


@router.get("/trends", response=list[TrendOut], summary="동향 기록")  # type: ignore[valid-type]
def trend_list(request: HttpRequest, tag: str = "", initiative: int | None = None, q: str = "") -> list[dict[str, Any]]:
    return [_trend_out(t) for t in selectors.trend_list(request.user, tag=tag, initiative_id=initiative, query=q)]


@router.post("/trends", response={201: TrendOut}, summary="동향 기록 추가")
def trend_create(request: HttpRequest, payload: TrendIn) -> Status:  # type: ignore[valid-type]
    entry = services.trend_create(actor=request.user, **_trend_fields(request, payload_fields(payload, patch=False)))
    return Status(201, _trend_out(entry))


@router.get("/trends/{int:trend_id}", response=TrendOut, summary="동향")
def trend_detail(request: HttpRequest, trend_id: int) -> dict[str, Any]:
    return _trend_out(_trend(request, trend_id))


@router.patch("/trends/{int:trend_id}", response=TrendOut, summary="동향 수정")
def trend_patch(request: HttpRequest, trend_id: int, payload: TrendPatch) -> dict[str, Any]:  # type: ignore[valid-type]
    entry = services.trend_update(
        entry=_trend(request, trend_id),
        actor=request.user,
        **_trend_fields(request, payload_fields(payload, patch=True)),
    )
    return _trend_out(entry)


@router.delete("/trends/{int:trend_id}", response={204: None}, summary="동향 삭제")
def trend_delete(request: HttpRequest, trend_id: int) -> Status:
    services.trend_delete(entry=_trend(request, trend_id), actor=request.user)
    return Status(204, None)
