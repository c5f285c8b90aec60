"""내 계정 in a real browser: two-factor setup with the server-drawn QR code, API tokens, password
change, the admin's security policy and the lockout page, with axe-core on every page visited."""

from __future__ import annotations

import base64
import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from hwallyu.core.testing import PASSWORD

pytestmark = pytest.mark.browser


def _code_from_secret(secret_text: str) -> str:
    secret = secret_text.replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


def test_staff_sets_up_two_factor_and_manages_api_tokens(page, live_server, sign_in, assert_accessible):
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in("staff")
    page.locator("#krds-header").get_by_role("link", name="내 계정").click()
    page.wait_for_url(f"{live_server.url}/accounts/settings/")
    expect(page.get_by_role("heading", level=1)).to_have_text("내 계정")
    assert_accessible("내 계정")

    page.get_by_role("button", name="인증 앱 등록 시작").click()
    qr = page.get_by_role("img", name="인증 앱 등록용 QR 코드", exact=False)
    expect(qr).to_be_visible()
    expect(qr.locator("svg")).to_have_count(1)
    assert_accessible("2단계 인증 등록")

    page.get_by_label("인증 앱에 표시된 코드(6자리)").fill("000000")
    page.get_by_role("button", name="등록 확인").click()
    expect(page.locator("#id_token_error")).to_contain_text("인증 코드가 올바르지 않습니다")
    assert_accessible("2단계 인증 등록 오류")

    page.wait_for_timeout(1100)  # django-otp makes the next try wait a second after a wrong code
    code = _code_from_secret(page.locator(".hw-secret").inner_text())
    page.get_by_label("인증 앱에 표시된 코드(6자리)").fill(code)
    page.get_by_role("button", name="등록 확인").click()
    expect(page.get_by_role("heading", name="백업 코드")).to_be_visible()
    expect(page.locator(".hw-backup-codes li")).to_have_count(10)
    assert_accessible("백업 코드")

    page.get_by_label("토큰 이름").fill("통계 연계")
    page.get_by_role("button", name="토큰 만들기").click()
    token = page.get_by_role("textbox", name="새 토큰", exact=True)
    expect(token).to_have_value(re.compile(r"^hw_"))
    expect(page.get_by_text("이 값은 지금 한 번만 표시됩니다", exact=False)).to_be_visible()
    assert_accessible("새 토큰")

    page.get_by_role("button", name="토큰 통계 연계 폐기").click()
    expect(page.locator(".hw-messages")).to_contain_text("폐기했습니다")
    expect(page.get_by_role("table")).to_contain_text("폐기")


def test_password_change_page_is_accessible(page, live_server, sign_in, assert_accessible):
    sign_in("manager")
    page.goto(f"{live_server.url}/accounts/password/")
    assert_accessible("비밀번호 변경")
    page.get_by_label("현재 비밀번호").fill(PASSWORD)
    page.get_by_label("새 비밀번호", exact=True).fill("1234")
    page.get_by_label("새 비밀번호 (확인)").fill("1234")
    page.get_by_role("button", name="비밀번호 변경").click()
    expect(page.locator("#id_new_password2_error")).to_contain_text("너무 짧습니다")
    assert_accessible("비밀번호 변경 오류")


def test_admin_edits_the_security_policy(page, live_server, sign_in, assert_accessible):
    sign_in("admin")
    page.get_by_role("link", name="보안 정책").click()
    page.wait_for_url(f"{live_server.url}/accounts/security/")
    assert_accessible("보안 정책")
    page.get_by_label("유휴 세션 만료(분)").fill("2")
    page.get_by_role("button", name="저장").click()
    expect(page.locator("#id_idle_timeout_minutes_error")).to_contain_text("5분 이상이어야 합니다.")
    assert_accessible("보안 정책 오류")
    page.get_by_label("유휴 세션 만료(분)").fill("60")
    page.get_by_role("group", name="2단계 인증이 필요한 역할").get_by_text("감사팀", exact=True).click()
    page.get_by_role("button", name="저장").click()
    expect(page.locator(".hw-messages")).to_contain_text("보안 정책을 저장했습니다")
    expect(page.get_by_role("checkbox", name="감사팀")).to_be_checked()
    expect(page.get_by_role("checkbox", name="담당자")).not_to_be_checked()
    page.screenshot(path="/tmp/hw_acc_security.png", full_page=True)


def test_lockout_page_is_korean_and_accessible(page, live_server, browser_org, assert_accessible):
    page.goto(f"{live_server.url}/accounts/login/")
    for _ in range(5):
        page.get_by_label("아이디").fill("staff")
        page.get_by_label("비밀번호").fill("wrong-password")
        page.get_by_role("button", name="로그인").click()
        page.wait_for_load_state()
        if page.get_by_role("heading", name="로그인이 잠시 제한되었습니다").count():
            break
        page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("로그인이 잠시 제한되었습니다")
    page.hw_errors[:] = [e for e in page.hw_errors if "429" not in e]  # the lockout answer itself is HTTP 429
    assert_accessible("로그인 제한")
