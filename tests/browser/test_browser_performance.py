"""Department evaluation (부서 성과관리) in a real browser, as issue 7's "Done means" puts it: the
planner adjusts the weights, runs the evaluation, opens one department's drill-down, tries a
what-if, freezes the run and downloads the performance-pay base data, which opens.  axe-core
checks the main pages on the way."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_weights_evaluate_drilldown_what_if_freeze_download(page, live_server, sign_in, browser_org, assert_accessible):
    from hwallyu.performance.models import EvaluationRun
    from hwallyu.performance.tests.conftest import ready_year

    url = live_server.url
    ready_year(browser_org)  # 미래전략과 110 %, 강경읍 90 %, 기획감사실 100 %, customer and common-task points
    page.on("dialog", lambda dialog: dialog.accept())

    sign_in("planner")
    page.get_by_role("navigation", name="업무 메뉴").get_by_role("link", name="연도별 성과관리").click()
    page.get_by_role("link", name="평가 체계").first.click()
    page.wait_for_url(f"{url}/performance/2024/scheme/")
    expect(page.get_by_text("시스템 기본값", exact=False).first).to_be_visible()
    assert_accessible("평가 체계")

    # 1. weights 70/20/10 → 60/30/10
    page.get_by_label("항목 1 배점").fill("60")
    page.get_by_label("항목 2 배점").fill("30")
    page.get_by_role("button", name="저장", exact=True).click()
    expect(page.get_by_text("평가 체계를 저장했습니다")).to_be_visible()

    # 2. run the evaluation: the live result with the chart drawn by app.js
    page.locator(".hw-perf-tabs").get_by_role("link", name="평가 결과").click()
    page.wait_for_url(f"{url}/performance/2024/results/")
    expect(page.get_by_text("미확정", exact=False).first).to_be_visible()
    expect(page.locator("canvas[data-chart][data-drawn='1']")).to_have_count(1)
    row = page.get_by_role("row").filter(has_text="미래전략과")
    expect(row).to_contain_text("98.00")  # 60 × 110 % + 30 × 80 % + 10 × 8/10
    assert_accessible("평가 결과")

    # 3. the drill-down explains the numbers
    row.get_by_role("link", name="미래전략과").click()
    page.wait_for_url(f"{url}/performance/2024/results/D001/")
    expect(page.get_by_text("실적 110 ÷ 목표 100 × 100 = 110.00%")).to_be_visible()
    expect(page.get_by_text("66.00 + 24.00 + 8.00 + 0.00 − 0.00 = 98.00")).to_be_visible()
    assert_accessible("평가 상세")

    # 4. what-if: 미래전략과's actual 110 → 80 (htmx swaps the comparison in; nothing saved)
    page.locator(".hw-perf-tabs").get_by_role("link", name="가정 분석").click()
    page.get_by_label("변경 1: 지표", exact=True).select_option(label="미래전략과 · 민원 처리율")
    page.get_by_label("변경 1: 실적", exact=True).fill("80")
    page.get_by_role("button", name="계산해 보기").click()
    comparison = page.locator("#whatif-result")
    expect(comparison).to_contain_text("바뀐 부서")
    expect(comparison.get_by_role("row").filter(has_text="미래전략과")).to_contain_text("80.00")
    assert_accessible("가정 분석")

    # 5. freeze
    page.locator(".hw-perf-tabs").get_by_role("link", name="평가 결과").click()
    page.get_by_role("button", name="결과 확정").click()
    expect(page.get_by_text("평가 결과를 확정했습니다", exact=False)).to_be_visible()
    expect(page.get_by_text("확정 결과", exact=False).first).to_be_visible()
    assert EvaluationRun.objects.filter(scheme__year=2024, status="frozen").count() == 1

    # 6. download the performance-pay base data; it opens
    with page.expect_download() as info:
        page.get_by_role("link", name="성과상여금 기초자료 XLSX").click()
    download = info.value
    assert re.search(r"\.xlsx$", download.suggested_filename)
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0][0] == "2024년 성과상여금 기초자료"
    body = next(r for r in values if r[0] == "미래전략과")
    assert body[1] == "본청 사업부서" and float(body[2]) == 98.0 and body[4] == "A"
