"""Reading uploaded tables: Korean encodings, delimiters, spreadsheets, and the caller's own error type."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from hwallyu.core import tabular


class CallerError(Exception):
    pass


HEADER = ["부서코드", "부서명", "구분"]
ROW = ["D001", "미래전략과", "본청"]


def csv_bytes(rows, *, encoding="utf-8", delimiter=","):
    return "\r\n".join(delimiter.join(r) for r in rows).encode(encoding)


def xlsx(*rows, hidden_first=False):
    wb = Workbook()
    ws = wb.active
    if hidden_first:
        ws.append(["숨긴 시트"])
        ws.sheet_state = "hidden"
        ws = wb.create_sheet("보이는 시트")
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read_csv(data, **kwargs):
    return tabular.read_csv_rows(data, max_rows=10, error=CallerError, too_many="너무 많음", **kwargs)


def test_cp949_text_is_decoded():
    data = csv_bytes([HEADER, ROW], encoding="cp949")
    assert tabular.decode_text(data, error=CallerError).startswith("부서코드,부서명")
    assert read_csv(data) == [HEADER, ROW]
    assert read_csv(data, encodings=("utf-8-sig", "cp949")) == [HEADER, ROW]


def test_utf8_bom_is_dropped():
    data = b"\xef\xbb\xbf" + csv_bytes([HEADER, ROW])
    assert tabular.decode_text(data, error=CallerError) == "부서코드,부서명,구분\r\n" + ",".join(ROW)
    assert read_csv(data)[0] == HEADER
    assert read_csv(data, encodings=("utf-8-sig", "cp949"))[0] == HEADER


def test_a_bom_over_text_that_is_not_utf8_is_refused():
    data = b"\xef\xbb\xbf" + csv_bytes([HEADER], encoding="cp949")
    with pytest.raises(CallerError, match="BOM"):
        tabular.decode_text(data, error=CallerError)


def test_tab_delimited_rows_are_split_on_tabs():
    data = csv_bytes([HEADER, ["D001", "미래전략과, 기획", "본청"]], delimiter="\t")
    assert read_csv(data) == [HEADER, ["D001", "미래전략과, 기획", "본청"]]


def test_binary_empty_and_oversized_files_raise_the_callers_error_with_its_messages():
    with pytest.raises(CallerError, match="바이너리"):
        read_csv(b"a,b\x00c", not_text="바이너리")
    with pytest.raises(CallerError, match="빈 파일"):
        read_csv(b" \r\n ", empty="빈 파일")
    with pytest.raises(CallerError, match="너무 많음"):
        read_csv(csv_bytes([ROW] * 11))
    assert len(read_csv(csv_bytes([ROW] * 10))) == 10


def test_strict_encodings_refuse_what_neither_decodes():
    with pytest.raises(CallerError, match="인코딩"):
        tabular.decode_text(b"\xff\xfe\xfa\xfb", error=CallerError, encodings=("utf-8-sig", "cp949"))


def test_cells_are_cleaned_and_whitespace_collapsed_on_request():
    data = csv_bytes([["\u200b 미래\xa0전략과 ", '"여러\n줄"']])
    assert read_csv(data) == [["미래 전략과", "여러\n줄"]]
    assert read_csv(data, collapse_spaces=True) == [["미래 전략과", "여러 줄"]]


def test_the_first_visible_sheet_is_read_as_text():
    data = xlsx(HEADER, ["D001", 3.0, True], [None, 2.5, dt.date(2025, 3, 1)], hidden_first=True)
    rows = tabular.read_spreadsheet(data, max_rows=10, error=CallerError, too_many="너무 많음")
    assert rows == [HEADER, ["D001", "3", "Y"], ["", "2.5", "2025-03-01"]]


def test_a_sheet_past_the_cap_raises_the_callers_message():
    data = xlsx(*([ROW] * 4))
    assert len(tabular.read_spreadsheet(data, max_rows=4, error=CallerError, too_many="많음")) == 4
    with pytest.raises(CallerError, match="많음"):
        tabular.read_spreadsheet(data, max_rows=3, error=CallerError, too_many="많음")


@pytest.mark.parametrize(
    "data", [b"PK\x03\x04 not really a zip", xlsx(HEADER)[:300], b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]
)
def test_a_broken_workbook_raises_the_callers_error(data):
    with pytest.raises(CallerError) as info:
        tabular.read_spreadsheet(data, max_rows=10, error=CallerError, too_many="너무 많음")
    assert str(info.value) == tabular.BROKEN_SPREADSHEET


def test_cell_text():
    assert tabular.cell_text(None) == ""
    assert tabular.cell_text(False) == "N"
    assert tabular.cell_text(12.0) == "12"
    assert tabular.cell_text(dt.timedelta(hours=2)) == "2:00:00"
    assert tabular.cell_text(" a \n b ") == "a \n b"
    assert tabular.cell_text(" a \n b ", collapse_spaces=True) == "a b"
