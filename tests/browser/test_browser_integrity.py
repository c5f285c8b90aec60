"""The anonymous integrity channel (청렴톡) in a real browser, as issue 5's "Done means" puts it.

A signed-out visitor (a fresh browser context, no cookies) files a report with a photo and is
shown the 16-digit receipt once, then confirms it; no response sets a cookie.  ``auditor``, a
designated handler whose key was made with a known passphrase, unlocks, opens the case, answers
and moves it to 조사.  Signed out again, the receipt shows the answer and the step, and a reply
goes back; the handler reads it after unlocking.  The database file then holds none of the
report's words, nor the receipt.  The integrity index page shows the seed's grade history.
axe-core checks the public pages and the handler pages on the way.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSPHRASE = "브라우저 시험 담당자 암호문구 2024"
# The report's distinctive words: none of them may reach the database in clear.
TITLE = "BRWTITLEQZ 출장비횡령의혹 신고"
BODY = "BRWBODYQZ 회계팀장이 허위출장비를 청구해 왔습니다. 목격자비밀메모 참고."
FILE_NAME = "BRWFILEQZ_영수증.png"
PHOTO_TEXT = "BRWPHOTOQZ 촬영위치비밀"  # a PNG text chunk, dropped with the photo's metadata
ANSWER = "BRWANSWERQZ 신고 내용을 확인했고 사실관계 조사를 시작합니다."
REPLY = "BRWREPLYQZ 같은 일을 본 동료가 두명더있습니다."
WORDS = ["BRWTITLEQZ", "출장비횡령의혹", "BRWBODYQZ", "허위출장비", "목격자비밀메모", "BRWFILEQZ", "BRWPHOTOQZ",
         "촬영위치비밀", "BRWANSWERQZ", "BRWREPLYQZ", "두명더있습니다"]  # fmt: skip


def _photo() -> bytes:
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", PHOTO_TEXT.encode().decode("latin-1"))
    out = io.BytesIO()
    Image.new("RGB", (12, 8), (200, 40, 40)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def _expect_no_trace(response: Any) -> None:
    """The anonymous channel's answer: no cookie, not cached."""
    headers = response.all_headers()
    assert "set-cookie" not in headers, f"{response.url} set a cookie"
    assert "no-store" in headers["cache-control"]
    assert headers["referrer-policy"] == "same-origin"


def _submit(page: Any, button: Any, path: str) -> Any:
    """Click a public form's button; the POST's response (checked for no cookie and no-store)."""
    with page.expect_response(lambda r: r.url.endswith(path) and r.request.method == "POST") as info:
        button.click()
    response = info.value
    assert response.status == 200, f"{path}: HTTP {response.status}"
    _expect_no_trace(response)
    page.wait_for_load_state()
    return response


def _axe_public(assert_accessible: Any, page: Any, label: str) -> None:
    """axe on a page of the anonymous channel, after checking the visit so far left no cookie."""
    assert page.context.cookies() == [], f"a cookie was set on the way to {label}"
    assert_accessible(label, on=page)
    # axe re-fetches KRDS's @import at the page's address (see conftest): that 404 is a page of the
    # signed-in site, which sets the site's CSRF cookie.  axe's request, not the reporter's.
    page.context.clear_cookies()


def _sign_out(page: Any) -> None:
    page.locator("#krds-header").get_by_role("button", name="로그아웃").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))


def _unlock(page: Any, url: str) -> None:
    """From a locked case page: 암호문구로 잠금 해제 → the key page → back to the case, unlocked."""
    case_url = page.url
    page.locator(".hw-lock").get_by_role("link", name="암호문구로 잠금 해제").click()
    page.wait_for_url(re.compile(rf"^{re.escape(url)}/integrity/cases/key\?next="))
    page.get_by_label("암호문구", exact=True).fill(PASSPHRASE)
    page.get_by_role("button", name="잠금 해제").click()
    page.wait_for_url(case_url)
    expect(page.locator(".hw-messages")).to_contain_text("잠금을 해제했습니다")
    expect(page.locator(".hw-lock")).to_contain_text("잠금 해제됨")


@pytest.fixture
def handler(browser_org: Any) -> Any:
    """The office key and ``auditor``'s handler key (the office's first: designated at once)."""
    from hwallyu.integrity.limits import guard
    from hwallyu.integrity.services.keys import handler_key_create, office_key_create

    guard.reset()  # the abuse counters live in this process's memory, shared with the live server
    office_key_create()
    key = handler_key_create(actor=browser_org.auditor, passphrase=PASSPHRASE)
    assert key.designated
    yield key
    guard.reset()


def test_report_answer_and_reply_through_the_anonymous_channel(
    page, new_page, live_server, sign_in, handler, assert_accessible, tmp_path
):
    from hwallyu.core.models import AuditEvent
    from hwallyu.integrity.models import Case, MessageKind, Step
    from hwallyu.integrity.tests.test_anonymity import _database_bytes

    url = live_server.url

    # --- signed out: a report with a photo, the receipt shown once and confirmed ----------------
    reporter = new_page()
    response = reporter.goto(f"{url}/integrity/public/")
    assert response.status == 200
    _expect_no_trace(response)
    expect(reporter.get_by_role("heading", level=1)).to_have_text("청렴 익명 상담·신고")
    expect(reporter.get_by_text("쿠키를 저장하거나 기록하지 않습니다").first).to_be_visible()
    _axe_public(assert_accessible, reporter, "익명 창구 첫 화면")
    reporter.get_by_role("link", name="상담·신고하기").click()
    reporter.wait_for_url(f"{url}/integrity/public/new")
    _axe_public(assert_accessible, reporter, "상담·신고하기")

    kind = reporter.get_by_role("group", name="구분")
    kind.locator("label", has_text="신고").click()  # KRDS draws the radio on its label
    expect(kind.get_by_label("신고", exact=True)).to_be_checked()
    reporter.get_by_label("유형").select_option(label="부패")
    reporter.get_by_label("제목").fill(TITLE)
    reporter.get_by_label("내용").fill(BODY)
    reporter.get_by_label(re.compile(r"^첨부파일")).set_input_files(
        [{"name": FILE_NAME, "mimeType": "image/png", "buffer": _photo()}]
    )
    expect(reporter.get_by_label(re.compile("촬영 정보"))).to_be_checked()  # metadata removed by default
    _submit(reporter, reporter.get_by_role("button", name="보내기"), "/integrity/public/new")

    expect(reporter.get_by_role("heading", level=1)).to_have_text("접수되었습니다")
    shown = reporter.locator(".hw-receipt-code strong").inner_text()
    assert re.fullmatch(r"\d{4} \d{4} \d{4} \d{4}", shown), shown
    receipt = shown.replace(" ", "")
    warning = reporter.locator(".hw-receipt [role=alert]")
    expect(warning).to_contain_text("지금 한 번만 보여 드립니다")
    expect(warning).to_contain_text("잃어버리면 다시 찾을 수 없고")
    _axe_public(assert_accessible, reporter, "접수번호 안내")
    reporter.get_by_label("적어 둔 접수번호 16자리를 입력하세요").fill(shown)
    _submit(reporter, reporter.get_by_role("button", name="확인"), "/integrity/public/check")
    expect(reporter.get_by_role("status")).to_have_text(
        "접수번호를 확인했습니다. 이 번호로 언제든 답변을 볼 수 있습니다."
    )
    expect(reporter.locator("#state-title")).to_have_text("현재 단계: 접수")
    expect(reporter.get_by_text(f"보낸 첨부파일: {FILE_NAME}")).to_be_visible()
    expect(reporter.get_by_text("아직 답변이 없습니다")).to_be_visible()
    _axe_public(assert_accessible, reporter, "처리 상황(접수)")
    assert reporter.context.cookies() == [], "the anonymous channel set a cookie"

    case = Case.objects.get()
    assert (case.kind, case.category, case.step) == ("report", "corruption", Step.RECEIVED)
    assert case.attachments.count() == 1

    # --- auditor: the case list without content, unlock, read, answer, move to 조사 ---------------
    sign_in("auditor")
    page.get_by_role("navigation", name="업무 메뉴").get_by_role("link", name="청렴 상담·신고 사건").click()
    page.wait_for_url(f"{url}/integrity/cases/")
    cases = page.get_by_role("table", name=re.compile("사건 목록"))
    row = cases.get_by_role("row", name=re.compile(re.escape(case.number)))
    expect(row.locator("td")).to_have_text(
        [re.compile(f"^{re.escape(case.number)}"), "신고", "부패", "접수", re.compile(r"^\d{4}-"), re.compile("."), "-"]
    )
    expect(page.get_by_text("BRWTITLEQZ")).to_have_count(0)
    assert_accessible("청렴 상담·신고 사건 목록(잠김)")

    row.get_by_role("link", name=case.number).click()
    page.wait_for_url(f"{url}/integrity/cases/{case.number}/")
    expect(page.get_by_role("status")).to_contain_text("담당자 키가 잠겨 있어 내용은 보이지 않습니다")
    expect(page.get_by_text("BRWTITLEQZ")).to_have_count(0)
    assert_accessible("사건 상세(잠김)")

    page.locator(".hw-lock").get_by_role("link", name="암호문구로 잠금 해제").click()
    page.wait_for_url(re.compile(r"/integrity/cases/key\?next="))
    expect(page.get_by_role("heading", level=1)).to_have_text("청렴 상담·신고 담당자 키")
    expect(page.locator("#main-content .hw-state")).to_have_text("지정 담당자")
    assert_accessible("담당자 키(잠금 해제 전)")
    page.get_by_label("암호문구", exact=True).fill("틀린 암호문구입니다 정말로")
    page.get_by_role("button", name="잠금 해제").click()
    expect(page.locator(".hw-messages")).to_contain_text("암호문구가 올바르지 않습니다.")  # calmly, on the key page
    expect(page.get_by_role("button", name="잠금 해제")).to_be_visible()
    page.get_by_label("암호문구", exact=True).fill(PASSPHRASE)
    page.get_by_role("button", name="잠금 해제").click()
    page.wait_for_url(f"{url}/integrity/cases/{case.number}/")
    expect(page.locator(".hw-messages")).to_contain_text("잠금을 해제했습니다")
    expect(page.locator(".hw-lock")).to_contain_text("잠금 해제됨")

    expect(page.get_by_role("heading", level=2, name=TITLE)).to_be_visible()
    expect(page.get_by_text(BODY)).to_be_visible()
    photo_link = page.get_by_role("link", name=FILE_NAME)
    expect(photo_link).to_be_visible()
    expect(photo_link.locator("xpath=..")).to_contain_text("촬영 정보 제거됨")
    assert_accessible("사건 상세(잠금 해제)")
    with page.expect_download() as download_info:
        photo_link.click()
    photo = download_info.value.path().read_bytes()
    assert photo.startswith(b"\x89PNG\r\n\x1a\n") and b"BRWPHOTOQZ" not in photo  # the text chunk is gone

    thread = page.get_by_role("region", name="주고받은 글과 내부 메모")
    expect(thread.get_by_label("제보자에게 답변")).to_be_checked()
    thread.get_by_label("내용", exact=True).fill(ANSWER)
    thread.get_by_role("button", name="저장").click()
    expect(page.locator(".hw-messages")).to_contain_text("저장했습니다.")
    expect(thread.locator(".hw-thread-answer")).to_contain_text(ANSWER)

    page.get_by_label("다음 단계").select_option(label="조사")  # 검토 may be skipped
    page.get_by_role("button", name="옮기기").click()
    expect(page.locator(".hw-messages")).to_contain_text("단계를 옮겼습니다.")
    expect(page.locator(".hw-steps li.current")).to_have_text("조사")
    case.refresh_from_db()
    assert case.step == Step.INVESTIGATION and case.due_at is not None
    assert case.messages.filter(kind=MessageKind.ANSWER).count() == 1
    trail = AuditEvent.objects.filter(actor=handler.user)
    assert trail.filter(action="integrity.unlock_failed").count() == 1
    assert trail.filter(action="integrity.case_read").exists(), "every read of the case is in the audit trail"
    assert trail.filter(action="integrity.attachment_read").count() == 1
    _sign_out(page)

    # --- signed out again: the receipt shows the answer and the step; a reply goes back ------------
    reporter = new_page()
    response = reporter.goto(f"{url}/integrity/public/")
    _expect_no_trace(response)
    reporter.get_by_role("link", name="접수번호로 답변 보기").click()
    reporter.wait_for_url(f"{url}/integrity/public/check")
    _axe_public(assert_accessible, reporter, "접수번호로 답변 보기")
    reporter.get_by_label("접수번호 16자리").fill(receipt)
    _submit(reporter, reporter.get_by_role("button", name="보기"), "/integrity/public/check")
    expect(reporter.get_by_role("heading", level=1)).to_have_text("처리 상황")
    expect(reporter.locator("#state-title")).to_have_text("현재 단계: 조사")
    expect(reporter.locator(".hw-steps li[aria-current=step]")).to_have_text("조사")
    answer = reporter.locator(".hw-thread-answer")
    expect(answer).to_contain_text("답변")
    expect(answer).to_contain_text(ANSWER)
    _axe_public(assert_accessible, reporter, "처리 상황(조사, 답변)")
    reporter.get_by_label("내용", exact=True).fill(REPLY)
    _submit(reporter, reporter.get_by_role("button", name="보내기", exact=True), "/integrity/public/reply")
    expect(reporter.get_by_role("status")).to_have_text("답글을 보냈습니다. 담당자에게 전달됩니다.")
    expect(reporter.locator(".hw-thread-reporter")).to_contain_text(REPLY)
    assert reporter.context.cookies() == [], "the anonymous channel set a cookie"

    # --- the handler signs in again (signing out locked the key) and reads the reply -------------
    sign_in("auditor")
    page.goto(f"{url}/integrity/cases/")
    cases = page.get_by_role("table", name=re.compile("사건 목록"))
    row = cases.get_by_role("row", name=re.compile(re.escape(case.number)))
    expect(row).to_contain_text("제보자 글")
    expect(row).to_contain_text("조사")
    row.get_by_role("link", name=case.number).click()
    page.wait_for_url(f"{url}/integrity/cases/{case.number}/")
    expect(page.get_by_text("BRWREPLYQZ")).to_have_count(0)  # locked: nothing to read yet
    _unlock(page, url)
    reply = page.locator(".hw-thread-reporter")
    expect(reply).to_contain_text("제보자")
    expect(reply).to_contain_text(REPLY)

    # --- the database file holds none of the report's words, nor the receipt -----------------------
    database = _database_bytes(tmp_path)
    case.refresh_from_db()
    # the dump holds what the live server wrote: the case's number and its sealed content
    assert case.number.encode() in database and bytes(case.content) in database
    for word in [*WORDS, TITLE, BODY, ANSWER, REPLY, receipt, shown]:
        assert word.encode("utf-8") not in database, f"{word!r} is in the database in clear"


def test_integrity_index_shows_the_seed_history(page, live_server, sign_in, browser_org, assert_accessible):
    from hwallyu.integrity.services.program import index_save

    url = live_server.url
    notes = {2021: "청렴도 측정(종합청렴도 도입 전 체계)", 2022: "종합청렴도 첫 평가", 2023: ""}
    for year, grade in ((2021, 4), (2022, 3), (2023, 4)):  # the seed's history (issue 5, §6)
        index_save(year=year, values={"grade": grade, "note": notes[year]}, actor=browser_org.auditor)

    sign_in("auditor")
    page.get_by_role("navigation", name="업무 메뉴").get_by_role("link", name="종합청렴도").click()
    page.wait_for_url(f"{url}/integrity/index/")
    expect(page.get_by_role("heading", level=1)).to_have_text("종합청렴도")
    table = page.get_by_role("table", name="연도별 종합청렴도")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.locator("th")).to_have_text(["2021년", "2022년", "2023년"])
    expect(rows.locator("td:nth-child(8)")).to_have_text(["4등급", "3등급", "4등급"])
    expect(rows.nth(1)).to_contain_text("종합청렴도 첫 평가")
    expect(page.locator("canvas[data-chart][data-drawn='1']")).to_have_count(1)  # the trend chart is drawn
    expect(page.get_by_role("heading", name="2024년 목표: 등급별로 필요한 종합점수")).to_be_visible()
    expect(page.get_by_text("기준: 2023년 4등급")).to_be_visible()
    assert_accessible("종합청렴도")
