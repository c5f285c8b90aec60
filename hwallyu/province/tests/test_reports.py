"""The monthly review pack as documents: both formats reopen with the figures in place."""

import io
from decimal import Decimal as D

import pytest
from hwpx import HwpxDocument
from openpyxl import load_workbook

from hwallyu.core.documents import render_hwpx, render_xlsx
from hwallyu.province import selectors
from hwallyu.province.reports import amount, pack_report

from .conftest import enter, make_indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def pack(org, year):
    a = make_indicator(org, year, code="A-01", field="일반행정", name="지방세 징수액", target="1200")
    b = make_indicator(
        org, year, code="B-01", field="지역경제", name="일자리 창출", target="1200", owners=[org.other_dept]
    )
    enter(org, a, 9, 900)
    enter(org, a, 10, 950, lag_reason="하반기 착수 지연")
    enter(org, b, 10, 1100, actor=org.other_staff)
    make_indicator(org, year, code="Q-01", kind="qualitative")
    return selectors.pack_data(year, 10)


def test_pack_reopens_as_xlsx(pack):
    ws = load_workbook(io.BytesIO(render_xlsx(pack_report(pack)))).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    flat = [v for row in values for v in row if v is not None]
    assert values[0][0] == "2024년 시군평가 10월 추진상황·부진지표 보고회"
    assert "추진 상태" in flat and "부진율(%)" in flat
    total = next(row for row in values if row[0] == "합계")
    assert total[:6] == ["합계", 2, 0, 1, 1, 0] and float(total[6]) == pytest.approx(50.0)
    lagging = next(row for row in values if row[1] == "A-01")
    assert lagging[:8] == [1, "A-01", "지방세 징수액", "미래전략과", "명", 1200, 950, "10월"]
    assert float(lagging[8]) == pytest.approx(79.2) and float(lagging[9]) == pytest.approx(1140)
    assert lagging[10] == "하반기 착수 지연"
    change = next(row for row in values if row[0] == "새 부진")
    assert change[1:6] == ["A-01", "지방세 징수액", "미래전략과", "달성 가능", "부진"]


def test_pack_reopens_as_hwpx(pack):
    document = HwpxDocument.open(render_hwpx(pack_report(pack)))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "2024년 시군평가 10월 추진상황·부진지표 보고회"
    assert any("정량 지표 2개 중 달성 0, 달성 가능 1, 부진 1" in t for t in texts)
    field_table = document.tables[0]
    cells = {cell.address: cell.text for row in field_table.rows for cell in row.cells}
    assert cells[(0, 0)] == "분야" and cells[(0, 2)] == "추진 상태" and cells[(1, 2)] == "달성"
    assert cells[(2, 0)] == "일반행정" and cells[(2, 4)] == "1"
    lagging_table = document.tables[2]
    lagging_cells = [cell.text for row in lagging_table.rows for cell in row.cells]
    assert "A-01" in lagging_cells and "하반기 착수 지연" in lagging_cells and "1,200" in lagging_cells


def test_amounts_as_the_office_writes_them():
    assert amount(D("1200.0000")) == D("1200") and str(amount(D("98.5000"))) == "98.5"
    assert str(amount(D("1140.123"))) == "1140.12" and amount(None) is None
