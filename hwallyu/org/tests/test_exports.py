"""The department list as XLSX and HWPX, reopened with the library that reads each format."""

import io

from django.test import Client
from django.urls import reverse
from hwpx import HwpxDocument
from openpyxl import load_workbook

from hwallyu.org import demo
from hwallyu.org.exports import HEADER


def download(user, fmt, **params):
    client = Client()
    client.force_login(user)
    response = client.get(reverse("org:department_export", args=[fmt]), params)
    assert response.status_code == 200
    return response


def sheet_rows(data):
    sheet = load_workbook(io.BytesIO(data)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_xlsx_has_header_rows_and_totals(org):
    response = download(org.staff, "xlsx")
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".xlsx" in response["Content-Disposition"]
    rows = sheet_rows(response.content)
    header_at = next(i for i, r in enumerate(rows) if r[: len(HEADER)] == HEADER)
    body = rows[header_at + 1 : header_at + 4]
    assert [r[2] for r in body] == ["기획감사실", "미래전략과", "강경읍"]
    assert body[1][:6] == [2, "D001", "미래전략과", "본청", "자치행정국", "본청 사업부서"]
    assert body[0][6] == 2  # 혁신기획팀, 감사팀
    assert body[1][7] == 2  # manager, staff
    total = rows[header_at + 4]
    assert str(total[0]).startswith("합계 (본청 2 · 직속기관 0 · 사업소 0 · 읍면동 1)")
    assert total[6] == 2 and total[7] == 8
    assert any("논산시 부서 현황" in str(v) for r in rows[:header_at] for v in r)


def test_hwpx_reopens_with_the_same_table(org):
    data = download(org.planner, "hwpx").content
    document = HwpxDocument.open(data)
    texts = [p.text for p in document.paragraphs]
    assert "논산시 부서 현황" in texts[0]
    table = document.tables[0]
    cells = {cell.address: cell.text for row in table.rows for cell in row.cells}
    assert [cells[(0, c)] for c in range(len(HEADER))] == HEADER
    assert cells[(2, 2)] == "미래전략과"
    assert cells[(4, 0)].startswith("합계")
    assert table.row_count == 5


def test_export_follows_the_list_filters(org):
    rows = sheet_rows(download(org.staff, "xlsx", kind="local").content)
    names = [r[2] for r in rows if isinstance(r[0], int)]
    assert names == ["강경읍"]


def test_demo_city_export_has_59_rows(db):
    from django.contrib.auth import get_user_model

    demo.load()
    rows = sheet_rows(download(get_user_model().objects.get(username="planner"), "xlsx").content)
    numbered = [r for r in rows if isinstance(r[0], int)]
    assert len(numbered) == 59 and numbered[-1][2] == "부창동"
    total = next(r for r in rows if str(r[0]).startswith("합계"))
    assert "본청 36 · 직속기관 7 · 사업소 1 · 읍면동 15" in total[0]
