"""§4 No trace of the reporter: nothing about the connection in the database or any log, no cookie,
no cache; and the report's own words are nowhere in the database."""

from __future__ import annotations

import logging
import re
import sqlite3
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from hwallyu.integrity.forms import form_token

IP_MARK = "203.0.113.77"
FWD_MARK = "198.51.100.23"
UA_MARK = "MarkerAgent/9.9 (UAMARK-QX7)"
REF_MARK = "https://referrer.example/REFMARK-ZZ9"
CLIENT = {
    "REMOTE_ADDR": IP_MARK,
    "HTTP_X_FORWARDED_FOR": f"{FWD_MARK}, 10.0.0.1",
    "HTTP_X_REAL_IP": FWD_MARK,
    "HTTP_USER_AGENT": UA_MARK,
    "HTTP_REFERER": REF_MARK,
}
CONNECTION_MARKERS = [IP_MARK, FWD_MARK, "UAMARK-QX7", "MarkerAgent", "REFMARK-ZZ9"]
REPORT_WORDS = [
    "TRACEWORDALPHA",
    "TRACEWORDBETA",
    "ATTACHMARKGAMMA",
    "REPLYMARKDELTA",
    "NAMEMARKEPSILON",
    "회식강요비밀",
]
LOGGERS = ["", "django", "django.server", "django.request", "django.security", "django.db.backends", "hwallyu"]


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def captured_logs():  # type: ignore[no-untyped-def]
    handler = _Capture()
    saved = {}
    for name in LOGGERS:
        logger = logging.getLogger(name)
        saved[name] = logger.level
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    yield handler
    for name in LOGGERS:
        logger = logging.getLogger(name)
        logger.removeHandler(handler)
        logger.setLevel(saved[name])


def _log_text(records: list[logging.LogRecord]) -> str:
    parts = []
    for record in records:
        parts.append(record.getMessage())
        parts.append(repr(record.__dict__))
        request = getattr(record, "request", None)
        if request is not None:
            parts.append(repr(getattr(request, "META", {})))
            parts.append(repr(getattr(request, "COOKIES", {})))
    return "\n".join(parts)


def _database_bytes(tmp_path: Path) -> bytes:
    """The SQLite database file itself (an online backup of the test database), and every row of every table.

    The backup needs committed data: tests using it run with ``transaction=True``.
    """
    chunks: list[bytes] = []
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target_path = tmp_path / "dump.sqlite3"
        target = sqlite3.connect(target_path)
        connection.connection.backup(target)
        target.close()
        chunks.append(target_path.read_bytes())
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        chunks.append(bytes(value))
                    else:
                        chunks.append(str(value).encode("utf-8"))
    return b"\n".join(chunks)


def _assert_clean(response) -> None:  # type: ignore[no-untyped-def]
    assert not response.cookies, f"cookie set: {list(response.cookies)}"
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db(transaction=True)
def test_filing_and_following_up_leave_no_trace_in_the_database_or_the_logs(
    client, handler, captured_logs, caplog, tmp_path
):
    caplog.set_level(logging.DEBUG)
    # 1. The public page, then filing through the form with an attachment.
    page = client.get(reverse("integrity:public_new"), **CLIENT)
    assert page.status_code == 200
    _assert_clean(page)
    filed = client.post(
        reverse("integrity:public_new"),
        {
            "token": form_token(),
            "kind": "report",
            "category": "power_abuse",
            "title": "TRACEWORDALPHA 회식강요비밀",
            "body": "TRACEWORDBETA 팀장이 회식 참석을 강요했습니다.",
            "strip_metadata": "on",
            "attachments": SimpleUploadedFile("evidence.txt", b"ATTACHMARKGAMMA evidence", content_type="text/plain"),
        },
        **CLIENT,
    )
    assert filed.status_code == 200
    _assert_clean(filed)
    receipt = re.search(r"(\d{4} \d{4} \d{4} \d{4})", filed.content.decode()).group(1).replace(" ", "")
    # 2. Following up, replying and disclosing a name through the forms.
    for url, data in (
        (reverse("integrity:public_check"), {"receipt": receipt}),
        (reverse("integrity:public_reply"), {"receipt": receipt, "body": "REPLYMARKDELTA 추가 내용"}),
        (reverse("integrity:public_disclose"), {"receipt": receipt, "name": "NAMEMARKEPSILON"}),
        (reverse("integrity:public_check"), {"receipt": "0000000000000000"}),
    ):
        response = client.post(url, {"token": form_token(), **data}, **CLIENT)
        assert response.status_code in (200, 404)
        _assert_clean(response)
    # 3. The same through the API, and a page that does not exist (logged by django.request).
    api = client.post(
        "/api/v1/integrity/reports",
        {"category": "부패", "kind": "counsel", "title": "TRACEWORDALPHA", "body": "TRACEWORDBETA"},
        content_type="application/json",
        **CLIENT,
    )
    assert api.status_code == 201
    _assert_clean(api)
    for path, body in (
        ("/api/v1/integrity/receipt", {"receipt": api.json()["receipt"]}),
        ("/api/v1/integrity/receipt/messages", {"receipt": api.json()["receipt"], "body": "REPLYMARKDELTA"}),
        ("/api/v1/integrity/receipt", {"receipt": "9999999999999999"}),
    ):
        response = client.post(path, body, content_type="application/json", **CLIENT)
        assert response.status_code in (200, 201, 404)
        _assert_clean(response)
    missing = client.get("/integrity/public/nowhere", **CLIENT)
    assert missing.status_code == 404
    _assert_clean(missing)
    assert not client.cookies

    database = _database_bytes(tmp_path)
    logs = _log_text(captured_logs.records) + "\n" + _log_text(caplog.records)
    assert captured_logs.records, "the test must have produced log records to search"
    for marker in CONNECTION_MARKERS:
        assert marker.encode() not in database, f"{marker} stored in the database"
        assert marker not in logs, f"{marker} written to a log"
    for word in [*REPORT_WORDS, receipt, api.json()["receipt"]]:
        assert word.encode("utf-8") not in database, f"{word!r} stored in clear in the database"
        assert word not in logs, f"{word!r} written to a log"


def test_a_signed_in_users_session_is_neither_read_nor_touched_on_public_pages(client, org, handler):
    client.force_login(org.staff)
    session = Session.objects.get()
    expiry = session.expire_date
    response = client.get(reverse("integrity:public_new"))
    assert response.status_code == 200
    _assert_clean(response)
    assert response.wsgi_request.user.is_anonymous  # the session cookie never reached the app
    assert Session.objects.get().expire_date == expiry
    filed = client.post(
        reverse("integrity:public_new"),
        {"token": form_token(), "kind": "counsel", "category": "other", "title": "제목", "body": "내용"},
    )
    assert filed.status_code == 200 and "접수번호" in filed.content.decode()
    _assert_clean(filed)


def test_public_pages_carry_no_csrf_token_and_set_no_csrf_cookie(client, db):
    for name in ("public_home", "public_new", "public_check"):
        response = client.get(reverse(f"integrity:{name}"))
        assert response.status_code == 200
        assert "csrfmiddlewaretoken" not in response.content.decode()
        _assert_clean(response)


def test_public_posts_need_a_valid_form_token(client, handler):
    data = {"kind": "counsel", "category": "other", "title": "제목", "body": "내용"}
    for token in ("", "forged:token:value"):
        response = client.post(reverse("integrity:public_new"), {**data, "token": token})
        assert response.status_code == 200
        assert "입력 화면이 오래되었습니다" in response.content.decode()
    assert not handler.user.integrity_key.seals.exists()


@pytest.mark.parametrize(
    "headers",
    [{"HTTP_ORIGIN": "https://evil.example"}, {"HTTP_SEC_FETCH_SITE": "cross-site"}, {"HTTP_ORIGIN": "null"}],
)
def test_cross_site_posts_are_refused(client, handler, headers):
    data = {"token": form_token(), "kind": "counsel", "category": "other", "title": "제목", "body": "내용"}
    response = client.post(reverse("integrity:public_new"), data, **headers)
    assert response.status_code == 403
    assert "다른 사이트" in response.content.decode()
    api = client.post(
        "/api/v1/integrity/reports",
        {"kind": "counsel", "category": "기타", "title": "t", "body": "b"},
        content_type="application/json",
        **headers,
    )
    assert api.status_code == 403
    for same_site in (
        {"HTTP_ORIGIN": "http://testserver"},
        {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_ORIGIN": "null", "HTTP_SEC_FETCH_SITE": "same-origin"},  # a browser under a strict referrer policy
    ):
        same = client.post(reverse("integrity:public_new"), {**data, "token": form_token()}, **same_site)
        assert same.status_code == 200 and "접수번호" in same.content.decode()


def test_the_access_log_filter_drops_the_anonymous_paths():
    from hwallyu.core.logging import AnonymousPathFilter

    log_filter = AnonymousPathFilter()

    def server_record(path: str) -> logging.LogRecord:
        return logging.LogRecord(
            "django.server", logging.INFO, "", 0, '"%s" %s %s', (f"POST {path} HTTP/1.1", 200, 10), None
        )

    for path in (
        "/integrity/public/new",
        "/integrity/public/check",
        "/api/v1/integrity/reports",
        "/api/v1/integrity/receipt",
    ):
        assert not log_filter.filter(server_record(path))
    assert log_filter.filter(server_record("/integrity/cases/"))


def test_uploads_never_touch_the_disk(client, handler, settings, tmp_path, monkeypatch):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10  # any file would go to a temporary file by default
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    content = b"%PDF-1.4\n" + b"x" * 5000
    response = client.post(
        reverse("integrity:public_new"),
        {
            "token": form_token(),
            "kind": "report",
            "category": "corruption",
            "title": "제목",
            "body": "내용",
            "attachments": SimpleUploadedFile("증거.pdf", content, content_type="application/pdf"),
        },
    )
    assert response.status_code == 200 and "접수번호" in response.content.decode()
    assert list(tmp_path.iterdir()) == []


def test_nothing_of_the_reporter_reaches_the_audit_trail(client, handler):
    from hwallyu.core.models import AuditEvent

    client.post(
        reverse("integrity:public_new"),
        {"token": form_token(), "kind": "report", "category": "conduct", "title": "제목A", "body": "내용B"},
        **CLIENT,
    )
    event = AuditEvent.objects.get(action="integrity.case_filed")
    assert event.actor is None and event.actor_name == "시스템"
    text = repr([event.before, event.after, event.target_repr])
    for marker in CONNECTION_MARKERS:
        assert marker not in text


def test_the_middleware_scrubs_client_data_before_the_view_sees_it(rf):
    from hwallyu.integrity.middleware import ReporterPrivacyMiddleware

    seen = {}

    def view(request):  # type: ignore[no-untyped-def]
        seen.update(request.META)
        seen["cookies"] = dict(request.COOKIES)
        from django.http import HttpResponse

        response = HttpResponse("ok")
        response.set_cookie("tracker", "1")
        return response

    request = rf.get("/integrity/public/", **CLIENT, HTTP_COOKIE="hwallyu_session=abc; csrftoken=def")
    response = ReporterPrivacyMiddleware(view)(request)
    text = repr(seen)
    for marker in CONNECTION_MARKERS:
        assert marker not in text
    assert seen["cookies"] == {}
    assert not response.cookies
    staff = rf.get("/integrity/cases/", **CLIENT)
    ReporterPrivacyMiddleware(view)(staff)
    assert seen["REMOTE_ADDR"] == IP_MARK  # handler pages are ordinary pages


def test_logging_record_of_a_public_request_has_no_client_data(client, db, captured_logs):
    client.get("/integrity/public/missing-page", **CLIENT)
    records = [r for r in captured_logs.records if r.name == "django.request"]
    assert records
    assert all(marker not in _log_text(records) for marker in CONNECTION_MARKERS)


@pytest.mark.django_db(transaction=True)
def test_database_dump_helper_finds_what_is_stored(tmp_path):
    """The search itself works: a value written in clear is found in the dump."""
    from hwallyu.org.models import City

    City.objects.create(name="DUMPCANARY시", province="충청남도")
    assert b"DUMPCANARY" in _database_bytes(tmp_path)
