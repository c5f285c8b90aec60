"""Writes of the satisfaction survey: rounds, imports, invitations, answers, opt-outs, incentives."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import random
import secrets
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone

from hwallyu.api.base import ServiceError
from hwallyu.core.audit import diff, log_action, snapshot
from hwallyu.notifications.channels import outbox
from hwallyu.notifications.channels.window import next_open
from hwallyu.notifications.models import Channel
from hwallyu.org import selectors as org
from hwallyu.org.models import Role
from hwallyu.surveys import bulk, phones, tallies
from hwallyu.surveys.models import (
    Answer,
    AnswerBuffer,
    AnswerItem,
    DeliveryChannel,
    ImportStatus,
    IncentiveEntry,
    IncentivePayout,
    IncentiveRule,
    IncentiveStatus,
    Invitation,
    InvitationStatus,
    OptOut,
    Question,
    QuestionKind,
    RegisterEntry,
    RegisterImport,
    RegisterSource,
    Survey,
    SurveyStatus,
    SurveyTemplate,
    TemplateQuestion,
)
from hwallyu.surveys.policies import MANAGE, survey_policy

log = logging.getLogger(__name__)

DEFAULT_TEMPLATE_NAME = "행정만족도 기본 문항"
DEFAULT_QUESTIONS: tuple[dict[str, Any], ...] = (
    {"code": "kindness", "label": "담당 공무원은 친절하게 응대했습니까?", "kind": QuestionKind.SCALE5},
    {"code": "speed", "label": "민원(업무)은 신속하게 처리되었습니까?", "kind": QuestionKind.SCALE5},
    {"code": "accuracy", "label": "민원(업무)은 정확하고 적정하게 처리되었습니까?", "kind": QuestionKind.SCALE5},
    {"code": "fairness", "label": "민원(업무)은 공정하게 처리되었습니까?", "kind": QuestionKind.SCALE5},
    {"code": "overall", "label": "전반적으로 이번 행정서비스에 만족하십니까?", "kind": QuestionKind.SCALE5},
    {
        "code": "bribe",
        "label": "처리 과정에서 금품·향응 등을 요구받거나 제공한 적이 있습니까?",
        "kind": QuestionKind.YESNO,
        "is_bribe": True,
    },
    {
        "code": "comment",
        "label": "좋았던 점이나 고쳐야 할 점을 자유롭게 적어 주세요.",
        "kind": QuestionKind.TEXT,
        "required": False,
    },
)
SCALE_LABELS = {1: "매우 불만족", 2: "불만족", 3: "보통", 4: "만족", 5: "매우 만족"}
FLUSH_MIN_BATCH = 10
TOKEN_BYTES = 18  # 144 bits, 24 URL-safe characters
_QUESTION_FIELDS = ("code", "label", "kind", "order", "required", "is_bribe")


def _check(actor: Any, survey: Survey | None = None) -> None:
    survey_policy.check(actor, MANAGE, survey)


# --- templates and rounds ---------------------------------------------------------------------


def default_template() -> SurveyTemplate:
    """The default question set (친절, 신속, 정확·적정, 공정, 전반, 금품·향응, 의견), created once."""
    template = SurveyTemplate.objects.filter(is_default=True).first()
    if template is not None:
        return template
    with transaction.atomic():
        template, created = SurveyTemplate.objects.get_or_create(
            name=DEFAULT_TEMPLATE_NAME, defaults={"is_default": True}
        )
        if created:
            TemplateQuestion.objects.bulk_create(
                [TemplateQuestion(template=template, order=i * 10, **q) for i, q in enumerate(DEFAULT_QUESTIONS, 1)]
            )
    return template


def template_create(*, name: str, actor: Any) -> SurveyTemplate:
    _check(actor)
    with transaction.atomic():
        if SurveyTemplate.objects.filter(name=name).exists():
            raise ServiceError("같은 이름의 템플릿이 있습니다.")
        template = SurveyTemplate.objects.create(name=name)
        source = default_template()
        TemplateQuestion.objects.bulk_create(
            [
                TemplateQuestion(template=template, **{f: getattr(q, f) for f in _QUESTION_FIELDS})
                for q in source.questions.all()
            ]
        )
        log_action(actor=actor, action="surveys.template_create", target=template)
    return template


def _validate_questions(rows: list[dict[str, Any]]) -> None:
    codes = [r["code"] for r in rows]
    if len(set(codes)) != len(codes):
        raise ServiceError("문항 코드가 겹칩니다. 문항마다 다른 코드를 쓰세요.")
    if not any(r["kind"] == QuestionKind.SCALE5 for r in rows):
        raise ServiceError("5점 척도 문항이 하나 이상 있어야 합니다.")
    if any(r.get("is_bribe") and r["kind"] != QuestionKind.YESNO for r in rows):
        raise ServiceError("금품·향응 요구 문항은 예/아니요 유형이어야 합니다.")


def questions_save(*, owner: Survey | SurveyTemplate, rows: list[dict[str, Any]], actor: Any) -> None:
    """Replace the questions of a draft round or of a template (answers refer to questions)."""
    is_survey = isinstance(owner, Survey)
    _check(actor, owner if is_survey else None)  # type: ignore[arg-type]
    if is_survey and owner.status != SurveyStatus.DRAFT:  # type: ignore[union-attr]
        raise ServiceError("문항은 조사를 시작하기 전에만 바꿀 수 있습니다.")
    _validate_questions(rows)
    model: Any = Question if is_survey else TemplateQuestion
    link = {"survey": owner} if is_survey else {"template": owner}
    with transaction.atomic():
        before = [snapshot(q, _QUESTION_FIELDS) for q in owner.questions.all()]
        owner.questions.all().delete()
        model.objects.bulk_create([model(**link, **{f: r.get(f) for f in _QUESTION_FIELDS}) for r in rows])
        log_action(
            actor=actor,
            action="surveys.questions_save",
            target=owner,
            before={"questions": before},
            after={"questions": [{f: r.get(f) for f in _QUESTION_FIELDS} for r in rows]},
        )


def survey_create(*, year: int, quarter: int | None, title: str, template: SurveyTemplate | None, actor: Any) -> Survey:
    _check(actor)
    template = template or default_template()
    with transaction.atomic():
        if Survey.objects.filter(year=year, quarter=quarter).exists():
            raise ServiceError("같은 기간의 조사 회차가 이미 있습니다.")
        survey = Survey.objects.create(year=year, quarter=quarter, title=title, template=template, created_by=actor)
        Question.objects.bulk_create(
            [Question(survey=survey, **{f: getattr(q, f) for f in _QUESTION_FIELDS}) for q in template.questions.all()]
        )
        log_action(
            actor=actor, action="surveys.create", target=survey, after=snapshot(survey, ["year", "quarter", "title"])
        )
    return survey


SETTINGS_FIELDS = (
    "title",
    "include_petitions",
    "include_contracts",
    "include_subsidies",
    "min_legal_days",
    "dedupe_days",
    "sample_per_department",
    "channel",
    "template_code",
    "reminder_template_code",
    "send_start",
    "send_end",
    "working_days_only",
    "reminder_after_days",
    "link_expiry_days",
    "min_group_size",
    "incentive_enabled",
    "incentive_budget",
    "incentive_amount",
    "incentive_rule",
    "incentive_winners",
)


def survey_update(*, survey: Survey, data: dict[str, Any], actor: Any) -> Survey:
    _check(actor, survey)
    if survey.status == SurveyStatus.CLOSED:
        raise ServiceError("종료된 조사는 바꿀 수 없습니다.")
    fields = [f for f in SETTINGS_FIELDS if f in data]
    if data.get("send_start") and data.get("send_end") and data["send_start"] >= data["send_end"]:
        raise ServiceError("발송 시작 시각은 종료 시각보다 빨라야 합니다.")
    with transaction.atomic():
        before = snapshot(survey, fields)
        for f in fields:
            setattr(survey, f, data[f])
        survey.save(update_fields=[*fields, "updated_at"])
        old, new = diff(before, snapshot(survey, fields))
        log_action(actor=actor, action="surveys.update", target=survey, before=old, after=new)
    return survey


def survey_open(*, survey: Survey, actor: Any) -> Survey:
    _check(actor, survey)
    with transaction.atomic():
        if not Survey.objects.filter(id=survey.id, status=SurveyStatus.DRAFT).update(
            status=SurveyStatus.OPEN, opened_at=timezone.now()
        ):
            raise ServiceError("준비 상태의 조사만 시작할 수 있습니다.")
        if not survey.questions.filter(kind=QuestionKind.SCALE5).exists():
            raise ServiceError("5점 척도 문항이 없습니다.")
        log_action(actor=actor, action="surveys.open", target=survey)
    survey.refresh_from_db()
    return survey


def survey_close(*, survey: Survey, actor: Any) -> Survey:
    """Close the round: store buffered answers, stop sends, erase every phone number (hashes stay)."""
    _check(actor, survey)
    with transaction.atomic():
        if not Survey.objects.filter(id=survey.id, status=SurveyStatus.OPEN).update(
            status=SurveyStatus.CLOSED, closed_at=timezone.now()
        ):
            raise ServiceError("진행 중인 조사만 종료할 수 있습니다.")
        answers_flush(survey_id=survey.id, force=True)
        cancelled = outbox.cancel_pending(survey.outbox_prefix)
        erased_entries = (
            RegisterEntry.objects.filter(survey=survey).exclude(phone="", applicant="").update(phone="", applicant="")
        )
        Invitation.objects.filter(survey=survey, status=InvitationStatus.PREPARED).update(
            status=InvitationStatus.CANCELLED
        )
        erased_invitations = (
            Invitation.objects.filter(survey=survey).exclude(phone="", message="").update(phone="", message="")
        )
        outbox.erase_recipients(survey.outbox_prefix)
        Survey.objects.filter(id=survey.id).update(closing_totals=closing_totals(survey))
        log_action(
            actor=actor,
            action="surveys.close",
            target=survey,
            after={"erased_entries": erased_entries, "erased_invitations": erased_invitations, "cancelled": cancelled},
        )
    survey.refresh_from_db()
    return survey


def closing_totals(survey: Survey) -> dict[str, Any]:
    """The counts that no longer change once a round is closed: invitations and register rows."""
    from hwallyu.surveys.selectors import invitation_counts, register_counts

    return {"invitations": invitation_counts(survey), "register": register_counts(survey)}


# --- imports -------------------------------------------------------------------------------------


def import_create(*, survey: Survey, source: str, upload: UploadedFile, actor: Any) -> RegisterImport:
    """Store the uploaded file and queue its import (the page polls its progress)."""
    _check(actor, survey)
    if survey.status == SurveyStatus.CLOSED:
        raise ServiceError("종료된 조사에는 명부를 가져올 수 없습니다.")
    if source not in RegisterSource.values:
        raise ServiceError("명부 종류를 고르세요.")
    name = upload.name or "register.csv"
    if not name.lower().endswith((".csv", ".txt", ".xlsx", ".xlsm")):
        raise ServiceError("CSV 또는 XLSX 파일만 올릴 수 있습니다.")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        record = RegisterImport(
            survey=survey,
            source=source,
            filename=name[:255],
            size=upload.size or 0,
            sha256=digest.hexdigest(),
            created_by=actor,
        )
        record.file.save(f"s{survey.pk}-{secrets.token_hex(8)}{_suffix(name)}", upload, save=False)
        record.save()
        log_action(
            actor=actor, action="surveys.import_upload", target=record, after={"source": source, "size": record.size}
        )
        transaction.on_commit(lambda: _enqueue_import(record.id))
    return record


def _suffix(name: str) -> str:
    lower = name.lower()
    for ext in (".csv", ".txt", ".xlsx", ".xlsm"):
        if lower.endswith(ext):
            return ext
    return ""


def _enqueue_import(import_id: int) -> None:
    from hwallyu.surveys.tasks import run_register_import

    run_register_import.enqueue(import_id)


def resume_stalled_imports() -> int:
    """Imports whose worker died go on where their last committed batch ended."""
    from hwallyu.surveys import importer

    stale = timezone.now() - importer.STALE_AFTER
    ids = list(
        RegisterImport.objects.filter(status=ImportStatus.RUNNING, heartbeat_at__lt=stale).values_list("id", flat=True)
    )
    for import_id in ids:
        _enqueue_import(import_id)
    return len(ids)


# --- invitations ---------------------------------------------------------------------------------


@dataclass
class PrepareResult:
    eligible: int
    prepared: int
    skipped_duplicate_phone: int
    sampled_out: int


def _local_bounds(survey: Survey) -> tuple[dt.datetime, dt.datetime]:
    start, end = survey.period()
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time(), tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=tz),
    )


def eligible_entries(survey: Survey, *, now: dt.datetime | None = None) -> Any:
    """Processed cases of the round's period, with a mobile number, not yet invited, not opted out,
    not invited in the last ``dedupe_days`` days (by keyed phone hash), of the chosen sources."""
    now = now or timezone.now()
    start, end = _local_bounds(survey)
    qs = RegisterEntry.objects.filter(
        survey=survey,
        source__in=survey.sources(),
        processed_at__gte=start,
        processed_at__lt=min(end, now),
        invitation__isnull=True,
    ).exclude(phone_hash="")
    if survey.min_legal_days:
        qs = qs.filter(legal_days__gte=survey.min_legal_days)
    # Anti-joins probed per row through the phone-hash indexes (NOT EXISTS), so the cost follows the
    # register rows of this round, not the years of invitations kept for deduplication.
    if survey.dedupe_days:
        recent = Invitation.objects.filter(
            phone_hash=OuterRef("phone_hash"), created_at__gte=now - dt.timedelta(days=survey.dedupe_days)
        )
        qs = qs.exclude(Exists(recent))
    # within one round a number is invited once whatever the setting (unique constraint)
    qs = qs.exclude(Exists(Invitation.objects.filter(survey=survey, phone_hash=OuterRef("phone_hash"))))
    qs = qs.exclude(Exists(OptOut.objects.filter(phone_hash=OuterRef("phone_hash"))))
    return qs


def _message_text(city: str, petition_type: str, link: str, days: int) -> str:
    return (
        f"[{city} 행정만족도 조사]\n"
        f"{city}에서 처리한 '{petition_type[:40]}' 업무에 대한 만족도 조사에 참여해 주세요(1분 소요).\n"
        f"▶ {link}\n"
        f"응답은 익명으로 처리되며 안내 후 {days}일 동안 참여하실 수 있습니다. "
        "안내를 원하지 않으시면 링크에서 '안내 받지 않기'를 눌러 주세요."
    )


INVITATION_COLUMNS = (
    "survey",
    "entry",
    "department",
    "petition_type",
    "source",
    "phone",
    "phone_hash",
    "token",
    "message",
    "status",
    "answered",
    "created_at",
)


def invitations_prepare(
    *, survey: Survey, actor: Any, now: dt.datetime | None = None, rng: random.Random | None = None
) -> PrepareResult:
    """Eligibility, dedupe by phone, optional sampling per department, tokens and message text —
    set-based reads and one bulk insert, so 100,000 invitations take seconds."""
    _check(actor, survey)
    if survey.status != SurveyStatus.OPEN:
        raise ServiceError("진행 중인 조사에서만 안내를 준비할 수 있습니다.")
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    city = org.city().name
    site = settings.SITE_URL
    with transaction.atomic():
        rows = list(
            eligible_entries(survey, now=now)
            .order_by("-processed_at", "id")
            .values_list("id", "department_id", "petition_type", "source", "phone", "phone_hash")
        )
        seen: set[str] = set()
        unique = []
        for row in rows:
            if row[5] not in seen:
                seen.add(row[5])
                unique.append(row)
        duplicates = len(rows) - len(unique)
        sampled_out = 0
        if survey.sample_per_department:
            by_department: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
            for row in unique:
                by_department[row[1]].append(row)
            chosen = []
            for group in by_department.values():
                if len(group) > survey.sample_per_department:
                    kept = rng.sample(group, survey.sample_per_department)
                    sampled_out += len(group) - len(kept)
                    chosen.extend(kept)
                else:
                    chosen.extend(group)
            unique = chosen
        created = bulk.db_value(Invitation, "created_at", timezone.now())
        prepared = InvitationStatus.PREPARED.value
        days = survey.link_expiry_days
        link = f"{site}/s/"
        rows_out = []
        # The (random) tokens go in in sorted order, so the unique token index grows by runs
        # instead of random page writes (with years of invitations kept, a large part of the
        # insert).  Which link a case gets is as random as before.
        tokens = sorted(secrets.token_urlsafe(TOKEN_BYTES) for _ in unique)
        for t, (entry_id, department_id, petition_type, source, phone, phone_hash) in zip(tokens, unique, strict=True):
            rows_out.append(
                (
                    survey.id,
                    entry_id,
                    department_id,
                    petition_type,
                    source,
                    phone,
                    phone_hash,
                    t,
                    _message_text(city, petition_type, link + t, days),
                    prepared,
                    False,
                    created,
                )
            )
        bulk.insert_rows(Invitation, INVITATION_COLUMNS, rows_out)
        invitations = rows_out
        log_action(
            actor=actor,
            action="surveys.invitations_prepare",
            target=survey,
            after={
                "eligible": len(rows),
                "prepared": len(invitations),
                "duplicates": duplicates,
                "sampled_out": sampled_out,
            },
        )
    return PrepareResult(len(rows), len(invitations), duplicates, sampled_out)


@dataclass
class SendResult:
    prepared: int
    queued: int
    starts_at: dt.datetime


def invitations_send(*, survey: Survey, actor: Any, now: dt.datetime | None = None) -> SendResult:
    """Prepare new invitations and hand all prepared ones to the outbox (sent inside the window)."""
    _check(actor, survey)
    now = now or timezone.now()
    prepared = invitations_prepare(survey=survey, actor=actor, now=now).prepared
    starts_at = next_open(survey.window_spec(), now)
    expires_at = starts_at + dt.timedelta(days=survey.link_expiry_days)
    channel = Channel.SMS if survey.channel == DeliveryChannel.SMS else Channel.ALIMTALK
    queued = 0
    with transaction.atomic():
        pending = Invitation.objects.select_for_update(of=("self",)).filter(
            survey=survey, status=InvitationStatus.PREPARED
        )
        rows = list(pending.values_list("id", "phone", "message", "petition_type", "token"))
        if rows:
            max_id = max(r[0] for r in rows)
            queued = Invitation.objects.filter(survey=survey, status=InvitationStatus.PREPARED, id__lte=max_id).update(
                status=InvitationStatus.QUEUED, queued_at=now, expires_at=expires_at
            )
            city = org.city().name
            outbox.queue_citizen_messages(
                (
                    outbox.CitizenMessage(
                        to=phone,
                        text=text,
                        dedupe_key=f"survey:{survey.id}:invite:{inv_id}",
                        template_code=survey.template_code,
                        params={
                            "기관명": city,
                            "업무명": petition_type[:40],
                            "링크": f"{settings.SITE_URL}/s/{tok}",
                            "기한": survey.link_expiry_days,
                        },
                        title=f"{city} 행정만족도 조사",
                    )
                    for inv_id, phone, text, petition_type, tok in rows
                ),
                channel=channel,
                fallback=True,
                window=survey.window_spec(),
                not_before=starts_at if starts_at > now else None,
            )
        log_action(
            actor=actor,
            action="surveys.invitations_send",
            target=survey,
            after={"queued": queued, "starts_at": starts_at},
        )
    return SendResult(prepared, queued, starts_at)


def reminders_send(*, survey: Survey, now: dt.datetime | None = None, limit: int = 20000) -> int:
    """One reminder to invitations delivered N days ago and still unanswered (rerun-safe)."""
    now = now or timezone.now()
    if survey.status != SurveyStatus.OPEN or not survey.reminder_after_days:
        return 0
    cutoff = now - dt.timedelta(days=survey.reminder_after_days)
    candidates = list(
        Invitation.objects.filter(
            survey=survey,
            status=InvitationStatus.QUEUED,
            answered=False,
            reminded_at__isnull=True,
            queued_at__lte=cutoff,
            expires_at__gt=now + dt.timedelta(hours=12),
        )
        .exclude(phone="")
        .values_list("id", "phone", "token", "expires_at")[:limit]
    )
    delivered = outbox.delivered_keys([f"survey:{survey.id}:invite:{c[0]}" for c in candidates])
    candidates = [c for c in candidates if f"survey:{survey.id}:invite:{c[0]}" in delivered]
    if not candidates:
        return 0
    city = org.city().name
    channel = Channel.SMS if survey.channel == DeliveryChannel.SMS else Channel.ALIMTALK
    sent = 0
    with transaction.atomic():
        ids = [c[0] for c in candidates]
        claimed = set()
        for i in range(0, len(ids), 5000):
            chunk = ids[i : i + 5000]
            Invitation.objects.filter(id__in=chunk, reminded_at__isnull=True).update(reminded_at=now)
            claimed.update(chunk)
        messages = []
        for inv_id, phone, tok, expires_at in candidates:
            if inv_id not in claimed:
                continue
            link = f"{settings.SITE_URL}/s/{tok}"
            deadline = timezone.localtime(expires_at)
            text = (
                f"[{city} 행정만족도 조사 재안내]\n아직 응답하지 않으셨다면 잠시 시간을 내어 참여해 주세요.\n▶ {link}\n"
                f"{deadline:%m월 %d일}까지 참여하실 수 있습니다."
            )
            messages.append(
                outbox.CitizenMessage(
                    to=phone,
                    text=text,
                    dedupe_key=f"survey:{survey.id}:remind:{inv_id}",
                    template_code=survey.reminder_template_code,
                    params={"기관명": city, "링크": link, "기한": f"{deadline:%m월 %d일}"},
                    title=f"{city} 행정만족도 조사",
                )
            )
        try:
            with transaction.atomic():
                sent = outbox.queue_citizen_messages(messages, channel=channel, window=survey.window_spec())
        except IntegrityError:
            return 0
    return sent


# --- answers ---------------------------------------------------------------------------------------


class AnswerRefused(Exception):
    MESSAGES = {
        "unknown": "설문 주소를 찾을 수 없습니다. 받으신 안내 메시지의 링크를 다시 확인해 주세요.",
        "expired": "응답 기간이 지났습니다. 관심을 가져 주셔서 감사합니다.",
        "closed": "이 조사는 종료되었습니다. 관심을 가져 주셔서 감사합니다.",
        "answered": "이미 응답해 주셨습니다. 참여해 주셔서 감사합니다.",
    }

    def __init__(self, reason: str) -> None:
        super().__init__(self.MESSAGES[reason])
        self.reason = reason
        self.message = self.MESSAGES[reason]


# The answer path is the one every citizen's link takes, in bursts after each send; its reads and writes are
# written out in SQL (about a quarter of the ORM's cost per statement), on this app's own tables only. The
# tests run it on SQLite and PostgreSQL, including two submits racing for one link.


def _outbox_key_sql(alias: str) -> str:
    """``Invitation.outbox_key`` in SQL, of the invitation row ``alias``: its message's channel is read with it."""
    return f"'survey:' || {alias}.survey_id || ':invite:' || {alias}.id"


def _link_sql() -> str:
    inv, survey = Invitation._meta.db_table, Survey._meta.db_table
    return (
        "SELECT i.id, i.token, i.survey_id, i.department_id, i.petition_type, i.source, i.status, i.answered,"
        " i.expires_at, s.status AS round_status, s.title AS round_title, s.incentive_enabled AS round_incentive,"
        f" {outbox.delivered_via_sql(_outbox_key_sql('i'))} AS delivered_via"
        f" FROM {inv} i JOIN {survey} s ON s.id = i.survey_id WHERE i.token = %s"
    )


def invitation_for_token(token: str, *, now: dt.datetime | None = None) -> Invitation:
    """The open, unanswered invitation behind a link, or :class:`AnswerRefused` saying why not.

    The invitation carries only what the answer page needs (the rest is deferred), with its round's status,
    title and incentive setting as ``invitation.survey``, and the channel its message was delivered by
    ("alimtalk", "sms", "lms" or "") as ``invitation.delivered_via``.
    """
    now = now or timezone.now()
    # read to the end (the token is unique): a half-read statement would keep SQLite's read lock on the table
    found = list(Invitation.objects.raw(_link_sql(), [token])) if token else []
    invitation = found[0] if found else None
    if invitation is None or invitation.status == InvitationStatus.CANCELLED:
        raise AnswerRefused("unknown")
    extra: Any = invitation  # the round's columns and the channel arrive as extra attributes of the raw row
    extra.delivered_via = extra.delivered_via or ""  # no message (or not delivered): NULL
    known = {
        "id": invitation.survey_id,
        "status": extra.round_status,
        "title": extra.round_title,
        "incentive_enabled": bool(extra.round_incentive),
    }
    fields = [f.attname for f in Survey._meta.concrete_fields if f.attname in known]  # from_db wants model order
    invitation.survey = Survey.from_db(connection.alias, fields, [known[f] for f in fields])
    if invitation.answered:
        raise AnswerRefused("answered")
    if invitation.survey.status != SurveyStatus.OPEN:
        raise AnswerRefused("closed")
    if invitation.expires_at is None or invitation.expires_at <= now:
        raise AnswerRefused("expired")
    return invitation


# The questions of open rounds, per process. A round's questions are frozen once it opens (``questions_save``
# refuses anything but a draft, and a round never goes back to draft), and ids are never reused, so an entry
# can never be stale; only open rounds are kept, so the dict stays as small as the number of running rounds.
_open_questions: dict[int, list[Question]] = {}


def open_questions(survey: Survey) -> list[Question]:
    """The questions of a round, in order, for its answer form (read once per process for an open round)."""
    if survey.status != SurveyStatus.OPEN:
        return list(Question.objects.filter(survey_id=survey.id))
    questions = _open_questions.get(survey.id)
    if questions is None:
        if len(_open_questions) >= 64:
            _open_questions.clear()
        questions = _open_questions[survey.id] = list(Question.objects.filter(survey_id=survey.id))
    return questions


def known_open_questions(survey_id: int) -> list[Question] | None:
    """The questions this process has already read for an open round (:func:`open_questions`), or None."""
    return _open_questions.get(survey_id)


def reset_question_cache() -> None:
    """Forget the per-process questions (tests, whose rolled-back databases reuse ids)."""
    _open_questions.clear()


def invitation_answered(token: str) -> bool:
    """Whether the link behind ``token`` has been answered (the thank-you page checks it)."""
    return bool(token) and Invitation.objects.filter(token=token, answered=True).exists()


def _month(now: dt.datetime) -> str:
    return f"{timezone.localtime(now):%Y-%m}-01"


def answer_submit(
    *,
    token: str,
    values: dict[int, int | None],
    texts: dict[int, str],
    incentive_contact: str = "",
    now: dt.datetime | None = None,
    invitation: Invitation | None = None,
) -> None:
    """Store one anonymous answer for a link, once.

    The invitation is flipped to ``answered`` by a conditional update, so of two submits (also
    concurrent ones) exactly one wins; the answer goes to the shuffle buffer with the month only.
    ``invitation`` is the one the caller just read for ``token`` (the answer page): it is not read
    again, as the conditional update re-checks everything that could have changed since.
    """
    now = now or timezone.now()
    _answer_submit(token, values, texts, incentive_contact, now, invitation)


def retry_when_locked(func: Any) -> Any:
    """Run ``func`` again (up to 6 times, backing off) when SQLite reports a locked database.

    Two citizens answering at the same moment serialise on the database; with SQLite the
    second writer (or, with a shared-cache database, even a reader) may be told "locked" instead
    of waiting.  Each try is a fresh transaction, so a retry never half-applies anything.
    """
    import functools
    import time

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        for attempt in range(6):
            try:
                return func(*args, **kwargs)
            except OperationalError as exc:
                if "locked" not in str(exc) or attempt == 5:
                    raise
                time.sleep(0.02 * (2**attempt))
        return None

    return wrapper


def _answer_submit(
    token: str,
    values: dict[int, int | None],
    texts: dict[int, str],
    contact: str,
    now: dt.datetime,
    invitation: Invitation | None = None,
) -> None:
    if invitation is None or invitation.token != token:
        invitation = invitation_for_token(token, now=now)
    incentive = phones.normalize(contact) if contact and invitation.survey.incentive_enabled else ""
    with transaction.atomic() if incentive else contextlib.nullcontext():
        _claim_and_buffer(invitation, token, now, values, texts)
        if incentive:
            IncentiveEntry.objects.get_or_create(
                survey_id=invitation.survey_id,
                contact_hash=phones.phone_hash(incentive),
                defaults={"contact": incentive, "code": secrets.token_hex(5).upper()},
            )


def _answer_part(now: dt.datetime, values: dict[int, int | None], texts: dict[int, str]) -> dict[str, Any]:
    """The buffered answer's own part (the rest describes its link): the month only, the values, the texts."""
    return {
        "month": _month(now),
        "values": {str(k): v for k, v in values.items() if v is not None},
        "texts": {str(k): t.strip()[:2000] for k, t in texts.items() if t and t.strip()},
    }


def answers_skip_link_read() -> bool:
    """Whether :func:`answer_unread` is available: PostgreSQL, whose data-modifying WITH makes it one statement.

    SQLite has no such statement; there the answer page reads the link and writes in a short transaction."""
    return connection.vendor == "postgresql"


def answer_unread(
    *,
    token: str,
    values: dict[int, int | None],
    texts: dict[int, str],
    now: dt.datetime | None = None,
) -> None:
    """Store one answer for a link without reading the link first: one statement, one round trip (PostgreSQL).

    The caller checked the answer against the questions of the link's round, which the form's signed nonce named
    (a link's round never changes). The statement flips the link to answered only if it is not answered,
    cancelled or expired and its round is open — the checks of :func:`invitation_for_token`, on the invitation's
    own columns, so of two racing submits exactly one wins (see :func:`_claim_and_buffer`) — and buffers the
    answer with what the link knows (round, department, kind, source, the channel its message was delivered by).
    The link is found by its token alone: a condition on the round could lead the planner to the round's index,
    whose statistics lag behind a freshly prepared round. When nothing was flipped, the link is read for the
    reason, raised as :class:`AnswerRefused`.
    """
    now = now or timezone.now()
    inv, buffer, rounds = Invitation._meta.db_table, AnswerBuffer._meta.db_table, Survey._meta.db_table
    sql = (
        f"WITH won AS (UPDATE {inv} i SET answered = %s"
        " WHERE i.token = %s AND NOT i.answered AND i.expires_at > %s AND i.status <> %s"
        f" AND EXISTS (SELECT 1 FROM {rounds} s WHERE s.id = i.survey_id AND s.status = %s)"
        " RETURNING i.id, i.survey_id, i.department_id, i.petition_type, i.source)"
        f" INSERT INTO {buffer} (id, survey_id, payload) SELECT %s, won.survey_id, jsonb_build_object("
        "'department_id', won.department_id, 'petition_type', won.petition_type, 'source', won.source,"
        f" 'channel', COALESCE({outbox.delivered_via_sql(_outbox_key_sql('won'))}, '')) || %s::jsonb FROM won"
    )
    params: list[Any] = [
        True,
        token,
        connection.ops.adapt_datetimefield_value(now),
        InvitationStatus.CANCELLED.value,
        SurveyStatus.OPEN.value,
        str(uuid.uuid4()),
        json.dumps(_answer_part(now, values, texts), ensure_ascii=False),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        won = cursor.rowcount == 1
    if not won:
        invitation_for_token(token, now=now)  # raises the reason (answered, closed, expired, cancelled)
        raise AnswerRefused("answered")  # it was open a moment ago: a racing submit won


def _delivered_via(invitation: Invitation) -> str:
    """The channel read with the link (``invitation_for_token``), or asked of the outbox for another instance."""
    channel = getattr(invitation, "delivered_via", None)
    return outbox.delivered_via(invitation.outbox_key) if channel is None else channel or ""


def _claim_and_buffer(
    invitation: Invitation, token: str, now: dt.datetime, values: dict[int, int | None], texts: dict[int, str]
) -> None:
    """Flip the invitation to answered and buffer its answer, both or neither; refused when it can't be flipped.

    The flip is conditional on the invitation's own columns only: a condition through a join becomes
    "id IN (subquery)", which PostgreSQL does not re-check after waiting for a concurrent submit's row lock (both
    would win). On PostgreSQL the two writes are the one statement of :func:`answer_unread`, so an answer costs one
    round trip and one commit, like any single insert; SQLite has no such statement and takes a short transaction.
    """
    if answers_skip_link_read():
        answer_unread(token=token, values=values, texts=texts, now=now)
        return
    # Everything but the writes is worked out first, so the transaction (SQLite's write lock) is short.
    payload = {
        "department_id": invitation.department_id,
        "petition_type": invitation.petition_type,
        "source": invitation.source,
        "channel": _delivered_via(invitation),
        **_answer_part(now, values, texts),
    }
    inv, buffer = Invitation._meta.db_table, AnswerBuffer._meta.db_table
    claim = f"UPDATE {inv} SET answered = %s WHERE id = %s AND NOT answered AND expires_at > %s AND status <> %s"
    params = [True, invitation.id, connection.ops.adapt_datetimefield_value(now), InvitationStatus.CANCELLED.value]
    fields: Any = {f.name: f for f in AnswerBuffer._meta.concrete_fields}
    row = [
        fields[name].get_db_prep_save(value, connection)
        for name, value in (("id", uuid.uuid4()), ("survey", invitation.survey_id), ("payload", payload))
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(claim, params)
        won = cursor.rowcount == 1
        if won:
            cursor.execute(f"INSERT INTO {buffer} (id, survey_id, payload) VALUES (%s, %s, %s)", row)
    if not won:
        invitation_for_token(token, now=now)  # raises the reason (answered, closed, expired, cancelled)
        raise AnswerRefused("answered")


def answers_flush(*, survey_id: int | None = None, force: bool = False, min_batch: int = FLUSH_MIN_BATCH) -> int:
    """Move buffered answers into ``Answer`` in shuffled order, a batch at a time.

    A batch waits until ``min_batch`` answers are buffered (or ``force`` at closing), so the order of
    rows in the answer tables tells nothing about who answered when.
    """
    surveys = AnswerBuffer.objects.order_by().values_list("survey_id", flat=True).distinct()
    if survey_id is not None:
        surveys = surveys.filter(survey_id=survey_id)
    moved = 0
    shuffle = random.SystemRandom().shuffle
    for sid in list(surveys):
        with transaction.atomic():
            # The round's row first (as closing does): it serialises the running totals.
            Survey.objects.select_for_update(of=("self",)).filter(id=sid).values_list("id", flat=True).first()
            rows = list(AnswerBuffer.objects.select_for_update(of=("self",)).filter(survey_id=sid))
            if not rows or (len(rows) < min_batch and not force):
                continue
            shuffle(rows)
            questions = {q.id: q for q in Question.objects.filter(survey_id=sid)}
            answers, items, bribes = [], [], 0
            tally, texts = tallies.Tally(), []
            for row in rows:
                p = row.payload
                answer = Answer(
                    survey_id=sid,
                    department_id=p.get("department_id"),
                    petition_type=p.get("petition_type", ""),
                    source=p.get("source", ""),
                    channel=p.get("channel", ""),
                    month=dt.date.fromisoformat(p["month"]),
                )
                answers.append(answer)
                counted: list[tuple[int, int | None]] = []
                for qid, value in (p.get("values") or {}).items():
                    question = questions.get(int(qid))
                    if question is None:
                        continue
                    items.append(AnswerItem(answer=answer, question=question, value=int(value)))
                    counted.append((question.id, int(value)))
                    if question.is_bribe and int(value) == 1:
                        bribes += 1
                for qid, text in (p.get("texts") or {}).items():
                    if int(qid) in questions:
                        items.append(AnswerItem(answer=answer, question=questions[int(qid)], text=text))
                        counted.append((int(qid), None))
                        texts.append(text)
                tally.answer(tallies.answer_keys(answer), counted)
            tally.texts(texts)
            Answer.objects.bulk_create(answers)
            AnswerItem.objects.bulk_create(items, batch_size=2000)
            tallies.apply(sid, tally)
            AnswerBuffer.objects.filter(id__in=[r.id for r in rows]).delete()
            moved += len(rows)
            if bribes:
                _bribe_alert(sid, bribes)
    return moved


def _bribe_alert(survey_id: int, new: int) -> None:
    from hwallyu.notifications.services import notify
    from hwallyu.surveys.selectors import bribe_summary

    survey = Survey.objects.get(id=survey_id)
    summary = bribe_summary(survey)
    notify(
        recipients=org.users_with_role(Role.AUDIT),
        title=f"[행정만족도] 금품·향응 요구 응답 {new}건 접수",
        body=(
            f"'{survey.title}'에서 금품·향응 등을 요구받았다는 응답이 {new}건 새로 집계되었습니다 "
            f"(누적 {summary['yes']}건, 해당 문항 응답자의 {summary['share']}%). "
            "응답은 익명이며 응답자를 특정할 수 있는 정보는 없습니다."
        ),
        url=f"/surveys/{survey.id}/results/",
        kind="surveys.bribe",
        dedupe_key=f"survey:{survey.id}:bribe:{secrets.token_hex(8)}",
    )


def optout_add(*, phone: str, via: str = "citizen", actor: Any = None) -> bool:
    """Never invite this number again (only its keyed hash is kept). False for an invalid number."""
    if via != "citizen":
        _check(actor)
    normalized = phones.normalize(phone)
    if not normalized:
        return False
    with transaction.atomic():
        _, created = OptOut.objects.get_or_create(phone_hash=phones.phone_hash(normalized), defaults={"via": via})
        if created and via != "citizen":
            log_action(
                actor=actor,
                action="surveys.optout_add",
                target_type="surveys.optout",
                target_repr=phones.mask(normalized),
            )
    return True


def optout_by_token(*, token: str) -> bool:
    """A citizen opts out from the link they were sent."""
    invitation = Invitation.objects.filter(token=token).only("phone_hash").first()
    if invitation is None or not invitation.phone_hash:
        return False
    OptOut.objects.get_or_create(phone_hash=invitation.phone_hash, defaults={"via": "citizen"})
    return True


# --- incentives ------------------------------------------------------------------------------------


def _spent(survey: Survey) -> int:
    return int(IncentivePayout.objects.filter(survey=survey).aggregate(total=Sum("amount"))["total"] or 0)


def incentives_select(*, survey: Survey, actor: Any, rng: random.Random | None = None) -> int:
    """Pick winners by draw or first-N, as many as the rule and the remaining budget allow."""
    _check(actor, survey)
    rng = rng or random.SystemRandom()
    with transaction.atomic():
        Survey.objects.select_for_update(of=("self",)).filter(id=survey.id).first()
        entered = list(IncentiveEntry.objects.filter(survey=survey, status=IncentiveStatus.ENTERED).order_by("id"))
        already = IncentiveEntry.objects.filter(
            survey=survey, status__in=[IncentiveStatus.WON, IncentiveStatus.PAID]
        ).count()
        remaining_budget = survey.incentive_budget - _spent(survey)
        unpaid_won = IncentiveEntry.objects.filter(survey=survey, status=IncentiveStatus.WON).count()
        by_budget = (remaining_budget // survey.incentive_amount - unpaid_won) if survey.incentive_amount else 0
        slots = max(0, min(survey.incentive_winners - already, by_budget))
        if not entered:
            raise ServiceError("응모자가 없습니다.")
        if slots == 0:
            raise ServiceError("선정 인원이나 남은 예산이 없어 더 선정할 수 없습니다.")
        winners = (
            entered[:slots]
            if survey.incentive_rule == IncentiveRule.FIRST_N
            else rng.sample(entered, min(slots, len(entered)))
        )
        IncentiveEntry.objects.filter(id__in=[w.id for w in winners]).update(status=IncentiveStatus.WON)
        log_action(
            actor=actor,
            action="surveys.incentives_select",
            target=survey,
            after={"rule": survey.incentive_rule, "winners": len(winners)},
        )
    return len(winners)


def incentive_pay(*, survey: Survey, entry: IncentiveEntry, actor: Any, note: str = "") -> IncentivePayout:
    """Record one payout; refused when it would overspend the budget.  The contact is deleted."""
    _check(actor, survey)
    with transaction.atomic():
        locked = Survey.objects.select_for_update(of=("self",)).get(id=survey.id)
        entry = IncentiveEntry.objects.select_for_update(of=("self",)).get(id=entry.id, survey=survey)
        if entry.status != IncentiveStatus.WON:
            raise ServiceError("선정된 응모자에게만 지급할 수 있습니다.")
        amount = locked.incentive_amount
        spent = _spent(locked)
        if amount <= 0:
            raise ServiceError("1인 지급액을 먼저 정하세요.")
        if spent + amount > locked.incentive_budget:
            raise ServiceError(
                f"예산을 초과하여 지급할 수 없습니다. 예산 {locked.incentive_budget:,}원 중 {spent:,}원을 지급했고 "
                f"남은 예산은 {locked.incentive_budget - spent:,}원입니다."
            )
        payout = IncentivePayout.objects.create(
            survey=locked, entry_code=entry.code, amount=amount, paid_by=actor, note=note[:200]
        )
        entry.status = IncentiveStatus.PAID
        entry.contact = ""
        entry.save(update_fields=["status", "contact"])
        log_action(
            actor=actor,
            action="surveys.incentive_pay",
            target=payout,
            after={"amount": amount, "spent": spent + amount},
        )
    return payout


def incentives_pay_all(*, survey: Survey, actor: Any) -> tuple[int, str]:
    """Pay every selected entry until the budget is used up; returns (paid, refusal message)."""
    paid = 0
    for entry in IncentiveEntry.objects.filter(survey=survey, status=IncentiveStatus.WON).order_by("id"):
        try:
            incentive_pay(survey=survey, entry=entry, actor=actor)
        except ServiceError as exc:
            return paid, exc.message
        paid += 1
    return paid, ""


def incentives_purge(*, survey: Survey, actor: Any) -> int:
    """After payout: delete every remaining contact (not selected or never paid)."""
    _check(actor, survey)
    with transaction.atomic():
        purged = IncentiveEntry.objects.filter(survey=survey).exclude(contact="").update(contact="")
        IncentiveEntry.objects.filter(survey=survey, status=IncentiveStatus.ENTERED).update(
            status=IncentiveStatus.NOT_SELECTED
        )
        log_action(actor=actor, action="surveys.incentives_purge", target=survey, after={"contacts_deleted": purged})
    return purged


def open_surveys() -> Iterable[Survey]:
    return Survey.objects.filter(status=SurveyStatus.OPEN)
