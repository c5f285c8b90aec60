"""The province evaluation (시군평가) in a real browser, as issue 8's "Done means" puts it: the
planner imports the indicator list; a department enters October actuals on its entry sheet; the
lagging list updates; the October review pack downloads as HWPX and opens; the what-if shows the
rank gained by fixing the lagging indicators.  axe-core checks the main pages on the way."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hwpx import HwpxDocument
from openpyxl import Workbook
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ROWS = [
    ["B-01", "지역경제", "일자리", "일자리 창출 인원", "정량", "명", "상향", 1200, 2, "미래전략과", "보고서"],
    ["B-02", "지역경제", "기업", "기업 투자 유치 금액", "정량", "억원", "상향", 1000, 1.5, "D001", ""],
    ["B-03", "지역경제", "기업", "국방 기업 유치 수", "정량", "개", "상향", 10, 3, "미래전략과", ""],
    ["H-01", "안전관리", "교통", "교통사고 사망자 수", "정량", "명", "하향", 14, 1, "강경읍", ""],
    ["Q-01", "정성평가", "협업", "협업 우수사례", "정성", "", "", "", 1.3, "미래전략과", ""],
]
PEERS = [
    ("천안시", "91.0"),
    ("아산시", "89.5"),
    ("당진시", "88.0"),
    ("서산시", "86.1"),
    ("논산시", "85.2"),
    ("공주시", "84.0"),
    ("보령시", "82.3"),
    ("계룡시", "80.0"),
]


def _sign_out(page) -> None:  # type: ignore[no-untyped-def]
    page.locator("#krds-header").get_by_role("button", name="로그아웃").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))


def test_import_enter_lagging_pack_what_if(page, live_server, sign_in, browser_org, assert_accessible, tmp_path):
    from hwallyu.province import services
    from hwallyu.province.importers import PeerRow
    from hwallyu.province.models import Actual, Indicator

    url = live_server.url
    org = browser_org
    services.year_create(year=2024, actor=org.planner)
    services.peers_import(
        rows=[PeerRow(n, 2023, p, "city", Decimal(s), n) for n, (p, s) in enumerate(PEERS, start=1)],
        actor=org.planner,
    )
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["2024년 위임사무 시군평가 지표 목록"])
    sheet.append(["지표코드", "분야", "정책", "지표명", "구분", "단위", "방향", "목표", "배점", "담당부서", "증빙기준"])
    for row in ROWS:
        sheet.append(row)
    list_file = tmp_path / "시군평가_지표목록.xlsx"
    workbook.save(list_file)

    # --- 성과관리팀: import the province's list --------------------------------------------------
    sign_in("planner")
    page.get_by_role("navigation", name="업무 메뉴").get_by_role("link", name="시군평가 현황").click()
    page.wait_for_url(f"{url}/province/2024/")
    page.get_by_role("link", name="지표 가져오기").click()
    page.get_by_label("파일(XLSX 또는 CSV)").set_input_files(str(list_file))
    page.get_by_role("button", name="가져오기").click()
    page.wait_for_url(f"{url}/province/2024/indicators/")
    expect(page.get_by_text("지표 5개 = 정량 4 + 정성 1")).to_be_visible()
    assert_accessible("지표 현황")
    for code, value in (("B-01", 810), ("B-02", 600), ("B-03", 5)):
        services.actual_submit(indicator=Indicator.objects.get(code=code), month=9, value=value, actor=org.staff)
    _sign_out(page)

    # --- 미래전략과: October actuals on the entry sheet ---------------------------------------------
    sign_in("staff")
    page.get_by_role("navigation", name="업무 메뉴").get_by_role("link", name="실적 입력").click()
    page.wait_for_url(re.compile(r"/province/2024/entry/"))
    page.get_by_label("월", exact=True).select_option("10")
    page.get_by_role("button", name="조회").click()
    page.wait_for_url(f"{url}/province/2024/entry/?month=10")
    expect(page.get_by_role("heading", level=1)).to_contain_text("10월 누계 실적 입력")
    expect(page.get_by_text("H-01")).to_have_count(0)  # 강경읍's indicator is not on our sheet
    assert_accessible("실적 입력")
    for code, value in (("B-01", "1000"), ("B-02", "620"), ("B-03", "6")):
        pk = Indicator.objects.get(code=code).pk
        page.get_by_label(f"{code} 10월 누계").fill(value)
        page.locator(f"button[form='entry-{pk}']").click()
        expect(page.get_by_text(f"{code} 10월 누계를 입력했습니다")).to_be_visible()
    assert Actual.objects.filter(month=10).count() == 3
    _sign_out(page)

    # --- 성과관리팀: the lagging list, the October pack, the what-if -------------------------------
    sign_in("planner")
    page.goto(f"{url}/province/2024/lagging/?month=10")
    lagging = page.get_by_role("table", name="부진지표와 담당, 사유")
    expect(lagging.locator("tbody tr")).to_have_count(2)
    expect(lagging).to_contain_text("B-02")
    expect(lagging).to_contain_text("B-03")
    expect(lagging).not_to_contain_text("B-01")
    assert_accessible("부진지표")

    page.goto(f"{url}/province/2024/pack/?month=10")
    assert_accessible("보고회 자료")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="한글(HWPX) 내려받기").click()
    download = download_info.value
    assert download.suggested_filename == "2024년_시군평가_10월_추진상황_부진지표_보고회.hwpx"
    document = HwpxDocument.open(download.path())
    assert document.paragraphs[0].text == "2024년 시군평가 10월 추진상황·부진지표 보고회"

    page.goto(f"{url}/province/2024/what-if/?month=10")
    for label in (
        "B-02 기업 투자 유치 금액 (배점 1.5, 현재 달성도 62.0%)",
        "B-03 국방 기업 유치 수 (배점 3, 현재 달성도 60.0%)",
    ):
        page.get_by_text(label, exact=True).click()  # KRDS draws the box on the label
        expect(page.get_by_label(label)).to_be_checked()
    page.get_by_role("button", name="계산").click()
    expect(page.get_by_text("5위 → 4위")).to_be_visible()
    assert_accessible("가정 분석")

    page.goto(f"{url}/province/2024/indicators/B-02/?month=10")
    expect(page.locator("canvas[data-chart]")).to_have_attribute("data-drawn", "1")
    assert_accessible("지표 상세")
