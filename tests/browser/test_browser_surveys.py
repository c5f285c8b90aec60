"""The administrative satisfaction survey (행정만족도 조사) in a real browser, as issue 6's "Done means"
puts it: the audit team opens a round, imports a CP949 register whose bad row is named by row and
column (nothing saved), uploads the corrected file, sends invitations through the local fake
Bizmessage provider (some fail over to SMS/LMS, one is undeliverable), a citizen answers one link on
a phone-sized screen without logging in, a second answer with the same link is refused politely,
results show per department with the small group hidden and the HWPX report opens.  axe-core checks
every main page on the way, the mobile answer page above all."""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hwpx import HwpxDocument
from playwright.sync_api import expect

from hwallyu.notifications.channels.fake_provider import FakeBizMessageProvider

pytestmark = pytest.mark.browser

YEAR = 2024  # a past year: every processed case of the round lies before "now"
HEADER = ["접수번호", "접수일시", "처리일시", "민원사무명", "처리부서", "민원인", "휴대전화", "처리기간"]
# The fake provider's scripted outcomes: a number ending in 7 has no KakaoTalk (the AlimTalk fails
# and the SMS/LMS fallback is delivered), one ending in 00 cannot be reached at all.
BIG = ("미래전략과", [f"010-5100-{n:04d}" for n in (11, 21, 31, 41, 51, 61, 71, 81, 91, 17, 27, 100)])
SMALL = ("강경읍", [f"010-5200-{n:04d}" for n in (12, 22, 32, 47)])
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"
BAD_ROW = 6  # the 5th data row is row 6 of the file (the header is row 1)


def _register(bad: bool) -> bytes:
    rows = []
    for department, numbers in (BIG, SMALL):
        for n, phone in enumerate(numbers):
            seq = len(rows) + 1
            rows.append(
                [
                    f"{YEAR}-{seq:06d}",
                    f"{YEAR}-05-{n + 2:02d} 09:30",
                    f"{YEAR}-05-{n + 3:02d} 16:00",
                    "건축허가" if seq % 2 else "주민등록표 등본 발급",
                    department,
                    f"민원인{seq}",
                    phone,
                    "15" if seq % 2 else "0",
                ]
            )
    if bad:
        rows[BAD_ROW - 2][2] = "5월 6일 오후"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("cp949")


@pytest.fixture
def fake_provider(live_server: Any, settings: Any, tmp_path: Any) -> Iterator[FakeBizMessageProvider]:
    """The local Bizmessage stand-in; the app's HTTP backend points at it and it reports results
    back through the signed webhook of the live server (a second after accepting, as a real
    provider does once the handset has answered)."""
    with FakeBizMessageProvider(webhook_url=f"{live_server.url}/api/v1/bizmessage/webhook") as fake:
        fake.settle_seconds = 1.0
        settings.HWALLYU_BIZMESSAGE = fake.config()
        settings.SITE_URL = live_server.url
        settings.MEDIA_ROOT = str(tmp_path / "media")
        yield fake


@pytest.fixture
def phone(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A phone-sized browser with no cookies (and no sign-in); its console errors fail the test."""
    context = browser.new_context(
        locale="ko-KR",
        timezone_id="Asia/Seoul",
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
        user_agent=(
            "Mozilla/5.0 (Linux; Android 14; SM-S921N) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0 Mobile Safari/537.36"
        ),
    )
    context.set_default_timeout(10_000)
    errors: list[str] = []
    context.on("weberror", lambda error: errors.append(f"JavaScript error: {error.error}"))
    context.on(
        "console",
        lambda msg: (
            errors.append(f"console error: {msg.text}")
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    context.on(
        "response",
        lambda r: (
            errors.append(f"HTTP {r.status}: {r.url}")
            if r.status >= 400 and r.request.resource_type != "document"
            else None
        ),
    )
    mobile = context.new_page()
    mobile.hw_errors = errors
    yield mobile
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        RESULTS_DIR.mkdir(exist_ok=True)
        for number, tab in enumerate(context.pages, start=1):
            tab.screenshot(path=str(RESULTS_DIR / f"test_browser_surveys-phone-{number}.png"), full_page=True)
            (RESULTS_DIR / f"test_browser_surveys-phone-{number}.html").write_text(tab.content(), encoding="utf-8")
    context.close()
    if report is None or not report.failed:
        assert errors == [], "errors in the phone's browser console:\n" + "\n".join(errors)


def _wait_for(condition: Any, what: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


def _card(page: Any, label: str) -> Any:
    return page.locator(".hw-cards .hw-card", has=page.locator(".hw-card-label", has_text=label))


def test_round_import_invitations_mobile_answer_and_results(
    page, phone, live_server, sign_in, browser_org, fake_provider, assert_accessible
):
    from hwallyu.notifications.models import OutboxMessage, OutboxStatus
    from hwallyu.surveys import services
    from hwallyu.surveys.models import Answer, Invitation, RegisterEntry, RegisterImport, Survey

    url = live_server.url

    def check_phone(label: str) -> None:
        assert_accessible(label, on=phone)
        phone.context.clear_cookies()  # axe re-fetches the style sheets itself; its 404s are not the page's

    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm prompts

    # --- 감사팀 opens a round: the form, the send window, the start ----------------------------------
    sign_in("auditor")
    page.get_by_role("navigation", name="업무 메뉴").get_by_role("link", name="조사 회차").click()
    page.wait_for_url(f"{url}/surveys/")
    expect(page.get_by_role("heading", level=1)).to_have_text("행정만족도 조사")
    page.get_by_label("연도").fill(str(YEAR))
    page.get_by_label("기간").select_option(label="연간")
    page.get_by_role("button", name="만들기").click()
    page.wait_for_url(re.compile(r"/surveys/\d+/$"))
    survey = Survey.objects.get(year=YEAR)
    expect(page.locator(".hw-messages")).to_contain_text("조사 회차를 만들었습니다")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{YEAR}년 행정만족도 조사")
    questions = page.get_by_role("region", name="문항")
    for label in ("친절", "신속", "정확하고 적정", "공정", "전반적으로", "금품·향응"):
        expect(questions).to_contain_text(label)
    assert_accessible("조사 회차(준비)")

    # the test runs at any hour: the send window covers the whole day, every day
    page.get_by_role("link", name="설정", exact=True).click()
    page.wait_for_url(f"{url}/surveys/{survey.id}/settings/")
    page.get_by_label("발송 시작 시각").fill("00:00")
    page.get_by_label("발송 종료 시각").fill("23:59")
    page.locator("label[for='id_working_days_only']").click()  # KRDS draws the box on the label
    expect(page.get_by_label("업무일에만 발송")).not_to_be_checked()
    assert_accessible("조사 설정")
    page.get_by_role("button", name="저장").click()
    expect(page.locator(".hw-messages")).to_contain_text("설정을 저장했습니다")
    expect(page.get_by_role("region", name="대상과 발송 규칙")).to_contain_text("00:00~23:59")
    page.get_by_role("button", name="조사 시작").click()
    expect(page.locator(".hw-messages")).to_contain_text("조사를 시작했습니다")
    expect(page.locator("h1 .hw-state")).to_have_text("진행")

    # --- the CP949 register with a bad row: named by row and column, nothing saved -------------------
    page.get_by_role("link", name="명부 가져오기").click()
    page.wait_for_url(f"{url}/surveys/{survey.id}/imports/")
    assert_accessible("명부 가져오기")
    bad = _register(bad=True)
    with pytest.raises(UnicodeDecodeError):
        bad.decode("utf-8")  # really CP949, as 새올 exports it
    page.get_by_label("명부 종류").select_option(label="민원사무처리부")
    page.get_by_label("파일(CSV 또는 XLSX)").set_input_files(
        {"name": "민원사무처리부_2024.csv", "mimeType": "text/csv", "buffer": bad}
    )
    page.get_by_role("button", name="가져오기").click()
    page.wait_for_url(re.compile(rf"/surveys/{survey.id}/imports/\d+/$"))
    progress = page.locator("#import-progress")
    expect(progress.locator(".hw-state")).to_have_text("실패")
    expect(progress).to_contain_text("인코딩 cp949")
    expect(progress).to_contain_text("오류 행 1")
    errors = page.get_by_role("region", name=re.compile("오류 행"))
    row = errors.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td")).to_have_text([str(BAD_ROW), "처리일시(C열)", re.compile("5월 6일 오후")])
    assert RegisterEntry.objects.count() == 0, "a failed file saves nothing"
    assert_accessible("명부 가져오기(오류)")

    # --- the corrected file: the progress row shows 완료 ------------------------------------------------
    page.get_by_role("link", name="다른 파일 올리기").click()
    page.get_by_label("명부 종류").select_option(label="민원사무처리부")
    page.get_by_label("파일(CSV 또는 XLSX)").set_input_files(
        {"name": "민원사무처리부_2024_수정.csv", "mimeType": "text/csv", "buffer": _register(bad=False)}
    )
    page.get_by_role("button", name="가져오기").click()
    page.wait_for_url(re.compile(rf"/surveys/{survey.id}/imports/\d+/$"))
    progress = page.locator("#import-progress")
    expect(progress.locator(".hw-state")).to_have_text("완료")
    expect(page.get_by_label("진행률")).to_have_attribute("value", "100")
    total = len(BIG[1]) + len(SMALL[1])
    expect(progress.get_by_role("status")).to_contain_text(f"오류 행 0 · 추가 {total} · 중복 0")
    expect(page.get_by_role("region", name=re.compile("오류 행"))).to_have_count(0)
    assert RegisterEntry.objects.filter(survey=survey).count() == total
    assert list(RegisterImport.objects.order_by("id").values_list("status", flat=True)) == ["failed", "done"]
    assert_accessible("명부 가져오기(완료)")
    page.get_by_role("link", name="다른 파일 올리기").click()
    history = page.locator("table.hw-table").last  # 가져오기 기록
    expect(history.locator("tbody tr")).to_have_count(2)
    expect(history.locator("tbody tr").first).to_contain_text("완료")

    # --- invitations through the fake provider; fallback to SMS/LMS comes back by the webhook ----------
    page.get_by_role("navigation", name="현재 경로").get_by_role("link", name=survey.title).click()
    page.wait_for_url(f"{url}/surveys/{survey.id}/")
    page.get_by_role("button", name="안내 보내기").click()
    expect(page.locator(".hw-messages")).to_contain_text(f"안내 {total}건을 발송 대기열에 넣었습니다")
    prefix = survey.outbox_prefix
    messages = OutboxMessage.objects.filter(dedupe_key__startswith=prefix)
    _wait_for(
        lambda: (
            messages.filter(delivered_at__isnull=False).count() + messages.filter(status=OutboxStatus.FAILED).count()
            == total
        ),
        "the delivery results from the provider's webhook",
    )
    assert fake_provider.sent == total and fake_provider.duplicates == 0
    vias = sorted(messages.exclude(delivered_via="").values_list("delivered_via", flat=True))
    fallback_numbers = [p for _, numbers in (BIG, SMALL) for p in numbers if p.endswith("7")]
    assert vias == ["alimtalk"] * (total - len(fallback_numbers) - 1) + ["lms"] * len(fallback_numbers)
    page.reload()
    delivered = total - 1
    expect(_card(page, "안내 발송 요청").locator(".hw-card-value")).to_have_text(str(total))
    expect(_card(page, "전달").locator(".hw-card-value")).to_have_text(str(delivered))
    expect(_card(page, "전달")).to_contain_text(
        f"알림톡 {delivered - len(fallback_numbers)} · 문자 대체 {len(fallback_numbers)} · 실패 1 · 대기 0"
    )
    assert_accessible("조사 회차(발송 후)")

    # --- a citizen answers on a phone: the token is in the message they were sent ---------------------
    sms_message = messages.get(to_address=BIG[1][9])  # 010-5100-0017: no KakaoTalk, reached by LMS
    assert sms_message.delivered_via == "lms"
    link = re.search(r"https?://\S+/s/[\w-]+", sms_message.body).group(0)
    assert link.startswith(f"{url}/s/")
    response = phone.goto(link)
    assert response.status == 200
    assert response.headers["cache-control"] == "no-store"
    phone.wait_for_load_state("networkidle")  # the icon, fonts and style sheets too
    assert phone.context.cookies() == [], "the answer page sets no cookie"
    expect(phone.get_by_role("heading", level=1)).to_have_text(survey.title)
    expect(phone.get_by_role("button", name="로그아웃")).to_have_count(0)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the answer page scrolls sideways on a phone ({width}px)"
    check_phone("응답 화면(휴대전화)")
    # the citizen also opened the link a second time (say, from the reminder) and left that tab open
    second_tab = phone.context.new_page()
    second_tab.goto(link)
    expect(second_tab.get_by_role("heading", level=1)).to_have_text(survey.title)

    # submitting with nothing ticked: a kind error summary, not a crash
    phone.get_by_role("button", name="응답 제출").tap()
    expect(phone.get_by_role("alert")).to_contain_text("답하지 않은 문항이 있습니다")
    check_phone("응답 화면 오류(휴대전화)")

    scale = list(survey.questions.filter(kind="scale5"))

    def _answer(tab: Any, score: str) -> None:
        for question in scale:
            group = tab.get_by_role("group", name=re.compile(re.escape(question.label)))
            group.locator("label", has_text=score).tap()  # KRDS draws the radio on its label
            expect(group.get_by_label(score)).to_be_checked()
        tab.get_by_role("group", name=re.compile("금품·향응")).locator("label", has_text="아니요").tap()

    _answer(phone, "5점 매우 만족")
    phone.get_by_label(re.compile("자유롭게 적어 주세요")).fill("담당 주무관이 친절하고 빠르게 처리해 주셨습니다.")
    phone.get_by_role("button", name="응답 제출").tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text("응답해 주셔서 감사합니다")
    phone.wait_for_load_state("networkidle")
    assert phone.context.cookies() == [], "answering sets no cookie"
    check_phone("응답 완료(휴대전화)")
    invitation = Invitation.objects.get(token=link.rsplit("/", 1)[1])
    assert invitation.answered

    # the same link a second time: the other tab's form is refused politely, and so is a fresh visit
    _answer(second_tab, "1점 매우 불만족")
    with second_tab.expect_response(link) as refused:
        second_tab.get_by_role("button", name="응답 제출").tap()
    assert refused.value.status == 409
    expect(second_tab.get_by_role("heading", level=1)).to_have_text("행정만족도 조사")
    expect(second_tab.get_by_role("status")).to_have_text("이미 응답해 주셨습니다. 참여해 주셔서 감사합니다.")
    expect(second_tab.get_by_role("button", name="응답 제출")).to_have_count(0)
    second_tab.close()
    phone.goto(link)
    expect(phone.get_by_role("status")).to_have_text("이미 응답해 주셨습니다. 참여해 주셔서 감사합니다.")
    check_phone("이미 응답한 링크(휴대전화)")
    assert services.answers_flush(survey_id=survey.id) == 0  # one answer waits in the buffer, not two

    # --- more citizens answer (through the service): 6 more for 미래전략과, 3 for 강경읍 ------------------
    page.reload()
    expect(_card(page, "응답")).to_contain_text("집계 대기 1")  # buffered, not yet counted
    open_big = Invitation.objects.filter(survey=survey, department=browser_org.dept, answered=False)
    open_big = [i for i in open_big.order_by("id") if not i.phone.endswith("00")][:6]
    open_small = list(Invitation.objects.filter(survey=survey, department=browser_org.other_dept).order_by("id")[:3])
    for invitation in open_big + open_small:
        services.answer_submit(token=invitation.token, values={q.id: 4 for q in scale}, texts={})
    assert services.answers_flush(survey_id=survey.id) == 10  # a batch of 10 answers now counts
    assert Answer.objects.filter(survey=survey).count() == 10

    # --- results: per department, the small group hidden ------------------------------------------------
    page.get_by_role("link", name="결과 보기").click()
    page.wait_for_url(f"{url}/surveys/{survey.id}/results/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{survey.title} 결과")
    expect(_card(page, "집계된 응답").locator(".hw-card-value")).to_have_text("10")
    by_department = page.get_by_role("region", name="부서별 점수")
    big_row = by_department.get_by_role("row", name=re.compile("^미래전략과"))
    # (5 + 6 × 4) ÷ 7 = 4.142… → (x − 1) ÷ 4 × 100 = 78.6 on every item and overall
    expect(big_row.locator("td")).to_have_text(["7", "78.6", "78.6", "78.6", "78.6", "78.6", "78.6"])
    small_row = by_department.get_by_role("row", name=re.compile("^강경읍"))
    expect(small_row.locator("td")).to_have_text(["5건 미만", "응답이 적어 점수를 공개하지 않습니다."])
    expect(small_row).not_to_contain_text("75.0")  # its three answers (all 4 points) stay unseen
    assert_accessible("조사 결과")

    # --- the HWPX report opens ----------------------------------------------------------------------
    with page.expect_download() as download_info:
        page.get_by_role("link", name="한글(HWPX) 보고서").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".hwpx")
    document = HwpxDocument.open(download.path().read_bytes())
    assert any(f"{survey.title} 결과" in p.text for p in document.paragraphs)
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    big_cells = next(r for r in rows if r and r[0] == "미래전략과")
    small_cells = next(r for r in rows if r and r[0] == "강경읍")
    assert big_cells[1] == "7" and big_cells[-1] == "78.6"
    assert small_cells[1] == "5건 미만" and set(small_cells[2:]) == {"비공개"}
