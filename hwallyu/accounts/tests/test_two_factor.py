"""Two-factor sign-in: setting up an authenticator app on "내 계정", the sign-in step, removal."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hwallyu.accounts import services
from hwallyu.accounts.tests.helpers import code_for, sign_in
from hwallyu.core.calendar import SEOUL
from hwallyu.core.models import AuditEvent
from hwallyu.org.models import Role

SETTINGS = reverse("accounts:settings")
OTP = reverse("accounts:otp")
START = dt.datetime(2025, 3, 3, 9, 0, tzinfo=SEOUL)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def require_2fa(org, *roles):
    services.security_policy_update(actor=org.admin, idle_timeout_minutes=30, require_2fa_roles=list(roles))


def set_up_app(client, user, clock):
    """Walk the settings page: start, read the pending device, confirm with its current code."""
    client.post(reverse("accounts:otp_setup_start"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:otp_setup_confirm"), {"token": code_for(device)})
    device.refresh_from_db()
    clock.shift(dt.timedelta(seconds=31))  # the next code; a used code is never accepted twice
    return device, response


def test_setup_shows_server_side_svg_qr_and_the_secret_then_confirms(client, org, clock):
    client.force_login(org.staff)
    page = client.get(SETTINGS).content.decode()
    assert "인증 앱 등록 시작" in page

    client.post(reverse("accounts:otp_setup_start"))
    device = TOTPDevice.objects.get(user=org.staff)
    assert not device.confirmed
    page = client.get(SETTINGS).content.decode()
    assert '<div class="hw-qr" role="img"' in page
    assert "<svg" in page and "<path" in page
    assert "<img" not in page.split('class="hw-qr"')[1].split("</div>")[0]
    secret = re.search(r'<code class="hw-secret"[^>]*>([A-Z2-7 ]+)</code>', page).group(1)
    assert len(secret.replace(" ", "")) == 32  # 20-byte key in Base32
    assert 'autocomplete="one-time-code"' in page

    response = client.post(reverse("accounts:otp_setup_confirm"), {"token": code_for(device)})
    html = response.content.decode()
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert "인증 앱을 등록했습니다" in html
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", html)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert sorted(codes) == sorted(StaticToken.objects.filter(device__user=org.staff).values_list("token", flat=True))
    assert "지금 한 번만 표시됩니다" in html
    assert AuditEvent.objects.filter(action="otp.enable", target_id=str(org.staff.pk)).exists()

    # Shown once: the next visit shows the status, not the codes.
    page = client.get(SETTINGS).content.decode()
    assert "사용 중" in page and "남은 백업 코드 10개" in page
    assert codes[0] not in page


def test_wrong_confirmation_code_keeps_the_device_unconfirmed_with_an_error_on_the_field(client, org, clock):
    client.force_login(org.staff)
    client.post(reverse("accounts:otp_setup_start"))
    response = client.post(reverse("accounts:otp_setup_confirm"), {"token": "000000"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "인증 코드가 올바르지 않습니다" in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_token_helptext id_token_error"' in html
    assert not TOTPDevice.objects.get(user=org.staff).confirmed
    assert not StaticDevice.objects.filter(user=org.staff).exists()


def test_user_whose_role_requires_2fa_must_enter_a_code_after_the_password(client, org, clock):
    client.force_login(org.planner)
    device, _ = set_up_app(client, org.planner, clock)
    client.post(reverse("accounts:logout"))
    require_2fa(org, Role.PLANNING)

    response = sign_in(client, "planner")
    assert response.status_code == 302
    home = client.get(reverse("core:home"))
    assert home.status_code == 302
    assert home.url.startswith(OTP)
    assert client.get(reverse("accounts:password_change")).url.startswith(OTP)

    page = client.get(home.url)
    assert "2단계 인증" in page.content.decode()
    wrong = client.post(OTP, {"token": "123456", "next": "/"})
    assert "인증 코드가 올바르지 않습니다" in wrong.content.decode()

    clock.shift(dt.timedelta(seconds=31))  # past django-otp's one-second throttle after a wrong code
    response = client.post(OTP, {"token": code_for(device), "next": "/"})
    assert response.status_code == 302 and response.url == "/"
    assert client.get(reverse("core:home")).status_code == 200


def test_a_used_code_cannot_be_replayed(client, org, clock):
    client.force_login(org.planner)
    device, _ = set_up_app(client, org.planner, clock)
    require_2fa(org, Role.PLANNING)
    code = code_for(device)
    other = client.__class__()
    sign_in(other, "planner")
    assert other.post(OTP, {"token": code, "next": "/"}).status_code == 302
    third = client.__class__()
    sign_in(third, "planner")
    assert third.post(OTP, {"token": code, "next": "/"}).status_code == 200


def test_backup_code_works_once_at_the_sign_in_step(client, org, clock):
    client.force_login(org.planner)
    _, response = set_up_app(client, org.planner, clock)
    code = re.findall(r"<li><code>([a-z2-7]+)</code></li>", response.content.decode())[0]
    client.post(reverse("accounts:logout"))
    require_2fa(org, Role.PLANNING)

    sign_in(client, "planner")
    assert client.post(OTP, {"token": code, "next": "/"}).status_code == 302
    client.post(reverse("accounts:logout"))

    clock.shift(dt.timedelta(seconds=31))
    sign_in(client, "planner")
    assert client.post(OTP, {"token": code, "next": "/"}).status_code == 200
    assert StaticToken.objects.filter(device__user=org.planner).count() == 9


def test_required_user_without_device_is_sent_to_set_it_up_first(client, org, clock):
    require_2fa(org, Role.MANAGER)
    sign_in(client, "manager")
    response = client.get(reverse("core:home"), follow=True)
    chain = [url for url, _ in response.redirect_chain]
    assert chain[0].startswith(OTP)
    assert chain[-1].startswith(SETTINGS)
    html = response.content.decode()
    assert "2단계 인증</strong>이 필요합니다" in html
    assert "API 토큰" not in html  # nothing else of the account until the second factor is set up
    # Token and password pages stay closed until then.
    assert client.get(reverse("accounts:password_change")).url.startswith(OTP)
    assert client.post(reverse("accounts:token_create"), {"name": "x"}).url.startswith(OTP)

    client.post(reverse("accounts:otp_setup_start"))
    device = TOTPDevice.objects.get(user=org.manager)
    response = client.post(reverse("accounts:otp_setup_confirm"), {"token": code_for(device), "next": "/"})
    assert "계속하기" in response.content.decode()
    # Confirming proved the second factor: this session may now work.
    assert client.get(reverse("core:home")).status_code == 200


def test_required_user_with_a_device_cannot_skip_the_code_via_the_settings_page(client, org, clock):
    client.force_login(org.manager)
    set_up_app(client, org.manager, clock)
    client.post(reverse("accounts:logout"))
    require_2fa(org, Role.MANAGER)
    sign_in(client, "manager")
    response = client.get(SETTINGS)
    assert response.status_code == 302 and response.url.startswith(OTP)
    assert client.post(reverse("accounts:otp_setup_start")).status_code == 302
    assert TOTPDevice.objects.filter(user=org.manager).count() == 1


def test_remove_device_needs_a_current_code(client, org, clock):
    client.force_login(org.staff)
    device, _ = set_up_app(client, org.staff, clock)

    response = client.post(reverse("accounts:otp_remove"), {"token": "999999"})
    assert response.status_code == 200
    assert "인증 코드가 올바르지 않습니다" in response.content.decode()
    assert TOTPDevice.objects.filter(user=org.staff).exists()

    clock.shift(dt.timedelta(seconds=31))
    response = client.post(reverse("accounts:otp_remove"), {"token": code_for(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=org.staff).exists()
    assert not StaticDevice.objects.filter(user=org.staff).exists()
    assert AuditEvent.objects.filter(action="otp.disable", target_id=str(org.staff.pk)).exists()
    assert "2단계 인증을 해제했습니다" in client.get(SETTINGS).content.decode()


def test_repeated_wrong_codes_are_throttled(client, org, clock):
    client.force_login(org.staff)
    device, _ = set_up_app(client, org.staff, clock)
    for _ in range(3):
        client.post(reverse("accounts:otp_remove"), {"token": "999999"})
    response = client.post(reverse("accounts:otp_remove"), {"token": code_for(device)})
    assert "잠시 확인이 제한되었습니다" in response.content.decode()
    assert TOTPDevice.objects.filter(user=org.staff).exists()


def test_users_without_the_requirement_are_not_asked_for_a_code(client, org, clock):
    require_2fa(org, Role.ADMIN)
    sign_in(client, "staff")
    assert client.get(reverse("core:home")).status_code == 200


def test_otp_page_without_a_device_points_to_the_settings_when_not_required(client, org):
    client.force_login(org.staff)
    response = client.get(OTP)
    assert response.status_code == 200
    html = response.content.decode()
    assert "등록된 인증 앱이 없습니다" in html
    assert f'href="{SETTINGS}"' in html
