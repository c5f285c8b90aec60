"""Personal API tokens: created and revoked on "내 계정", issued by POST /api/v1/auth/token, stored hashed."""

import datetime as dt
import hashlib
import json
import re

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from hwallyu.accounts import services
from hwallyu.accounts.models import ApiToken
from hwallyu.accounts.tests.helpers import code_for, sign_in
from hwallyu.core.calendar import SEOUL
from hwallyu.core.models import AuditEvent
from hwallyu.core.testing import PASSWORD
from hwallyu.org.models import Role

SETTINGS = reverse("accounts:settings")
TOKEN_URL = "/api/v1/auth/token"
ME_URL = "/api/v1/me"


def issue(client, username, password=PASSWORD):
    return client.post(
        TOKEN_URL, data=json.dumps({"username": username, "password": password}), content_type="application/json"
    )


def me(client, raw):
    return client.get(ME_URL, HTTP_AUTHORIZATION=f"Bearer {raw}")


def raw_from(html):
    return re.search(r'id="new-token" class="hw-token-value" value="(hw_[^"]+)"', html).group(1)


def every_text_value_in_the_database():
    """All text stored in every table, to prove a raw token is nowhere."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                values.extend(str(v) for v in row if v is not None)
    return "\n".join(values)


def test_create_on_the_settings_page_shows_the_raw_token_once(client, org):
    client.force_login(org.staff)
    response = client.post(reverse("accounts:token_create"), {"name": "통계 연계"})
    html = response.content.decode()
    assert response.status_code == 200
    raw = raw_from(html)
    assert "이 값은 지금 한 번만 표시됩니다" in html
    assert "복사" in html
    token = ApiToken.objects.get(user=org.staff)
    assert token.name == "통계 연계"
    assert token.prefix == raw[:10]
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert AuditEvent.objects.filter(action="api_token.create", target_id=str(token.pk)).exists()

    page = client.get(SETTINGS).content.decode()
    assert raw not in page
    assert "통계 연계" in page and f"{raw[:10]}…" in page and "사용 기록 없음" in page
    assert raw not in every_text_value_in_the_database()


def test_token_name_is_required_with_an_error_on_the_field(client, org):
    client.force_login(org.staff)
    response = client.post(reverse("accounts:token_create"), {"name": "  "})
    html = response.content.decode()
    assert response.status_code == 200
    assert "토큰 이름을 입력하세요." in html
    assert 'id="id_name_error"' in html
    assert not ApiToken.objects.exists()


def test_bearer_token_works_on_me_and_records_last_use(client, org):
    token, raw = services.api_token_create(user=org.manager, name="연계", actor=org.manager)
    with time_machine.travel(dt.datetime(2025, 3, 3, 9, 0, tzinfo=SEOUL), tick=False):
        response = me(client.__class__(), raw)
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "manager"
    assert body["role"] == Role.MANAGER
    assert body["department_code"] == "D001"
    token.refresh_from_db()
    assert token.last_used_at == dt.datetime(2025, 3, 3, 9, 0, tzinfo=SEOUL)

    client.force_login(org.manager)
    assert "2025-03-03 09:00" in client.get(SETTINGS).content.decode()


def test_revoked_token_answers_401_in_korean(client, org):
    token, raw = services.api_token_create(user=org.staff, name="연계", actor=org.staff)
    client.force_login(org.staff)
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1
    assert "폐기" in client.get(SETTINGS).content.decode()

    response = me(client.__class__(), raw)
    assert response.status_code == 401
    assert response.json()["detail"] == "인증이 필요합니다. 토큰을 확인하세요."

    # Revoking twice records it once.
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1


def test_someone_elses_token_is_not_found(client, org):
    token, _raw = services.api_token_create(user=org.staff, name="세무시스템A", actor=org.staff)
    client.force_login(org.other_staff)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert "세무시스템A" not in client.get(SETTINGS).content.decode()


def test_revoke_is_post_only(client, org):
    token, _ = services.api_token_create(user=org.staff, name="연계", actor=org.staff)
    client.force_login(org.staff)
    assert client.get(reverse("accounts:token_revoke", args=[token.pk])).status_code == 405


@pytest.mark.parametrize("header", ["", "Bearer ", "Bearer hw_not-a-token", "Token abc"])
def test_missing_or_bad_token_is_401(client, org, header):
    response = client.get(ME_URL, HTTP_AUTHORIZATION=header) if header else client.get(ME_URL)
    assert response.status_code == 401
    assert "인증이 필요합니다" in response.json()["detail"]


def test_auth_token_endpoint_issues_a_working_token_stored_only_as_sha256(client, org):
    response = issue(client, "planner")
    assert response.status_code == 200
    raw = response.json()["token"]
    assert raw.startswith("hw_")
    stored = ApiToken.objects.get(user=org.planner)
    assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in every_text_value_in_the_database()
    assert me(client.__class__(), raw).json()["username"] == "planner"


def test_wrong_credentials_answer_401_in_korean(client, org):
    response = issue(client, "planner", "wrong-password")
    assert response.status_code == 401
    assert response.json() == {"detail": "아이디 또는 비밀번호가 올바르지 않습니다."}
    assert issue(client, "nobody", "x").status_code == 401
    assert not ApiToken.objects.exists()


def test_malformed_request_answers_422_in_korean(client, org):
    response = client.post(TOKEN_URL, data="{}", content_type="application/json")
    assert response.status_code == 422
    assert "값이 필요합니다" in response.json()["detail"]


def test_guessing_passwords_on_the_api_locks_the_username_out(client, org):
    start = dt.datetime(2025, 3, 3, 9, 0, tzinfo=SEOUL)
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(4):
            assert issue(client, "planner", "guess").status_code == 401
        locked = issue(client, "planner", "guess")
        assert locked.status_code == 429
        assert locked["Content-Type"].startswith("application/json")
        assert "제한되었습니다" in locked.json()["detail"]
        # Even the right password is refused until the cool-off has passed.
        refused = issue(client, "planner")
        assert refused.status_code == 429
        assert "token" not in refused.json()
        assert not ApiToken.objects.exists()
        # The web login is locked too: it is the same username.
        assert sign_in(client.__class__(), "planner").status_code == 429

        traveller.shift(dt.timedelta(minutes=16))
        assert issue(client, "planner").status_code == 200


def test_password_alone_gives_no_token_to_a_role_that_requires_2fa(client, org):
    services.security_policy_update(actor=org.admin, idle_timeout_minutes=30, require_2fa_roles=[Role.PLANNING])
    response = issue(client, "planner")
    assert response.status_code == 403
    assert "2단계 인증" in response.json()["detail"]
    assert not ApiToken.objects.exists()


def test_session_api_access_needs_the_second_factor_when_required(client, org):
    services.security_policy_update(actor=org.admin, idle_timeout_minutes=30, require_2fa_roles=[Role.PLANNING])
    sign_in(client, "planner")
    assert client.get(ME_URL).status_code == 401
    staff = client.__class__()
    sign_in(staff, "staff")
    assert staff.get(ME_URL).status_code == 200


def test_verified_user_creates_tokens_in_the_ui(client, org):
    start = dt.datetime(2025, 3, 3, 9, 0, tzinfo=SEOUL)
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(org.planner)
        client.post(reverse("accounts:otp_setup_start"))
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.get(user=org.planner)
        client.post(reverse("accounts:otp_setup_confirm"), {"token": code_for(device)})
        client.post(reverse("accounts:logout"))
        services.security_policy_update(actor=org.admin, idle_timeout_minutes=30, require_2fa_roles=[Role.PLANNING])

        sign_in(client, "planner")
        traveller.shift(dt.timedelta(seconds=31))
        device.refresh_from_db()
        client.post(reverse("accounts:otp"), {"token": code_for(device), "next": "/"})
        response = client.post(reverse("accounts:token_create"), {"name": "연계"})
        assert response.status_code == 200
        assert me(client.__class__(), raw_from(response.content.decode())).status_code == 200
        assert client.get(ME_URL).status_code == 200
