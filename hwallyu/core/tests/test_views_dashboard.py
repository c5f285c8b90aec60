"""The home dashboard: a shell of loading blocks, each module's cards loaded by its own URL."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from hwallyu.core.navigation import Card, all_dashboard_blocks, dashboard_blocks, register_dashboard

pytestmark = pytest.mark.django_db

HOME = reverse("core:home")
HTMX = {"HX-Request": "true"}


def block_url(key: str) -> str:
    return reverse("core:dashboard_block", args=[key])


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def test_block():  # type: ignore[no-untyped-def]
    """A block of this test's own, visible to the planning office only, with a card it counts on call."""
    from hwallyu.core import navigation
    from hwallyu.org.selectors import is_office

    calls: list[object] = []

    def provider(user):  # type: ignore[no-untyped-def]
        calls.append(user)
        return [Card("테스트 카드", 7, "/x/", "비고", "warning")] if user.username == "planner" else []

    register_dashboard("시험 블록", provider, key="test-block", visible=is_office, order=1)
    yield calls
    navigation._dashboard.pop("test-block", None)


def test_shell_shows_a_loading_block_per_visible_module_without_counting(org, test_block):
    html = client_for(org.planner).get(HOME).content.decode()

    assert test_block == []  # the shell computes no card
    keys = re.findall(r'<section id="dash-([\w-]+)" class="hw-dash-block"', html)
    assert keys == [b.key for b in dashboard_blocks(org.planner)]
    assert "test-block" in keys
    section = html[html.index('id="dash-test-block"') :]
    section = section[: section.index("</section>")]
    assert f'hx-get="{block_url("test-block")}"' in section
    assert 'hx-trigger="load"' in section and 'hx-swap="outerHTML"' in section
    assert 'aria-busy="true"' in section
    assert "불러오는 중…" in section
    assert f'<noscript><p><a href="{block_url("test-block")}">시험 블록 현황 보기</a></p></noscript>' in section


def test_shell_leaves_out_blocks_the_role_may_not_see(org, test_block):
    html = client_for(org.staff).get(HOME).content.decode()
    assert 'id="dash-test-block"' not in html
    assert 'id="dash-org"' not in html  # the organisation's figures are the office's
    assert 'id="dash-directives"' in html


def test_block_fragment_has_the_cards(org, test_block):
    response = client_for(org.planner).get(block_url("test-block"), headers=HTMX)

    assert response.status_code == 200
    assert response["X-Hwallyu-Fragment"] == "dashboard-block"
    assert "HX-Request" in response["Vary"]
    html = response.content.decode()
    assert "<html" not in html
    assert html.strip().startswith('<section id="dash-test-block" class="hw-dash-block"')
    assert "aria-busy" not in html
    assert '<a class="hw-card warning" href="/x/">' in html
    assert '<span class="hw-card-value">7</span>' in html and "비고" in html


def test_block_without_javascript_is_a_page_of_its_own(org, test_block):
    html = client_for(org.planner).get(block_url("test-block")).content.decode()
    assert '<html lang="ko-KR">' in html
    assert "<h1>업무 현황: 시험 블록</h1>" in html
    assert '<span class="hw-card-value">7</span>' in html
    assert '<span class="txt" aria-current="page">시험 블록 현황</span>' in html


def test_block_with_nothing_to_show_removes_itself(org, test_block):
    client = client_for(org.admin)  # visible to the admin, but the provider has no card for them
    response = client.get(block_url("test-block"), headers=HTMX)
    assert response.status_code == 200 and response.content.decode().strip() == ""
    assert "표시할 시험 블록 현황이 없습니다." in client.get(block_url("test-block")).content.decode()


def test_block_url_refuses_whom_the_block_is_not_for(client, org, test_block):
    for user in (org.staff, org.manager, org.executive):
        assert client_for(user).get(block_url("test-block"), headers=HTMX).status_code == 403
    assert test_block == []  # refused before any counting
    assert client_for(org.planner).get(block_url("no-such-block")).status_code == 404
    response = client.get(block_url("test-block"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert client_for(org.planner).post(block_url("test-block")).status_code == 405


@pytest.mark.parametrize("role", ["admin", "planner", "auditor", "manager", "staff", "executive", "other_manager"])
def test_every_module_block_answers_as_its_permission_says(org, role):
    """Each registered module's block: 200 (cards or nothing) where visible, else 403, and its
    provider never gives cards to a user the block is hidden from."""
    user = org.users_by_role()[role]
    client = client_for(user)
    for block in all_dashboard_blocks():
        response = client.get(block_url(block.key), headers=HTMX)
        if block.visible(user):
            assert response.status_code == 200, block.key
        else:
            assert response.status_code == 403, block.key
            assert list(block.provider(user)) == [], block.key


def test_shell_query_count_does_not_grow_with_the_blocks(org, django_assert_max_num_queries):
    client = client_for(org.planner)
    client.get(HOME)
    with django_assert_max_num_queries(12):
        client.get(HOME)
