"""The admin's security policy page: idle timeout and which roles require two-factor sign-in."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hwallyu.accounts import services
from hwallyu.accounts.models import SecurityPolicy
from hwallyu.core.models import AuditEvent
from hwallyu.org.models import Role

URL = reverse("accounts:security")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("planner", 403),
        ("auditor", 403),
        ("manager", 403),
        ("staff", 403),
        ("executive", 403),
        ("other_manager", 403),
    ],
)
def test_only_admins_open_the_page(client, org, who, status):
    client.force_login(getattr(org, who))
    assert client.get(URL).status_code == status
    assert client.post(URL, {"idle_timeout_minutes": "60"}).status_code == (302 if status == 200 else status)


def test_anonymous_is_sent_to_login(client, org):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_page_shows_labelled_fields_and_role_checkboxes(client, org):
    client.force_login(org.admin)
    html = client.get(URL).content.decode()
    assert '<label for="id_idle_timeout_minutes">유휴 세션 만료(분)</label>' in html
    assert '<p class="hw-group-label" id="roles-label">2단계 인증이 필요한 역할</p>' in html
    assert 'role="group" aria-labelledby="roles-label"' in html
    for value, label in Role.choices:
        assert f'value="{value}"' in html and label in html
    assert 'value="30"' in html


def test_admin_saves_the_policy_and_it_is_audited(client, org):
    client.force_login(org.admin)
    response = client.post(URL, {"idle_timeout_minutes": "60", "require_2fa_roles": ["planning", "audit"]})
    assert response.status_code == 302
    policy = SecurityPolicy.load()
    assert policy.idle_timeout_minutes == 60
    assert policy.require_2fa_roles == ["audit", "planning"]
    assert services.idle_timeout_seconds() == 3600
    assert services.otp_required_for(org.planner)
    assert not services.otp_required_for(org.staff)
    event = AuditEvent.objects.get(action="security_policy.update")
    assert event.before == {"idle_timeout_minutes": 30, "require_2fa_roles": []}
    assert event.after == {"idle_timeout_minutes": 60, "require_2fa_roles": ["audit", "planning"]}
    assert "보안 정책을 저장했습니다" in client.get(URL).content.decode()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("4", "5분 이상이어야 합니다."),
        ("481", "480분 이하여야 합니다."),
        ("abc", "분 단위 숫자를 입력하세요."),
        ("", "입력하세요"),
    ],
)
def test_out_of_range_timeout_is_refused_in_korean_on_the_field(client, org, value, message):
    client.force_login(org.admin)
    response = client.post(URL, {"idle_timeout_minutes": value})
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'id="id_idle_timeout_minutes_error"' in html
    assert 'aria-invalid="true"' in html
    assert SecurityPolicy.load().idle_timeout_minutes == 30


def test_unknown_role_is_refused(client, org):
    client.force_login(org.admin)
    response = client.post(URL, {"idle_timeout_minutes": "30", "require_2fa_roles": ["root"]})
    assert response.status_code == 200
    assert SecurityPolicy.load().require_2fa_roles == []


def test_service_checks_role_and_range(org):
    with pytest.raises(PermissionDenied):
        services.security_policy_update(actor=org.planner, idle_timeout_minutes=60, require_2fa_roles=[])
    with pytest.raises(ValidationError):
        services.security_policy_update(actor=org.admin, idle_timeout_minutes=1000, require_2fa_roles=[])
    with pytest.raises(ValidationError):
        services.security_policy_update(actor=org.admin, idle_timeout_minutes=30, require_2fa_roles=["root"])
