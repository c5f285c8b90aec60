"""Reading an uploaded table (CSV or XLSX/XLS/ODS) into rows of text: plain functions, no database.

Shared by the importers (org chart, province indicator list and results).  Each importer keeps its
own exception class and its own Korean wording: pass ``error`` (called with one message string)
and the messages that name the importer's file ("too many rows", "empty", "not a CSV").

CSV is UTF-8 (with or without BOM) or CP949/EUC-KR; a first line with tabs and no commas is read as
tab-separated.  Spreadsheets are read with python-calamine: the first visible worksheet, with row
numbers kept as in the sheet.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Sequence
from typing import Any

from charset_normalizer import from_bytes

ErrorFactory = Callable[[str], Exception]

UTF8_BOM = b"\xef\xbb\xbf"
NOT_TEXT = "CSV 파일이 아닙니다(글자가 아닌 내용이 들어 있습니다). CSV 또는 XLSX 파일을 올리세요."
BOM_NOT_UTF8 = "UTF-8 표시(BOM)가 있지만 내용이 UTF-8이 아닙니다. 파일을 다시 저장해 주세요."
UNKNOWN_ENCODING = "파일의 글자 인코딩을 알 수 없습니다. UTF-8 또는 CP949(EUC-KR) CSV로 저장해 주세요."
EMPTY = "파일이 비어 있습니다. CSV 또는 XLSX 파일을 선택하세요."
BROKEN_CSV = "CSV 파일을 읽을 수 없습니다({row}행 부근): 형식이 올바르지 않습니다."
BROKEN_SPREADSHEET = "엑셀 파일을 열 수 없습니다. 파일이 손상되었거나 암호가 걸려 있습니다. XLSX로 다시 저장해 주세요."
NO_SHEET = "엑셀 파일에 읽을 수 있는 시트가 없습니다."


def decode_text(
    data: bytes,
    *,
    error: ErrorFactory,
    not_text: str = NOT_TEXT,
    encodings: Sequence[str] | None = None,
) -> str:
    """CSV bytes as text, or ``error(message)``.

    By default a UTF-8 BOM means UTF-8, and otherwise charset-normalizer decides, asked about UTF-8
    and CP949 (a superset of EUC-KR) first and then about anything.  With ``encodings`` exactly
    those are tried, strictly and in order (e.g. ``("utf-8-sig", "cp949")``).  A NUL byte means the
    file is not text (``not_text``).
    """
    if encodings is None and data.startswith(UTF8_BOM):
        try:
            return data[len(UTF8_BOM) :].decode("utf-8")
        except UnicodeDecodeError:
            raise error(BOM_NOT_UTF8)
    if b"\x00" in data:
        raise error(not_text)
    if encodings is not None:
        for encoding in encodings:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise error(UNKNOWN_ENCODING)
    # Korean office files are UTF-8 or CP949: ask about those first.
    best = from_bytes(data, cp_isolation=["utf_8", "cp949"]).best()
    if best is None:
        best = from_bytes(data).best()
    if best is None:
        raise error(UNKNOWN_ENCODING)
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        raise error(UNKNOWN_ENCODING)


def read_csv_rows(
    data: bytes,
    *,
    max_rows: int,
    error: ErrorFactory,
    too_many: str,
    empty: str = EMPTY,
    not_text: str = NOT_TEXT,
    encodings: Sequence[str] | None = None,
    collapse_spaces: bool = False,
) -> list[list[str]]:
    """The rows of a CSV file as cleaned text cells; ``error(too_many)`` past ``max_rows`` rows."""
    text = decode_text(data, error=error, not_text=not_text, encodings=encodings)
    if not text.strip():
        raise error(empty)
    first_line = text.lstrip().splitlines()[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append([clean(c, collapse_spaces=collapse_spaces) for c in row])
            if len(rows) > max_rows:
                raise error(too_many)
    except csv.Error as exc:
        raise error(BROKEN_CSV.format(row=len(rows) + 1)) from exc
    return rows


def read_spreadsheet(
    data: bytes,
    *,
    max_rows: int,
    error: ErrorFactory,
    too_many: str,
    collapse_spaces: bool = False,
) -> list[list[str]]:
    """The first visible worksheet of an XLSX/XLS/ODS file as text cells, row numbers as in the sheet."""
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        visible = [
            i
            for i, meta in enumerate(workbook.sheets_metadata)
            if meta.typ == python_calamine.SheetTypeEnum.WorkSheet
            and meta.visible == python_calamine.SheetVisibleEnum.Visible
        ]
        if not visible:
            raise _NoSheet
        sheet = workbook.get_sheet_by_index(visible[0])
        raw = sheet.to_python(skip_empty_area=False, nrows=max_rows + 1)
    except _NoSheet:
        raise error(NO_SHEET) from None
    except Exception as exc:
        raise error(BROKEN_SPREADSHEET) from exc
    except BaseException as exc:
        # A malformed file can make the Rust reader panic (pyo3 PanicException derives from BaseException).
        if type(exc).__name__ == "PanicException":
            raise error(BROKEN_SPREADSHEET) from exc
        raise
    if len(raw) > max_rows:
        raise error(too_many)
    return [[cell_text(c, collapse_spaces=collapse_spaces) for c in row] for row in raw]


class _NoSheet(Exception):
    """The workbook opened but has no visible worksheet."""


def cell_text(value: Any, *, collapse_spaces: bool = False) -> str:
    """A spreadsheet cell as the text a person sees: ``3.0`` → ``"3"``, True → ``"Y"``, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return clean(str(value), collapse_spaces=collapse_spaces)


def clean(text: str, *, collapse_spaces: bool = False) -> str:
    """Drop the BOM and zero-width marks, turn non-breaking spaces into spaces and strip the ends.

    With ``collapse_spaces`` every run of whitespace (line breaks too) becomes one space.
    """
    # Cells copied from documents carry non-breaking spaces, zero-width marks and line breaks.
    text = text.replace("\ufeff", "").replace("\u200b", "").replace("\xa0", " ")
    if collapse_spaces:
        text = re.sub(r"\s+", " ", text)
    return text.strip()
