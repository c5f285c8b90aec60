"""The account section of the side menu and the header link."""

import pytest
from django.urls import reverse

from hwallyu.core.navigation import sections_for
from hwallyu.org.models import Role


def account_items(role):
    section = next((s for s in sections_for(role) if s["key"] == "account"), None)
    return [(i["label"], i["url"]) for i in section["items"]] if section else []


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMIN])
def test_every_role_sees_my_account_only(role):
    assert account_items(role) == [("내 계정", reverse("accounts:settings"))]


def test_admin_also_sees_the_security_policy():
    assert account_items(Role.ADMIN) == [
        ("내 계정", reverse("accounts:settings")),
        ("보안 정책", reverse("accounts:security")),
    ]


def test_header_links_to_my_account(client, org):
    client.force_login(org.staff)
    html = client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("accounts:settings")}">내 계정</a>' in html
