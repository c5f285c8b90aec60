"""The one way other apps notify people: ``notify``.

In-app notices are written at once; e-mail goes through the outbox and is delivered by a
task after the transaction commits.  A ``dedupe_key`` makes the whole notice idempotent:
the first caller with a key inserts it, any later caller (another worker, a rerun) is a no-op.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from hwallyu.notifications.models import Channel, NoticeKey, Notification, OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def notify(
    *,
    recipients: Iterable[Any],
    title: str,
    body: str = "",
    url: str = "",
    kind: str = "",
    email: bool = True,
    dedupe_key: str | None = None,
) -> bool:
    """Notify ``recipients`` in the app (and by e-mail).  False when ``dedupe_key`` was used already."""
    users = [u for u in dict.fromkeys(recipients) if u is not None and getattr(u, "is_active", True)]
    with transaction.atomic():
        if dedupe_key is not None:
            try:
                with transaction.atomic():
                    NoticeKey.objects.create(key=dedupe_key[:200])
            except IntegrityError:
                return False
        Notification.objects.bulk_create(
            [Notification(recipient=u, kind=kind, title=title[:200], body=body, url=url) for u in users]
        )
        if email:
            link = f"{settings.SITE_URL}{url}" if url.startswith("/") else url
            text = f"{body}\n\n{link}".strip()
            messages = [
                OutboxMessage(
                    channel=Channel.EMAIL,
                    recipient=u,
                    to_address=u.email,
                    subject=f"[환류] {title}"[:200],
                    body=text,
                    dedupe_key=f"{dedupe_key}:{u.pk}"[:200] if dedupe_key else None,
                )
                for u in users
                if u.email
            ]
            OutboxMessage.objects.bulk_create(messages)
            if messages:
                transaction.on_commit(_enqueue_delivery)
    return True


def _enqueue_delivery() -> None:
    from hwallyu.notifications.tasks import deliver_outbox

    deliver_outbox.enqueue()


def claim_message(message_id: int) -> OutboxMessage | None:
    """Compare-and-set: only one worker gets a pending message."""
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(id=message_id, status=OutboxStatus.PENDING).update(
        status=OutboxStatus.SENDING, claimed_at=now
    )
    return OutboxMessage.objects.get(id=message_id) if claimed else None


def deliver_email(message: OutboxMessage) -> None:
    try:
        send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.to_address])
    except Exception as exc:  # noqa: BLE001 - any transport error is recorded and retried
        attempts = message.attempts + 1
        OutboxMessage.objects.filter(id=message.id).update(
            status=OutboxStatus.FAILED if attempts >= MAX_ATTEMPTS else OutboxStatus.PENDING,
            attempts=attempts,
            error=str(exc)[:2000],
        )
        log.warning("e-mail %s failed (attempt %s): %s", message.id, attempts, exc)
        return
    OutboxMessage.objects.filter(id=message.id).update(
        status=OutboxStatus.SENT, attempts=message.attempts + 1, sent_at=timezone.now(), error=""
    )


def deliver_pending(*, limit: int = 500) -> int:
    """Deliver pending e-mail messages; safe with several workers."""
    sent = 0
    ids = list(
        OutboxMessage.objects.filter(status=OutboxStatus.PENDING, channel=Channel.EMAIL)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    for message_id in ids:
        message = claim_message(message_id)
        if message is not None:
            deliver_email(message)
            sent += 1
    return sent


def release_stuck(*, older_than_minutes: int = 15) -> int:
    """Messages claimed by a worker that died go back to pending."""
    cutoff = timezone.now() - datetime.timedelta(minutes=older_than_minutes)
    return OutboxMessage.objects.filter(status=OutboxStatus.SENDING, claimed_at__lt=cutoff).update(
        status=OutboxStatus.PENDING
    )


def mark_read(*, user: Any, notification_id: int | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(id=notification_id)
    return qs.update(read_at=timezone.now())
