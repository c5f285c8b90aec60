"""Reports rendered to XLSX and HWPX, reopened with the library that reads each format."""

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal
from urllib.parse import quote

import pytest
from hwpx import HwpxDocument
from hwpx.tools.package_validator import validate_package
from openpyxl import load_workbook

from hwallyu.core import documents
from hwallyu.core.calendar import SEOUL
from hwallyu.core.documents import (
    Cell,
    Heading,
    Paragraph,
    Report,
    Table,
    format_value,
    render_hwpx,
    render_xlsx,
    report_response,
    table_grid,
)


def budget_report() -> Report:
    """The seed's budget statement (사업비 조서) layout: two header rows with merged cells."""
    return Report(
        title="2024년 사업비 조서",
        issued_on=dt.date(2024, 9, 13),
        unit_label="(단위: 백만원)",
        org_label="논산시 기획감사실",
        blocks=[
            Heading("Ⅲ. 사업비"),
            Paragraph("역점사업의 올해 계획과 이후 소요입니다."),
            Table(
                header_rows=[
                    [
                        Cell("사업명", rowspan=2),
                        Cell("총사업비", rowspan=2),
                        Cell("2024년 계획", colspan=4),
                        Cell("이후", rowspan=2),
                    ],
                    ["계", "국비", "도비", "시비"],
                ],
                rows=[
                    ["논산세계딸기산업엑스포", 20000, 0, 0, 4000, None, 16000],
                    ["공공기관 유치 홍보", 20, 20, None, None, Decimal("20"), 0],
                    ["청렴 만족도 인센티브", 7, Decimal("7.5"), None, None, 7, 0],
                ],
                total_rows=[[Cell("합계", colspan=1), 20027, Decimal("27.5"), 0, 4000, 27, 16000]],
                caption="역점사업 사업비",
            ),
        ],
    )


def test_grid_places_merged_header_cells():
    grid = table_grid(budget_report().blocks[2])
    assert (grid.n_rows, grid.n_cols) == (6, 7)
    first = {(c.row, c.col): (c.rowspan, c.colspan, c.value) for c in grid.cells}
    assert first[(0, 0)] == (2, 1, "사업명")
    assert first[(0, 2)] == (1, 4, "2024년 계획")
    assert first[(0, 6)] == (2, 1, "이후")
    assert first[(1, 2)] == (1, 1, "계")  # second header row starts under the merged group
    assert first[(5, 0)][2] == "합계"


@pytest.mark.parametrize(
    "table",
    [
        Table(header_rows=[["a", "b"]], rows=[["x"]]),  # short body row
        Table(header_rows=[[Cell("a", rowspan=3), "b"], ["c"]], rows=[]),  # rowspan past the header
        Table(header_rows=[["a", "b"]], rows=[["x", "y"]], col_widths=[1]),
        Table(header_rows=[], rows=[["x"]]),
    ],
)
def test_inconsistent_tables_are_refused(table):
    with pytest.raises(ValueError):
        table_grid(table)


def test_values_are_formatted_with_thousands_separators():
    assert format_value(1234567) == "1,234,567"
    assert format_value(Decimal("1234.50")) == "1,234.50"
    assert format_value(-5000) == "-5,000"
    assert format_value(None) == ""
    assert format_value(dt.datetime(2024, 9, 13, 1, 0, tzinfo=dt.UTC)) == "2024-09-13 10:00"


def test_xlsx_reopens_with_title_unit_merges_and_numbers():
    wb = load_workbook(io.BytesIO(render_xlsx(budget_report())))
    ws = wb.active
    assert ws.title == "2024년 사업비 조서"
    assert ws["A1"].value == "2024년 사업비 조서"
    assert ws["A1"].font.b
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:G1" in merged  # title across the table
    assert "발행일: 2024-09-13" in ws["A2"].value and "논산시 기획감사실" in ws["A2"].value
    values = {cell.coordinate: cell.value for row in ws.iter_rows() for cell in row if cell.value is not None}
    unit = next(coord for coord, v in values.items() if v == "(단위: 백만원)")
    header_row = int(unit[1:]) + 1
    assert ws.cell(header_row, 1).value == "사업명"
    assert ws.cell(header_row, 3).value == "2024년 계획"
    assert f"C{header_row}:F{header_row}" in merged  # merged header over four columns
    assert f"A{header_row}:A{header_row + 1}" in merged  # merged down two header rows
    assert ws.cell(header_row + 1, 3).value == "계"
    body = header_row + 2
    assert ws.cell(body, 1).value == "논산세계딸기산업엑스포"
    assert ws.cell(body, 2).value == 20000  # numeric, not text
    assert ws.cell(body, 2).number_format == "#,##0"
    assert ws.cell(body, 2).alignment.horizontal == "right"
    assert ws.cell(body + 2, 3).number_format == "#,##0.0"
    total = body + 3
    assert ws.cell(total, 1).value == "합계"
    assert ws.cell(total, 2).value == 20027
    assert ws.cell(total, 1).font.b and ws.cell(total, 2).font.b
    assert ws.cell(header_row, 1).border.left.style == "thin"
    assert ws.freeze_panes == f"A{body}"
    assert ws.column_dimensions["A"].width > ws.column_dimensions["D"].width


def _table_cells(document):
    table = document.tables[0]
    return table, {cell.address: (cell.span, cell.text) for row in table.rows for cell in row.cells}


def test_hwpx_reopens_with_title_unit_merged_header_and_totals():
    data = render_hwpx(budget_report())
    assert validate_package(data).ok
    document = HwpxDocument.open(data)
    assert not document.validate().issues
    assert document.parts.metadata.title == "2024년 사업비 조서"
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "2024년 사업비 조서"
    assert any("발행일: 2024-09-13" in t for t in texts)
    assert "(단위: 백만원)" in texts
    assert "Ⅲ. 사업비" in texts and "역점사업 사업비" in texts
    table, cells = _table_cells(document)
    assert (table.row_count, table.column_count) == (6, 7)
    assert cells[(0, 0)] == ((2, 1), "사업명")  # (rowspan, colspan)
    assert cells[(0, 2)] == ((1, 4), "2024년 계획")
    assert cells[(1, 2)][1] == "계"
    assert cells[(2, 1)][1] == "20,000"  # thousands separators
    assert cells[(4, 2)][1] == "7.5"
    assert cells[(5, 0)][1] == "합계"
    assert cells[(5, 1)][1] == "20,027"
    total_run = table.cell(5, 1).paragraphs[0].runs[0]
    assert total_run.bold
    assert not table.cell(2, 1).paragraphs[0].runs[0].bold


def test_empty_table_says_so_in_both_formats():
    report = Report("빈 목록", dt.date(2024, 1, 2), blocks=[Table(header_rows=[["코드", "이름"]], rows=[])])
    ws = load_workbook(io.BytesIO(render_xlsx(report))).active
    assert "자료가 없습니다." in [c.value for row in ws.iter_rows() for c in row]
    _, cells = _table_cells(HwpxDocument.open(render_hwpx(report)))
    assert cells[(1, 0)][1] == "자료가 없습니다."


def test_wide_table_turns_the_hwpx_page_landscape():
    header = [[f"열 제목 {i}" for i in range(12)]]
    report = Report("넓은 표", dt.date(2024, 1, 2), blocks=[Table(header_rows=header, rows=[list(range(12))])])
    document = HwpxDocument.open(render_hwpx(report))
    assert document.page.size().orientation == "NARROWLY"  # Hancom's word for landscape
    assert not document.validate().issues


def _long_table(n_rows: int) -> Table:
    """A budget-like long table: merged header cells, typed values and two totals rows."""
    return Table(
        header_rows=[
            [
                Cell("구분", rowspan=2),
                Cell("사업명", rowspan=2),
                Cell("예산", colspan=3),
                Cell("집행", colspan=2),
                "일자",
            ],
            ["본예산", "추경", "계", "금액", "비율", "(기준)"],
        ],
        rows=[
            [
                f"분류 {i % 7}",
                f"사업 <{i}> & 항목",
                i * 1000,
                Decimal(i) * 7,
                None,
                12345.5 + i,
                Decimal("0.25"),
                dt.date(2026, 1, 1) + dt.timedelta(days=i % 300),
            ]
            for i in range(n_rows)
        ],
        total_rows=[
            [Cell("합계", colspan=2), 1, 2, 3, 4, None, None],
            [Cell("누계", colspan=2), 10, 20, 30, 40, Cell("", colspan=2)],
        ],
        caption="사업비 명세",
    )


def test_long_hwpx_table_reopens_valid_with_every_row():
    n = 3000
    report = Report("2026년 예산 명세서", dt.date(2026, 11, 20), unit_label="(단위: 원)", blocks=[_long_table(n)])
    data = render_hwpx(report)
    assert validate_package(data).ok
    document = HwpxDocument.open(io.BytesIO(data))
    assert not document.validate().issues
    table = document.tables[0]
    assert (table.row_count, table.column_count) == (2 + n + 2, 8)
    assert len(table.rows) == 2 + n + 2
    assert table.element.get("repeatHeader") == "1"
    assert not table.treat_as_char  # taller than a page: flows across pages as python-hwpx lays it out
    # one pass over the physical cells (table.cell() rebuilds the grid on every call)
    anchors = {cell.address: cell for row in table.rows for cell in row.cells}
    assert len(anchors) == 5 + 6 + 8 * n + 7 + 6
    cells = {address: (cell.span, cell.text) for address, cell in anchors.items()}
    assert cells[(0, 0)] == ((2, 1), "구분")
    assert cells[(0, 2)] == ((1, 3), "예산")
    assert cells[(1, 7)] == ((1, 1), "(기준)")
    first, last = 2, 2 + n - 1
    assert cells[(first, 0)] == ((1, 1), "분류 0")
    assert cells[(first, 1)][1] == "사업 <0> & 항목"
    assert cells[(first, 4)][1] == ""
    assert cells[(last, 1)][1] == f"사업 <{n - 1}> & 항목"
    assert cells[(last, 2)][1] == f"{(n - 1) * 1000:,}"
    assert cells[(last, 3)][1] == f"{(n - 1) * 7:,}"
    assert cells[(last, 5)][1] == f"{12345.5 + n - 1:,.2f}"
    assert cells[(last, 7)][1] == f"{dt.date(2026, 1, 1) + dt.timedelta(days=(n - 1) % 300):%Y-%m-%d}"
    assert cells[(last + 1, 0)] == ((1, 2), "합계")
    assert cells[(last + 1, 2)][1] == "1"
    assert cells[(last + 2, 0)] == ((1, 2), "누계")
    assert cells[(last + 2, 6)] == ((1, 2), "")
    assert anchors[(last + 1, 2)].paragraphs[0].runs[0].bold
    assert not anchors[(last, 2)].paragraphs[0].runs[0].bold
    # the looks of the short path: header and totals shading, numbers right, dates centred
    fills = {anchors[(r, 0)].element.get("borderFillIDRef") for r in (0, first, last + 1)}
    assert len(fills) == 3
    paras = {c: anchors[(last, c)].paragraphs[0].para_pr_id_ref for c in (1, 2, 7)}
    assert paras[2] != paras[1] and paras[7] == anchors[(0, 0)].paragraphs[0].para_pr_id_ref
    assert anchors[(last + 1, 0)].width == anchors[(last, 0)].width + anchors[(last, 1)].width  # merged total


def _package_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: (info.compress_type, archive.read(info.filename)) for info in archive.infolist()}


def _without_ids(xml: bytes) -> str:
    """Section XML with the random paragraph and table ids left out."""
    return re.sub(r'(<hp:(?:p|tbl)\b[^>]*?\sid=")\d+"', r'\1"', xml.decode("utf-8"))


def test_long_table_is_written_as_python_hwpx_writes_it(monkeypatch):
    body_merges = Table(
        header_rows=[[Cell("항목", colspan=2), "금액", "비고"]],
        rows=[
            [Cell("가", rowspan=2), "가-1", 1, "a\tb"],
            ["가-2", Decimal("2.50"), "줄\r\n바꿈\n둘"],
            [Cell("나 & <다>", colspan=2), -3000, "제어\x01문자"],
            ["라", Cell(dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC), colspan=2, rowspan=2), None],
            ["마", ""],
            ["바", "사", 7, dt.date(2026, 5, 5)],
        ]
        * 3,
        total_rows=[[Cell("합계", colspan=2), Cell(Decimal("1234567.5"), rowspan=2), "-"], [Cell("", colspan=2), ""]],
    )
    report = Report(
        "표 비교",
        dt.date(2026, 1, 2),
        unit_label="(단위: 원)",
        blocks=[Paragraph("앞"), body_merges, Heading("다음"), _long_table(12), Table([["한 칸"]], [["x"]] * 3)],
    )
    monkeypatch.setattr(documents, "_HWPX_DIRECT_BODY_ROWS", 10**9)
    whole = _package_parts(render_hwpx(report))
    monkeypatch.setattr(documents, "_HWPX_DIRECT_BODY_ROWS", 0)
    direct = _package_parts(render_hwpx(report))
    assert list(direct) == list(whole)
    assert {name: kind for name, (kind, _) in direct.items()} == {name: kind for name, (kind, _) in whole.items()}
    assert direct["mimetype"] == whole["mimetype"] and next(iter(direct)) == "mimetype"
    assert direct["Contents/header.xml"] == whole["Contents/header.xml"]
    assert _without_ids(direct["Contents/section0.xml"][1]) == _without_ids(whole["Contents/section0.xml"][1])
    document = HwpxDocument.open(io.BytesIO(render_hwpx(report)))
    assert not document.validate().issues


def test_a_column_that_is_only_ever_merged_is_built_by_python_hwpx():
    # column 1 starts the merged "나" and "다" but never holds a cell of its own
    table = Table(header_rows=[["가", Cell("나", colspan=2)]], rows=[[Cell("다", colspan=2), 1]] * 50)
    assert documents._stub_grid(table_grid(table)) is None
    report = Report("병합 열", dt.date(2026, 1, 2), blocks=[table])
    _, cells = _table_cells(HwpxDocument.open(io.BytesIO(render_hwpx(report))))
    assert cells[(50, 0)] == ((1, 2), "다")
    assert cells[(0, 1)] == ((1, 2), "나")


def test_datetime_values_stay_dates_in_xlsx():
    moment = dt.datetime(2024, 9, 23, 10, 0, tzinfo=SEOUL)
    report = Report("기한", dt.date(2024, 9, 13), blocks=[Table(header_rows=[["기한"]], rows=[[moment]])])
    ws = load_workbook(io.BytesIO(render_xlsx(report))).active
    cell = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, dt.datetime))
    assert cell.value == dt.datetime(2024, 9, 23, 10, 0)


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [("hwpx", "application/hwp+zip"), ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")],
)
def test_report_response_is_a_download_with_a_korean_name(fmt, content_type):
    response = report_response(budget_report(), fmt, "사업비 조서_2024")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert re.search(rf'filename="[A-Za-z0-9_-]+\.{fmt}"', disposition)  # ASCII fallback for old clients
    assert f"filename*=UTF-8''{quote(f'사업비 조서_2024.{fmt}')}" in disposition
    assert int(response["Content-Length"]) == len(response.content)


def test_report_response_refuses_an_unknown_format():
    with pytest.raises(ValueError):
        report_response(budget_report(), "pdf", "x")
