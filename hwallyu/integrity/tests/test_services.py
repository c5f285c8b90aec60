"""Encryption at rest and case handling: every point of the crypto design, through the services."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from hwallyu.api.base import ServiceError
from hwallyu.core.models import AuditEvent
from hwallyu.integrity import crypto
from hwallyu.integrity.limits import guard
from hwallyu.integrity.models import Case, CaseSeal, CaseStep, HandlerKey, IntegrityScheme, MessageKind, Step
from hwallyu.integrity.services import cases as services
from hwallyu.integrity.services import keys as key_services

from .conftest import PASSPHRASE2, file_case

SEOUL = ZoneInfo("Asia/Seoul")


def _case_private_via_handler(case, handler_key: HandlerKey, handler_private: bytes) -> bytes:
    seal = CaseSeal.objects.get(case=case, handler_key=handler_key)
    return crypto.unseal(handler_private, bytes(seal.sealed_key))


# --- §3 encryption at rest ------------------------------------------------------------------------


def test_every_case_has_its_own_key_pair_and_no_clear_content(handler):
    first, _ = file_case(title="첫째 제목", body="첫째 내용")
    second, _ = file_case(title="둘째 제목", body="둘째 내용")
    assert bytes(first.public_key) != bytes(second.public_key)
    for case, words in ((first, "첫째"), (second, "둘째")):
        stored = bytes(case.content)
        assert words.encode() not in stored
        private = _case_private_via_handler(case, handler.user.integrity_key, handler.private_key())
        assert crypto.public_key_of(private) == bytes(case.public_key)
        assert crypto.unseal_json(private, stored)["title"] == f"{words} 제목"


def test_case_key_is_sealed_to_each_designated_handler(handler, second_auditor):
    key_services.handler_key_create(actor=second_auditor, passphrase=PASSPHRASE2)
    key_services.handler_designate(
        actor=handler.user, actor_private_key=handler.private_key(), handler_key=second_auditor.integrity_key
    )
    case, _ = file_case()
    assert CaseSeal.objects.filter(case=case).count() == 2
    second_private = key_services.handler_unlock(actor=second_auditor, passphrase=PASSPHRASE2)[1]
    private = _case_private_via_handler(case, second_auditor.integrity_key, second_private)
    assert crypto.public_key_of(private) == bytes(case.public_key)


def test_case_key_is_sealed_to_a_key_derived_from_the_receipt(handler):
    case, receipt = file_case()
    params = crypto.KdfParams(case.receipt_kdf_time_cost, case.receipt_kdf_memory_kib)
    key = crypto.derive_key(receipt, bytes(case.receipt_salt), params)
    private = crypto.secret_decrypt(key, bytes(case.receipt_sealed_key))
    assert crypto.public_key_of(private) == bytes(case.public_key)
    assert len(bytes(case.receipt_salt)) == 16
    other, _ = file_case()
    assert bytes(other.receipt_salt) != bytes(case.receipt_salt)  # per-case random salt


def test_case_key_is_sealed_to_the_office_recovery_key(handler, office):
    _, recovery_private = office
    case, _ = file_case()
    private = crypto.unseal(recovery_private, bytes(case.recovery_sealed_key))
    assert crypto.public_key_of(private) == bytes(case.public_key)


def test_handler_private_key_is_encrypted_with_the_passphrase(handler):
    key = handler.user.integrity_key
    assert len(bytes(key.encrypted_private_key)) > 32
    with pytest.raises(ServiceError) as wrong:
        key_services.handler_unlock(actor=handler.user, passphrase="틀린 암호문구입니다 정말로")
    assert wrong.value.message == key_services.WRONG_PASSPHRASE
    private = handler.private_key()
    assert crypto.public_key_of(private) == bytes(key.public_key)
    # The private key itself is nowhere in the row.
    assert private not in bytes(key.encrypted_private_key)


def test_short_passphrase_is_refused(org):
    with pytest.raises(ServiceError, match="12자 이상"):
        key_services.handler_key_create(actor=org.auditor, passphrase="짧은암호")


def test_only_audit_team_users_make_handler_keys(org):
    for user in (org.planner, org.admin, org.staff):
        with pytest.raises(ServiceError):
            key_services.handler_key_create(actor=user, passphrase="충분히 긴 암호문구입니다 12345")


def test_receipt_is_stored_only_as_its_keyed_hash(handler):
    case, receipt = file_case()
    row = Case.objects.filter(pk=case.pk).values().get()
    dumped = json.dumps({k: (bytes(v).hex() if isinstance(v, bytes | memoryview) else str(v)) for k, v in row.items()})
    assert receipt not in dumped
    assert receipt.encode().hex() not in dumped
    assert case.receipt_lookup == crypto.receipt_lookup(receipt)


def test_the_receipt_opens_the_case_for_the_reporter(handler):
    case, receipt = file_case(title="내 제목")
    services.case_message_add(case=case, actor=handler.user, kind=MessageKind.ANSWER, body="답변입니다")
    services.case_message_add(case=case, actor=handler.user, kind=MessageKind.NOTE, body="내부 메모")
    opened, private = services.receipt_open(receipt=crypto.receipt_display(receipt))
    view = services.reporter_view(opened, private)
    assert view.state_label == "접수"
    assert [m.body for m in view.messages] == ["답변입니다"]  # internal notes are not shown


def test_wrong_and_unknown_receipts_get_the_same_calm_answer_and_the_same_work(handler, monkeypatch):
    case, receipt = file_case()
    calls = []
    real = crypto.derive_key

    def counting(secret, salt, params):  # type: ignore[no-untyped-def]
        calls.append(secret)
        return real(secret, salt, params)

    monkeypatch.setattr(crypto, "derive_key", counting)
    answers = []
    for guess in ("0000000000000000", receipt[:-1] + str((int(receipt[-1]) + 1) % 10)):
        with pytest.raises(ServiceError) as refused:
            services.receipt_open(receipt=guess)
        answers.append((refused.value.status, refused.value.message))
    # A receipt whose lookup matches but whose key does not open the case (a tampered row).
    Case.objects.filter(pk=case.pk).update(receipt_lookup=crypto.receipt_lookup("1111222233334444"))
    with pytest.raises(ServiceError) as refused:
        services.receipt_open(receipt="1111222233334444")
    answers.append((refused.value.status, refused.value.message))
    assert len(set(answers)) == 1
    assert answers[0] == (404, services.RECEIPT_REFUSED)
    assert len(calls) == 3  # one Argon2id derivation for each check, known or not


def test_failed_receipt_checks_slow_down_then_refuse(handler, settings):
    settings.HWALLYU_INTEGRITY_FREE_FAILURES = 2
    settings.HWALLYU_INTEGRITY_MAX_FAILURES = 6
    slept: list[float] = []
    guard.sleep = slept.append
    try:
        for _ in range(6):
            with pytest.raises(ServiceError):
                services.receipt_open(receipt="0000000000000000")
        assert slept == [0.25, 0.5, 1.0, 2.0]  # growing delays after the free failures
        _, receipt = file_case()
        with pytest.raises(ServiceError) as refused:
            services.receipt_open(receipt=receipt)  # even the right receipt waits out the lock
        assert refused.value.status == 429
    finally:
        import time

        guard.sleep = time.sleep


def test_failure_window_expires(settings):
    now = [1000.0]
    from hwallyu.integrity.limits import AbuseGuard

    g = AbuseGuard(clock=lambda: now[0], sleep=lambda s: None)
    for _ in range(10):
        g.receipt_failed()
    assert g.recent_failures() == 10
    now[0] += g.failure_window() + 1
    assert g.recent_failures() == 0


def test_filing_is_capped_per_hour(handler, settings):
    settings.HWALLYU_INTEGRITY_FILINGS_PER_HOUR = 2
    file_case()
    file_case()
    with pytest.raises(ServiceError) as refused:
        file_case()
    assert refused.value.status == 429


def test_abuse_counters_live_in_process_memory_not_in_a_cache_or_database(handler):
    from django.core.cache import cache

    with pytest.raises(ServiceError):
        services.receipt_open(receipt="0000000000000000")
    assert guard.recent_failures() == 1
    cache.clear()  # clearing every cache does not forget the failure: it is not stored there
    assert guard.recent_failures() == 1


# --- handlers ---------------------------------------------------------------------------------------


def test_the_first_handler_is_designated_and_later_ones_wait(handler, second_auditor):
    assert handler.user.integrity_key.designated
    pending = key_services.handler_key_create(actor=second_auditor, passphrase=PASSPHRASE2)
    assert not pending.designated


def test_designating_a_handler_reseals_existing_cases_through_an_unlocked_handler(handler, second_auditor):
    cases = [file_case()[0] for _ in range(3)]
    pending = key_services.handler_key_create(actor=second_auditor, passphrase=PASSPHRASE2)
    second_private = key_services.handler_unlock(actor=second_auditor, passphrase=PASSPHRASE2)[1]
    with pytest.raises(PermissionDenied):  # pending: cannot read
        services.case_open(case=cases[0], actor=second_auditor, private_key=second_private)
    with pytest.raises(ServiceError) as locked:  # the granting handler must be unlocked
        key_services.handler_designate(actor=handler.user, actor_private_key=None, handler_key=pending)
    assert locked.value.message == key_services.LOCKED
    result = key_services.handler_designate(
        actor=handler.user, actor_private_key=handler.private_key(), handler_key=pending
    )
    assert result.resealed == 3 and result.missing == 0
    second_auditor.__dict__.pop("_hwallyu_integrity_key", None)
    content = services.case_open(case=cases[0], actor=second_auditor, private_key=second_private)
    assert content.title == "회식 강요 신고"


def test_a_handler_without_a_key_or_locked_cannot_read(handler, org, second_auditor):
    case, _ = file_case()
    with pytest.raises(ServiceError) as locked:
        services.case_open(case=case, actor=handler.user, private_key=None)
    assert "잠겨" in locked.value.message

    for outsider in (second_auditor, org.planner, org.admin):
        with pytest.raises(PermissionDenied):
            services.case_open(case=case, actor=outsider, private_key=b"x" * 32)


def test_revoking_a_handler_removes_their_seals(handler, second_auditor):
    file_case()
    pending = key_services.handler_key_create(actor=second_auditor, passphrase=PASSPHRASE2)
    key_services.handler_designate(actor=handler.user, actor_private_key=handler.private_key(), handler_key=pending)
    assert CaseSeal.objects.filter(handler_key=pending).count() == 1
    key_services.handler_revoke(actor=handler.user, handler_key=pending)
    pending.refresh_from_db()
    assert not pending.designated
    assert not CaseSeal.objects.filter(handler_key=pending).exists()
    with pytest.raises(ServiceError, match="마지막"):
        key_services.handler_revoke(actor=handler.user, handler_key=handler.user.integrity_key)


def test_the_recovery_key_reseals_every_case_to_a_new_handler(handler, office, second_auditor):
    _, recovery_private = office
    case, _ = file_case()
    pending = key_services.handler_key_create(actor=second_auditor, passphrase=PASSPHRASE2)
    with pytest.raises(ServiceError):
        key_services.recovery_reseal(recovery_private_key=b"\x01" * 32, handler_key=pending)
    assert key_services.recovery_reseal(recovery_private_key=recovery_private, handler_key=pending) == 1
    pending.refresh_from_db()
    assert pending.designated
    second_private = key_services.handler_unlock(actor=second_auditor, passphrase=PASSPHRASE2)[1]
    second_auditor.__dict__.pop("_hwallyu_integrity_key", None)
    assert services.case_open(case=case, actor=second_auditor, private_key=second_private).body


def test_passphrase_change_keeps_the_key_pair(handler):
    before = bytes(handler.user.integrity_key.public_key)
    key_services.handler_passphrase_change(
        actor=handler.user, old_passphrase=handler.passphrase, new_passphrase="새로운 긴 암호문구 입니다"
    )
    handler.user.__dict__.pop("_hwallyu_integrity_key", None)
    _, private = key_services.handler_unlock(actor=handler.user, passphrase="새로운 긴 암호문구 입니다")
    assert crypto.public_key_of(private) == before
    with pytest.raises(ServiceError):
        key_services.handler_unlock(actor=handler.user, passphrase=handler.passphrase)


# --- §5 case handling --------------------------------------------------------------------------------


def test_every_handler_read_is_audited_without_content(handler):
    case, _ = file_case(title="민감한 제목 XYZZY", body="민감한 본문 PLUGH")
    services.case_open(case=case, actor=handler.user, private_key=handler.private_key())
    reads = AuditEvent.objects.filter(action="integrity.case_read", target_id=str(case.pk))
    assert reads.count() == 1
    event = reads.get()
    assert event.actor == handler.user
    text = json.dumps([event.target_repr, event.before, event.after], ensure_ascii=False)
    assert "XYZZY" not in text and "PLUGH" not in text and "민감한" not in text


def test_step_due_times_follow_the_scheme_and_the_working_time_calendar(handler):
    # DOMAIN worked example: received Fri 2024-09-13 10:00, 3 days → due Mon 2024-09-23 10:00 (Chuseok skipped).
    received = dt.datetime(2024, 9, 13, 10, 0, tzinfo=SEOUL)
    case, _ = file_case(now=received)
    assert case.due_at == dt.datetime(2024, 9, 23, 10, 0, tzinfo=SEOUL)
    IntegrityScheme.objects.create(year=2024, review_days=10)
    moved = services.case_advance(
        case=case, actor=handler.user, to_step=Step.REVIEW, now=dt.datetime(2024, 9, 23, 9, 0, tzinfo=SEOUL)
    )
    # 10 days counts working days, the first included: 23–27 Sep, 30 Sep, 2, 4, 7, 8 Oct (1, 3 and 9 Oct are holidays).
    assert timezone.localtime(moved.due_at) == dt.datetime(2024, 10, 8, 18, 0, tzinfo=SEOUL)
    steps = list(CaseStep.objects.filter(case=case).values_list("step", "done_at"))
    assert steps[0][0] == Step.RECEIVED and steps[0][1] is not None
    assert steps[1] == (Step.REVIEW, None)


def test_steps_move_forward_only_and_closing_tells_the_reporter_the_result(handler):
    case, receipt = file_case()
    case = services.case_advance(case=case, actor=handler.user, to_step=Step.INVESTIGATION)
    with pytest.raises(ServiceError):
        services.case_advance(case=case, actor=handler.user, to_step=Step.REVIEW)
    with pytest.raises(ServiceError, match="처리 결과"):
        services.case_advance(case=case, actor=handler.user, to_step=Step.CLOSED)
    case = services.case_advance(case=case, actor=handler.user, to_step=Step.CLOSED, result="징계를 요구했습니다.")
    assert case.closed_at is not None and case.due_at is None
    opened, private = services.receipt_open(receipt=receipt)
    view = services.reporter_view(opened, private)
    assert view.state_label == "종결"
    assert view.messages[-1].kind_label == "처리 결과"
    assert view.messages[-1].body == "징계를 요구했습니다."
    with pytest.raises(ServiceError, match="종결"):
        services.reporter_reply(receipt=receipt, body="더 할 말")


def test_assignment_action_and_notes_are_sealed(handler, org):
    case, _ = file_case()
    services.case_assign(case=case, actor=handler.user, assignee=handler.user)
    with pytest.raises(ServiceError):
        services.case_assign(case=case, actor=handler.user, assignee=org.planner)
    services.case_record_action(case=case, actor=handler.user, action_kind="discipline", detail="홍길동 경징계 요구")
    services.case_message_add(case=case, actor=handler.user, kind=MessageKind.NOTE, body="면담 메모")
    case.refresh_from_db()
    assert case.assignee == handler.user and case.action_kind == "discipline"
    assert "홍길동".encode() not in bytes(case.action_detail)
    content = services.case_open(case=case, actor=handler.user, private_key=handler.private_key())
    assert content.action_detail == "홍길동 경징계 요구"
    assert [m.body for m in content.messages if m.kind == MessageKind.NOTE] == ["면담 메모"]


def test_reporter_reply_and_disclosed_name_are_encrypted(handler):
    case, receipt = file_case()
    services.reporter_reply(receipt=receipt, body="추가 제보 내용")
    services.reporter_disclose_name(receipt=receipt, name="홍길순 010-0000-0000")
    case.refresh_from_db()
    assert "홍길순".encode() not in bytes(case.disclosed_name)
    assert case.reporter_activity_at is not None
    content = services.case_open(case=case, actor=handler.user, private_key=handler.private_key())
    assert content.disclosed_name == "홍길순 010-0000-0000"
    assert content.messages[0].body == "추가 제보 내용" and content.messages[0].author == "제보자"


def test_closed_cases_are_erased_after_the_retention_period_with_a_content_free_record(handler):
    IntegrityScheme.objects.create(year=timezone.localdate().year, retention_days=30)
    old, _ = file_case(title="지워질 사건")
    recent, _ = file_case(title="남을 사건")
    open_case, _ = file_case()
    long_ago = timezone.now() - dt.timedelta(days=40)
    services.case_advance(case=old, actor=handler.user, to_step=Step.CLOSED, result="종결", now=long_ago)
    services.case_advance(case=recent, actor=handler.user, to_step=Step.CLOSED, result="종결")
    assert services.cases_erase_expired() == 1
    assert services.cases_erase_expired() == 0  # rerun-safe
    assert not Case.objects.filter(pk=old.pk).exists()
    assert Case.objects.filter(pk__in=[recent.pk, open_case.pk]).count() == 2
    record = AuditEvent.objects.get(action="integrity.case_erased")
    assert record.target_repr == f"청렴 {old.number}"
    assert "지워질" not in json.dumps(record.after, ensure_ascii=False)
    assert record.after["category"] == "power_abuse"


def test_overdue_steps_are_notified_once(handler):
    from hwallyu.notifications.models import Notification

    received = timezone.now() - dt.timedelta(days=30)
    file_case(now=received)
    before = Notification.objects.count()
    assert services.cases_notify_overdue() == 1
    assert services.cases_notify_overdue() == 0
    assert Notification.objects.count() == before + 1
    assert "기한이 지났습니다" in Notification.objects.latest("id").title


def test_new_cases_notify_the_handlers_without_content(handler):
    from django.test import TestCase

    from hwallyu.notifications.models import Notification

    with TestCase.captureOnCommitCallbacks(execute=True):
        case, _ = file_case(title="알림에 나오면 안 되는 제목")
    notice = Notification.objects.filter(recipient=handler.user).latest("id")
    assert case.number in notice.title
    assert "알림에 나오면" not in notice.title + notice.body


def test_the_first_step_is_received_with_a_due_time(handler):
    case, _ = file_case()
    assert case.step == Step.RECEIVED and case.due_at is not None and case.number.endswith("-0001")
    second, _ = file_case()
    assert second.number.endswith("-0002")


def test_due_times_move_when_the_calendar_changes_before_they_pass(handler):
    from hwallyu.core.calendar import reset_calendar_cache
    from hwallyu.core.models import Closure

    received = dt.datetime(2024, 9, 13, 10, 0, tzinfo=SEOUL)
    case, _ = file_case(now=received)
    Closure.objects.create(date=dt.date(2024, 9, 19), name="임시 휴무")
    reset_calendar_cache()
    assert services.steps_recompute_due(now=dt.datetime(2024, 9, 13, 12, 0, tzinfo=SEOUL)) == 1
    case.refresh_from_db()
    assert case.due_at == dt.datetime(2024, 9, 24, 10, 0, tzinfo=SEOUL)
    assert services.steps_recompute_due(now=dt.datetime(2024, 9, 30, 12, 0, tzinfo=SEOUL)) == 0  # passed: kept
