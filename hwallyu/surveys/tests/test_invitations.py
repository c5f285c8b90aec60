"""Eligibility, dedupe by keyed phone hash, opt-out, sampling, tokens, send window, reminders."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from hwallyu.notifications.channels import outbox
from hwallyu.notifications.models import OutboxMessage
from hwallyu.surveys import importer, phones, services
from hwallyu.surveys.models import Invitation, OptOut, RegisterEntry
from hwallyu.surveys.tests.conftest import aware, csv_bytes, register_rows, upload

pytestmark = pytest.mark.django_db
MONDAY_10 = aware(2024, 3, 11, 10, 0)


def _load(survey, org, rows, source="petition"):
    record = services.import_create(survey=survey, source=source, upload=upload(csv_bytes(rows)), actor=org.auditor)
    record = importer.run(record.id)
    assert record.status == "done", record.errors
    return record


def test_eligibility_rules(survey, org) -> None:
    rows = register_rows(8)
    rows[0][2] = ""  # not processed
    rows[1][6] = ""  # no mobile number
    rows[2][6] = "041-746-1234"  # landline
    rows[3][2] = "2023-12-29 10:00"  # processed before the round's period
    rows[3][1] = "2023-12-28 10:00"
    rows[4][6] = rows[5][6]  # the same person twice: invited once
    rows[6][2] = "2024-03-20 10:00"  # processed after "now": not yet
    _load(survey, org, rows)
    result = services.invitations_prepare(survey=survey, actor=org.auditor, now=MONDAY_10)
    assert (result.eligible, result.prepared, result.skipped_duplicate_phone) == (3, 2, 1)
    invited = set(Invitation.objects.values_list("entry__receipt_no", flat=True))
    assert invited == {rows[7][0], rows[5][0]} or invited == {rows[7][0], rows[4][0]}
    assert services.invitations_prepare(survey=survey, actor=org.auditor, now=MONDAY_10).prepared == 0


def test_minimum_legal_period_and_opt_out(survey, org) -> None:
    rows = register_rows(6)  # odd rows have a 15-day legal period, even ones 0
    _load(survey, org, rows)
    services.survey_update(survey=survey, data={"min_legal_days": 10}, actor=org.auditor)
    assert services.optout_add(phone=rows[1][6], via="staff", actor=org.auditor)
    assert not OptOut.objects.filter(phone_hash="").exists()
    assert OptOut.objects.get().phone_hash == phones.phone_hash(rows[1][6])
    result = services.invitations_prepare(survey=survey, actor=org.auditor, now=MONDAY_10)
    assert result.prepared == 2
    assert set(Invitation.objects.values_list("entry__legal_days", flat=True)) == {15}


def test_not_invited_again_within_n_days_across_rounds(survey, org) -> None:
    rows = register_rows(4)
    _load(survey, org, rows)
    services.invitations_prepare(survey=survey, actor=org.auditor, now=MONDAY_10)
    other = services.survey_create(year=2024, quarter=2, title="2분기", template=None, actor=org.auditor)
    services.survey_open(survey=other, actor=org.auditor)
    second = register_rows(4, start=100)
    second[0][6] = rows[0][6]  # invited by the first round a moment ago
    for r in second:
        r[1], r[2] = "2024-04-02 10:00", "2024-04-03 10:00"
    _load(other, org, second)
    result = services.invitations_prepare(survey=other, actor=org.auditor, now=aware(2024, 4, 10, 10))
    assert result.prepared == 3
    services.survey_update(survey=other, data={"dedupe_days": 0}, actor=org.auditor)
    assert services.invitations_prepare(survey=other, actor=org.auditor, now=aware(2024, 4, 10, 10)).prepared == 1


def test_sample_per_department(survey, org) -> None:
    _load(survey, org, register_rows(12) + register_rows(3, department="강경읍", start=50))
    services.survey_update(survey=survey, data={"sample_per_department": 5}, actor=org.auditor)
    result = services.invitations_prepare(survey=survey, actor=org.auditor, now=MONDAY_10, rng=random.Random(1))
    assert (result.prepared, result.sampled_out) == (8, 7)
    counts = dict(
        Invitation.objects.values_list("department__code").annotate(n=__import__("django").db.models.Count("id"))
    )
    assert counts == {"D001": 5, "D002": 3}


def test_tokens_and_message_text(imported, org) -> None:
    services.invitations_prepare(survey=imported, actor=org.auditor, now=MONDAY_10)
    tokens = list(Invitation.objects.values_list("token", flat=True))
    assert len(tokens) == len(set(tokens)) == 20
    assert all(len(t) >= 22 for t in tokens)  # ≥ 128 bits of randomness, URL-safe
    invitation = Invitation.objects.first()
    assert f"http://testserver/s/{invitation.token}" in invitation.message
    assert "익명" in invitation.message and invitation.petition_type in invitation.message
    assert invitation.phone and len(invitation.phone_hash) == 64


def test_send_outside_the_window_waits_for_the_next_working_morning(imported, org, fake_provider) -> None:
    saturday_night = aware(2024, 3, 9, 22, 0)
    result = services.invitations_send(survey=imported, actor=org.auditor, now=saturday_night)
    assert result.queued == 20
    assert result.starts_at == aware(2024, 3, 11, 9, 0)
    assert outbox.deliver_due(now=saturday_night) == 0
    assert fake_provider.requests == 0
    invitation = Invitation.objects.first()
    assert invitation.expires_at == aware(2024, 3, 25, 9, 0)  # 14 days after the first possible send
    assert outbox.deliver_due(now=aware(2024, 3, 11, 9, 0)) == 20
    message = OutboxMessage.objects.get(dedupe_key=invitation.outbox_key)
    assert message.template_code == "HWALLYU_SURVEY_01" and message.params["링크"].endswith(invitation.token)
    assert message.window == "09:00-20:00/W" and message.fallback in ("sms", "lms")


def test_one_reminder_after_n_days_if_unanswered(imported, org, fake_provider) -> None:
    services.invitations_send(survey=imported, actor=org.auditor, now=MONDAY_10)
    outbox.deliver_due(now=MONDAY_10)
    outbox.poll_results(now=MONDAY_10)
    answered = Invitation.objects.first()
    Invitation.objects.filter(id=answered.id).update(answered=True)
    assert services.reminders_send(survey=imported, now=MONDAY_10 + dt.timedelta(days=2)) == 0
    later = MONDAY_10 + dt.timedelta(days=3)
    reminded = services.reminders_send(survey=imported, now=later)
    assert reminded == 19  # every delivered, unanswered invitation once
    assert services.reminders_send(survey=imported, now=later) == 0  # rerun-safe
    assert services.reminders_send(survey=imported, now=later + dt.timedelta(days=1)) == 0
    reminder = OutboxMessage.objects.filter(dedupe_key__contains=":remind:").first()
    assert reminder.template_code == "HWALLYU_SURVEY_02" and "재안내" in reminder.body


def test_preparation_is_set_based(imported, org, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(12):
        services.invitations_prepare(survey=imported, actor=org.auditor, now=MONDAY_10)
    assert RegisterEntry.objects.filter(invitation__isnull=False).count() == 20
