"""Password change: Django's view, Korean messages, audit-logged without the value."""

from django.urls import reverse

from hwallyu.accounts.tests.helpers import sign_in
from hwallyu.core.models import AuditEvent
from hwallyu.core.testing import PASSWORD

URL = reverse("accounts:password_change")
NEW = "Nonsan-planning-2025!"


def test_page_has_labelled_fields_with_autocomplete(client, org):
    client.force_login(org.staff)
    html = client.get(URL).content.decode()
    assert '<label for="id_old_password">현재 비밀번호</label>' in html
    assert 'autocomplete="current-password"' in html
    assert html.count('autocomplete="new-password"') == 2
    assert "<h1>비밀번호 변경</h1>" in html


def test_change_password_keeps_the_session_and_is_audited(client, org):
    sign_in(client, "staff")
    response = client.post(URL, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    assert response.url == reverse("accounts:settings")
    assert client.get(reverse("core:home")).status_code == 200  # still signed in
    org.staff.refresh_from_db()
    assert org.staff.check_password(NEW)
    event = AuditEvent.objects.get(action="password.change")
    assert event.actor_id == org.staff.pk
    assert NEW not in str(event.after) and NEW not in str(event.before)
    client.post(reverse("accounts:logout"))
    assert sign_in(client, "staff", NEW).status_code == 302


def test_wrong_old_password_and_weak_new_password_are_refused_in_korean(client, org):
    client.force_login(org.staff)
    response = client.post(URL, {"old_password": "nope", "new_password1": "1234", "new_password2": "1234"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "기존 비밀번호를 잘못 입력하셨습니다" in html
    assert 'id="id_old_password_error"' in html

    response = client.post(URL, {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"})
    html = response.content.decode()
    assert "이 비밀번호는 너무 짧습니다. 최소 10자 이상이어야 합니다." in html
    assert "비밀번호가 전부 숫자로 되어 있습니다." in html
    assert 'id="id_new_password2_error"' in html
    org.staff.refresh_from_db()
    assert org.staff.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="password.change").exists()


def test_mismatch_is_refused(client, org):
    client.force_login(org.staff)
    response = client.post(URL, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW + "x"})
    assert "비밀번호가 일치하지 않습니다" in response.content.decode()
