"""Signing in as each role and using the shell in a real browser, with axe-core on every page visited."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from hwallyu.core.testing import PASSWORD

pytestmark = pytest.mark.browser

ROLES = ["admin", "planner", "auditor", "manager", "staff", "executive", "other_manager"]


def _menu_labels(user) -> list[str]:  # type: ignore[no-untyped-def]
    from hwallyu.core.navigation import sections_for
    from hwallyu.org.selectors import role_of

    return [item["label"] for section in sections_for(role_of(user)) for item in section["items"]]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_signs_in_and_sees_the_home_page(page, live_server, sign_in, assert_accessible, role):
    user = sign_in(role)

    expect(page.locator("html")).to_have_attribute("lang", "ko-KR")
    expect(page.locator("#krds-header .hw-brand-city")).to_have_text("논산시")
    expect(page.get_by_role("heading", level=1)).to_have_text("업무 현황")
    expect(page.locator("#krds-header .hw-user")).to_contain_text(user.username)
    nav = page.get_by_role("navigation", name="업무 메뉴")
    expect(nav.get_by_role("link")).to_have_text(_menu_labels(user))
    expect(page.get_by_role("link", name=re.compile(r"^알림"))).to_be_visible()
    # Each module's cards load by their own request: wait for every block before checking the page.
    expect(page.locator(".hw-dash-block[aria-busy]")).to_have_count(0)
    expect(page.locator("#dash-directives .hw-card").first).to_be_visible()
    assert_accessible(f"home as {role}")

    nav.get_by_role("link", name="받은 알림").click()
    page.wait_for_url(f"{live_server.url}/notifications/")
    expect(page.get_by_role("heading", level=1)).to_have_text("알림")
    expect(page.get_by_role("navigation", name="현재 경로")).to_contain_text("홈")
    expect(nav.get_by_role("link", name="받은 알림")).to_have_attribute("aria-current", "page")
    assert_accessible(f"notifications as {role}")


def test_wrong_password_shows_the_korean_error(page, live_server, browser_org, assert_accessible):
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible("sign-in page")

    page.get_by_label("아이디").fill("planner")
    page.get_by_label("비밀번호").fill(PASSWORD + "x")
    page.get_by_role("button", name="로그인").click()

    expect(page.get_by_role("alert")).to_contain_text("아이디 또는 비밀번호가 올바르지 않습니다")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    expect(page.get_by_label("아이디")).to_have_value("planner")
    assert_accessible("sign-in page with an error")


def test_the_bell_count_updates_without_a_reload(page, live_server, sign_in, browser_org):
    from hwallyu.notifications.services import notify

    page.clock.install()
    sign_in("manager")
    bell = page.locator("#hw-bell-count")
    expect(bell).to_contain_text("새 알림 없음")

    notify(recipients=[browser_org.manager], title="지시사항 기한이 다가옵니다", email=False)
    notify(recipients=[browser_org.staff], title="다른 사람 알림", email=False)
    page.clock.run_for(61_000)

    expect(page.locator("#hw-bell-count .hw-badge")).to_have_text("1")
    expect(page.get_by_role("link", name=re.compile("읽지 않은 알림 1건"))).to_be_visible()

    # After sign-out elsewhere the poll stops quietly: the header keeps its badge, no login page inside.
    page.context.clear_cookies()
    page.clock.run_for(61_000)
    expect(page.locator("#hw-bell-count .hw-badge")).to_have_text("1")
    expect(page.locator("#krds-header form#login-form, #krds-header input[name=password]")).to_have_count(0)


def test_side_navigation_folds_under_the_menu_button_on_a_phone(page, live_server, sign_in, assert_accessible):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in("planner")
    nav = page.locator("#hw-sidenav")
    button = page.get_by_role("button", name="메뉴")

    expect(nav).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("button", name="로그아웃")).to_be_visible()
    assert_accessible("home on a phone")

    button.click()
    expect(nav).to_be_visible()
    expect(page.get_by_role("button", name="메뉴 닫기")).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link").first).to_be_focused()
    assert_accessible("home on a phone, menu open")

    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(page.get_by_role("button", name="메뉴")).to_be_focused()


def test_skip_link_moves_to_the_content(page, live_server, sign_in):
    sign_in("staff")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="본문 바로가기")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()

    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()


def test_not_found_page_in_korean(page, live_server, sign_in, assert_accessible):
    sign_in("staff")
    response = page.goto(f"{live_server.url}/없는-주소/")

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("페이지를 찾을 수 없습니다")
    expect(page.get_by_role("link", name="처음 화면으로")).to_be_visible()
    assert_accessible("404 page")


def test_a_long_notice_list_is_paged(page, live_server, sign_in, browser_org, assert_accessible):
    from hwallyu.notifications.models import Notification

    Notification.objects.bulk_create([Notification(recipient=browser_org.staff, title=f"알림 {i}") for i in range(65)])
    sign_in("staff")
    page.goto(f"{live_server.url}/notifications/")
    pages = page.get_by_role("navigation", name="페이지 이동")
    expect(pages).to_contain_text("총 65건")
    expect(pages.locator("[aria-current=page]")).to_contain_text("1")

    pages.get_by_role("link", name="다음").click()
    page.wait_for_url(f"{live_server.url}/notifications/?page=2")
    expect(page.get_by_role("navigation", name="페이지 이동").locator("[aria-current=page]")).to_contain_text("2")
    assert_accessible("notifications, page 2")


def test_home_blocks_load_by_themselves_and_open_without_javascript(
    page, browser, live_server, sign_in, assert_accessible
):
    from hwallyu.core.navigation import dashboard_blocks

    user = sign_in("planner")
    expect(page.locator(".hw-dash-block[aria-busy]")).to_have_count(0)
    expect(page.locator(".hw-dash-loading")).to_have_count(0)
    shown = page.locator(".hw-dash-block").evaluate_all("els => els.map(e => e.id.slice(5))")
    assert set(shown) <= {b.key for b in dashboard_blocks(user)}
    assert {"directives", "org"} <= set(shown)  # blocks with nothing to show removed themselves
    organisation = page.get_by_role("region", name="조직")
    expect(organisation.locator(".hw-card", has_text="부서").locator(".hw-card-value")).to_have_text("3")
    assert_accessible("home with every block loaded")

    # Without JavaScript each block is a link to a page of its own.
    context = browser.new_context(java_script_enabled=False, locale="ko-KR")
    try:
        plain = context.new_page()
        plain.goto(f"{live_server.url}/accounts/login/")
        plain.get_by_label("아이디").fill(user.username)
        plain.get_by_label("비밀번호").fill(PASSWORD)
        plain.get_by_role("button", name="로그인").click()
        plain.wait_for_url(f"{live_server.url}/")
        expect(plain.locator(".hw-dash-loading").first).to_be_hidden()
        plain.get_by_role("link", name="조직 현황 보기").click()
        plain.wait_for_url(f"{live_server.url}/dashboard/block/org")
        expect(plain.get_by_role("heading", level=1)).to_have_text("업무 현황: 조직")
        expect(plain.locator(".hw-card", has_text="부서").locator(".hw-card-value")).to_have_text("3")
    finally:
        context.close()
