"""Sign-in and sign-out through the real login form, with django-axes lockout."""

import datetime as dt

import time_machine
from axes.models import AccessAttempt
from django.urls import reverse

from hwallyu.accounts.tests.helpers import LOGIN_URL, sign_in
from hwallyu.core.calendar import SEOUL

WRONG = "wrong-password-1"


def test_login_page_is_korean_with_autocomplete(client, org):
    response = client.get(LOGIN_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 id="login-title">로그인</h1>' in html
    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html
    assert '<label for="id_username">아이디</label>' in html


def test_right_password_signs_in_and_logout_signs_out(client, org):
    response = sign_in(client, "staff")
    assert response.status_code == 302
    assert response.url == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200

    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == LOGIN_URL
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)


def test_wrong_password_shows_korean_error_tied_to_the_fields(client, org):
    response = sign_in(client, "staff", WRONG)
    html = response.content.decode()
    assert response.status_code == 200
    assert "아이디 또는 비밀번호가 올바르지 않습니다" in html
    assert 'role="alert" id="login-error"' in html
    assert 'aria-describedby="login-error"' in html
    assert AccessAttempt.objects.get(username="staff").failures_since_start == 1


def test_five_failures_lock_the_account_even_for_the_right_password_until_cool_off(client, org):
    start = dt.datetime(2025, 3, 3, 9, 0, tzinfo=SEOUL)
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(4):
            assert sign_in(client, "staff", WRONG).status_code == 200
        locked = sign_in(client, "staff", WRONG)
        assert locked.status_code == 429
        assert "로그인이 잠시 제한되었습니다" in locked.content.decode()
        assert "15분" in locked.content.decode()

        # The right password is refused while locked out, and nobody is signed in.
        refused = sign_in(client, "staff")
        assert refused.status_code == 429
        assert "로그인이 잠시 제한되었습니다" in refused.content.decode()
        assert client.get(reverse("core:home")).status_code == 302

        # Another user is not affected (lockout is per username, not per address).
        other = sign_in(client.__class__(), "manager")
        assert other.status_code == 302

        traveller.shift(dt.timedelta(minutes=10))
        assert sign_in(client, "staff").status_code == 429

        traveller.shift(dt.timedelta(minutes=16))
        response = sign_in(client, "staff")
        assert response.status_code == 302
        assert client.get(reverse("core:home")).status_code == 200


def test_success_resets_the_failure_count(client, org):
    for _ in range(3):
        sign_in(client, "staff", WRONG)
    assert sign_in(client, "staff").status_code == 302
    assert not AccessAttempt.objects.filter(username="staff").exists()
