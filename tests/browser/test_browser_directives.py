"""The directives feedback loop (지시사항 환류) in a real browser, as issue 3's "Done means" puts it:
the planning office registers a meeting's three directives in one go and shares them; the lead
department's manager sees them with their due times, acknowledges, reports first, reports the
result and asks to close; the planning office approves; the quarterly review shows the figures
and its HWPX report opens.  axe-core checks every main page on the way."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from hwpx import HwpxDocument
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MEETING = [
    ("딸기축제장 교통 혼잡 대책 마련", "미래전략과", ["강경읍"]),
    ("시정 홍보 영상 제작 계획 보고", "D001", []),
    ("여름철 폭염 대비 무더위쉼터 점검", "미래전략과", []),
]


def _local(moment) -> str:  # type: ignore[no-untyped-def]
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _sign_out(page) -> None:  # type: ignore[no-untyped-def]
    page.locator("#krds-header").get_by_role("button", name="로그아웃").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))


def test_meeting_directives_go_round_the_feedback_loop(page, live_server, sign_in, browser_org, assert_accessible):
    from hwallyu.directives.models import Directive, State

    url = live_server.url
    titles = [title for title, _, _ in MEETING]

    # --- 기획감사실: a meeting's three directives through the bulk page, preview first --------------
    sign_in("planner")
    nav = page.get_by_role("navigation", name="업무 메뉴")
    nav.get_by_role("link", name="회의 일괄 등록").click()
    page.wait_for_url(f"{url}/directives/bulk/")
    expect(page.get_by_role("heading", level=1)).to_have_text("회의 지시사항 일괄 등록")
    given_at = page.get_by_label("지시 일시")
    expect(given_at).to_have_value(re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$"))  # now, the form's default
    page.get_by_label("출처").select_option("간부회의")
    page.get_by_label("지시자").select_option("시장")
    lines = "\n".join(f"{title} | {lead}" + (f" | {', '.join(sup)}" if sup else "") for title, lead, sup in MEETING)
    page.get_by_label("지시사항 (한 줄에 하나)").fill(lines)
    page.get_by_role("button", name="미리보기").click()

    preview = page.get_by_role("table", name=re.compile("미리보기"))
    expect(preview).to_contain_text("미리보기 (3건)")
    rows = preview.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("미래전략과")
    expect(rows.nth(0)).to_contain_text("강경읍")
    expect(rows.nth(1)).to_contain_text("미래전략과")  # a code (D001) resolves to the department's name
    expect(preview.locator(".hw-state.success")).to_have_count(3)
    assert Directive.objects.count() == 0, "the preview registers nothing"
    assert_accessible("회의 일괄 등록 미리보기")

    page.get_by_role("button", name="3건 등록").click()
    page.wait_for_url(re.compile(r"/directives/\?year=\d{4}"))
    list_url = page.url
    directives = list(Directive.objects.order_by("seq"))
    year = directives[0].given_at.astimezone(timezone.get_current_timezone()).year
    numbers = [f"{year}-{seq:04d}" for seq in (1, 2, 3)]  # gapless per year
    expect(page.locator(".hw-messages")).to_contain_text(f"3건을 등록했습니다({numbers[0]} ~ {numbers[2]})")
    assert [d.title for d in directives] == titles
    assert [d.number for d in directives] == numbers
    assert all(d.state == State.REGISTERED and d.source == "간부회의" and d.given_by == "시장" for d in directives)
    results = page.locator("#directive-results")
    for title in titles:
        expect(results.get_by_role("row", name=re.compile(re.escape(title)))).to_contain_text("등록")
    assert_accessible("지시사항 목록")

    for index, number in enumerate(numbers):
        results.get_by_role("link", name=titles[index]).click()
        page.wait_for_url(f"{url}/directives/{number}/")
        expect(page.get_by_text("미공유")).to_be_visible()
        if index == 0:
            assert_accessible("지시사항 상세(등록)")
        page.get_by_role("button", name="부서에 공유").click()
        expect(page.locator(".hw-messages")).to_contain_text("부서에 공유했습니다")
        expect(page.get_by_role("button", name="부서에 공유")).to_have_count(0)
        page.goto(list_url)
    directives = list(Directive.objects.order_by("seq"))
    assert all(d.state == State.SHARED and d.shared_at >= d.given_at and d.first_report_due_at for d in directives)
    _sign_out(page)

    # --- the lead department's manager: 우리 부서 지시사항, receipt, first report, result, close ----------
    sign_in("manager")
    page.get_by_role("navigation", name="업무 메뉴").get_by_role("link", name="우리 부서 지시사항").click()
    page.wait_for_url(f"{url}/directives/inbox/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("미래전략과")
    inbox = page.get_by_role("table", name="우리 부서에 공유된 지시사항")
    expect(inbox.locator("tbody tr")).to_have_count(3)
    for directive in directives:
        row = inbox.get_by_role("row", name=re.compile(re.escape(directive.title)))
        expect(row).to_contain_text(directive.number)
        expect(row).to_contain_text("주관")
        expect(row).to_contain_text(_local(directive.first_report_due_at))  # the first report's due time
        expect(row.get_by_role("button", name="접수 확인")).to_be_visible()
    assert_accessible("우리 부서 지시사항")

    first = directives[0]
    inbox.get_by_role("row", name=re.compile(re.escape(first.title))).get_by_role("button", name="접수 확인").click()
    page.wait_for_url(f"{url}/directives/{first.number}/")
    expect(page.locator(".hw-messages")).to_contain_text("접수를 확인했습니다")
    expect(page.get_by_role("table", name="담당부서와 접수 현황")).to_contain_text("manager")
    assert_accessible("지시사항 상세(부서)")

    expect(page.get_by_label("보고 종류").locator("option")).to_have_text(["우선보고"])
    page.get_by_label("보고 내용").fill("교통과·경찰서와 협의해 임시 주차장과 셔틀버스 운행안을 마련 중입니다.")
    page.get_by_role("button", name="보고 제출").click()
    expect(page.locator(".hw-messages")).to_contain_text("보고를 제출했습니다")
    expect(page.locator(".hw-dl")).to_contain_text("보고 (기한 내)")

    page.get_by_label("보고 종류").select_option(label="처리결과")
    page.get_by_label("보고 내용").fill("임시 주차장 3곳과 셔틀버스 12대를 운영해 혼잡을 해소했습니다.")
    page.get_by_role("button", name="보고 제출").click()
    expect(page.locator(".hw-messages")).to_contain_text("보고를 제출했습니다")

    page.get_by_label("종결 상태").select_option(label="완료")
    page.get_by_role("button", name="종결 요청").click()
    expect(page.locator(".hw-messages")).to_contain_text("종결을 요청했습니다")
    expect(page.get_by_role("heading", name="종결 요청 (완료)")).to_be_visible()
    expect(page.get_by_text("기획감사실의 승인을 기다리고 있습니다.")).to_be_visible()
    expect(page.get_by_role("button", name="종결 승인")).to_have_count(0)
    assert_accessible("지시사항 상세(종결 요청)")
    _sign_out(page)

    # --- 기획감사실 approves the close ------------------------------------------------------------
    sign_in("planner")
    page.goto(f"{url}/directives/{first.number}/")
    expect(page.get_by_role("heading", name="종결 요청 (완료)")).to_be_visible()
    page.get_by_label("의견").fill("수고하셨습니다.")
    page.get_by_role("button", name="종결 승인").click()
    expect(page.locator(".hw-messages")).to_contain_text("종결을 승인했습니다")
    expect(page.locator("h1 + p .hw-state").first).to_have_text("완료")
    first.refresh_from_db()
    assert first.state == State.COMPLETED and first.closed_at is not None
    timeline = page.get_by_role("table", name="누가 언제 무엇을 했는지").locator("tbody tr")
    expect(timeline.locator("td:nth-child(2)")).to_have_text(
        ["등록", "공유", "접수 확인", "보고", "보고", "종결 요청", "종결 승인"]
    )
    expect(timeline.nth(3)).to_contain_text("우선보고 (기한 내)")
    expect(timeline.nth(4)).to_contain_text("처리결과")

    # --- the quarterly review: 3 directives, 1 completed, completion rate 33.3% ---------------------
    quarter = first.quarter  # the quarter the directives were given in
    page.get_by_role("navigation", name="업무 메뉴").get_by_role("link", name="분기별 점검").click()
    page.wait_for_url(f"{url}/directives/reviews/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{year}년 지시사항 분기별 점검")
    assert_accessible("분기별 점검 목록")
    page.get_by_role("link", name=f"{quarter}분기", exact=True).click()
    page.wait_for_url(f"{url}/directives/reviews/{year}/{quarter}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{year}년 {quarter}분기 지시사항 점검")
    cards = page.locator(".hw-cards")
    expect(cards.locator(".hw-card", has_text="지시사항").locator(".hw-card-value")).to_have_text("3")
    expect(cards.locator(".hw-card", has_text="완료율").locator(".hw-card-value")).to_have_text("33.3%")
    expect(cards.locator(".hw-card", has_text="완료율")).to_contain_text("완료 1건")
    expect(cards.locator(".hw-card", has_text="우선보고 기한 내").locator(".hw-card-value")).to_have_text("100.0%")
    figures = page.get_by_role("table", name="부서별 추진 현황 (단위: 건)")
    department_row = figures.get_by_role("row", name=re.compile("^미래전략과"))
    # 부서, 지시사항, 완료, 추진중, 장기추진, 추진불가, 타기관 이첩, 기한 경과, 우선보고 기한 내(%), 완료율(%)
    expect(department_row.locator("th, td")).to_have_text(
        ["미래전략과", "3", "1", "2", "0", "0", "0", "0", "100.0", "33.3"]
    )
    expect(figures.locator("tfoot tr").locator("th, td")).to_have_text(
        ["합계", "3", "1", "2", "0", "0", "0", "0", "100.0", "33.3"]
    )
    expect(page.get_by_role("heading", name="미완료 과제 (2건)")).to_be_visible()
    assert_accessible("분기별 점검")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="총괄보고 HWPX").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".hwpx")
    document = HwpxDocument.open(download.path().read_bytes())
    assert any(f"{year}년 {quarter}분기 지시사항 추진상황 총괄보고" in p.text for p in document.paragraphs)
    table = document.tables[0]
    cells = {cell.address: cell.text for row in table.rows for cell in row.cells}
    assert cells[(2, 0)] == "미래전략과"
    assert (cells[(3, 0)], cells[(3, 1)], cells[(3, 2)], cells[(3, 9)]) == ("합계", "3", "1", "33.3")
