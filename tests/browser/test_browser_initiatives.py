"""Strategic initiatives in a real browser, as issue 9's "Done means" puts it: with the demo city
and its two initiatives loaded, the planning office (planner) opens the expo from the portfolio,
marks the province review done with an uploaded document, records SPC's letter of intent (refused
without a signed document, with the reason; accepted with one), adds an event, and downloads the
status report as HWPX, which opens and shows the initiative and SPC's new state.  The attraction
initiative lists its eight targets (and the two already won) and the trend log with the seed's
34 → 44 entry.  axe-core checks every main page on the way."""

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
EXPO = "2027 논산세계딸기산업엑스포"
ATTRACTION = "공공기관 유치전략 마련 및 홍보 강화"
PROVINCE_STAGE = "충남도 검토"
PROVINCE_DOCUMENT = "충남도 검토 결과 통보"
SPC = "SPC(파리바게뜨)"
LOI_REFUSAL = "'참여의향서'(으)로 표시하려면 서명된 문서(참여의향서·업무협약서)를 먼저 올리거나 함께 올리세요."
EVENT = "엑스포 승인 기원 시민 설명회(취암동)"
NEW_TARGETS = ["국방AI센터", "국방MRO산업육성센터"]
RELOCATION_TARGETS = [
    "한국국방연구원",
    "국방전직교육원",
    "전력지원체계연구센터",
    "국방신속획득기술연구원",
    "국방기술진흥연구소",
    "방위사업교육원",
]
WON = ["국방대학교", "국방미래기술센터"]
TREND_44 = "충남도 중점 유치 공공기관 44개소로 확대 조정(기존 34개소)"


class DemoCity:
    """The demo city (논산시) with the seed's initiatives; its accounts sign in with the test password."""

    def __init__(self, users: dict[str, Any]) -> None:
        self.users = users

    def users_by_role(self) -> dict[str, Any]:
        return {"anonymous": None, **self.users}


@pytest.fixture
def browser_org(live_server: Any, transactional_db: None, settings: Any, tmp_path: Any) -> DemoCity:
    """Overrides conftest's small test organisation: the organisation and initiatives demos fill the
    test database; their documents and the uploads go to a temporary folder."""
    from django.contrib.auth import get_user_model

    from hwallyu.core.registry import demo_loaders
    from hwallyu.core.testing import PASSWORD

    settings.MEDIA_ROOT = str(tmp_path / "media")
    loaders = dict(demo_loaders())
    for name in ("조직", "전략사업"):
        loaders[name]()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=ROLES)}
    for user in users.values():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return DemoCity(users)


def _pdf(name: str, text: str) -> dict[str, Any]:
    """A small, well-formed one-page PDF (the app checks the ``%PDF-`` magic bytes)."""
    body = (
        b"%PDF-1.4\n"
        b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
        b"% " + text.encode("utf-8") + b"\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )
    return {"name": name, "mimeType": "application/pdf", "buffer": body}


def _tabs(page: Any, initiative: str) -> Any:
    return page.get_by_role("navigation", name=f"{initiative} 항목")


def _open_from_portfolio(page: Any, url: str, name: str) -> None:
    page.get_by_role("navigation", name="업무 메뉴").get_by_role("link", name="전략사업 현황").click()
    page.wait_for_url(f"{url}/initiatives/")
    page.get_by_role("table", name="전략사업 목록").get_by_role("link", name=name).click()
    page.wait_for_url(re.compile(re.escape(url) + r"/initiatives/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)


def _hwpx(download: Any) -> tuple[list[str], list[list[list[str]]]]:
    """Paragraph texts and every table as rows of cell texts."""
    assert download.suggested_filename.endswith(".hwpx"), download.suggested_filename
    document = HwpxDocument.open(download.path().read_bytes())
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return [p.text for p in document.paragraphs], tables


# --- the expo: province stage, SPC's letter of intent, an event, the status report ----------------


def test_expo_stage_letter_of_intent_event_and_report(page, live_server, sign_in, assert_accessible):
    from hwallyu.initiatives.models import AgreementState, Milestone, MilestoneState, Partner

    url = live_server.url
    today = timezone.localdate()
    event_day = today + dt.timedelta(days=20)
    sign_in("planner")

    # --- the portfolio: both demo initiatives, the expo's province stage still open ------------------
    page.get_by_role("navigation", name="업무 메뉴").get_by_role("link", name="전략사업 현황").click()
    page.wait_for_url(f"{url}/initiatives/")
    expect(page.get_by_role("heading", level=1)).to_have_text("전략사업 현황")
    listing = page.get_by_role("table", name="전략사업 목록")
    expo_row = listing.get_by_role("row", name=re.compile(re.escape(EXPO)))
    expect(expo_row).to_contain_text("엑스포 TF팀")
    expect(expo_row).to_contain_text("1/6 완료")
    expect(expo_row.locator("td").nth(4)).to_have_text(f"{PROVINCE_STAGE} (2024. 7.)")
    expect(expo_row.locator("td").nth(6)).to_have_text("2/12")  # 성심당 (참여의향서), 건양대학교 (업무협약)
    expect(listing.get_by_role("row", name=re.compile(re.escape(ATTRACTION)))).to_contain_text("혁신기획팀")
    assert_accessible("전략사업 현황")

    listing.get_by_role("link", name=EXPO).click()
    page.wait_for_url(re.compile(re.escape(url) + r"/initiatives/\d+/$"))
    expo_url = page.url
    expect(page.get_by_role("heading", level=1)).to_contain_text(EXPO)
    assert_accessible("전략사업 개요(엑스포)")

    # --- 추진 단계: mark 충남도 검토 done with the province's letter (a PDF) --------------------------
    _tabs(page, EXPO).get_by_role("link", name="추진 단계").click()
    page.wait_for_url(f"{expo_url}milestones/")
    stages = page.get_by_role("table", name="추진 단계(계획 대비 실적)")
    expect(stages.locator("tbody tr")).to_have_count(6)
    province = stages.get_by_role("row", name=re.compile(PROVINCE_STAGE))
    expect(province).to_contain_text("진행중")
    assert_accessible("추진 단계")

    province.get_by_role("link", name="완료 처리").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"단계 완료 — {PROVINCE_STAGE}")
    page.get_by_label("완료일(실제 일자)").fill("2024-07-24")
    page.get_by_label("증빙 문서").set_input_files(_pdf("충남도_검토결과.pdf", "충남도 검토 결과 통보"))
    page.get_by_label("문서 제목").fill(PROVINCE_DOCUMENT)
    page.get_by_label("문서 종류").select_option(label="공문")
    assert_accessible("단계 완료")
    page.get_by_role("button", name="저장").click()
    page.wait_for_url(f"{expo_url}milestones/")
    expect(page.locator(".hw-messages")).to_contain_text(f"'{PROVINCE_STAGE}' 단계를 완료로 표시했습니다.")
    province = page.get_by_role("table", name="추진 단계(계획 대비 실적)").get_by_role(
        "row", name=re.compile(PROVINCE_STAGE)
    )
    expect(province.locator("td").nth(3)).to_have_text("2024-07-24")
    expect(province.locator("td").nth(4)).to_contain_text("완료")
    expect(province.get_by_role("link", name="완료 처리")).to_have_count(0)
    with page.expect_download() as download_info:
        province.get_by_role("link", name=PROVINCE_DOCUMENT).click()
    assert download_info.value.suggested_filename == "충남도_검토결과.pdf"
    assert download_info.value.path().read_bytes().startswith(b"%PDF-1.4\n")
    stage = Milestone.objects.get(initiative__name=EXPO, name=PROVINCE_STAGE)
    assert (stage.state, stage.actual_on) == (MilestoneState.DONE, dt.date(2024, 7, 24))
    assert stage.documents.get().get_kind_display() == "공문"

    # --- 협력 기관: SPC's letter of intent — refused without a signed document, then recorded -------
    _tabs(page, EXPO).get_by_role("link", name="협력 기관").click()
    page.wait_for_url(f"{expo_url}partners/")
    partners = page.get_by_role("table", name="협력 기관과 협약 상태")
    expect(partners.locator("tbody tr")).to_have_count(12)
    expect(partners.get_by_role("row", name=re.compile(re.escape(SPC)))).to_contain_text("협의중")
    assert_accessible("협력 기관")
    partners.get_by_role("link", name=SPC).click()
    expect(page.locator("#hw-tab-title")).to_have_text(SPC)
    partner_url = page.url
    assert_accessible("협력 기관 상세")

    page.get_by_role("link", name="협약 상태 변경").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"협약 상태 — {SPC}")
    page.get_by_label("협약 상태").select_option(label="참여의향서")
    page.get_by_label("변경일").fill("2024-04-25")
    page.get_by_role("button", name="저장").click()
    summary = page.locator(".hw-error-summary")
    expect(summary).to_contain_text("입력 내용을 확인하세요.")
    expect(summary).to_contain_text(LOI_REFUSAL)
    state = page.get_by_label("협약 상태")
    expect(state).to_have_value("loi")  # the choice is kept for the second try
    expect(state).to_have_attribute("aria-invalid", "true")
    expect(state).to_have_accessible_description(LOI_REFUSAL)  # the reason is read out with the field
    assert_accessible("협약 상태(서명 문서 없음)")
    refused = Partner.objects.get(initiative__name=EXPO, name=SPC)
    assert (refused.state, refused.documents.count()) == (AgreementState.NEGOTIATING, 0)

    page.get_by_label("서명 문서").set_input_files(_pdf("SPC_참여의향서.pdf", "SPC 참여의향서"))
    page.get_by_role("button", name="저장").click()
    page.wait_for_url(partner_url)
    expect(page.locator(".hw-messages")).to_contain_text(f"'{SPC}'의 협약 상태를 '참여의향서'(으)로 바꿨습니다.")
    info = page.get_by_role("region", name="기관 정보")
    expect(info.locator("dt", has_text="협약 상태").locator("xpath=following-sibling::dd[1]")).to_have_text(
        re.compile(r"참여의향서\s+2024-04-25")
    )
    signed = page.get_by_role("table", name=f"{SPC}의 문서").locator("tbody tr")
    expect(signed).to_have_count(1)
    expect(signed.first).to_contain_text(f"{SPC} 참여의향서")
    expect(signed.first).to_contain_text("SPC_참여의향서.pdf")
    expect(signed.first.locator("td").nth(1)).to_have_text("참여의향서")
    assert_accessible("협력 기관 상세(참여의향서)")

    # --- 행사·홍보: a briefing in 20 days, in the list, the calendar and the overview -----------------
    _tabs(page, EXPO).get_by_role("link", name="행사·홍보").click()
    page.wait_for_url(f"{expo_url}events/")
    assert_accessible("행사·홍보")
    page.get_by_role("link", name="행사 추가").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("행사 추가")
    page.get_by_label("행사명").fill(EVENT)
    page.get_by_label("구분").select_option(label="설명회")
    page.get_by_label("일자(시작)").fill(f"{event_day:%Y-%m-%d}")
    page.get_by_label("장소").fill("취암동 행정복지센터 회의실")
    page.get_by_label("대상", exact=True).fill("취암동 주민자치회")
    assert_accessible("행사 추가")
    page.get_by_role("button", name="저장").click()
    page.wait_for_url(f"{expo_url}events/")
    expect(page.locator(".hw-messages")).to_contain_text("행사을(를) 추가했습니다.")
    event_row = page.get_by_role("table", name="행사·홍보 목록").get_by_role("row", name=re.compile(re.escape(EVENT)))
    expect(event_row.locator("td").first).to_have_text(f"{event_day:%Y-%m-%d}")
    expect(event_row).to_contain_text("설명회")
    expect(event_row).to_contain_text("예정")

    page.get_by_role("link", name="달력으로 보기").click()
    expect(page.locator("#hw-tab-title")).to_contain_text(f"{event_day.year}년 {event_day.month}월")
    calendar = page.get_by_role("table", name=f"{event_day.year}년 {event_day.month}월 행사 달력")
    day_cell = calendar.locator("td:not(.hw-cal-out)").filter(
        has=page.locator(".hw-cal-day", has_text=re.compile(rf"^{event_day.day}\b"))
    )
    expect(day_cell).to_contain_text(EVENT)
    assert_accessible("행사 달력")

    _tabs(page, EXPO).get_by_role("link", name="개요").click()
    page.wait_for_url(expo_url)
    upcoming = page.get_by_role("heading", name="다가오는 행사·홍보").locator("xpath=following-sibling::ul[1]")
    expect(upcoming).to_contain_text(EVENT)
    signed_list = page.get_by_role("heading", name="서명한 협력 기관").locator("xpath=following-sibling::ul[1]")
    expect(signed_list.get_by_role("link", name=SPC)).to_be_visible()
    assert_accessible("전략사업 개요(기록 후)")

    # --- the status report as HWPX: it opens, with the stage, SPC's letter and the event -------------
    with page.expect_download() as download_info:
        page.get_by_role("link", name="추진상황 보고서(HWPX)").click()
    paragraphs, tables = _hwpx(download_info.value)
    assert any(f"{EXPO} 추진상황" in text for text in paragraphs), paragraphs[:5]
    rows = [row for table in tables for row in table]
    spc_row = next(row for row in rows if row and row[0] == SPC)
    assert spc_row[1:5] == ["기업", "참여의향서", "2024-04-25", "1"], spc_row
    stage_row = next(row for row in rows if len(row) > 5 and row[1] == PROVINCE_STAGE)
    assert stage_row[3:6] == ["2024. 7.", "2024-07-24", "완료"], stage_row
    assert any(EVENT in row for row in rows)
    signed_total = next(row for row in rows if row and row[0].startswith("서명(참여의향서·업무협약·완료)"))
    assert "3/12" in signed_total, signed_total


# --- the attraction initiative: eight targets and the trend log -----------------------------------


def test_attraction_targets_and_trend_log(page, live_server, sign_in, assert_accessible):
    url = live_server.url
    sign_in("planner")
    _open_from_portfolio(page, url, ATTRACTION)
    attraction_url = page.url
    assert_accessible("전략사업 개요(공공기관 유치)")

    # --- 유치 대상: the two already won, then the seed's eight targets (2 new, 6 relocations) ----------
    _tabs(page, ATTRACTION).get_by_role("link", name="유치 대상").click()
    page.wait_for_url(f"{attraction_url}institutions/")
    expect(page.get_by_text("유치 대상 8개, 유치확정 2개")).to_be_visible()
    won = page.get_by_role("table", name="유치 현황(확정)").locator("tbody tr")
    expect(won.locator("th")).to_have_text(WON)
    expect(won.nth(0)).to_contain_text("2007년")
    expect(won.nth(1)).to_contain_text("2023년")
    new = page.get_by_role("table", name="유치 대상 — 신설").locator("tbody tr")
    expect(new.locator("th")).to_have_text(NEW_TARGETS)
    relocation = page.get_by_role("table", name="유치 대상 — 이전").locator("tbody tr")
    expect(relocation.locator("th")).to_have_text(RELOCATION_TARGETS)
    for row in (new.nth(0), relocation.nth(0), relocation.nth(5)):
        expect(row.locator("td").nth(2)).to_have_text("관심")
    expect(relocation.nth(5).locator("td").nth(1)).to_have_text("방위사업청")
    assert_accessible("유치 대상")

    # --- 동향: the seed's relocation news, newest first, with the 34 → 44 entry ----------------------
    _tabs(page, ATTRACTION).get_by_role("link", name="동향").click()
    page.wait_for_url(f"{attraction_url}trends/")
    entries = page.get_by_role("table", name=f"{ATTRACTION} 관련 동향").locator("tbody tr")
    expect(entries).to_have_count(3)
    entry_44 = entries.filter(has_text=TREND_44)
    expect(entry_44.locator("td").first).to_have_text("2024-01-02")
    expect(entry_44).to_contain_text("충청남도")
    expect(entry_44).to_contain_text("공공기관 이전")
    expect(entries.filter(has_text="300~최대 500개소")).to_have_count(1)
    expect(entries.filter(has_text="총선(4. 10.) 이후로 연기")).to_have_count(1)
    assert_accessible("동향(공공기관 유치)")

    # --- the city-wide trend log links the entry back to the initiative -------------------------------
    page.get_by_role("navigation", name="업무 메뉴").get_by_role("link", name="동향 기록").click()
    page.wait_for_url(f"{url}/initiatives/trends/")
    expect(page.get_by_role("heading", level=1)).to_have_text("동향 기록")
    log_row = page.get_by_role("table", name="동향 목록").get_by_role("row", name=re.compile(re.escape(TREND_44)))
    expect(log_row.get_by_role("link", name=ATTRACTION)).to_be_visible()
    assert_accessible("동향 기록")
    log_row.get_by_role("link", name=ATTRACTION).click()
    page.wait_for_url(attraction_url)
