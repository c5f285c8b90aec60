"""Citizen messages in the shared outbox: queue, deliver in batches, record results, erase.

Delivery is safe with several workers and after a crash:

* a batch is claimed with one compare-and-set (``status`` pending → sending, ``claimed_by`` = a
  fresh token), so two workers never hold the same message;
* every message carries its own idempotency key, sent to the provider as the recipient grouping
  key; a worker that dies between the provider call and the database update leaves the batch in
  "sending", ``release_stuck`` puts it back, and the resend with the same keys is answered with the
  first result instead of a second message;
* transport failures are retried with backoff (1, 5, 15, 60 minutes) inside the message's send
  window, up to ``MAX_ATTEMPTS``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from hwallyu.notifications.channels import alimtalk, sms
from hwallyu.notifications.channels.client import (
    MAX_RECIPIENTS,
    Accepted,
    Delivery,
    ProviderError,
    Recipient,
    alimtalk_delivery,
    get_client,
    sms_delivery,
)
from hwallyu.notifications.channels.window import is_open, next_open
from hwallyu.notifications.models import Channel, OutboxMessage, OutboxStatus

log = logging.getLogger("hwallyu.notifications.bizmessage")

MAX_ATTEMPTS = 5
BACKOFF_SECONDS = (60, 300, 900, 3600)
CITIZEN_CHANNELS = (Channel.ALIMTALK, Channel.SMS)


@dataclass
class CitizenMessage:
    """A message to a citizen's mobile phone."""

    to: str  # "010-1234-5678"
    text: str
    dedupe_key: str
    template_code: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    title: str = ""


def digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())


def queue_citizen_messages(
    messages: Iterable[CitizenMessage],
    *,
    channel: str = Channel.ALIMTALK,
    fallback: bool = True,
    window: str = "",
    not_before: dt.datetime | None = None,
    batch_size: int = 5000,
) -> int:
    """Put messages in the outbox (inside the caller's transaction); returns how many.

    ``window`` ("09:00-20:00/W") limits when they may be sent; ``fallback`` asks the provider to
    resend a failed AlimTalk as SMS (≤ 90 bytes) or LMS.  Written with plain multi-row INSERTs
    (every other column takes its model default), so 100,000 invitations queue in seconds.
    """
    fields = [f for f in OutboxMessage._meta.concrete_fields if not f.primary_key]
    constants = {
        "channel": channel,
        "status": OutboxStatus.PENDING,
        "window": window,
        "next_attempt_at": not_before,
        "created_at": timezone.now(),
    }
    fixed = {
        f.name: f.get_db_prep_save(constants[f.name] if f.name in constants else f.get_default(), connection)
        for f in fields
    }
    params_field = OutboxMessage._meta.get_field("params")
    varying = ("to_address", "subject", "body", "dedupe_key", "template_code", "params", "idempotency_key", "fallback")
    order = [f.name for f in fields]
    rows = []
    for m in messages:
        if channel == Channel.ALIMTALK and not m.template_code:
            raise ValueError("알림톡에는 승인된 템플릿 코드가 필요합니다.")
        values = {
            "to_address": m.to,
            "subject": (m.title or m.text.split("\n", 1)[0])[:200],
            "body": m.text,
            "dedupe_key": m.dedupe_key[:200],
            "template_code": m.template_code,
            "params": params_field.get_db_prep_save(m.params, connection),
            "idempotency_key": uuid.uuid4().hex,
            "fallback": sms.kind_for(m.text) if (fallback and channel == Channel.ALIMTALK) else "",
        }
        rows.append(tuple(values[name] if name in varying else fixed[name] for name in order))
    qn = connection.ops.quote_name
    sql = (
        f"INSERT INTO {qn(OutboxMessage._meta.db_table)} ({', '.join(qn(f.column) for f in fields)})"
        f" VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with connection.cursor() as cursor:
        for i in range(0, len(rows), batch_size):
            cursor.executemany(sql, rows[i : i + batch_size])
    if rows:
        transaction.on_commit(_enqueue_delivery)
    return len(rows)


def _enqueue_delivery() -> None:
    from hwallyu.notifications.channels.tasks import deliver_citizen_messages

    try:
        deliver_citizen_messages.enqueue()
    except Exception:
        log.exception("could not enqueue the delivery task")


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=BACKOFF_SECONDS[min(attempts, len(BACKOFF_SECONDS)) - 1])


def _due(now: dt.datetime) -> Q:
    return Q(channel__in=CITIZEN_CHANNELS, status=OutboxStatus.PENDING) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def _postpone_closed(now: dt.datetime, limit: int) -> None:
    """Messages whose send window is shut now wait for its next opening."""
    windows = (
        OutboxMessage.objects.filter(_due(now))
        .exclude(window="")
        .order_by()
        .values_list("window", flat=True)
        .distinct()[:limit]
    )
    for spec in set(windows):
        if not is_open(spec, now):
            OutboxMessage.objects.filter(_due(now), window=spec).update(next_attempt_at=next_open(spec, now))


def claim_batch(*, now: dt.datetime, size: int = MAX_RECIPIENTS) -> list[OutboxMessage]:
    """Compare-and-set: this worker alone gets up to ``size`` due messages."""
    ids = list(OutboxMessage.objects.filter(_due(now)).order_by("id").values_list("id", flat=True)[:size])
    if not ids:
        return []
    token = uuid.uuid4().hex
    OutboxMessage.objects.filter(id__in=ids, status=OutboxStatus.PENDING).update(
        status=OutboxStatus.SENDING, claimed_at=now, claimed_by=token
    )
    return list(OutboxMessage.objects.filter(claimed_by=token, status=OutboxStatus.SENDING).order_by("id"))


def _recipient(message: OutboxMessage) -> Recipient:
    return Recipient(
        idempotency_key=message.idempotency_key or f"outbox-{message.pk}",
        recipient_no=digits(message.to_address),
        content=message.body,
        title=message.subject[:40],
        params=message.params or {},
        fallback=message.fallback,
    )


def _send(messages: list[OutboxMessage]) -> list[Accepted]:
    client = get_client()
    if not messages:
        return []
    if messages[0].channel == Channel.ALIMTALK:
        return alimtalk.send_batch(client, messages[0].template_code, [_recipient(m) for m in messages])
    return sms.send_batch(client, [_recipient(m) for m in messages])


def _record_failure(messages: list[OutboxMessage], error: str, now: dt.datetime) -> None:
    for m in messages:
        attempts = m.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            update: dict[str, Any] = {"status": OutboxStatus.FAILED, "result_code": "retry-exhausted"}
        else:
            update = {
                "status": OutboxStatus.PENDING,
                "next_attempt_at": next_open(m.window, now + _backoff(attempts)),
            }
        OutboxMessage.objects.filter(id=m.id, claimed_by=m.claimed_by).update(
            attempts=attempts, error=error[:2000], **update
        )


def _record_accepted(messages: list[OutboxMessage], results: list[Accepted], now: dt.datetime) -> None:
    by_key = {r.idempotency_key: r for r in results}
    changed = []
    for m in messages:
        result = by_key.get(m.idempotency_key or f"outbox-{m.pk}")
        m.attempts += 1
        if result is None or not result.ok:
            m.status = OutboxStatus.FAILED
            m.result_code = (result.result_code if result else "missing")[:20]
            m.error = (result.message if result else "발송 결과가 없습니다.")[:2000]
        else:
            m.status = OutboxStatus.SENT
            m.sent_at = now
            m.provider_request_id = result.request_id[:64]
            m.provider_seq = result.seq
            m.error = ""
            if result.final is not None:
                _apply(m, result.final, now)
        changed.append(m)
    with transaction.atomic():
        OutboxMessage.objects.bulk_update(
            changed,
            [
                "status",
                "attempts",
                "sent_at",
                "provider_request_id",
                "provider_seq",
                "result_code",
                "error",
                "delivered_via",
                "delivered_at",
            ],
            batch_size=500,
        )


def deliver_due(*, now: dt.datetime | None = None, max_batches: int = 100) -> int:
    """Send due AlimTalk/SMS messages in batches of up to 1,000; returns how many were handed over."""
    now = now or timezone.now()
    _postpone_closed(now, 50)
    handed = 0
    for _ in range(max_batches):
        batch = claim_batch(now=now)
        if not batch:
            break
        groups: dict[tuple[str, str], list[OutboxMessage]] = defaultdict(list)
        for m in batch:
            groups[(m.channel, m.template_code)].append(m)
        for group in groups.values():
            try:
                results = _send(group)
            except ProviderError as exc:
                log.warning("provider error for %s messages: %s", len(group), exc)
                _record_failure(group, str(exc), now)
                continue
            _record_accepted(group, results, now)
            handed += len(group)
    return handed


# --- delivery results -------------------------------------------------------------------


def _apply(message: OutboxMessage, delivery: Delivery, now: dt.datetime) -> bool:
    """Set the final state on ``message`` (not saved); False while the result is still pending."""
    if delivery.status == "pending":
        return False
    message.result_code = delivery.result_code[:20]
    if delivery.status == "delivered":
        message.delivered_via = delivery.via
        message.delivered_at = now
    else:
        message.status = OutboxStatus.FAILED
        message.error = (delivery.message or "전달되지 않았습니다.")[:2000]
    return True


def apply_deliveries(deliveries: Iterable[Delivery], *, now: dt.datetime | None = None) -> int:
    """Record results (from a poll or the webhook); a result already recorded is left alone."""
    now = now or timezone.now()
    items = [d for d in deliveries if d.request_id]
    if not items:
        return 0
    wanted = {(d.request_id, d.seq): d for d in items}
    messages = OutboxMessage.objects.filter(
        provider_request_id__in={d.request_id for d in items},
        status=OutboxStatus.SENT,
        delivered_at__isnull=True,
    )
    changed = []
    for m in messages:
        delivery = wanted.get((m.provider_request_id, m.provider_seq or 0))
        if delivery is not None and _apply(m, delivery, now):
            changed.append(m)
    OutboxMessage.objects.bulk_update(changed, ["status", "result_code", "error", "delivered_via", "delivered_at"])
    return len(changed)


def poll_results(*, now: dt.datetime | None = None, limit: int = 50) -> int:
    """Ask the provider for results of sent messages that have none yet."""
    now = now or timezone.now()
    requests = (
        OutboxMessage.objects.filter(channel__in=CITIZEN_CHANNELS, status=OutboxStatus.SENT, delivered_at__isnull=True)
        .exclude(provider_request_id="")
        .order_by()
        .values_list("channel", "provider_request_id")
        .distinct()[:limit]
    )
    client = get_client()
    recorded = 0
    for channel, request_id in list(requests):
        try:
            deliveries = client.fetch_results(channel, request_id)
        except ProviderError as exc:
            log.warning("result poll for %s failed: %s", request_id, exc)
            continue
        recorded += apply_deliveries(deliveries, now=now)
    return recorded


# --- signed webhook ------------------------------------------------------------------------

WEBHOOK_MAX_SKEW = dt.timedelta(minutes=5)


def webhook_signature(body: bytes, timestamp: str, secret: str | None = None) -> str:
    key = str(secret or settings.HWALLYU_BIZMESSAGE["WEBHOOK_SECRET"]).encode("utf-8")
    return hmac.new(key, timestamp.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()


def verify_webhook(body: bytes, timestamp: str, signature: str, *, now: dt.datetime | None = None) -> bool:
    """HMAC-SHA256 over ``timestamp.body``; stale (> 5 minutes) or wrong signatures are refused."""
    now = now or timezone.now()
    try:
        sent = dt.datetime.fromtimestamp(int(timestamp), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError):
        return False
    if abs(now - sent) > WEBHOOK_MAX_SKEW:
        return False
    expected = webhook_signature(body, timestamp)
    return hmac.compare_digest(expected, signature.removeprefix("sha256="))


def deliveries_from_webhook(payload: dict[str, Any]) -> list[Delivery]:
    """The webhook carries the same fields as a result poll, per message."""
    out = []
    for item in payload.get("messages") or []:
        if not isinstance(item, dict):
            continue
        out.append(sms_delivery(item) if item.get("channel") == "sms" else alimtalk_delivery(item))
    return out


# --- reads and erasure -------------------------------------------------------------------------


def delivery_counts(dedupe_prefix: str) -> dict[str, int]:
    """How the messages whose dedupe key starts with ``dedupe_prefix`` fared."""
    qs = OutboxMessage.objects.filter(dedupe_key__startswith=dedupe_prefix)
    agg = qs.aggregate(
        queued=Count("id"),
        waiting=Count("id", filter=Q(status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING])),
        sent=Count("id", filter=Q(status=OutboxStatus.SENT)),
        failed=Count("id", filter=Q(status=OutboxStatus.FAILED)),
        delivered=Count("id", filter=Q(delivered_at__isnull=False)),
        alimtalk=Count("id", filter=Q(delivered_via="alimtalk")),
        sms=Count("id", filter=Q(delivered_via="sms")),
        lms=Count("id", filter=Q(delivered_via="lms")),
    )
    return {k: int(v or 0) for k, v in agg.items()}


def delivered_via_sql(key_sql: str) -> str:
    """A scalar SQL subquery giving ``delivered_via`` of the message whose key is the SQL expression ``key_sql``.

    For a caller that reads its own row and wants the channel in the same statement (the survey answer page
    reads its link this way: one round trip instead of two). The outbox's table and columns stay named here.
    """
    return f"(SELECT o.delivered_via FROM {OutboxMessage._meta.db_table} o WHERE o.dedupe_key = {key_sql})"


def delivered_via(dedupe_key: str) -> str:
    """How one message reached its recipient ("alimtalk", "sms", "lms"), or "".

    Every survey answer asks this, so the lookup on the unique key is written out in SQL (a fraction of the
    ORM's cost for one indexed read).
    """
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT delivered_via FROM {OutboxMessage._meta.db_table} WHERE dedupe_key = %s", [dedupe_key])
        rows = cursor.fetchall()  # to the end, so the statement is finished (the key is unique)
    return (rows[0][0] if rows else "") or ""


def erase_recipients(dedupe_prefix: str) -> int:
    """Forget the phone numbers and texts (with their links) of these messages; statuses stay."""
    return OutboxMessage.objects.filter(dedupe_key__startswith=dedupe_prefix).update(to_address="", body="", params={})


def cancel_pending(dedupe_prefix: str) -> int:
    return OutboxMessage.objects.filter(dedupe_key__startswith=dedupe_prefix, status=OutboxStatus.PENDING).update(
        status=OutboxStatus.FAILED, result_code="cancelled", error="조사 종료로 발송하지 않았습니다."
    )


def delivered_keys(keys: list[str]) -> set[str]:
    """Which of these dedupe keys belong to messages that reached their recipient."""
    found: set[str] = set()
    for i in range(0, len(keys), 5000):
        rows = OutboxMessage.objects.filter(dedupe_key__in=keys[i : i + 5000], delivered_at__isnull=False)
        found.update(key for key in rows.values_list("dedupe_key", flat=True) if key)
    return found
