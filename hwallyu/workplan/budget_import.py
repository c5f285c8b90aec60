"""Reading a budget statement (사업비 조서) from an XLSX (or CSV) file laid out like the seed.

The reader finds the header row ("사업명"), maps the columns by their labels (총사업비, 계,
국비, 도비, 시비, 기타, 이후), reads the unit ("(단위 : 백만원)") and then every row: the
header row "N건" with its totals as written, and one row per project.  It never corrects a
number.  Anything it cannot read is a :class:`Problem` named by row and column; when there
is any problem the caller saves nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from hwallyu.workplan.budget import COLUMN_LABELS
from hwallyu.workplan.models import MONEY_FIELDS
from hwallyu.workplan.money import MAX_WON

MAX_ROWS = 2000
MAX_COLS = 60
HEADER_SEARCH_ROWS = 30
DASHES = {"-", "–", "—", "－", "―", "ㅡ"}
UNITS = (("백만원", 1_000_000), ("천원", 1_000), ("원", 1))
NOTE_PREFIXES = ("※", "*", "주)", "주 )")
SIGNS_NEGATIVE = ("△", "▲", "-")
_HEADER_RE = re.compile(r"^(\d+)\s*건$")
_TOTAL_LABELS = {"합계", "총계", "계"}


def column_letter(col: int) -> str:
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class Problem:
    """One thing the file gets wrong, named by its row and column (1-based, as Excel shows them)."""

    message: str
    row: int | None = None
    col: int | None = None
    column_label: str = ""

    @property
    def column(self) -> str:
        return column_letter(self.col) if self.col else ""

    @property
    def place(self) -> str:
        parts = []
        if self.row:
            parts.append(f"{self.row}행")
        if self.col:
            parts.append(f"{self.column}열" + (f"({self.column_label})" if self.column_label else ""))
        elif self.column_label:
            parts.append(self.column_label)
        return " ".join(parts)

    def text(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column or None,
            "column_label": self.column_label or None,
            "message": self.message,
            "text": self.text(),
        }


@dataclass
class ParsedLine:
    name: str
    amounts: dict[str, int | None]
    source_row: int


@dataclass
class ParsedStatement:
    unit_label: str
    multiplier: int
    lines: list[ParsedLine] = field(default_factory=list)
    header_entered: dict[str, Any] | None = None
    header_row: int | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    parsed: ParsedStatement | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return self.parsed is not None and not self.problems


# --- reading the cells ------------------------------------------------------------------

Grid = list[list[Any]]
Merged = list[tuple[int, int, int, int]]  # min_row, min_col, max_row, max_col (1-based)


def _read_xlsx(data: bytes) -> tuple[Grid, Merged, list[Problem]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    except Exception:  # noqa: BLE001 - any unreadable workbook is the user's file problem
        return [], [], [Problem("XLSX 파일을 열 수 없습니다. 파일이 손상되었거나 암호가 걸려 있는지 확인하세요.")]
    sheet = None
    for ws in wb.worksheets:
        if ws.max_row > MAX_ROWS or ws.max_column > MAX_COLS:
            continue
        for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, HEADER_SEARCH_ROWS), values_only=True):
            if any(_norm(v) == "사업명" for v in row):
                sheet = ws
                break
        if sheet is not None:
            break
    sheet = sheet or wb.active
    if sheet is None:
        return [], [], [Problem("통합 문서에 시트가 없습니다.")]
    if sheet.max_row > MAX_ROWS or sheet.max_column > MAX_COLS:
        return [], [], [Problem(f"시트가 너무 큽니다(최대 {MAX_ROWS}행 × {MAX_COLS}열).")]
    grid = [list(row) for row in sheet.iter_rows(values_only=True)]
    merged = [(r.min_row, r.min_col, r.max_row, r.max_col) for r in sheet.merged_cells.ranges]
    wb.close()
    return grid, merged, []


def _read_csv(data: bytes) -> tuple[Grid, list[Problem], str]:
    encoding = ""
    text = ""
    for candidate in ("utf-8-sig", "cp949"):
        try:
            text = data.decode(candidate)
            encoding = candidate
            break
        except UnicodeDecodeError:
            continue
    if not encoding:
        return (
            [],
            [Problem("글자 인코딩을 알 수 없습니다. UTF-8 또는 CP949(한글 완성형)로 저장한 CSV인지 확인하세요.")],
            "",
        )
    if "\x00" in text:
        return [], [Problem("텍스트(CSV) 파일이 아닙니다.")], ""
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        return [], [Problem(f"CSV 형식을 읽을 수 없습니다: {exc}")], ""
    if len(rows) > MAX_ROWS:
        return [], [Problem(f"행이 너무 많습니다(최대 {MAX_ROWS}행).")], ""
    grid: Grid = [[cell if cell != "" else None for cell in row] for row in rows]
    note = "CP949(한글 완성형) 인코딩으로 읽었습니다." if encoding == "cp949" else ""
    return grid, [], note


def read_cells(data: bytes, filename: str) -> tuple[Grid, Merged, list[Problem], list[str]]:
    """The file's cells as a grid (row lists), its merged ranges, problems and notes."""
    if not data:
        return [], [], [Problem("빈 파일입니다.")], []
    if data[:4] == b"PK\x03\x04":
        grid, merged, problems = _read_xlsx(data)
        return grid, merged, problems, []
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return [], [], [Problem("예전 엑셀(.xls) 형식입니다. 엑셀에서 .xlsx 형식으로 저장한 뒤 올려 주세요.")], []
    if filename.lower().endswith((".csv", ".txt")):
        grid, problems, note = _read_csv(data)
        return grid, [], problems, [note] if note else []
    return (
        [],
        [],
        [Problem("XLSX 파일이 아닙니다. 엑셀 통합 문서(.xlsx) 또는 CSV 파일을 올려 주세요.")],
        [],
    )


# --- cell values --------------------------------------------------------------------------


def _norm(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    return re.sub(r"[\s'‘’`\"“”]+", "", value)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def looks_garbled(text: str) -> bool:
    """True for text that is CP949 (한글 완성형) bytes read as another encoding (e.g. "»ç¾÷¸í")."""
    if "\ufffd" in text:
        return True
    high = sum(1 for ch in text if 0x80 <= ord(ch) <= 0x2122 and not ("\u1100" <= ch <= "\u11ff"))
    if high < 2:
        return False
    for encoding in ("latin-1", "cp1252"):
        try:
            decoded = text.encode(encoding).decode("cp949")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if any("\uac00" <= ch <= "\ud7a3" for ch in decoded):
            return True
    return False


def _clean_text(value: Any) -> str:
    return re.sub(r"\s+", " ", str(value)).strip()


def parse_amount(value: Any, multiplier: int) -> tuple[int | None, str]:
    """A money cell → whole won (None for "-" or empty), or an error message."""
    if _is_blank(value):
        return None, ""
    if isinstance(value, bool):
        return None, "숫자가 아닙니다(참/거짓 값)."
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return None, "숫자가 아니라 날짜로 입력되어 있습니다."
    if isinstance(value, int | float | Decimal):
        if isinstance(value, float) and value != value:  # NaN
            return None, "숫자가 아닙니다."
        number = Decimal(str(value))
    else:
        text = str(value).strip()
        if text in DASHES:
            return None, ""
        if looks_garbled(text):
            return None, f"글자가 깨져 있습니다(CP949 한글이 잘못 읽힌 것으로 보입니다): {text[:20]!r}"
        compact = text.replace(",", "").replace(" ", "")
        negative = compact.startswith(SIGNS_NEGATIVE) and len(compact) > 1
        if negative:
            compact = compact[1:]
        try:
            number = Decimal(compact)
        except InvalidOperation:
            return None, f"숫자가 아닙니다: {text[:30]!r}"
        if not number.is_finite():
            return None, f"숫자가 아닙니다: {text[:30]!r}"
        if negative:
            number = -number
    if not number.is_finite():
        return None, "숫자가 아닙니다."
    if number < 0:
        return None, "음수는 입력할 수 없습니다."
    won = number * multiplier
    if won != won.to_integral_value():
        return None, "원 단위 미만의 금액입니다."
    if won > MAX_WON:
        return None, "금액이 너무 큽니다."
    return int(won), ""


# --- the layout ---------------------------------------------------------------------------

_LABEL_FIELDS = {
    "총사업비": "total_cost",
    "계": "this_year",
    "소계": "this_year",
    "국비": "national",
    "도비": "provincial",
    "시비": "city",
    "기타": "other",
}


def _field_of_label(text: str) -> str | None:
    if text in _LABEL_FIELDS:
        return _LABEL_FIELDS[text]
    if "이후" in text:
        return "later"
    return None


def _cell(grid: Grid, row: int, col: int) -> Any:
    """1-based access; cells beyond a short row are empty."""
    if row < 1 or row > len(grid):
        return None
    values = grid[row - 1]
    return values[col - 1] if 1 <= col <= len(values) else None


def _find_unit(grid: Grid, upto_row: int) -> tuple[str, int] | None:
    for r in range(1, upto_row + 1):
        for value in grid[r - 1]:
            text = _norm(value)
            if "단위" in text:
                for label, multiplier in UNITS:
                    if label in text:
                        return label, multiplier
    return None


def parse_statement(data: bytes, filename: str = "budget.xlsx") -> ImportResult:
    """Read a budget statement file.  Never raises for bad content: problems are returned."""
    grid, merged, problems, notes = read_cells(data, filename)
    if problems:
        return ImportResult(None, problems)
    width = max((len(r) for r in grid), default=0)

    header_row = 0
    name_col = 0
    for r in range(1, min(len(grid), HEADER_SEARCH_ROWS) + 1):
        for c, value in enumerate(grid[r - 1], start=1):
            if _norm(value) == "사업명":
                header_row, name_col = r, c
                break
        if header_row:
            break
    if not header_row:
        for r in range(1, min(len(grid), HEADER_SEARCH_ROWS) + 1):
            for c, value in enumerate(grid[r - 1], start=1):
                if isinstance(value, str) and looks_garbled(value):
                    return ImportResult(
                        None,
                        [Problem("글자가 깨져 있습니다(CP949 한글이 잘못 읽힌 것으로 보입니다).", r, c)],
                    )
        return ImportResult(
            None,
            [
                Problem(
                    "'사업명' 머리글을 찾을 수 없습니다. 사업비 조서 양식(사업명, 총사업비, 계, 국비, 도비, 시비, "
                    "기타, 이후)인지 확인하세요."
                )
            ],
        )

    # column labels: on the header row and, for the sources under "투자계획", on the row below
    columns: dict[str, int] = {}
    sub_row = header_row
    for r in (header_row, header_row + 1):
        for c in range(1, width + 1):
            fld = _field_of_label(_norm(_cell(grid, r, c)))
            if fld and fld not in columns:
                columns[fld] = c
                sub_row = max(sub_row, r)
    missing = [f for f in MONEY_FIELDS if f not in columns]
    if missing:
        return ImportResult(
            None,
            [
                Problem(f"'{COLUMN_LABELS[f]}' 열 머리글을 찾을 수 없습니다.", header_row, None, COLUMN_LABELS[f])
                for f in missing
            ],
        )
    order = [name_col] + [columns[f] for f in MONEY_FIELDS]
    if order != sorted(order) or len(set(order)) != len(order):
        expected = ", ".join(["사업명"] + [COLUMN_LABELS[f] for f in MONEY_FIELDS])
        return ImportResult(None, [Problem(f"열 순서가 양식과 다릅니다(양식: {expected}).", sub_row)])
    last_col = max(order)

    unit = _find_unit(grid, sub_row)
    if unit is None:
        unit_label, multiplier = "백만원", 1_000_000
        notes.append("단위 표시가 없어 백만원으로 읽었습니다.")
    else:
        unit_label, multiplier = unit

    # merged cells below the header cannot be read as one value per column
    for min_row, min_col, max_row, max_col in sorted(merged):
        if max_row > sub_row:
            span = f"{column_letter(min_col)}{min_row}:{column_letter(max_col)}{max_row}"
            problems.append(
                Problem(f"병합된 셀({span})이 있습니다. 병합을 풀고 칸마다 값을 넣어 주세요.", min_row, min_col)
            )

    parsed = ParsedStatement(unit_label=unit_label, multiplier=multiplier, warnings=notes)
    blank_rows: list[int] = []
    field_by_col = {c: f for f, c in columns.items()}
    for r in range(sub_row + 1, len(grid) + 1):
        values = grid[r - 1]
        if all(_is_blank(v) for v in values):
            blank_rows.append(r)
            continue
        first_text = next((v for v in values if not _is_blank(v)), None)
        if isinstance(first_text, str) and first_text.strip().startswith(NOTE_PREFIXES):
            parsed.warnings.append(f"{r}행: 주석 행으로 보고 건너뛰었습니다.")
            continue
        if blank_rows and (parsed.lines or parsed.header_entered is not None):
            parsed.warnings.extend(f"{b}행: 빈 행을 건너뛰었습니다." for b in blank_rows)
        blank_rows = []
        row_problems: list[Problem] = []
        for c in range(1, len(values) + 1):
            value = values[c - 1]
            if _is_blank(value):
                continue
            if c < name_col or c > last_col:
                row_problems.append(
                    Problem(
                        "양식의 열 밖에 값이 있습니다. 열이 밀리지 않았는지 확인하세요.",
                        r,
                        c,
                    )
                )
            elif c != name_col and c not in field_by_col:
                row_problems.append(Problem("머리글이 없는 열에 값이 있습니다. 열이 밀리지 않았는지 확인하세요.", r, c))
        raw_name = _cell(grid, r, name_col)
        name = ""
        if _is_blank(raw_name):
            row_problems.append(Problem("사업명이 비어 있습니다.", r, name_col, "사업명"))
        elif not isinstance(raw_name, str):
            row_problems.append(
                Problem(
                    f"사업명 자리에 숫자·날짜({raw_name})가 있습니다. 열이 밀리지 않았는지 확인하세요.",
                    r,
                    name_col,
                    "사업명",
                )
            )
        elif looks_garbled(raw_name):
            row_problems.append(
                Problem("글자가 깨져 있습니다(CP949 한글이 잘못 읽힌 것으로 보입니다).", r, name_col, "사업명")
            )
        else:
            name = _clean_text(raw_name)
            if len(name) > 300:
                row_problems.append(Problem("사업명이 너무 깁니다(300자 이하).", r, name_col, "사업명"))
        amounts: dict[str, int | None] = {}
        for fld in MONEY_FIELDS:
            c = columns[fld]
            won, error = parse_amount(_cell(grid, r, c), multiplier)
            if error:
                row_problems.append(Problem(error, r, c, COLUMN_LABELS[fld]))
            amounts[fld] = won
        problems.extend(row_problems)
        if row_problems:
            continue
        match = _HEADER_RE.match(name.replace(" ", ""))
        is_total = match is not None or name.replace(" ", "") in _TOTAL_LABELS
        if is_total:
            if parsed.lines or parsed.header_entered is not None:
                problems.append(
                    Problem("총계 행(N건)은 사업 행보다 먼저 한 번만 올 수 있습니다.", r, name_col, "사업명")
                )
                continue
            parsed.header_entered = {"count": int(match.group(1)) if match else None, **amounts}
            parsed.header_row = r
            continue
        parsed.lines.append(ParsedLine(name=name, amounts=amounts, source_row=r))
    if not problems and not parsed.lines:
        problems.append(Problem("사업 행이 없습니다. 머리글 아래에 사업별 행을 넣어 주세요.", sub_row + 1))
    return ImportResult(None if problems else parsed, problems)
