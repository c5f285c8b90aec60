"""The pages: the issue's walk-through, forms with errors, documents, fixed query counts on lists."""

import io
import json
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hwpx import HwpxDocument
from openpyxl import load_workbook

from hwallyu.province import services
from hwallyu.province.importers import PeerRow
from hwallyu.province.models import Actual, ActualStatus, Indicator

from .conftest import enter, make_indicator, xlsx

pytestmark = pytest.mark.django_db


def upload(data, name="지표목록.xlsx"):
    return SimpleUploadedFile(
        name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def peers(org):
    places = [
        ("천안시", "91.0"),
        ("아산시", "89.5"),
        ("당진시", "88.0"),
        ("서산시", "86.1"),
        ("논산시", "85.2"),
        ("공주시", "84.0"),
        ("보령시", "82.3"),
        ("계룡시", "80.0"),
    ]
    services.peers_import(
        rows=[PeerRow(n, 2023, p, "city", D(s), n) for n, (p, s) in enumerate(places, start=1)], actor=org.planner
    )


def test_walk_through_import_enter_lagging_pack_what_if(org, year, client):
    # planner imports the indicator list
    client.force_login(org.planner)
    rows = [
        ["B-01", "지역경제", "일자리", "일자리 창출 인원", "정량", "명", "상향", 1200, 2, "미래전략과", "보고서"],
        ["B-02", "지역경제", "기업", "기업 투자 유치 금액", "정량", "억원", "상향", 1000, 1.5, "D001", ""],
        ["B-03", "지역경제", "기업", "국방 기업 유치 수", "정량", "개", "상향", 10, 3, "미래전략과", ""],
        ["H-01", "안전관리", "교통", "교통사고 사망자 수", "정량", "명", "하향", 14, 1, "강경읍", ""],
        ["Q-01", "정성평가", "협업", "협업 우수사례", "정성", "", "", "", 1.3, "미래전략과", ""],
    ]
    response = client.post(reverse("province:import", args=[2024]), {"file": upload(xlsx(rows))})
    assert response.status_code == 302 and response["Location"] == "/province/2024/indicators/"
    page = client.get(response["Location"])
    assert "지표 5개 = 정량 4 + 정성 1" in page.content.decode()
    assert "지표 5개를 반영했습니다" in page.content.decode()
    for code, value in (("B-01", 810), ("B-02", 600), ("B-03", 5)):
        enter(org, Indicator.objects.get(code=code), 9, value)

    # a department enters October actuals on its entry sheet
    client.force_login(org.staff)
    sheet = client.get(reverse("province:entry", args=[2024]), {"month": 10})
    body = sheet.content.decode()
    assert sheet.status_code == 200 and "B-01" in body and "H-01" not in body  # 강경읍's indicator is not ours
    assert "2024-11-07 (목요일) 18:00" in body
    url = reverse("province:actual_enter", args=[2024, "B-01"])
    evidence = SimpleUploadedFile("10월_실적.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(url, {"from": "entry", "month": 10, "value": "1000", "evidence": evidence})
    assert response.status_code == 302 and response["Location"] == "/province/2024/entry/?month=10"
    down = client.post(url, {"from": "entry", "month": 10, "value": "800"})
    assert "누계가 줄어든 사유" in client.get(down["Location"]).content.decode()
    client.post(reverse("province:actual_enter", args=[2024, "B-02"]), {"from": "entry", "month": 10, "value": "620"})
    client.post(reverse("province:actual_enter", args=[2024, "B-03"]), {"from": "entry", "month": 10, "value": "6"})
    actual = Actual.objects.get(indicator__code="B-01", month=10)
    assert actual.value == D("1000") and actual.evidence.get().name == "10월_실적.pdf"

    # the lagging list updates: B-01 is back on track (1,000 → 1,200), B-02 (744) and B-03 (7.2) lag
    client.force_login(org.planner)
    lagging = client.get(reverse("province:lagging", args=[2024]), {"month": 10})
    codes = [r.indicator.code for r in lagging.context["rows"]]
    assert codes == ["B-02", "B-03"]

    # the October pack downloads as HWPX and opens
    hwpx = client.get(reverse("province:pack_download", args=[2024, 10, "hwpx"]))
    assert hwpx.status_code == 200 and hwpx["Content-Type"] == "application/hwp+zip"
    assert "filename*=UTF-8''" in hwpx["Content-Disposition"]
    document = HwpxDocument.open(io.BytesIO(hwpx.content).getvalue())
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "2024년 시군평가 10월 추진상황·부진지표 보고회"
    all_cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "B-02" in all_cells and "기업 투자 유치 금액" in all_cells and "부진 해소" in all_cells

    # the what-if shows the rank gained by fixing the lagging indicators
    peers(org)
    page = client.get(reverse("province:what_if", args=[2024]), {"month": 10, "codes": ["B-02", "B-03"]})
    result = page.context["outcome"].result
    # B-02: 1.5 × (1 − 0.62) = 0.57; B-03: 3 × (1 − 0.6) = 1.2 → 85.2 + 1.77 = 86.97 → 4th (was 5th)
    assert result.score == D("86.97") and (result.rank_before, result.rank) == (5, 4)
    assert "5위 → 4위" in page.content.decode()


def test_import_errors_are_shown_by_row_and_nothing_is_saved(org, year, client):
    client.force_login(org.planner)
    row = ["B-01", "지역경제", "", "지표", "정량", "명", "하향", 0, 1, "미래전략과", ""]
    response = client.post(reverse("province:import", args=[2024]), {"file": upload(xlsx([row, row]))})
    assert response.status_code == 200
    body = response.content.decode()
    assert "하향 지표의 목표가 0이면" in body and "2행과 중복됩니다" in body
    assert not Indicator.objects.exists()
    template = client.get(reverse("province:import_template"))
    assert template.status_code == 200 and load_workbook(io.BytesIO(template.content)).active["A1"].value == "지표코드"


def test_indicator_page_chart_and_entry_form_errors(org, year, client):
    indicator = make_indicator(org, year, target="1200")
    enter(org, indicator, 9, 900)
    client.force_login(org.staff)
    url = reverse("province:indicator", args=[2024, "B-01"])
    page = client.get(url)
    body = page.content.decode()
    assert "<script>" not in body and "data-chart=" in body
    chart = json.loads(page.context["chart"])
    assert chart["data"]["datasets"][0]["data"][8] == 900.0
    assert chart["data"]["datasets"][1]["data"][11] == 1200.0
    response = client.post(reverse("province:actual_enter", args=[2024, "B-01"]), {"month": 10, "value": "850"})
    assert response.status_code == 200
    assert "10월 누계 850이(가) 9월 누계 900보다 줄었습니다" in response.content.decode()


def test_review_queue_accepts_and_returns(org, year, client):
    indicator = make_indicator(org, year)
    first = enter(org, indicator, 5, 100)
    second = enter(org, indicator, 6, 200)
    client.force_login(org.planner)
    page = client.get(reverse("province:review", args=[2024]))
    assert len(page.context["pending"]) == 2
    client.post(reverse("province:actual_accept", args=[2024, first.pk]), {"from": "review"})
    response = client.post(reverse("province:actual_return", args=[2024, second.pk]), {"from": "review"})
    assert response["Location"] == "/province/2024/review/"
    second.refresh_from_db()
    assert second.status == ActualStatus.SUBMITTED  # a return without a comment is refused
    client.post(reverse("province:actual_return", args=[2024, second.pk]), {"comment": "증빙 보완"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (ActualStatus.ACCEPTED, ActualStatus.RETURNED)


def test_scheme_page_saves_rules_as_data(org, year, client):
    client.force_login(org.planner)
    url = reverse("province:scheme", args=[2024])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"lagging_share_percent": "60", "lagging_share_from_month": 9, "reminder_days": "5, 1"})
    data["lagging_forecast_rule"] = ""
    response = client.post(url, data)
    assert response.status_code == 302
    year.refresh_from_db()
    assert (year.lagging_share, year.lagging_share_from_month, year.reminder_days) == (D("0.600"), 9, [5, 1])
    assert year.lagging_forecast_rule is False
    bad = client.post(url, {**data, "reminder_days": "하루"})
    assert bad.status_code == 200 and "정수를 쉼표로" in bad.content.decode()


def test_qualitative_page_checklist_writeup_submit(org, year, client):
    make_indicator(org, year, code="Q-01", kind="qualitative")
    client.force_login(org.staff)
    base = [2024, "Q-01"]
    response = client.post(reverse("province:writeup_save", args=base), {"title": "", "body": ""})
    assert response.status_code == 200 and "필수 항목" in response.content.decode()
    client.post(reverse("province:writeup_save", args=base), {"title": "협업 사례", "body": "내용"})
    client.post(
        reverse("province:consulting_add", args=base),
        {"held_on": "2024-06-01", "expert": "충남연구원", "advice": "정량화", "follow_up": ""},
    )
    for label in year.qualitative_checklist:
        client.post(reverse("province:checklist_set", args=base), {"label": label, "checked": "on"})
    client.post(reverse("province:qualitative_submit", args=base))
    page = client.get(reverse("province:indicator", args=base))
    body = page.content.decode()
    assert "제출 완료" in body and "1판: 협업 사례" in body and "충남연구원" in body


def test_peer_import_page(org, client):
    client.force_login(org.planner)
    data = xlsx(
        [[2023, "논산시", "시부", 87.2, 5], [2023, "천안시", "시부", 91.7, 1]],
        header=["연도", "시군", "평가군", "점수", "순위"],
    )
    response = client.post(reverse("province:peer_import"), {"file": upload(data, "결과.xlsx")})
    assert response.status_code == 302
    page = client.get(reverse("province:peers"))
    assert [h.rank for h in page.context["history"]] == [5]
    assert json.loads(page.context["chart"])["options"]["scales"]["y"]["reverse"] is True
    bad = xlsx([[2023, "논산시", "도부", 87.2, 5]], header=["연도", "시군", "평가군", "점수", "순위"])
    response = client.post(reverse("province:peer_import"), {"file": upload(bad, "결과.xlsx")})
    assert response.status_code == 200 and "2행 평가군: 시부 또는 군부여야 합니다." in response.content.decode()


def _many(org, year, start, count):
    for n in range(start, start + count):
        indicator = make_indicator(org, year, code=f"X-{n:02d}", owners=[org.dept, org.other_dept])
        enter(org, indicator, 9, 100)


@pytest.mark.parametrize("user_name", ["planner", "manager"])
@pytest.mark.parametrize("page", ["indicators", "lagging", "entry", "year", "review", "pack"])
def test_list_pages_cost_the_same_queries_at_1_and_50(org, year, client, django_assert_num_queries, user_name, page):
    user = getattr(org, user_name)
    client.force_login(user)
    url = reverse(f"province:{page}", args=[2024]) + "?month=10"
    _many(org, year, 0, 1)
    first = client.get(url)
    if first.status_code == 403:
        return  # the review queue and the pack are the office's
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _many(org, year, 1, 49)
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200


def test_htmx_filter_returns_the_fragment(org, year, client):
    make_indicator(org, year, code="A-01", field="일반행정")
    make_indicator(org, year, code="B-01", field="지역경제")
    client.force_login(org.planner)
    response = client.get(reverse("province:indicators", args=[2024]), {"field": "일반행정"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and "A-01" in body and "B-01" not in body
