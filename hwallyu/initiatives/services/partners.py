"""Partners and their agreements (with signed documents as evidence), contacts and meetings; the
institutions an attraction initiative targets, with their contact log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from hwallyu.core.audit import log_action
from hwallyu.initiatives.models import (
    AGREEMENT_EVIDENCE,
    AgreementState,
    DocumentKind,
    Initiative,
    InstitutionContact,
    InstitutionState,
    InstitutionTarget,
    Partner,
    PartnerContact,
    PartnerMeeting,
)
from hwallyu.initiatives.services import common
from hwallyu.initiatives.services.common import InitiativeError
from hwallyu.initiatives.services.documents import attach

PARTNER_FIELDS = ("name", "kind", "role", "state", "state_on", "note", "order")
CONTACT_FIELDS = ("name", "position", "phone", "email", "note")
MEETING_FIELDS = ("held_on", "place", "attendees", "summary", "follow_up")
INSTITUTION_FIELDS = ("name", "type", "parent", "state", "state_on", "decided_year", "note", "order")
INSTITUTION_CONTACT_FIELDS = ("contacted_on", "channel", "counterpart", "summary")
DEFAULT_DOCUMENT_KIND: dict[str, str] = {
    AgreementState.LOI: DocumentKind.LOI,
    AgreementState.MOU: DocumentKind.MOU,
    AgreementState.DONE: DocumentKind.MOU,
}


def _kinds_text(kinds: tuple[str, ...]) -> str:
    return "·".join(str(DocumentKind(k).label) for k in kinds)


def _check_partner(partner: Partner, *, upload_kind: str | None = None) -> None:
    if partner.state in AGREEMENT_EVIDENCE:
        kinds = AGREEMENT_EVIDENCE[partner.state]
        has_document = upload_kind in kinds or (
            partner.pk is not None and partner.documents.filter(kind__in=kinds).exists()
        )
        if not has_document:
            raise InitiativeError(
                f"'{partner.get_state_display()}'(으)로 표시하려면 서명된 문서({_kinds_text(kinds)})를 "
                "먼저 올리거나 함께 올리세요.",
                field="state",
            )
    if partner.state == AgreementState.STOPPED and not partner.note.strip():
        raise InitiativeError("협의를 중단하면 사유를 비고에 적으세요.", field="note")
    if partner.state_on and partner.state_on > timezone.localdate():
        raise InitiativeError("상태 변경일은 오늘 이후일 수 없습니다.", field="state_on")


def _stamp_state_change(fields: dict[str, Any], current: Partner | InstitutionTarget | None) -> dict[str, Any]:
    """A change of state without a date is dated today."""
    fields = dict(fields)
    changed = "state" in fields and (
        current is None or fields["state"] not in (current.state, current.get_state_display())
    )
    if changed and not fields.get("state_on"):
        fields["state_on"] = timezone.localdate()
    return fields


def partner_create(
    *,
    initiative: Initiative,
    actor: Any,
    upload: UploadedFile | None = None,
    document_kind: str | None = None,
    **fields: Any,
) -> Partner:
    if fields.get("order") in (None, ""):
        last = Partner.objects.filter(initiative=initiative).aggregate(n=Max("order"))["n"] or 0
        fields["order"] = last + 1
    fields = _stamp_state_change(fields, None)
    state = common.parse_choice(AgreementState, fields.get("state") or AgreementState.NEGOTIATING, "협약 상태")
    kind = _document_kind(state, document_kind) if upload is not None else None
    with transaction.atomic():
        partner = common.create(
            Partner,
            initiative=initiative,
            actor=actor,
            fields=fields,
            editable=PARTNER_FIELDS,
            action="initiatives.partner",
            parent={"initiative": initiative},
            check=lambda p: _check_partner(p, upload_kind=kind),
            defaults={"state": AgreementState.NEGOTIATING},
        )
        if upload is not None:
            attach(
                initiative=initiative,
                upload=upload,
                actor=actor,
                kind=kind or DocumentKind.EVIDENCE,
                partner=partner,
                title=f"{partner.name} {DocumentKind(kind).label}" if kind else "",
            )
    return partner


def _document_kind(state: str, given: str | None) -> str:
    if given:
        return common.parse_choice(DocumentKind, given, "문서 종류", field="document_kind")
    return DEFAULT_DOCUMENT_KIND.get(state, DocumentKind.EVIDENCE)


def partner_update(
    *,
    partner: Partner,
    actor: Any,
    upload: UploadedFile | None = None,
    document_kind: str | None = None,
    document_title: str = "",
    **fields: Any,
) -> Partner:
    """Edit a partner; a move to a signed state needs a signed document (already there or ``upload``)."""
    fields = _stamp_state_change(fields, partner)
    state = common.parse_choice(AgreementState, fields.get("state", partner.state), "협약 상태", field="state")
    with transaction.atomic():
        if upload is not None:
            kind = _document_kind(state, document_kind)
            attach(
                initiative=partner.initiative,
                upload=upload,
                actor=actor,
                kind=kind,
                partner=partner,
                title=document_title or f"{partner.name} {DocumentKind(kind).label}",
            )
        return common.update(
            partner,
            initiative=partner.initiative,
            actor=actor,
            fields=fields,
            editable=PARTNER_FIELDS,
            action="initiatives.partner",
            check=_check_partner,
        )


def partner_set_state(
    *,
    partner: Partner,
    state: str,
    actor: Any,
    on: dt.date | None = None,
    note: str | None = None,
    upload: UploadedFile | None = None,
    document_kind: str | None = None,
    document_title: str = "",
) -> Partner:
    fields: dict[str, Any] = {"state": state, "state_on": on or timezone.localdate()}
    if note is not None:
        fields["note"] = note
    return partner_update(
        partner=partner,
        actor=actor,
        upload=upload,
        document_kind=document_kind,
        document_title=document_title,
        **fields,
    )


def partner_delete(*, partner: Partner, actor: Any) -> None:
    def _check(p: Partner) -> None:
        if p.is_signed:
            raise InitiativeError(
                f"'{p.name}'은(는) {p.get_state_display()} 상태입니다. "
                "서명된 협력 기관은 지울 수 없습니다(중단으로 바꾸세요)."
            )

    common.delete(partner, initiative=partner.initiative, actor=actor, action="initiatives.partner", check=_check)


def contact_create(*, partner: Partner, actor: Any, **fields: Any) -> PartnerContact:
    return common.create(
        PartnerContact,
        initiative=partner.initiative,
        actor=actor,
        fields=fields,
        editable=CONTACT_FIELDS,
        action="initiatives.contact",
        parent={"partner": partner},
    )


def contact_update(*, contact: PartnerContact, actor: Any, **fields: Any) -> PartnerContact:
    return common.update(
        contact,
        initiative=contact.partner.initiative,
        actor=actor,
        fields=fields,
        editable=CONTACT_FIELDS,
        action="initiatives.contact",
    )


def contact_delete(*, contact: PartnerContact, actor: Any) -> None:
    common.delete(contact, initiative=contact.partner.initiative, actor=actor, action="initiatives.contact")


def _check_meeting(meeting: PartnerMeeting) -> None:
    if meeting.held_on > timezone.localdate() + dt.timedelta(days=366):
        raise InitiativeError("협의 일자가 너무 먼 미래입니다.", field="held_on")


def meeting_create(*, partner: Partner, actor: Any, **fields: Any) -> PartnerMeeting:
    return common.create(
        PartnerMeeting,
        initiative=partner.initiative,
        actor=actor,
        fields=fields,
        editable=MEETING_FIELDS,
        action="initiatives.meeting",
        parent={"partner": partner},
        check=_check_meeting,
    )


def meeting_update(*, meeting: PartnerMeeting, actor: Any, **fields: Any) -> PartnerMeeting:
    return common.update(
        meeting,
        initiative=meeting.partner.initiative,
        actor=actor,
        fields=fields,
        editable=MEETING_FIELDS,
        action="initiatives.meeting",
        check=_check_meeting,
    )


def meeting_delete(*, meeting: PartnerMeeting, actor: Any) -> None:
    common.delete(meeting, initiative=meeting.partner.initiative, actor=actor, action="initiatives.meeting")


# --- institution targets (attraction) --------------------------------------------------------


def _check_institution(institution: InstitutionTarget) -> None:
    if institution.state == InstitutionState.WON and institution.decided_year is None:
        raise InitiativeError("유치확정으로 표시하려면 확정 연도를 입력하세요.", field="decided_year")
    if institution.decided_year is not None and not 1950 <= institution.decided_year <= 2100:
        raise InitiativeError("확정 연도는 1950–2100 사이여야 합니다.", field="decided_year")
    if institution.state == InstitutionState.LOST and not institution.note.strip():
        raise InitiativeError("무산되었으면 사유를 비고에 적으세요.", field="note")
    if institution.state_on and institution.state_on > timezone.localdate():
        raise InitiativeError("상태 변경일은 오늘 이후일 수 없습니다.", field="state_on")


def institution_create(*, initiative: Initiative, actor: Any, **fields: Any) -> InstitutionTarget:
    if fields.get("order") in (None, ""):
        last = InstitutionTarget.objects.filter(initiative=initiative).aggregate(n=Max("order"))["n"] or 0
        fields["order"] = last + 1
    if fields.get("state") not in (None, "", InstitutionState.INTEREST, InstitutionState.INTEREST.label):
        fields = _stamp_state_change(fields, None)
    return common.create(
        InstitutionTarget,
        initiative=initiative,
        actor=actor,
        fields=fields,
        editable=INSTITUTION_FIELDS,
        action="initiatives.institution",
        parent={"initiative": initiative},
        check=_check_institution,
        defaults={"state": InstitutionState.INTEREST},
    )


def institution_update(*, institution: InstitutionTarget, actor: Any, **fields: Any) -> InstitutionTarget:
    return common.update(
        institution,
        initiative=institution.initiative,
        actor=actor,
        fields=_stamp_state_change(fields, institution),
        editable=INSTITUTION_FIELDS,
        action="initiatives.institution",
        check=_check_institution,
    )


def institution_delete(*, institution: InstitutionTarget, actor: Any) -> None:
    common.delete(institution, initiative=institution.initiative, actor=actor, action="initiatives.institution")


def institution_contact_create(*, institution: InstitutionTarget, actor: Any, **fields: Any) -> InstitutionContact:
    """Log a contact; an institution still at 관심 moves to 접촉 with its first contact."""
    initiative = institution.initiative
    with transaction.atomic():
        contact = common.create(
            InstitutionContact,
            initiative=initiative,
            actor=actor,
            fields=fields,
            editable=INSTITUTION_CONTACT_FIELDS,
            action="initiatives.institution_contact",
            parent={"institution": institution},
            defaults={"author": actor if getattr(actor, "is_authenticated", False) else None},
        )
        if institution.state == InstitutionState.INTEREST:
            institution.state = InstitutionState.CONTACT
            institution.state_on = contact.contacted_on
            institution.save(update_fields=["state", "state_on", "updated_at"])
            log_action(
                actor=actor,
                action="initiatives.institution.update",
                target=institution,
                department=common.department_of(initiative),
                before={"state": InstitutionState.INTEREST},
                after={"state": InstitutionState.CONTACT, "state_on": contact.contacted_on, "reason": "첫 접촉 기록"},
            )
    return contact


def institution_contact_update(*, contact: InstitutionContact, actor: Any, **fields: Any) -> InstitutionContact:
    return common.update(
        contact,
        initiative=contact.institution.initiative,
        actor=actor,
        fields=fields,
        editable=INSTITUTION_CONTACT_FIELDS,
        action="initiatives.institution_contact",
    )


def institution_contact_delete(*, contact: InstitutionContact, actor: Any) -> None:
    common.delete(
        contact, initiative=contact.institution.initiative, actor=actor, action="initiatives.institution_contact"
    )
