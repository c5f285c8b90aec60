"""The outbox: in-app notices, e-mail rows, dedupe keys, delivery with retries, stuck claims."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, OperationalError, close_old_connections
from django.utils import timezone

from hwallyu.notifications import services
from hwallyu.notifications.models import Channel, NoticeKey, Notification, OutboxMessage, OutboxStatus
from hwallyu.notifications.selectors import unread_count

pytestmark = pytest.mark.django_db


class BrokenBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("메일 서버에 연결할 수 없습니다")


def test_notify_writes_in_app_notices_and_email_rows(org, settings):
    sent = services.notify(
        recipients=[org.manager, org.staff, org.manager, None],
        title="지시사항 기한이 다가옵니다",
        body="내일 18:00까지 보고하세요.",
        url="/directives/7/",
        kind="directive.reminder",
    )

    assert sent is True
    notices = Notification.objects.order_by("recipient__username")
    assert [(n.recipient, n.title, n.kind, n.url) for n in notices] == [
        (org.manager, "지시사항 기한이 다가옵니다", "directive.reminder", "/directives/7/"),
        (org.staff, "지시사항 기한이 다가옵니다", "directive.reminder", "/directives/7/"),
    ]
    rows = OutboxMessage.objects.order_by("to_address")
    assert [(r.channel, r.to_address, r.status) for r in rows] == [
        (Channel.EMAIL, "manager@city.test", OutboxStatus.PENDING),
        (Channel.EMAIL, "staff@city.test", OutboxStatus.PENDING),
    ]
    assert rows[0].subject == "[환류] 지시사항 기한이 다가옵니다"
    assert "내일 18:00까지 보고하세요." in rows[0].body
    assert f"{settings.SITE_URL}/directives/7/" in rows[0].body  # the e-mail links back to the page
    assert unread_count(org.manager) == 1
    assert unread_count(org.planner) == 0


def test_notify_without_email_and_skips_inactive_users_and_missing_addresses(org):
    org.staff.is_active = False
    org.staff.save(update_fields=["is_active"])
    org.manager.email = ""
    org.manager.save(update_fields=["email"])

    services.notify(recipients=[org.manager, org.staff, org.planner], title="알림", email=True)

    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"manager", "planner"}
    assert list(OutboxMessage.objects.values_list("to_address", flat=True)) == ["planner@city.test"]

    services.notify(recipients=[org.planner], title="앱 알림만", email=False)
    assert OutboxMessage.objects.count() == 1


def test_same_dedupe_key_twice_sends_once(org):
    first = services.notify(recipients=[org.manager], title="기한 경과", dedupe_key="directive:7:overdue")
    second = services.notify(recipients=[org.manager], title="기한 경과", dedupe_key="directive:7:overdue")

    assert (first, second) == (True, False)
    assert Notification.objects.count() == 1
    assert OutboxMessage.objects.count() == 1
    assert NoticeKey.objects.filter(key="directive:7:overdue").exists()


def test_dedupe_key_lost_race_is_a_no_op(org):
    """Another worker inserted the key between our check and our insert: IntegrityError → no notice."""
    with mock.patch.object(NoticeKey.objects, "create", side_effect=IntegrityError("UNIQUE constraint failed")):
        sent = services.notify(recipients=[org.manager], title="기한 경과", dedupe_key="directive:8:overdue")

    assert sent is False
    assert Notification.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_threads_with_the_same_dedupe_key_notify_once(org):
    start = threading.Barrier(2)
    results: list[bool] = []
    errors: list[BaseException] = []

    def sweep() -> None:
        try:
            start.wait(timeout=10)
            for _ in range(50):
                try:
                    results.append(
                        services.notify(recipients=[org.manager], title="기한 경과", dedupe_key="directive:9:overdue")
                    )
                    return
                except OperationalError as exc:
                    # The in-memory SQLite test database (shared cache) answers a concurrent writer with
                    # "table is locked" at once instead of waiting; the file database waits (busy_timeout).
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.05)
        except Exception as exc:  # noqa: BLE001 - the assertion below shows it
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(results) == [False, True]
    assert Notification.objects.filter(recipient=org.manager).count() == 1
    assert OutboxMessage.objects.count() == 1


def test_notify_delivers_email_after_commit(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[org.manager], title="심사분석 제출 요청", body="이번 주 금요일까지")

    assert [m.to for m in mail.outbox] == [["manager@city.test"]]
    assert mail.outbox[0].subject == "[환류] 심사분석 제출 요청"
    row = OutboxMessage.objects.get()
    assert row.status == OutboxStatus.SENT
    assert row.attempts == 1
    assert row.sent_at is not None


def test_deliver_pending_sends_with_the_locmem_backend_and_marks_sent(org, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    services.notify(recipients=[org.manager, org.staff], title="회의 안내")

    assert services.deliver_pending() == 2

    assert sorted(m.to[0] for m in mail.outbox) == ["manager@city.test", "staff@city.test"]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
    # A rerun finds nothing left to send.
    assert services.deliver_pending() == 0
    assert len(mail.outbox) == 2


def test_failing_backend_retries_then_gives_up(org, settings):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    services.notify(recipients=[org.manager], title="회의 안내")
    row = OutboxMessage.objects.get()

    services.deliver_pending()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
    assert "메일 서버에 연결할 수 없습니다" in row.error

    for _ in range(services.MAX_ATTEMPTS - 1):
        services.deliver_pending()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, services.MAX_ATTEMPTS)

    # A failed message is not tried again.
    assert services.deliver_pending() == 0
    row.refresh_from_db()
    assert row.attempts == services.MAX_ATTEMPTS


def test_only_one_worker_claims_a_message(org):
    services.notify(recipients=[org.manager], title="회의 안내")
    row = OutboxMessage.objects.get()

    assert services.claim_message(row.id) is not None
    assert services.claim_message(row.id) is None
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENDING


def test_release_stuck_returns_old_claims_to_pending(org):
    services.notify(recipients=[org.manager, org.staff], title="회의 안내")
    old, recent = OutboxMessage.objects.order_by("to_address")
    OutboxMessage.objects.filter(id=old.id).update(
        status=OutboxStatus.SENDING, claimed_at=timezone.now() - timedelta(minutes=20)
    )
    OutboxMessage.objects.filter(id=recent.id).update(
        status=OutboxStatus.SENDING, claimed_at=timezone.now() - timedelta(minutes=2)
    )

    assert services.release_stuck() == 1

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == OutboxStatus.PENDING
    assert recent.status == OutboxStatus.SENDING


def test_mark_read_one_then_all_only_for_the_reader(org):
    services.notify(recipients=[org.manager, org.staff], title="첫째", email=False)
    services.notify(recipients=[org.manager], title="둘째", email=False)
    first = Notification.objects.get(recipient=org.manager, title="첫째")

    assert services.mark_read(user=org.manager, notification_id=first.id) == 1
    assert unread_count(org.manager) == 1
    # Someone else's notice is not touched.
    staff_notice = Notification.objects.get(recipient=org.staff)
    assert services.mark_read(user=org.manager, notification_id=staff_notice.id) == 0

    assert services.mark_read(user=org.manager) == 1
    assert unread_count(org.manager) == 0
    assert unread_count(org.staff) == 1


def test_periodic_jobs_and_menu_are_registered():
    from hwallyu.core.navigation import sections_for
    from hwallyu.core.registry import periodic_jobs
    from hwallyu.notifications.tasks import deliver_outbox, release_stuck_messages
    from hwallyu.org.models import Role

    jobs = {job.name: job for job in periodic_jobs()}
    assert jobs["outbox.deliver"].task is deliver_outbox
    assert jobs["outbox.deliver"].every_seconds == 30
    assert jobs["outbox.release_stuck"].task is release_stuck_messages
    assert jobs["outbox.release_stuck"].every_seconds == 300
    for role in Role.values:
        labels = [item["label"] for section in sections_for(role) for item in section["items"]]
        assert "받은 알림" in labels, role
