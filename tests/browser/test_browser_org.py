"""The organisation pages in a real browser: htmx filtering, inline team add, form errors, import report."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_planner_filters_departments_and_adds_a_team_inline(page, live_server, sign_in, assert_accessible):
    sign_in("planner")
    page.goto(f"{live_server.url}/org/departments/")
    expect(page.get_by_role("heading", level=1)).to_have_text("부서")
    expect(page.locator(".hw-kind-counts")).to_contain_text("본청 2")
    assert_accessible("department list")

    page.get_by_label("구분").select_option("local")  # htmx swaps the results on change
    expect(page.locator("#dept-results tbody tr")).to_have_count(1)
    expect(page.locator("#dept-results")).to_contain_text("강경읍")
    assert "kind=local" in page.url

    page.goto(f"{live_server.url}/org/departments/")
    page.get_by_role("link", name="미래전략과").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("미래전략과")
    assert_accessible("department detail")
    teams = page.locator("#teams")
    teams.get_by_label("팀 이름").fill("전략기획팀")
    teams.get_by_role("button", name="팀 추가").click()
    expect(page.locator("#teams")).to_contain_text("'전략기획팀'을(를) 추가했습니다.")
    expect(page.locator("#teams tbody")).to_contain_text("전략기획팀")

    page.locator("#teams").get_by_label("팀 이름").fill("전략기획팀")
    page.locator("#teams").get_by_role("button", name="팀 추가").click()
    expect(page.locator("#teams .hw-error-summary")).to_contain_text("이미 있습니다")
    assert_accessible("department detail with a team error")


def test_planner_sees_form_errors_and_the_import_report(page, live_server, sign_in, assert_accessible, tmp_path):
    sign_in("planner")
    page.goto(f"{live_server.url}/org/departments/new/")
    page.get_by_label("부서 코드").fill("D001")
    page.get_by_role("button", name="저장").click()
    expect(page.locator(".hw-error-summary")).to_contain_text("입력한 내용을 확인해 주세요")
    expect(page.get_by_label("부서 이름")).to_have_attribute("aria-invalid", "true")
    assert_accessible("department form with errors")

    bad = tmp_path / "조직도.csv"
    bad.write_bytes("부서코드,부서명,구분,국,평가군,팀,사용\nD100,재무과,본청2,,본청 지원부서,,Y\n".encode("cp949"))
    page.goto(f"{live_server.url}/org/import/")
    page.get_by_label("조직도 파일").set_input_files(str(bad))
    page.get_by_role("button", name="가져오기").click()
    expect(page.get_by_role("alert")).to_contain_text("2행 구분: '본청2'은(는) 허용되지 않는 값입니다")
    assert_accessible("import with errors")


def test_staff_reads_departments_without_management_buttons(page, live_server, sign_in, assert_accessible):
    sign_in("staff")
    page.goto(f"{live_server.url}/org/departments/")
    expect(page.get_by_role("link", name="부서 등록")).to_have_count(0)
    expect(page.get_by_role("link", name="엑셀(XLSX)로 내려받기")).to_be_visible()
    page.get_by_role("link", name="기획감사실", exact=True).click()
    expect(page.get_by_text("직원 명단은 기획감사실과 이 부서의 부서장만 볼 수 있습니다.")).to_be_visible()
    assert_accessible("department detail as staff")
