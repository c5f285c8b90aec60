"""The status report reopens as HWPX and XLSX with the parts the office reads."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from hwpx import HwpxDocument
from openpyxl import load_workbook

from hwallyu.core.documents import render_hwpx, render_xlsx
from hwallyu.initiatives import reports, services
from hwallyu.initiatives.tests.factories import M, hwpx_text, make_initiative, make_pipeline, pdf

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def expo(org):
    pipe = make_pipeline(org)
    expo = pipe.initiative
    services.milestone_complete(milestone=pipe.plan, actual_on=D(2024, 5, 29), actor=org.planner)
    services.partner_create(
        initiative=expo, actor=org.planner, name="성심당", kind="company", state="loi", upload=pdf()
    )
    services.partner_create(initiative=expo, actor=org.planner, name="충청남도", kind="province")
    services.target_create(initiative=expo, actor=org.planner, name="방문객", value=1_500_000, unit="명")
    services.target_create(initiative=expo, actor=org.planner, name="외국인 관람객", value=90_000, unit="명")
    services.budget_line_create(
        initiative=expo,
        actor=org.planner,
        year=2027,
        name="엑스포 사업비",
        total=20_000 * M,
        national=6_000 * M,
        provincial=4_000 * M,
        city=4_000 * M,
        other=6_000 * M,
    )
    services.event_create(
        initiative=expo, actor=org.planner, title="엑스포 개막", kind="기타", starts_on=D(2027, 2, 15)
    )
    services.trend_create(
        actor=org.planner, recorded_on=D(2024, 6, 1), title="국제행사 심사 일정 공고", initiatives=[expo]
    )
    services.criterion_create(
        initiative=expo,
        actor=org.planner,
        review="KIEP 정책성등급 평가",
        name="정책 부합성",
        state="ready",
        evidence="국정과제 연계표",
    )
    return expo


def test_xlsx_status_report(expo):
    report = reports.status_report(expo, on=D(2024, 8, 5))
    sheet = load_workbook(io.BytesIO(render_xlsx(report))).active
    values = [cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert values[0] == "2027 논산세계딸기산업엑스포 추진상황"
    assert "발행일: 2024-08-05" in values[1]
    for text in (
        "2. 추진 단계",
        "기본계획 제출",
        "충남도 검토",
        "예정 (지연)",
        "성심당",
        "참여의향서",
        "엑스포 사업비",
        "엑스포 개막",
        "국제행사 심사 일정 공고",
        "KIEP 정책성등급 평가",
    ):
        assert text in values, text
    # numbers stay numbers: 20,000 백만원 and its sources, visitors
    assert 20000 in values and 6000 in values and 1500000 in values
    assert any(isinstance(v, str) and v.startswith("총사업비 20,000백만원 = 항목 합계 20,000백만원") for v in values)


def test_hwpx_status_report_reopens(expo):
    data = render_hwpx(reports.status_report(expo, on=D(2024, 8, 5)))
    document = HwpxDocument.open(data)
    assert not document.validate().issues
    text = hwpx_text(data)
    for part in (
        "1. 사업 개요",
        "2. 추진 단계",
        "3. 심사 대비",
        "4. 협력 기관",
        "5. 목표",
        "6. 예산(단위: 백만원)",
        "7. 향후 일정(행사·홍보)",
        "9. 최근 동향",
        "20,000",
        "1,500,000",
        "서명(참여의향서·업무협약·완료)",
    ):
        assert part in text, part
    assert "8. 유치 대상 기관" not in text  # the expo has no institution targets


def test_attraction_report_lists_institutions_and_flags_a_budget_gap(org):
    attraction = make_initiative(
        org, name="공공기관 유치전략 마련 및 홍보 강화", kind="attraction", budget_total=20 * M
    )
    services.institution_create(
        initiative=attraction, actor=org.planner, name="국방대학교", type="이전", state="won", decided_year=2007
    )
    services.institution_create(initiative=attraction, actor=org.planner, name="국방AI센터", type="신설")
    services.budget_line_create(
        initiative=attraction, actor=org.planner, year=2024, name="영상제작", total=5 * M, city=5 * M
    )
    text = hwpx_text(render_hwpx(reports.status_report(attraction, on=D(2024, 3, 1))))
    assert "8. 유치 대상 기관" in text and "국방대학교" in text and "국방AI센터" in text
    assert "※ 총사업비 20백만원과 항목 합계 5백만원이 다릅니다(차이 -15백만원)." in text
