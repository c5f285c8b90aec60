"""The handlers' pages and the public pages end to end, the unlock design, and every URL × role."""

from __future__ import annotations

import base64
import io
import re

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hwallyu.core.models import AuditEvent
from hwallyu.integrity import unlock
from hwallyu.integrity.forms import form_token
from hwallyu.integrity.models import Case, Step

from .conftest import file_case


def _unlock(client, handler):  # type: ignore[no-untyped-def]
    client.force_login(handler.user)
    return client.post(reverse("integrity:key_unlock"), {"passphrase": handler.passphrase})


def _receipt_from(response) -> str:  # type: ignore[no-untyped-def]
    return re.search(r"(\d{4} \d{4} \d{4} \d{4})", response.content.decode()).group(1)


def test_done_means_walkthrough(client, handler):
    # Signed out: a report is filed with an attachment and a receipt shown.
    filed = client.post(
        reverse("integrity:public_new"),
        {
            "token": form_token(),
            "kind": "report",
            "category": "power_abuse",
            "title": "부서장의 폭언",
            "body": "회의 때마다 폭언이 있었습니다.",
            "attachments": SimpleUploadedFile("녹취.txt", "녹취 요약".encode(), content_type="text/plain"),
        },
    )
    page = filed.content.decode()
    assert filed.status_code == 200 and "한 번만 보여 드립니다" in page and "다시 찾을 수 없고" in page
    receipt = _receipt_from(filed)
    confirmed = client.post(
        reverse("integrity:public_check"), {"token": form_token(), "receipt": receipt, "confirm": "1"}
    )
    assert "접수번호를 확인했습니다" in confirmed.content.decode()
    case = Case.objects.get()
    # In the browser auditor unlocks, answers, moves it to 조사.
    client.force_login(handler.user)
    locked = client.get(reverse("integrity:case_detail", args=[case.number]))
    assert locked.status_code == 200
    assert "부서장의 폭언" not in locked.content.decode() and "잠겨 있어" in locked.content.decode()
    unlocked = _unlock(client, handler)
    assert unlocked.status_code == 302
    detail = client.get(reverse("integrity:case_detail", args=[case.number]))
    assert "부서장의 폭언" in detail.content.decode() and "녹취.txt" in detail.content.decode()
    client.post(reverse("integrity:case_message", args=[case.number]), {"kind": "answer", "body": "조사하겠습니다."})
    client.post(reverse("integrity:case_advance", args=[case.number]), {"to_step": "review", "result": ""})
    client.post(reverse("integrity:case_advance", args=[case.number]), {"to_step": "investigation", "result": ""})
    case.refresh_from_db()
    assert case.step == Step.INVESTIGATION
    attachment = case.attachments.get()
    download = client.get(reverse("integrity:attachment", args=[case.number, attachment.pk]))
    assert download.status_code == 200 and download.content == "녹취 요약".encode()
    assert "attachment;" in download["Content-Disposition"]
    # Signed out again, the receipt shows the answer and a reply goes back.
    client.logout()
    shown = client.post(reverse("integrity:public_check"), {"token": form_token(), "receipt": receipt})
    text = shown.content.decode()
    assert "조사하겠습니다." in text and "조사" in text
    replied = client.post(
        reverse("integrity:public_reply"),
        {"token": form_token(), "receipt": receipt, "body": "감사합니다. 추가 자료입니다."},
    )
    assert "답글을 보냈습니다" in replied.content.decode()
    case.refresh_from_db()
    assert case.reporter_activity_at is not None
    reads = AuditEvent.objects.filter(action__in=["integrity.case_read", "integrity.attachment_read"])
    assert reads.count() == 2


def test_unlock_keeps_the_private_key_out_of_the_database(client, handler):
    response = _unlock(client, handler)
    cookie = response.cookies[unlock.COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/integrity/"
    assert int(cookie["max-age"]) == unlock.unlock_seconds()
    private = handler.private_key()
    for session in Session.objects.all():
        raw = session.session_data.encode()
        decoded = repr(session.get_decoded()).encode()
        for form in (private, base64.b64encode(private), base64.urlsafe_b64encode(private), private.hex().encode()):
            assert form not in raw and form not in decoded
    # The wrap key lives only in the cookie: without it the session's ciphertext opens nothing.
    assert base64.urlsafe_b64decode(cookie.value) not in b"".join(
        s.session_data.encode() for s in Session.objects.all()
    )
    case, _ = file_case(title="쿠키 없이 못 봄")
    client.cookies.pop(unlock.COOKIE_NAME)
    page = client.get(reverse("integrity:case_detail", args=[case.number]))
    assert "쿠키 없이 못 봄" not in page.content.decode()


def test_the_unlock_cookie_alone_opens_nothing(client, handler):
    response = _unlock(client, handler)
    wrap_cookie = response.cookies[unlock.COOKIE_NAME].value
    case, _ = file_case(title="세션 없이 못 봄")
    client.logout()  # the session (with the wrapped key) is gone
    client.force_login(handler.user)
    client.cookies[unlock.COOKIE_NAME] = wrap_cookie
    page = client.get(reverse("integrity:case_detail", args=[case.number]))
    assert "세션 없이 못 봄" not in page.content.decode()


def test_unlock_expires(client, handler, settings):
    _unlock(client, handler)
    case, _ = file_case(title="만료 후에는 못 봄")
    session = client.session
    data = session[unlock.SESSION_KEY]
    data["until"] = 0
    session[unlock.SESSION_KEY] = data
    session.save()
    page = client.get(reverse("integrity:case_detail", args=[case.number]))
    assert "만료 후에는 못 봄" not in page.content.decode()


def test_wrong_passphrase_is_refused_calmly(client, handler):
    client.force_login(handler.user)
    response = client.post(reverse("integrity:key_unlock"), {"passphrase": "틀린 암호문구 입니다요"}, follow=True)
    assert "암호문구가 올바르지 않습니다" in response.content.decode()
    assert unlock.COOKIE_NAME not in client.cookies or not client.cookies[unlock.COOKIE_NAME].value
    assert AuditEvent.objects.filter(action="integrity.unlock_failed", actor=handler.user).exists()


def test_lock_discards_the_unlock(client, handler):
    _unlock(client, handler)
    case, _ = file_case(title="잠근 뒤에는 못 봄")
    client.post(reverse("integrity:key_lock"))
    page = client.get(reverse("integrity:case_detail", args=[case.number]))
    assert "잠근 뒤에는 못 봄" not in page.content.decode()


def test_case_list_shows_metadata_without_unlocking_and_no_content(client, handler):
    case, _ = file_case(title="목록에 나오면 안 됨")
    client.force_login(handler.user)
    page = client.get(reverse("integrity:case_list"))
    text = page.content.decode()
    assert page.status_code == 200
    assert case.number in text and "갑질" in text and "접수" in text
    assert "목록에 나오면 안 됨" not in text


def test_key_creation_page_and_designation_through_the_browser(client, handler, second_auditor):
    file_case()
    client.force_login(second_auditor)
    client.post(
        reverse("integrity:key_create"),
        {"passphrase": "두 번째 담당자 암호문구", "passphrase2": "두 번째 담당자 암호문구"},
    )
    waiting = client.get(reverse("integrity:case_list"))
    assert waiting.status_code == 403 and "지정되지 않았습니다" in waiting.content.decode()
    _unlock(client, handler)
    key = second_auditor.integrity_key
    done = client.post(reverse("integrity:handler_designate", args=[key.pk]), follow=True)
    assert "사건 1건을 넘겼습니다" in done.content.decode()
    client.force_login(second_auditor)
    assert client.get(reverse("integrity:case_list")).status_code == 200


def test_designation_needs_an_unlocked_key(client, handler, second_auditor):
    from hwallyu.integrity.services.keys import handler_key_create

    key = handler_key_create(actor=second_auditor, passphrase="두 번째 담당자 암호문구")
    client.force_login(handler.user)
    response = client.post(reverse("integrity:handler_designate", args=[key.pk]), follow=True)
    assert "잠겨 있습니다" in response.content.decode()
    key.refresh_from_db()
    assert not key.designated


def test_attachment_limits_on_the_public_form(client, handler, settings):
    settings.HWALLYU_INTEGRITY_MAX_ATTACHMENT_BYTES = 1000
    base = {"token": form_token(), "kind": "report", "category": "corruption", "title": "제목", "body": "내용"}
    big = client.post(
        reverse("integrity:public_new"),
        {**base, "attachments": SimpleUploadedFile("큰파일.pdf", b"%PDF-1.4" + b"0" * 2000)},
    )
    assert "너무 큽니다" in big.content.decode()
    disguised = client.post(
        reverse("integrity:public_new"),
        {**base, "token": form_token(), "attachments": SimpleUploadedFile("사진.jpg", b"MZ\x90\x00" + b"\x00" * 100)},
    )
    assert "올릴 수 없는 형식" in disguised.content.decode()
    renamed = client.post(
        reverse("integrity:public_new"),
        {
            **base,
            "token": form_token(),
            "attachments": SimpleUploadedFile("문서.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 50),
        },
    )
    assert "이름(확장자)과 실제 내용" in renamed.content.decode()
    assert not Case.objects.exists()
    # The form keeps what was typed, so the reporter can fix the file and send again.
    assert "제목" in renamed.content.decode()


def test_wrong_receipt_on_the_page_gets_the_calm_message(client, handler):
    file_case()
    for receipt in ("0000 0000 0000 0000", "12345", "abcd"):
        response = client.post(reverse("integrity:public_check"), {"token": form_token(), "receipt": receipt})
        assert "접수번호를 확인할 수 없습니다" in response.content.decode()
        assert response.status_code in (200, 404)


def test_guessing_receipts_at_speed_is_refused(client, handler, settings):
    from hwallyu.integrity.limits import guard

    settings.HWALLYU_INTEGRITY_MAX_FAILURES = 3
    guard.sleep = lambda seconds: None
    try:
        statuses = [
            client.post(reverse("integrity:public_check"), {"token": form_token(), "receipt": f"{n:016d}"}).status_code
            for n in range(5)
        ]
    finally:
        import time

        guard.sleep = time.sleep
    assert statuses[:3] == [404, 404, 404] and statuses[3:] == [429, 429]
    last = client.post(reverse("integrity:public_check"), {"token": form_token(), "receipt": "0" * 16})
    assert "잠시 후 다시 시도해 주세요" in last.content.decode()


def test_disclosing_a_name_through_the_page(client, handler):
    case, receipt = file_case()
    response = client.post(
        reverse("integrity:public_disclose"),
        {"token": form_token(), "receipt": receipt, "name": "홍길동 010-1111-2222"},
    )
    assert "암호화하여 담당자에게만" in response.content.decode()
    case.refresh_from_db()
    assert case.disclosed_name is not None and "홍길동".encode() not in bytes(case.disclosed_name)


def test_reporter_can_add_a_photo_with_metadata_removed(client, handler):
    from PIL import Image

    image = Image.new("RGB", (20, 10), (10, 20, 30))
    exif = Image.Exif()
    exif[0x013B] = "ARTIST-GPS-MARKER"
    raw = io.BytesIO()
    image.save(raw, "JPEG", exif=exif.tobytes(), comment=b"COMMENT-MARKER")
    case, receipt = file_case()
    client.post(
        reverse("integrity:public_reply"),
        {
            "token": form_token(),
            "receipt": receipt,
            "body": "",
            "strip_metadata": "on",
            "attachments": SimpleUploadedFile("현장.jpg", raw.getvalue(), content_type="image/jpeg"),
        },
    )
    _unlock(client, handler)
    attachment = case.attachments.get()
    data = client.get(reverse("integrity:attachment", args=[case.number, attachment.pk])).content
    assert data.startswith(b"\xff\xd8\xff")
    assert b"ARTIST-GPS-MARKER" not in data and b"COMMENT-MARKER" not in data


# --- every URL × every role -------------------------------------------------------------------------

ROLES = ["anonymous", "admin", "planner", "auditor", "staff", "executive", "other_manager"]


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("integrity:public_home", [], dict.fromkeys(ROLES, 200)),
        ("integrity:public_new", [], dict.fromkeys(ROLES, 200)),
        ("integrity:public_check", [], dict.fromkeys(ROLES, 200)),
        (
            "integrity:case_list",
            [],
            {
                "anonymous": 302,
                "admin": 403,
                "planner": 403,
                "auditor": 200,
                "staff": 403,
                "executive": 403,
                "other_manager": 403,
            },
        ),
        (
            "integrity:case_detail",
            ["NUMBER"],
            {
                "anonymous": 302,
                "admin": 403,
                "planner": 403,
                "auditor": 200,
                "staff": 403,
                "executive": 403,
                "other_manager": 403,
            },
        ),
        (
            "integrity:key",
            [],
            {
                "anonymous": 302,
                "admin": 403,
                "planner": 403,
                "auditor": 200,
                "staff": 403,
                "executive": 403,
                "other_manager": 403,
            },
        ),
        (
            "integrity:handlers",
            [],
            {
                "anonymous": 302,
                "admin": 200,
                "planner": 403,
                "auditor": 200,
                "staff": 403,
                "executive": 403,
                "other_manager": 403,
            },
        ),
        (
            "integrity:index",
            [],
            {
                "anonymous": 302,
                "admin": 200,
                "planner": 200,
                "auditor": 200,
                "staff": 403,
                "executive": 200,
                "other_manager": 403,
            },
        ),
        (
            "integrity:index_edit",
            [2024],
            {
                "anonymous": 302,
                "admin": 200,
                "planner": 403,
                "auditor": 200,
                "staff": 403,
                "executive": 403,
                "other_manager": 403,
            },
        ),
        (
            "integrity:scheme",
            [],
            {
                "anonymous": 302,
                "admin": 200,
                "planner": 200,
                "auditor": 200,
                "staff": 403,
                "executive": 200,
                "other_manager": 403,
            },
        ),
        (
            "integrity:measures_year",
            [2024],
            {
                "anonymous": 302,
                "admin": 200,
                "planner": 200,
                "auditor": 200,
                "staff": 403,
                "executive": 200,
                "other_manager": 403,
            },
        ),
        (
            "integrity:measures_calendar",
            [2024],
            {
                "anonymous": 302,
                "admin": 200,
                "planner": 200,
                "auditor": 200,
                "staff": 403,
                "executive": 200,
                "other_manager": 403,
            },
        ),
    ],
)
def test_every_url_for_every_role(client, org, handler, name, args, expected):
    case, _ = file_case()
    args = [case.number if a == "NUMBER" else a for a in args]
    users = org.users_by_role()
    for role, status in expected.items():
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        response = client.get(reverse(name, args=args))
        assert response.status_code == status, f"{name} as {role}: {response.status_code} != {status}"


def test_unknown_case_number_is_404_for_a_handler(client, handler):
    client.force_login(handler.user)
    assert client.get(reverse("integrity:case_detail", args=["2024-9999"])).status_code == 404


def test_case_list_query_count_does_not_grow_with_rows(client, handler):
    client.force_login(handler.user)
    file_case()
    client.get(reverse("integrity:case_list"))  # warm the per-process caches (security policy, calendar)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("integrity:case_list"))
    for _ in range(15):
        file_case()
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("integrity:case_list"))
    assert len(many) == len(one)


def test_unlock_cookie_is_secure_in_production(client, handler, settings):
    settings.SESSION_COOKIE_SECURE = True
    response = _unlock(client, handler)
    assert response.cookies[unlock.COOKIE_NAME]["secure"]
