"""AlimTalk/SMS delivery through the fake Bizmessage provider: batches, fallback, failures, retries,
crash-resume without duplicates, delivery results by polling and by the signed webhook."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
import time_machine
from django.test import Client

from hwallyu.notifications.channels import outbox
from hwallyu.notifications.channels.window import SendWindow
from hwallyu.notifications.models import Channel, OutboxMessage, OutboxStatus
from hwallyu.notifications.services import release_stuck
from hwallyu.surveys.tests.conftest import aware

pytestmark = pytest.mark.django_db

MONDAY_10 = aware(2024, 3, 4, 10, 0)


def _queue(numbers: list[str], *, channel: str = Channel.ALIMTALK, window: str = "") -> None:
    outbox.queue_citizen_messages(
        [
            outbox.CitizenMessage(
                to=n,
                text=f"[논산시 행정만족도 조사] 참여해 주세요 http://testserver/s/tok{i}",
                dedupe_key=f"t:{i}",
                template_code="HWALLYU_SURVEY_01",
                params={"링크": f"http://testserver/s/tok{i}"},
                title="논산시",
            )
            for i, n in enumerate(numbers)
        ],
        channel=channel,
        window=window,
    )


def _by_key() -> dict[str, OutboxMessage]:
    return {m.dedupe_key: m for m in OutboxMessage.objects.all()}


def test_alimtalk_batch_with_sms_fallback_and_undelivered(fake_provider) -> None:
    _queue(["010-2345-0001", "010-2345-0007", "010-2345-0100", "010-2345-0099"])
    assert outbox.deliver_due(now=MONDAY_10) == 4
    assert fake_provider.requests == 1  # one request for the whole batch
    sent = fake_provider.messages
    assert {s.recipient_no for s in sent.values()} == {"01023450001", "01023450007", "01023450100"}
    resend = next(s.resend for s in sent.values() if s.recipient_no == "01023450007")
    assert resend["isResend"] is True and resend["resendType"] == "SMS"  # ≤ 90 bytes in CP949
    headers = fake_provider.last_request_headers
    assert headers["x-secret-key"] == "local-secret" and len(headers["x-idempotency-key"]) == 40

    msgs = _by_key()
    assert msgs["t:3"].status == OutboxStatus.FAILED and msgs["t:3"].result_code == "-1003"  # refused at once
    assert all(msgs[k].status == OutboxStatus.SENT for k in ("t:0", "t:1", "t:2"))

    assert outbox.poll_results(now=MONDAY_10) == 3
    msgs = _by_key()
    assert (msgs["t:0"].delivered_via, msgs["t:0"].result_code) == ("alimtalk", "1000")
    assert msgs["t:1"].delivered_via == "sms" and msgs["t:1"].delivered_at is not None  # fallback recorded
    assert msgs["t:2"].status == OutboxStatus.FAILED and msgs["t:2"].delivered_at is None
    counts = outbox.delivery_counts("t:")
    assert (counts["delivered"], counts["alimtalk"], counts["sms"], counts["failed"]) == (2, 1, 1, 2)


def test_alimtalk_needs_a_template_code() -> None:
    with pytest.raises(ValueError):
        outbox.queue_citizen_messages([outbox.CitizenMessage(to="010-2345-0001", text="x", dedupe_key="n:1")])


def test_sms_channel_sends_short_text_as_sms(fake_provider) -> None:
    outbox.queue_citizen_messages(
        [outbox.CitizenMessage(to="010-3456-7890", text="설문 http://t/s/x", dedupe_key="s:1")], channel=Channel.SMS
    )
    outbox.deliver_due(now=MONDAY_10)
    assert next(iter(fake_provider.messages.values())).channel == "sms"
    outbox.poll_results(now=MONDAY_10)
    assert OutboxMessage.objects.get(dedupe_key="s:1").delivered_via == "sms"


def test_provider_errors_are_retried_with_backoff_inside_the_window(fake_provider) -> None:
    _queue(["010-2345-0001"], window="09:00-20:00/W")
    fake_provider.fail_next = 1
    outbox.deliver_due(now=MONDAY_10)
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
    assert message.next_attempt_at == MONDAY_10 + dt.timedelta(minutes=1)
    assert "500" in message.error
    assert outbox.deliver_due(now=MONDAY_10) == 0  # not due yet
    outbox.deliver_due(now=MONDAY_10 + dt.timedelta(minutes=2))
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 2)
    assert fake_provider.sent == 1


def test_retry_after_the_window_closes_waits_for_the_next_working_morning(fake_provider) -> None:
    _queue(["010-2345-0001"], window="09:00-20:00/W")
    fake_provider.fail_next = 1
    friday_late = aware(2024, 3, 8, 19, 59, 30)
    outbox.deliver_due(now=friday_late)
    assert OutboxMessage.objects.get().next_attempt_at == aware(2024, 3, 11, 9, 0)  # Monday 09:00


def test_a_slow_provider_times_out_and_is_retried(fake_provider, settings) -> None:
    from hwallyu.notifications.channels import client as bizclient

    config = fake_provider.config() | {"TIMEOUT": 0.2}
    bizclient.set_client(bizclient.HttpBizMessageClient(config))
    fake_provider.delay = 0.5
    _queue(["010-2345-0001"])
    outbox.deliver_due(now=MONDAY_10)
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.PENDING and message.attempts == 1
    fake_provider.delay = 0
    time.sleep(0.4)  # the slow request was still answered by the fake: the retry must not send twice
    outbox.deliver_due(now=MONDAY_10 + dt.timedelta(minutes=5))
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert fake_provider.sent == 1


def test_retries_give_up_after_max_attempts(fake_provider) -> None:
    _queue(["010-2345-0001"])
    fake_provider.fail_next = 99
    moment = MONDAY_10
    for _ in range(outbox.MAX_ATTEMPTS):
        outbox.deliver_due(now=moment)
        moment += dt.timedelta(hours=2)
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.FAILED and message.attempts == outbox.MAX_ATTEMPTS


def test_closed_window_postpones_without_sending(fake_provider) -> None:
    _queue(["010-2345-0001"], window="09:00-20:00/W")
    saturday = aware(2024, 3, 9, 11, 0)
    assert outbox.deliver_due(now=saturday) == 0
    assert fake_provider.requests == 0
    assert OutboxMessage.objects.get().next_attempt_at == aware(2024, 3, 11, 9, 0)


def test_crash_between_provider_call_and_database_update_sends_nothing_twice_and_loses_nothing(
    fake_provider, monkeypatch
) -> None:
    numbers = [f"010-{2000 + i}-1231" for i in range(1100)]
    _queue(numbers)
    real = outbox._record_accepted

    def crash(*args, **kwargs):
        raise SystemExit("worker killed after the provider accepted the batch")

    monkeypatch.setattr(outbox, "_record_accepted", crash)
    with pytest.raises(SystemExit):
        outbox.deliver_due(now=MONDAY_10)
    assert fake_provider.sent == 1000  # the first batch of 1,000 reached the provider
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENDING).count() == 1000

    monkeypatch.setattr(outbox, "_record_accepted", real)
    assert outbox.deliver_due(now=MONDAY_10) == 100  # another worker takes only the unclaimed rest
    assert release_stuck(older_than_minutes=0) == 1000  # the dead worker's claim is released
    outbox.deliver_due(now=MONDAY_10)
    assert fake_provider.sent == 1100  # every message sent exactly once
    assert fake_provider.duplicates == 1000  # the resend was answered from the idempotency keys
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 1100
    assert OutboxMessage.objects.exclude(provider_request_id="").count() == 1100


def test_two_workers_never_claim_the_same_message(fake_provider) -> None:
    _queue([f"010-2345-{i:04d}" for i in range(1, 30)])
    first = outbox.claim_batch(now=MONDAY_10, size=20)
    second = outbox.claim_batch(now=MONDAY_10, size=20)
    assert len(first) == 20 and len(second) == 9
    assert not {m.id for m in first} & {m.id for m in second}


@time_machine.travel(MONDAY_10, tick=False)
def test_signed_webhook_records_results_and_refuses_bad_signatures(fake_provider) -> None:
    _queue(["010-2345-0001", "010-2345-0007"])
    outbox.deliver_due(now=MONDAY_10)
    results = []
    for message in OutboxMessage.objects.order_by("id"):
        results += fake_provider.results_for(message.provider_request_id)
    body = json.dumps({"messages": results}).encode()
    stamp = str(int(MONDAY_10.timestamp()))
    client = Client()
    url = "/api/v1/bizmessage/webhook"

    bad = client.post(
        url,
        body,
        content_type="application/json",
        headers={"X-Bizmessage-Timestamp": stamp, "X-Bizmessage-Signature": "sha256=" + "0" * 64},
    )
    assert bad.status_code == 401 and "서명" in bad.json()["detail"]
    stale = str(int(MONDAY_10.timestamp()) - 3600)
    old = client.post(
        url,
        body,
        content_type="application/json",
        headers={
            "X-Bizmessage-Timestamp": stale,
            "X-Bizmessage-Signature": "sha256=" + outbox.webhook_signature(body, stale),
        },
    )
    assert old.status_code == 401

    ok = client.post(
        url,
        body,
        content_type="application/json",
        headers={
            "X-Bizmessage-Timestamp": stamp,
            "X-Bizmessage-Signature": "sha256=" + outbox.webhook_signature(body, stamp),
        },
    )
    assert ok.status_code == 200 and ok.json() == {"recorded": 2}
    assert sorted(OutboxMessage.objects.values_list("delivered_via", flat=True)) == ["alimtalk", "sms"]
    again = client.post(
        url,
        body,
        content_type="application/json",
        headers={
            "X-Bizmessage-Timestamp": stamp,
            "X-Bizmessage-Signature": "sha256=" + outbox.webhook_signature(body, stamp),
        },
    )
    assert again.json() == {"recorded": 0}  # a repeated delivery report changes nothing


def test_console_backend_settles_at_once(console_provider) -> None:
    _queue(["010-2345-0001", "010-2345-0007", "010-2345-0100"])
    outbox.deliver_due(now=MONDAY_10)
    msgs = _by_key()
    assert msgs["t:0"].delivered_via == "alimtalk"
    assert msgs["t:1"].delivered_via == "sms"
    assert msgs["t:2"].status == OutboxStatus.FAILED


def test_long_text_falls_back_to_lms(fake_provider) -> None:
    text = "[논산시 행정만족도 조사] " + "민원 처리에 대한 의견을 들려주세요. " * 4 + "http://testserver/s/x"
    outbox.queue_citizen_messages(
        [outbox.CitizenMessage(to="010-2345-0007", text=text, dedupe_key="l:1", template_code="T1")]
    )
    outbox.deliver_due(now=MONDAY_10)
    assert next(iter(fake_provider.messages.values())).resend["resendType"] == "LMS"
    outbox.poll_results(now=MONDAY_10)
    assert OutboxMessage.objects.get().delivered_via == "lms"


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (aware(2024, 3, 4, 10, 0), aware(2024, 3, 4, 10, 0)),
        (aware(2024, 3, 4, 8, 0), aware(2024, 3, 4, 9, 0)),
        (aware(2024, 3, 4, 20, 0), aware(2024, 3, 5, 9, 0)),
        (aware(2024, 9, 13, 21, 0), aware(2024, 9, 19, 9, 0)),  # Chuseok 16–18 Sep and the weekend
        (aware(2024, 9, 30, 20, 30), aware(2024, 10, 2, 9, 0)),  # 1 Oct 2024 temporary holiday
    ],
)
def test_send_window_uses_the_working_calendar(moment, expected) -> None:
    assert SendWindow.parse("09:00-20:00/W").next_open(moment) == expected
