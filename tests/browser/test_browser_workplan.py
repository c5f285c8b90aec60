"""The work plan, its budget statement, the review analysis and the public pledge page in a real
browser, as issue 4's "Done means" puts it: the seed's 2024 plan is there; the budget statement
shows the seed's two errors flagged and its HWPX opens; the monthly grid marks the month; the
planning office opens a Q2 round; 미래전략과's manager submits a lagging pledge and the system
proposes 지연; the planning office assesses it and turns its alternative into a directive, whose
page links back; the round report downloads as HWPX and opens.  The public pledge page works
signed out and shows a polite notice once switched off.  axe-core checks every main page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from hwpx import HwpxDocument
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ROLES = ("admin", "planner", "auditor", "manager", "staff", "exec")
PLAN_TITLE = "2024년 주요업무계획 (기획감사실)"
TASKS = [
    "‘일 잘하는 논산’ 만드는 시정환류 체계 내실화",
    "공공기관 유치전략 마련 및 홍보 강화",
    "2027 논산세계딸기산업엑스포 추진",
    "시민 신뢰 회복을 위한 청렴도 향상",
    "내실있는 성과관리 운영으로 외부평가 대응력 강화",
]
INCENTIVE = "행정만족도 조사 참여자 인센티브 지급"
EXPO_LINE = "2027 논산세계딸기산업엑스포 승인 준비 (세미나 개최 및 대외 홍보)"
PLEDGE = "국방 관련 공공기관 유치"  # 공약 1-2, 미래전략과; planned in months 2–6 and 9–11 of 2024
ROUND = "2024년 2분기 역점사업 심사분석"
ALTERNATIVE = "국방부·충남도와 유치 전략 협의회를 월 1회 열고 유치 건의문을 보강해 재제출"


class DemoCity:
    """The demo city (논산시) with the seed's plan and pledges; its accounts sign in with the test password."""

    def __init__(self, users: dict[str, Any]) -> None:
        self.users = users

    def users_by_role(self) -> dict[str, Any]:
        return {"anonymous": None, **self.users}


@pytest.fixture
def browser_org(live_server: Any, transactional_db: None) -> DemoCity:
    """Overrides conftest's small test organisation: the apps' own demo loaders fill the test database."""
    from django.contrib.auth import get_user_model

    from hwallyu.core.registry import demo_loaders
    from hwallyu.core.testing import PASSWORD

    loaders = dict(demo_loaders())
    for name in ("조직", "업무계획", "공약"):
        loaders[name]()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=ROLES)}
    for user in users.values():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return DemoCity(users)


def _sign_out(page: Any) -> None:
    page.locator("#krds-header").get_by_role("button", name="로그아웃").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))


def _hwpx(download: Any) -> tuple[list[str], list[list[list[str]]]]:
    """Paragraph texts and every table as rows of cell texts."""
    assert download.suggested_filename.endswith(".hwpx"), download.suggested_filename
    document = HwpxDocument.open(download.path().read_bytes())
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return [p.text for p in document.paragraphs], tables


# --- the seed's plan, its budget statement and the monthly grid -----------------------------------


def test_seed_plan_budget_statement_and_monthly_grid(page, live_server, sign_in, assert_accessible, monkeypatch):
    url = live_server.url
    sign_in("planner")

    # --- the seed's 2024 plan: goal, five major tasks, their schedules ------------------------------
    page.get_by_role("navigation", name="업무 메뉴").get_by_role("link", name="주요업무계획").click()
    page.wait_for_url(f"{url}/workplan/2024/")  # no plan for this year: the latest one opens
    expect(page.get_by_role("heading", level=1)).to_contain_text(PLAN_TITLE)
    expect(page.get_by_role("heading", level=1)).to_contain_text("작성 중")
    expect(page.get_by_text("민선8기 정책 실행력 제고 및 성과 창출")).to_be_visible()
    for number, title in enumerate(TASKS, start=1):
        expect(page.get_by_role("heading", level=2, name=f"{number}. {title}")).to_be_visible()
    feedback = page.get_by_role("table", name=f"{TASKS[0]} 사업")
    months = {
        "지시사항 관리": ", ".join(str(m) for m in range(1, 13)),  # all year
        "역점사업 심사분석": "3, 6, 9, 12",  # four times
        "주요업무 계획·추진상황 보고": "1, 7",  # twice
    }
    for project, planned in months.items():
        row = feedback.get_by_role("row", name=re.compile(re.escape(project)))
        expect(row.locator("td").nth(3)).to_contain_text(planned)
    expect(page.get_by_role("table", name=f"{TASKS[2]} 사업").locator("tbody tr")).to_have_count(5)
    assert_accessible("2024년 주요업무계획")

    # --- 사업비 조서: the seed's two inconsistencies, kept as entered and flagged ---------------------
    plan_nav = page.get_by_role("navigation", name="2024년 계획 보기")
    plan_nav.get_by_role("link", name="사업비 조서").click()
    page.wait_for_url(f"{url}/workplan/2024/budget/")
    expect(page.get_by_role("heading", level=1)).to_have_text("2024년 사업비 조서")
    expect(page.get_by_role("heading", name=re.compile("규칙 위반 2건"))).to_be_visible()
    problems = page.get_by_role("table", name="규칙 위반 목록").locator("tbody tr")
    expect(problems).to_have_count(2)
    expect(problems.nth(0).locator("td").first).to_have_text("2건")
    expect(problems.nth(0)).to_contain_text("계 92백만원 ≠ 재원 합계(국비+도비+시비+기타) 99백만원")
    expect(problems.nth(1).locator("td").first).to_have_text(INCENTIVE)
    expect(problems.nth(1)).to_contain_text("계 '-'(입력 없음) ≠ 재원 합계(국비+도비+시비+기타) 7백만원")

    statement = page.get_by_role("table", name="Ⅲ 사업비 조서")
    body = statement.locator("tbody tr")
    expect(body).to_have_count(3)  # the header row "2건", then one row per project
    header_row, expo_row, incentive_row = body.nth(0), body.nth(1), body.nth(2)
    # 총사업비, 계, 국비, 도비, 시비, 기타, 이후 — as the seed prints them
    expect(header_row.locator("th")).to_contain_text("2건")
    expect(header_row.locator("td.num")).to_have_text(["99", "92", "-", "-", "99", "-", "-"])
    expect(header_row.locator("td.hw-flag")).to_have_text(["92", "99"])  # 계 92 vs 시비 99
    expect(header_row.locator("th")).to_contain_text("규칙 위반")
    expect(expo_row.locator("th")).to_contain_text(EXPO_LINE)
    expect(expo_row.locator("td.hw-flag")).to_have_count(0)
    expect(incentive_row.locator("td.num")).to_have_text(["7", "-", "-", "-", "7", "-", "-"])
    expect(incentive_row.locator("td.hw-flag")).to_have_text(["-", "7"])  # 계 "-" vs 시비 7
    assert_accessible("사업비 조서")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="한글(HWPX)").click()
    paragraphs, tables = _hwpx(download_info.value)
    assert any("2024년 사업비 조서" in text for text in paragraphs)
    assert any("규칙 위반 2건" in text for text in paragraphs)
    assert any(INCENTIVE in text and "계 '-'(입력 없음)" in text for text in paragraphs)
    rows = {row[0]: row[1:] for row in tables[0] if row}
    assert rows["2건 ※"][:5] == ["99", "92", "-", "-", "99"]
    assert rows[f"{INCENTIVE} ※"][:5] == ["7", "-", "-", "-", "7"]
    assert rows[EXPO_LINE][:5] == ["92", "92", "-", "-", "92"]

    # --- 월별 추진계획: seen on 2024-07-10 (the seed's year), July is the highlighted month ------------
    monkeypatch.setattr("hwallyu.workplan.selectors.today", lambda: dt.date(2024, 7, 10))
    plan_nav = page.get_by_role("navigation", name="2024년 계획 보기")
    plan_nav.get_by_role("link", name="월별 추진계획").click()
    page.wait_for_url(f"{url}/workplan/2024/schedule/")
    expect(page.get_by_role("heading", level=1)).to_have_text("2024년 월별 추진계획")
    grid = page.get_by_role("table", name="사업별 월별 추진계획")
    expect(grid.locator("thead th[aria-current='date']")).to_have_text(["7월"])
    expect(grid.locator("thead th.hw-current")).to_have_count(1)
    directives_row = grid.get_by_role("row", name=re.compile("지시사항 관리"))
    expect(directives_row.locator("td.hw-current")).to_have_count(1)
    expect(directives_row.locator("td [aria-label$='월 완료']")).to_have_count(12)  # 100% done, all year
    leaflet = grid.get_by_role("row", name=re.compile("신규공직자 청렴길라잡이"))  # 60%, planned 3–4
    expect(leaflet.get_by_label("3월 완료")).to_have_count(1)
    expect(leaflet.get_by_label("4월 지연")).to_have_count(1)
    assert_accessible("월별 추진계획")


# --- the review analysis: Q2 round, a lagging pledge, assessment, directive, report ----------------


def test_q2_review_from_round_to_directive_and_report(page, live_server, sign_in, assert_accessible):
    from hwallyu.directives.models import Directive
    from hwallyu.reviews.models import Submission, SubmissionStatus

    url = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm prompts

    # --- 기획감사실: key projects of 2024 and a Q2 round -------------------------------------------
    sign_in("planner")
    nav = page.get_by_role("navigation", name="업무 메뉴")
    nav.get_by_role("link", name="심사분석 대상").click()
    page.get_by_label("연도").fill("2024")
    page.get_by_role("button", name="보기").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2024년 심사분석 대상(역점사업)")
    for choice in (("공약", f"1-2 {PLEDGE}"), ("주요업무 사업", "엑스포 개최 협업체계 구축")):
        page.get_by_role("link", name="대상 지정").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("2024년 심사분석 대상 지정")
        page.get_by_role("combobox", name=choice[0], exact=True).select_option(label=choice[1])
        page.get_by_role("button", name="저장").click()
        expect(page.locator(".hw-messages")).to_contain_text("2024년 심사분석 대상으로 지정했습니다")
    targets = page.get_by_role("table", name="심사분석 대상")
    expect(targets.get_by_role("row", name=re.compile(PLEDGE))).to_contain_text("미래전략과")
    expect(targets.get_by_role("row", name=re.compile("엑스포 개최 협업체계 구축"))).to_contain_text("기획감사실")
    assert_accessible("심사분석 대상")

    nav.get_by_role("link", name=re.compile(r"^[•\s]*회차$")).click()  # not 조사 회차 (surveys)
    page.get_by_role("link", name="회차 만들기").click()
    page.get_by_label("연도").fill("2024")
    page.get_by_role("combobox", name="구분").select_option(label="분기")
    page.get_by_role("combobox", name="분기", exact=True).select_option(label="2분기")
    page.get_by_role("button", name="저장").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(ROUND)
    expect(page.get_by_role("heading", level=1)).to_contain_text("준비")
    expect(page.get_by_text("기준일 2024-06-30")).to_be_visible()
    page.get_by_role("button", name="회차 열기(제출 요청)").click()
    expect(page.locator(".hw-messages")).to_contain_text("회차를 열고 부서에 제출을 요청했습니다")
    expect(page.get_by_role("table", name="대상별 실적과 심사").locator("tbody tr")).to_have_count(2)
    round_url = page.url
    assert_accessible("심사분석 회차(진행)")
    _sign_out(page)

    # --- 미래전략과장: the lagging pledge — below plan, so 지연 is proposed and a reason is required ---
    sign_in("manager")
    page.goto(round_url)
    results = page.get_by_role("table", name="대상별 실적과 심사")
    expect(results.locator("tbody tr")).to_have_count(1)  # only the department's own target
    results.get_by_role("link", name=PLEDGE).click()
    page.get_by_role("link", name="실적 작성").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"실적 작성 — {PLEDGE}")
    expect(page.locator("main")).to_contain_text("계획 진도 62.5%")  # 5 of 8 planned months by 6월 말
    page.get_by_label("추진률(%)").fill("40")
    page.get_by_label("예산(백만원)").fill("300")
    page.get_by_label("집행액(백만원)").fill("50")
    page.get_by_label("추진 실적").fill("국방 공공기관 유치 건의문 제출, 서울역 옥외전광판 홍보 시행")
    page.get_by_label("다음 분기 계획").fill("한국국방연구원 이전 대응 논리 보강, 국회 토론회 개최")
    page.get_by_role("button", name="저장하고 제출(부서장 승인 포함)").click()
    expect(page.get_by_role("alert")).to_contain_text("계획 진도 62.5% 대비 22.5%p 뒤처져 '지연'(으)로 제안됩니다")
    assert_accessible("실적 작성(부진 사유 누락)")

    page.get_by_label("부진 사유 구분").select_option(label="관계기관 협의 지연")
    page.get_by_label("부진 사유", exact=True).fill("공공기관 2차 이전 기본계획 발표가 총선 이후로 연기됨")
    page.get_by_role("button", name="저장하고 제출(부서장 승인 포함)").click()
    expect(page.locator(".hw-messages")).to_contain_text("제출했습니다")
    expect(page.get_by_role("heading", level=1)).to_contain_text("심사 대기")  # the manager's submission is approved
    progress = page.get_by_role("region", name="계획 대비 실적")
    expect(progress).to_contain_text("62.5%")
    expect(progress).to_contain_text("22.5%p")
    expect(progress.locator("dd").nth(3).locator(".hw-state")).to_have_text("지연")  # 시스템 제안
    expect(page.get_by_role("region", name="제출 내용")).to_contain_text("박전략")  # 부서장 승인
    expect(page.get_by_role("link", name="실적 작성")).to_have_count(0)
    assert_accessible("실적(제출·승인)")
    submission = Submission.objects.get(target__pledge__code="1-2")
    assert submission.status == SubmissionStatus.APPROVED
    assert submission.assessment.proposed_state.label == "지연"
    _sign_out(page)

    # --- 기획감사실: final assessment, an alternative, and the alternative as a directive ------------
    sign_in("planner")
    page.goto(round_url)
    row = page.get_by_role("table", name="대상별 실적과 심사").get_by_role("row", name=re.compile(PLEDGE))
    expect(row.locator("td").nth(5)).to_have_text("지연")  # 제안
    row.get_by_role("link", name=PLEDGE).click()
    assess = page.get_by_role("region", name="심사(기획감사실)")
    expect(assess.get_by_label("심사 결과")).to_have_value(str(submission.assessment.proposed_state_id))
    assess.get_by_label("심사 의견").fill("이전 기본계획 발표 지연에 대비한 선제 대응 필요")
    assess.get_by_role("button", name="심사 결과 저장").click()
    expect(page.locator(".hw-messages")).to_contain_text("심사 결과를 저장했습니다")
    expect(page.get_by_role("heading", level=1)).to_contain_text("심사 완료")

    alternatives = page.get_by_role("region", name="대안")
    alternatives.get_by_role("textbox", name=re.compile("^대안")).fill(ALTERNATIVE)
    due_on = timezone.localdate() + dt.timedelta(days=60)  # the directive is given today: its due date follows
    alternatives.get_by_label("이행 기한(선택)").fill(f"{due_on:%Y-%m-%d}")
    alternatives.get_by_role("button", name="대안 추가").click()
    expect(page.locator(".hw-messages")).to_contain_text("대안을 등록했습니다")
    alternatives = page.get_by_role("region", name="대안")
    expect(alternatives.locator("li").first).to_contain_text(ALTERNATIVE)
    expect(alternatives.locator("li").first).to_contain_text(f"미래전략과, 기한 {due_on:%Y-%m-%d}")
    assert_accessible("실적 심사(대안)")

    alternatives.get_by_role("button", name="지시사항으로 등록").click()
    expect(page.locator(".hw-messages")).to_contain_text(
        re.compile(r"지시사항 \d{4}-\d{4}\(으\)로 등록하고 부서에 공유했습니다")
    )
    directive = Directive.objects.get()
    expect(page.locator(".hw-messages")).to_contain_text(f"지시사항 {directive.number}(으)로")
    assert directive.assignments.get().department.name == "미래전략과"
    assert directive.shared_at is not None
    submission_url = page.url.split("#")[0]

    page.get_by_role("region", name="대안").get_by_role("link", name=directive.number).click()
    page.wait_for_url(f"{url}/directives/{directive.number}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"[심사분석 대안] {PLEDGE}")
    expect(page.get_by_text(ALTERNATIVE)).to_be_visible()
    origin = page.locator("dt", has_text="출처").locator("xpath=following-sibling::dd[1]").get_by_role("link")
    expect(origin).to_have_text(f"{ROUND} · {PLEDGE} 심사분석 대안")
    assert_accessible("지시사항(심사분석 대안)")
    origin.click()
    page.wait_for_url(re.compile(re.escape(submission_url) + r"#alt-\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(PLEDGE)

    # --- the round report as HWPX -----------------------------------------------------------------
    page.goto(round_url)
    summary = page.get_by_role("table", name="부서별 심사 결과 요약")
    expect(summary.get_by_role("row", name=re.compile("^미래전략과"))).to_contain_text("1")
    assert_accessible("심사분석 회차(심사 후)")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="결과 보고(HWPX)").click()
    paragraphs, tables = _hwpx(download_info.value)
    assert any(f"{ROUND} 결과 보고" in text for text in paragraphs)
    listing = next(t for t in tables if t and t[0][:2] == ["연번", "대상 사업"])
    pledge_row = next(r for r in listing if PLEDGE in r)
    assert pledge_row[2:] == ["미래전략과", "62.5", "40", "22.5", "지연", "지연"]
    cells = [cell for table in tables for row in table for cell in row]
    assert any(ALTERNATIVE in cell and f"지시사항 {directive.number}" in cell for cell in cells)


# --- the public pledge page ---------------------------------------------------------------------


def test_public_pledge_page_signed_out_and_switched_off(page, live_server, sign_in, browser, assert_accessible):
    url = live_server.url

    # --- a citizen, not signed in ------------------------------------------------------------------
    response = page.goto(f"{url}/pledges/public/")
    assert response.status == 200 and page.url == f"{url}/pledges/public/"
    expect(page.get_by_role("heading", level=1)).to_have_text("민선8기 공약 이행 현황")
    summary = page.get_by_role("region", name="이행 현황")
    expect(summary).to_contain_text("전체 공약 11건 중 4건 이행")  # 완료 2 + 이행후계속추진 2
    expect(summary).to_contain_text("이행률 36.36%")
    defence = page.get_by_role("table", name="국방·경제 분야 공약").get_by_role("row", name=re.compile(PLEDGE))
    expect(defence).to_contain_text("미래전략과")
    expect(defence).to_contain_text("정상추진")
    expect(defence.get_by_role("img", name="추진률 45%")).to_be_visible()
    expect(page.get_by_role("button", name="로그아웃")).to_have_count(0)
    assert_accessible("공약 공개 페이지")

    # --- 기획감사실 switches it off ---------------------------------------------------------------
    sign_in("planner")
    page.get_by_role("navigation", name="업무 메뉴").get_by_role("link", name="공개 페이지 설정").click()
    expect(page.get_by_text("공개 중")).to_be_visible()
    switch = page.get_by_label("공약 이행 현황을 시민에게 공개")
    expect(switch).to_be_checked()
    # KRDS draws the box on the label (the input itself is visually hidden): click what a user sees
    page.locator("label[for='id_enabled']").click()
    expect(switch).not_to_be_checked()
    page.get_by_role("button", name="저장").click()
    expect(page.locator(".hw-messages")).to_contain_text("공개 페이지를 껐습니다")
    expect(page.get_by_text("비공개")).to_be_visible()
    assert_accessible("공약 공개 페이지 설정")
    _sign_out(page)

    # --- a citizen in a new browser: the polite notice ----------------------------------------------
    citizen = browser.new_context(locale="ko-KR", timezone_id="Asia/Seoul")
    try:
        other = citizen.new_page()
        errors: list[str] = []
        other.on("pageerror", lambda exc: errors.append(str(exc)))
        response = other.goto(f"{url}/pledges/public/")
        assert response.status == 404
        expect(other.get_by_role("heading", level=1)).to_have_text("지금은 공약 이행 현황을 공개하지 않습니다")
        expect(other.get_by_text("기획감사실로 문의해 주세요")).to_be_visible()
        expect(other.get_by_text(PLEDGE)).to_have_count(0)
        assert errors == []
    finally:
        citizen.close()
    page.goto(f"{url}/pledges/public/")
    expect(page.get_by_role("heading", level=1)).to_have_text("지금은 공약 이행 현황을 공개하지 않습니다")
    assert_accessible("공약 공개 페이지(비공개)")
