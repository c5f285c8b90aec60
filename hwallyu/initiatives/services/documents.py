"""Evidence documents: upload with size and type limits (the file's first bytes must match its
extension), and deletion that never removes the last proof of a signed agreement."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from hwallyu.core.audit import log_action, snapshot
from hwallyu.initiatives.models import (
    AGREEMENT_EVIDENCE,
    Document,
    DocumentKind,
    Event,
    Initiative,
    InstitutionTarget,
    Milestone,
    Partner,
    Readiness,
    ReviewCriterion,
)
from hwallyu.initiatives.services.common import InitiativeError, department_of, parse_choice, require_manage

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # HWP 5, DOC, XLS, PPT
ZIP = b"PK\x03\x04"  # HWPX, DOCX, XLSX, PPTX, ZIP
# extension → (content type, accepted leading bytes)
DOCUMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".hwp": ("application/x-hwp", (OLE,)),
    ".hwpx": ("application/hwp+zip", (ZIP,)),
    ".doc": ("application/msword", (OLE,)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (ZIP,)),
    ".xls": ("application/vnd.ms-excel", (OLE,)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (ZIP,)),
    ".ppt": ("application/vnd.ms-powerpoint", (OLE,)),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (ZIP,)),
    ".zip": ("application/zip", (ZIP,)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}
ALLOWED_TEXT = ", ".join(ext.lstrip(".") for ext in DOCUMENT_TYPES)


def check_file(upload: UploadedFile) -> tuple[str, str]:
    """(clean file name, content type) of an acceptable upload; InitiativeError otherwise."""
    name = PurePath((upload.name or "").replace("\\", "/")).name.strip()
    if not name or len(name) > 200:
        raise InitiativeError("파일 이름은 1~200자여야 합니다.", field="file")
    suffix = PurePath(name).suffix.lower()
    if suffix not in DOCUMENT_TYPES:
        raise InitiativeError(f"'{name}': 올릴 수 있는 형식은 {ALLOWED_TEXT}입니다.", field="file")
    size = upload.size or 0
    if size <= 0:
        raise InitiativeError(f"'{name}': 빈 파일입니다.", field="file")
    if size > MAX_DOCUMENT_BYTES:
        raise InitiativeError(f"'{name}': 파일은 20MB 이하여야 합니다.", field="file")
    content_type, signatures = DOCUMENT_TYPES[suffix]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in signatures):
        raise InitiativeError(f"'{name}': 파일 내용이 {suffix} 형식이 아닙니다.", field="file")
    return name, content_type


def _check_links(initiative: Initiative, links: dict[str, Any]) -> None:
    for name, obj in links.items():
        if obj is not None and obj.initiative_id != initiative.pk:
            raise InitiativeError("다른 전략사업의 항목에는 문서를 붙일 수 없습니다.", field=name)


def attach(
    *,
    initiative: Initiative,
    upload: UploadedFile,
    actor: Any,
    kind: str = DocumentKind.EVIDENCE,
    title: str = "",
    milestone: Milestone | None = None,
    partner: Partner | None = None,
    criterion: ReviewCriterion | None = None,
    event: Event | None = None,
    institution: InstitutionTarget | None = None,
) -> Document:
    """Store one document; the caller has checked the policy and holds the transaction."""
    kind = parse_choice(DocumentKind, kind, "문서 종류", field="kind")
    links = {
        "milestone": milestone,
        "partner": partner,
        "criterion": criterion,
        "event": event,
        "institution": institution,
    }
    _check_links(initiative, links)
    filename, content_type = check_file(upload)
    title = (title or "").strip() or PurePath(filename).stem
    if len(title) > 200:
        raise InitiativeError("제목은 200자 이하로 입력하세요.", field="title")
    document = Document(
        initiative=initiative,
        title=title,
        kind=kind,
        filename=filename,
        size=upload.size or 0,
        content_type=content_type,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        **links,
    )
    document.file.save(filename, upload, save=False)
    document.save()
    log_action(
        actor=actor,
        action="initiatives.document.create",
        target=document,
        department=department_of(initiative),
        after={
            **snapshot(document, ["title", "kind", "filename", "size"]),
            **{k: str(v) for k, v in links.items() if v},
        },
    )
    return document


def document_upload(
    *,
    initiative: Initiative,
    upload: UploadedFile,
    actor: Any,
    kind: str = DocumentKind.EVIDENCE,
    title: str = "",
    milestone: Milestone | None = None,
    partner: Partner | None = None,
    criterion: ReviewCriterion | None = None,
    event: Event | None = None,
    institution: InstitutionTarget | None = None,
) -> Document:
    require_manage(actor, initiative)
    with transaction.atomic():
        return attach(
            initiative=initiative,
            upload=upload,
            actor=actor,
            kind=kind,
            title=title,
            milestone=milestone,
            partner=partner,
            criterion=criterion,
            event=event,
            institution=institution,
        )


def _still_proven(document: Document) -> None:
    partner = document.partner
    if partner is not None and partner.is_signed:
        kinds = AGREEMENT_EVIDENCE[partner.state]
        others = partner.documents.exclude(pk=document.pk).filter(kind__in=kinds)
        if document.kind in kinds and not others.exists():
            raise InitiativeError(
                f"'{partner.name}'의 협약 상태({partner.get_state_display()})를 증명하는 유일한 문서입니다. "
                "협약 상태를 먼저 바꾸거나 다른 서명 문서를 올린 뒤 지우세요."
            )
    criterion = document.criterion
    if (
        criterion is not None
        and criterion.state == Readiness.READY
        and not criterion.evidence.strip()
        and not criterion.documents.exclude(pk=document.pk).exists()
    ):
        raise InitiativeError(
            f"'{criterion.name}'은(는) 준비 완료 항목이고 이 문서가 유일한 근거입니다. 근거를 먼저 적으세요."
        )


def document_delete(*, document: Document, actor: Any) -> None:
    initiative = document.initiative
    require_manage(actor, initiative)
    with transaction.atomic():
        _still_proven(document)
        before = snapshot(document, ["title", "kind", "filename", "size", "milestone_id", "partner_id"])
        target_id, target_repr = document.pk, str(document)
        stored = document.file.name
        storage = document.file.storage
        document.delete()
        log_action(
            actor=actor,
            action="initiatives.document.delete",
            target_type="initiatives.document",
            target_id=target_id,
            target_repr=target_repr,
            department=department_of(initiative),
            before=before,
        )
        transaction.on_commit(lambda: storage.delete(stored))
