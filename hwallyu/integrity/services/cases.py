"""Cases: filing and following up without an account, and handling by designated handlers.

Writing to a case needs only its public key, so a reporter files and replies, and a handler
answers, without any secret.  Reading needs the case's private key, which only the receipt
(reporter) or an unlocked handler key (handler) opens.  No function here receives or stores
anything about the reporter's connection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from hwallyu.api.base import ServiceError
from hwallyu.core.audit import log_action
from hwallyu.core.calendar import get_calendar
from hwallyu.integrity import crypto
from hwallyu.integrity.attachments import PreparedFile, max_files
from hwallyu.integrity.limits import Throttled, guard
from hwallyu.integrity.models import (
    STEP_ORDER,
    ActionKind,
    Case,
    CaseAttachment,
    CaseCounter,
    CaseKind,
    CaseMessage,
    CaseSeal,
    CaseStep,
    Category,
    MessageKind,
    Step,
)
from hwallyu.integrity.policies import HANDLE, VIEW, case_policy, handler_key_of, is_designated
from hwallyu.integrity.selectors import designated_keys, office_key, scheme_for

RECEIPT_REFUSED = "접수번호를 확인할 수 없습니다. 16자리 번호를 다시 확인해 주세요."
MAX_TITLE = 200
MAX_BODY = 20000
MAX_NAME = 100
# Work a failed receipt check does so that it costs as long as a real one.
_DUMMY_SALT = b"\x00" * crypto.SALT_BYTES
_DUMMY_BOX = crypto.secret_encrypt(b"\x01" * crypto.KEY_BYTES, b"\x00" * crypto.KEY_BYTES)

CATEGORY_BY_LABEL = {label: value for value, label in Category.choices}
KIND_BY_LABEL = {label: value for value, label in CaseKind.choices}


def _throttle(take: Any) -> None:
    try:
        take()
    except Throttled as exc:
        raise ServiceError(exc.message, status=429) from None


def _clean_text(value: str | None, *, label: str, limit: int, required: bool = True) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise ServiceError(f"{label}을(를) 입력해 주세요.")
    if len(text) > limit:
        raise ServiceError(f"{label}은(는) {limit:,}자까지 쓸 수 있습니다.")
    return text


def _next_number(year: int) -> str:
    counter, _ = CaseCounter.objects.get_or_create(year=year)
    CaseCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return f"{year}-{counter.last:04d}"


def _add_attachments(case: Case, files: Iterable[PreparedFile], *, from_reporter: bool) -> int:
    count = 0
    public = bytes(case.public_key)
    for f in files:
        meta = {"name": f.name, "content_type": f.content_type, "size": len(f.data), "stripped": f.stripped}
        CaseAttachment.objects.create(
            case=case,
            from_reporter=from_reporter,
            meta=crypto.seal_json(public, meta),
            data=crypto.seal(public, f.data, block=crypto.FILE_BLOCK),
        )
        count += 1
    return count


def _handler_recipients(case: Case) -> list[Any]:
    if case.assignee_id and is_designated(case.assignee):
        return [case.assignee]
    return [k.user for k in designated_keys()]


def _case_url(case: Case) -> str:
    return reverse("integrity:case_detail", args=[case.number])


# --- filing ----------------------------------------------------------------------------------


def case_file(
    *,
    kind: str,
    category: str,
    title: str,
    body: str,
    files: list[PreparedFile] | None = None,
    now: dt.datetime | None = None,
) -> tuple[Case, str]:
    """File a counsel request or report; returns the case and its receipt (shown once, never stored)."""
    kind = KIND_BY_LABEL.get(kind, kind)
    category = CATEGORY_BY_LABEL.get(category, category)
    if kind not in CaseKind.values:
        raise ServiceError("상담 또는 신고 중 하나를 고르세요.")
    if category not in Category.values:
        raise ServiceError("유형(행동강령 위반, 부패, 갑질, 부정청탁, 이해충돌, 기타) 중 하나를 고르세요.")
    title = _clean_text(title, label="제목", limit=MAX_TITLE)
    body = _clean_text(body, label="내용", limit=MAX_BODY)
    files = list(files or [])
    if len(files) > max_files():
        raise ServiceError(f"첨부파일은 {max_files()}개까지 올릴 수 있습니다.")
    _throttle(guard.take_filing)

    now = now or timezone.now()
    public, private = crypto.new_keypair()
    params = crypto.kdf_params()
    salt = crypto.new_salt()
    scheme = scheme_for(timezone.localtime(now).year)
    days = scheme.step_days(Step.RECEIVED)
    due = get_calendar().deadline(now, days) if days else None
    office = office_key()
    for _attempt in range(5):
        receipt = crypto.receipt_new()
        lookup = crypto.receipt_lookup(receipt)
        receipt_key = crypto.derive_key(receipt, salt, params)
        try:
            with transaction.atomic():
                year = timezone.localtime(now).year
                case = Case.objects.create(
                    number=_next_number(year),
                    year=year,
                    kind=kind,
                    category=category,
                    step=Step.RECEIVED,
                    received_at=now,
                    due_at=due,
                    public_key=public,
                    content=crypto.seal_json(public, {"title": title, "body": body}),
                    receipt_lookup=lookup,
                    receipt_salt=salt,
                    receipt_kdf_time_cost=params.time_cost,
                    receipt_kdf_memory_kib=params.memory_kib,
                    receipt_sealed_key=crypto.secret_encrypt(receipt_key, private),
                    recovery_sealed_key=crypto.seal(bytes(office.public_key), private) if office else None,
                )
                CaseStep.objects.create(case=case, step=Step.RECEIVED, started_at=now, due_at=due)
                handlers = list(designated_keys())
                CaseSeal.objects.bulk_create(
                    [
                        CaseSeal(case=case, handler_key=k, sealed_key=crypto.seal(bytes(k.public_key), private))
                        for k in handlers
                    ]
                )
                _add_attachments(case, files, from_reporter=True)
                log_action(
                    actor=None,
                    action="integrity.case_filed",
                    target=case,
                    after={"kind": kind, "category": category, "attachments": len(files)},
                )
                transaction.on_commit(
                    partial(
                        _notify,
                        [k.user for k in handlers],
                        f"새 청렴 상담·신고가 접수되었습니다 ({case.number})",
                        _case_url(case),
                        f"integrity-filed-{case.number}",
                    )
                )
            return case, receipt
        except IntegrityError:
            # A receipt lookup collided (astronomically unlikely): draw another receipt.
            continue
    raise ServiceError("접수하지 못했습니다. 잠시 후 다시 시도해 주세요.", status=503)


def _notify(recipients: list[Any], title: str, url: str, dedupe_key: str | None = None) -> None:
    from hwallyu.notifications.services import notify

    if recipients:
        notify(recipients=recipients, title=title, url=url, kind="integrity", dedupe_key=dedupe_key)


# --- following up with the receipt -----------------------------------------------------------


@dataclass
class ReporterMessage:
    kind: str
    kind_label: str
    body: str
    at: dt.datetime


@dataclass
class ReporterView:
    case: Case
    state: str
    state_label: str
    messages: list[ReporterMessage]
    attachments: list[dict[str, Any]]
    name_disclosed: bool


def receipt_open(*, receipt: str) -> tuple[Case, bytes]:
    """The case and its private key for a receipt; the same calm refusal for every failure.

    An unknown receipt does the same Argon2id work as a known one, and every check first
    waits as long as the recent failures (in this process's memory) demand.
    """
    digits = crypto.receipt_normalize(receipt)
    if digits is None:
        raise ServiceError(RECEIPT_REFUSED, status=404)
    _throttle(guard.before_receipt_check)
    case = Case.objects.filter(receipt_lookup=crypto.receipt_lookup(digits)).first()
    if case is None:
        crypto.derive_key(digits, _DUMMY_SALT, crypto.kdf_params())
        try:
            crypto.secret_decrypt(b"\x02" * crypto.KEY_BYTES, _DUMMY_BOX)
        except crypto.CryptoError:
            pass
        guard.receipt_failed()
        raise ServiceError(RECEIPT_REFUSED, status=404)
    params = crypto.KdfParams(case.receipt_kdf_time_cost, case.receipt_kdf_memory_kib)
    key = crypto.derive_key(digits, bytes(case.receipt_salt), params)
    try:
        private = crypto.secret_decrypt(key, bytes(case.receipt_sealed_key))
    except crypto.CryptoError:
        guard.receipt_failed()
        raise ServiceError(RECEIPT_REFUSED, status=404) from None
    return case, private


def reporter_view(case: Case, private_key: bytes) -> ReporterView:
    messages = [
        ReporterMessage(
            kind=m.kind,
            kind_label="나" if m.kind == MessageKind.REPORTER else m.get_kind_display(),
            body=crypto.unseal_json(private_key, bytes(m.body))["body"],
            at=m.created_at,
        )
        for m in case.messages.exclude(kind=MessageKind.NOTE)
    ]
    attachments = [
        {**crypto.unseal_json(private_key, bytes(a.meta)), "at": a.created_at}
        for a in case.attachments.filter(from_reporter=True)
    ]
    return ReporterView(
        case=case,
        state=case.step,
        state_label=case.get_step_display(),
        messages=messages,
        attachments=attachments,
        name_disclosed=case.disclosed_name is not None,
    )


def reporter_reply(*, receipt: str, body: str, files: list[PreparedFile] | None = None) -> Case:
    """The reporter writes back (and may add files) on an open case."""
    text = _clean_text(body, label="내용", limit=MAX_BODY, required=not files)
    files = list(files or [])
    if len(files) > max_files():
        raise ServiceError(f"첨부파일은 {max_files()}개까지 올릴 수 있습니다.")
    case, _ = receipt_open(receipt=receipt)
    if case.is_closed:
        raise ServiceError("종결된 상담·신고에는 글을 더 남길 수 없습니다. 새로 접수해 주세요.")
    _throttle(guard.take_message)
    now = timezone.now()
    with transaction.atomic():
        if text:
            CaseMessage.objects.create(
                case=case, kind=MessageKind.REPORTER, body=crypto.seal_json(bytes(case.public_key), {"body": text})
            )
        _add_attachments(case, files, from_reporter=True)
        Case.objects.filter(pk=case.pk).update(reporter_activity_at=now)
        log_action(actor=None, action="integrity.reporter_replied", target=case, after={"attachments": len(files)})
        recipients, number, url = _handler_recipients(case), case.number, _case_url(case)
        transaction.on_commit(lambda: _notify(recipients, f"제보자가 글을 남겼습니다 ({number})", url))
    return case


def reporter_disclose_name(*, receipt: str, name: str) -> Case:
    """The reporter chooses to give a name; it is sealed like the rest of the case."""
    text = _clean_text(name, label="이름(연락처)", limit=MAX_NAME)
    case, _ = receipt_open(receipt=receipt)
    with transaction.atomic():
        case.disclosed_name = crypto.seal_json(bytes(case.public_key), {"name": text})
        case.save(update_fields=["disclosed_name", "updated_at"])
        log_action(actor=None, action="integrity.name_disclosed", target=case)
    return case


# --- handling -----------------------------------------------------------------------------------


@dataclass
class HandlerMessage:
    id: int
    kind: str
    kind_label: str
    author: str
    body: str
    at: dt.datetime


@dataclass
class CaseContent:
    title: str
    body: str
    disclosed_name: str | None
    action_detail: str | None
    messages: list[HandlerMessage] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)


def case_private_key(*, case: Case, actor: Any, private_key: bytes | None) -> bytes:
    """The case's private key through the actor's unlocked handler key; a calm refusal otherwise."""
    case_policy.check(actor, VIEW, case)
    own = handler_key_of(actor)
    if private_key is None or own is None:
        raise ServiceError("담당자 키가 잠겨 있어 내용을 볼 수 없습니다. 암호문구로 잠금을 해제해 주세요.", status=403)
    seal = CaseSeal.objects.filter(case=case, handler_key=own).first()
    if seal is None:
        raise ServiceError(
            "이 사건은 아직 내 담당자 키로 봉인되지 않았습니다. 다른 담당자에게 재지정(키 전달)을 요청하세요.",
            status=403,
        )
    try:
        return crypto.unseal(private_key, bytes(seal.sealed_key))
    except crypto.CryptoError:
        raise ServiceError("담당자 키가 맞지 않습니다. 잠금을 다시 해제해 주세요.", status=403) from None


def case_open(*, case: Case, actor: Any, private_key: bytes | None) -> CaseContent:
    """Decrypt a case for a handler; every read is written to the audit trail (without content)."""
    case_key = case_private_key(case=case, actor=actor, private_key=private_key)
    content = crypto.unseal_json(case_key, bytes(case.content))
    messages = [
        HandlerMessage(
            id=m.pk,
            kind=m.kind,
            kind_label=m.get_kind_display(),
            author=("제보자" if m.author is None else (m.author.get_full_name() or m.author.get_username())),
            body=crypto.unseal_json(case_key, bytes(m.body))["body"],
            at=m.created_at,
        )
        for m in case.messages.select_related("author")
    ]
    attachments = [
        {
            **crypto.unseal_json(case_key, bytes(a.meta)),
            "id": a.pk,
            "at": a.created_at,
            "from_reporter": a.from_reporter,
        }
        for a in case.attachments.all()
    ]
    with transaction.atomic():
        log_action(actor=actor, action="integrity.case_read", target=case)
    return CaseContent(
        title=content["title"],
        body=content["body"],
        disclosed_name=crypto.unseal_json(case_key, bytes(case.disclosed_name))["name"]
        if case.disclosed_name
        else None,
        action_detail=crypto.unseal_json(case_key, bytes(case.action_detail))["text"] if case.action_detail else None,
        messages=messages,
        attachments=attachments,
    )


def attachment_read(
    *, attachment: CaseAttachment, actor: Any, private_key: bytes | None
) -> tuple[dict[str, Any], bytes]:
    case_key = case_private_key(case=attachment.case, actor=actor, private_key=private_key)
    meta = crypto.unseal_json(case_key, bytes(attachment.meta))
    data = crypto.unseal(case_key, bytes(attachment.data), block=crypto.FILE_BLOCK)
    with transaction.atomic():
        log_action(
            actor=actor, action="integrity.attachment_read", target=attachment.case, after={"attachment": attachment.pk}
        )
    return meta, data


def case_message_add(*, case: Case, actor: Any, kind: str, body: str) -> CaseMessage:
    """A handler answers the reporter or writes an internal note (both sealed to the case key)."""
    case_policy.check(actor, HANDLE, case)
    if kind not in (MessageKind.ANSWER, MessageKind.NOTE):
        raise ServiceError("답변 또는 내부 메모만 쓸 수 있습니다.")
    text = _clean_text(body, label="내용", limit=MAX_BODY)
    if case.is_closed and kind == MessageKind.ANSWER:
        raise ServiceError("종결된 사건에는 답변을 더 보낼 수 없습니다.")
    with transaction.atomic():
        message = CaseMessage.objects.create(
            case=case, kind=kind, author=actor, body=crypto.seal_json(bytes(case.public_key), {"body": text})
        )
        log_action(actor=actor, action=f"integrity.{kind}_added", target=case)
    return message


def _step_due(step: str, start: dt.datetime, year: int) -> dt.datetime | None:
    days = scheme_for(year).step_days(step)
    return get_calendar().deadline(start, days) if days else None


def case_advance(*, case: Case, actor: Any, to_step: str, result: str = "", now: dt.datetime | None = None) -> Case:
    """Move a case forward (steps may be skipped, never reversed); closing tells the reporter the result."""
    case_policy.check(actor, HANDLE, case)
    if to_step not in STEP_ORDER:
        raise ServiceError("알 수 없는 단계입니다.")
    if STEP_ORDER.index(to_step) <= STEP_ORDER.index(case.step):
        raise ServiceError(f"‘{case.get_step_display()}’ 다음 단계로만 옮길 수 있습니다.")
    result_text = _clean_text(result, label="처리 결과", limit=MAX_BODY, required=to_step == Step.CLOSED)
    now = now or timezone.now()
    with transaction.atomic():
        locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        if locked.step != case.step:
            raise ServiceError("다른 담당자가 먼저 단계를 바꿨습니다. 화면을 새로 고쳐 주세요.", status=409)
        before = {"step": locked.step, "due_at": locked.due_at}
        CaseStep.objects.filter(case=locked, done_at=None).update(done_at=now)
        due = _step_due(to_step, now, locked.year)
        CaseStep.objects.create(
            case=locked, step=to_step, started_at=now, due_at=due, done_at=now if to_step == Step.CLOSED else None
        )
        locked.step = to_step
        locked.due_at = due
        locked.closed_at = now if to_step == Step.CLOSED else None
        locked.save(update_fields=["step", "due_at", "closed_at", "updated_at"])
        if result_text:
            CaseMessage.objects.create(
                case=locked,
                kind=MessageKind.RESULT,
                author=actor,
                body=crypto.seal_json(bytes(locked.public_key), {"body": result_text}),
            )
        log_action(
            actor=actor,
            action="integrity.case_step",
            target=locked,
            before=before,
            after={"step": locked.step, "due_at": locked.due_at},
        )
    return locked


def case_assign(*, case: Case, actor: Any, assignee: Any | None) -> Case:
    case_policy.check(actor, HANDLE, case)
    if assignee is not None and not is_designated(assignee):
        raise ServiceError("지정된 청렴 상담·신고 담당자에게만 배정할 수 있습니다.")
    with transaction.atomic():
        before = {"assignee": case.assignee.get_username() if case.assignee else None}
        case.assignee = assignee
        case.save(update_fields=["assignee", "updated_at"])
        log_action(
            actor=actor,
            action="integrity.case_assigned",
            target=case,
            before=before,
            after={"assignee": assignee.get_username() if assignee else None},
        )
        if assignee is not None and assignee != actor:
            number, url = case.number, _case_url(case)
            transaction.on_commit(lambda: _notify([assignee], f"청렴 상담·신고 {number}이(가) 배정되었습니다", url))
    return case


def case_record_action(*, case: Case, actor: Any, action_kind: str, detail: str) -> Case:
    """The action taken against a violator: its kind in clear (for statistics), its detail sealed."""
    case_policy.check(actor, HANDLE, case)
    if action_kind not in ActionKind.values:
        raise ServiceError("조치 구분을 고르세요.")
    text = _clean_text(detail, label="조치 내용", limit=MAX_BODY, required=False)
    with transaction.atomic():
        before = {"action_kind": case.action_kind}
        case.action_kind = action_kind
        case.action_detail = crypto.seal_json(bytes(case.public_key), {"text": text}) if text else None
        case.save(update_fields=["action_kind", "action_detail", "updated_at"])
        log_action(
            actor=actor, action="integrity.case_action", target=case, before=before, after={"action_kind": action_kind}
        )
    return case


# --- sweeps ------------------------------------------------------------------------------------


def cases_erase_expired(*, now: dt.datetime | None = None) -> int:
    """Erase closed cases past the retention of their year's scheme; keep a content-free audit row."""
    now = now or timezone.now()
    erased = 0
    for case in Case.objects.filter(step=Step.CLOSED).only("id", "number", "year", "closed_at", "kind", "category"):
        retention = scheme_for(case.year).retention_days
        if case.closed_at is None or case.closed_at + dt.timedelta(days=retention) > now:
            continue
        with transaction.atomic():
            # Compare-and-set: only the worker that deletes the row writes the audit record.
            deleted, _ = Case.objects.filter(pk=case.pk, step=Step.CLOSED).delete()
            if not deleted:
                continue
            log_action(
                actor=None,
                action="integrity.case_erased",
                target_type="integrity.case",
                target_id=case.pk,
                target_repr=str(case),
                after={
                    "kind": case.kind,
                    "category": case.category,
                    "closed_on": timezone.localtime(case.closed_at).date(),
                    "retention_days": retention,
                },
            )
            erased += 1
    return erased


def cases_notify_overdue(*, now: dt.datetime | None = None) -> int:
    """Tell the handlers once about each step whose due time passed."""
    now = now or timezone.now()
    sent = 0
    for step in CaseStep.objects.filter(done_at=None, due_at__lt=now, overdue_notified_at=None).select_related("case"):
        claimed = CaseStep.objects.filter(pk=step.pk, overdue_notified_at=None).update(overdue_notified_at=now)
        if not claimed:
            continue
        case = step.case
        _notify(
            _handler_recipients(case),
            f"청렴 상담·신고 {case.number}의 {step.get_step_display()} 기한이 지났습니다",
            _case_url(case),
            f"integrity-overdue-{step.pk}",
        )
        sent += 1
    return sent


def steps_recompute_due(*, now: dt.datetime | None = None) -> int:
    """After a calendar change: recompute the due times that have not passed yet."""
    now = now or timezone.now()
    changed = 0
    for step in CaseStep.objects.filter(done_at=None, due_at__gt=now).select_related("case"):
        due = _step_due(step.step, step.started_at, step.case.year)
        if due != step.due_at:
            with transaction.atomic():
                CaseStep.objects.filter(pk=step.pk).update(due_at=due)
                Case.objects.filter(pk=step.case_id, step=step.step).update(due_at=due)
            changed += 1
    return changed
