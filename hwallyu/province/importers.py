"""Reading and checking the province's files: plain functions, no database writes.

* The indicator list (시군평가 지표 목록) — columns, in any order, the header row may sit
  below a title row: 지표코드, 분야, 정책, 지표명, 구분(정량/정성), 단위, 방향(상향/하향),
  목표, 배점, 담당부서 (names or codes, ``;``-separated), 증빙기준, and optionally 부서평가연계.
* The published results of the cities and counties (시군평가 결과) — 연도, 시군, 평가군(시부/군부),
  점수, 순위.

A file is XLSX/XLS/ODS (python-calamine) or CSV (UTF-8 or CP949).  Every row is checked and
every problem is reported together, by row number as in the sheet ("5행 목표: ..."); the caller
saves nothing when there is any error.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from hwallyu.core import tabular

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 500
HEADER_SEARCH_ROWS = 10
DEPARTMENT_SEPARATOR = ";"
CODE_RE = re.compile(r"^[A-Za-z0-9가-힣][A-Za-z0-9가-힣_.\-]*$")
MAX_NUMBER = Decimal("1e14")
MAX_POINTS = Decimal("1000")

COL_CODE = "지표코드"
COL_FIELD = "분야"
COL_POLICY = "정책"
COL_NAME = "지표명"
COL_KIND = "구분"
COL_UNIT = "단위"
COL_DIRECTION = "방향"
COL_TARGET = "목표"
COL_POINTS = "배점"
COL_DEPARTMENTS = "담당부서"
COL_EVIDENCE = "증빙기준"
COL_LINK = "부서평가연계"
COLUMNS = (
    COL_CODE,
    COL_FIELD,
    COL_POLICY,
    COL_NAME,
    COL_KIND,
    COL_UNIT,
    COL_DIRECTION,
    COL_TARGET,
    COL_POINTS,
    COL_DEPARTMENTS,
    COL_EVIDENCE,
    COL_LINK,
)
REQUIRED_COLUMNS = (COL_CODE, COL_FIELD, COL_NAME, COL_KIND, COL_TARGET, COL_POINTS, COL_DEPARTMENTS)
ALIASES = {
    "코드": COL_CODE,
    "지표번호": COL_CODE,
    "지표": COL_NAME,
    "평가지표": COL_NAME,
    "유형": COL_KIND,
    "정량정성": COL_KIND,
    "목표값": COL_TARGET,
    "우리시목표": COL_TARGET,
    "목표치": COL_TARGET,
    "점수": COL_POINTS,
    "담당": COL_DEPARTMENTS,
    "주관부서": COL_DEPARTMENTS,
    "부서": COL_DEPARTMENTS,
    "증빙": COL_EVIDENCE,
    "증빙자료": COL_EVIDENCE,
    "연계지표": COL_LINK,
}
MAX_LENGTH = {COL_CODE: 30, COL_FIELD: 100, COL_POLICY: 200, COL_NAME: 200, COL_UNIT: 30, COL_LINK: 50}

KIND_VALUES = {"정량": "quantitative", "정성": "qualitative"}
DIRECTION_VALUES = {"상향": "rising", "하향": "falling", "↑": "rising", "↓": "falling"}

SPREADSHEET_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Tried strictly in this order; a file in neither is refused.
CSV_ENCODINGS = ("utf-8-sig", "cp949")

EMPTY = "파일이 비어 있습니다. XLSX 또는 CSV 파일을 선택하세요."
NOT_TEXT = "CSV 파일이 아닙니다(글자가 아닌 내용이 들어 있습니다). XLSX 또는 CSV 파일을 올리세요."
TOO_MANY = f"행이 너무 많습니다. 한 번에 {MAX_ROWS}행까지 가져올 수 있습니다."


@dataclass(frozen=True)
class RowError:
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.row}행 " if self.row else ""
        column = f"{self.column}: " if self.column else ""
        return f"{where}{column}{self.message}"


class ImportFileError(Exception):
    """The file cannot be imported; ``errors`` lists every problem.  Nothing was saved."""

    def __init__(self, message: str, errors: Iterable[RowError] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.errors = list(errors)

    def __str__(self) -> str:
        if not self.errors:
            return self.message
        return self.message + "\n" + "\n".join(str(e) for e in self.errors)


@dataclass(frozen=True)
class IndicatorRow:
    row: int
    code: str
    field: str
    policy: str
    name: str
    kind: str
    unit: str
    direction: str
    target: Decimal | None
    points: Decimal
    departments: tuple[Any, ...]
    evidence_rule: str = ""
    performance_code: str = ""


@dataclass(frozen=True)
class PeerRow:
    row: int
    year: int
    place: str
    group: str
    score: Decimal
    rank: int


# --- reading ----------------------------------------------------------------------------------


def read_table(data: bytes, filename: str = "") -> list[list[str]]:
    """The file's rows as text cells, whatever its format."""
    if not data:
        raise ImportFileError(EMPTY)
    if len(data) > MAX_BYTES:
        raise ImportFileError(f"파일이 너무 큽니다. {MAX_BYTES // (1024 * 1024)}MB 이하의 파일을 올리세요.")
    name = (filename or "").lower()
    if data.startswith((ZIP_MAGIC, OLE_MAGIC)) or name.endswith(SPREADSHEET_EXTENSIONS):
        return tabular.read_spreadsheet(
            data, max_rows=MAX_ROWS + HEADER_SEARCH_ROWS, error=ImportFileError, too_many=TOO_MANY, collapse_spaces=True
        )
    return tabular.read_csv_rows(
        data,
        max_rows=MAX_ROWS + HEADER_SEARCH_ROWS,
        error=ImportFileError,
        too_many=TOO_MANY,
        empty=EMPTY,
        not_text=NOT_TEXT,
        encodings=CSV_ENCODINGS,
        collapse_spaces=True,
    )


# --- shared checks ----------------------------------------------------------------------------


def parse_number(text: str) -> Decimal:
    """A number as the office writes it: ``1,234``, ``85.5%``, ``△3`` (negative).  ValueError otherwise."""
    raw = text.replace(",", "").replace("%", "").replace(" ", "").strip()
    if raw.startswith(("△", "▲")):
        raw = "-" + raw[1:]
    if not raw:
        raise ValueError("값이 없습니다.")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"숫자가 아닙니다: {text!r}")
    if not value.is_finite():
        raise ValueError(f"숫자가 아닙니다: {text!r}")
    if abs(value) >= MAX_NUMBER:
        raise ValueError("숫자가 너무 큽니다.")
    return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def indicator_rule_errors(
    *, kind: str, direction: str, target: Decimal | None, points: Decimal | None
) -> dict[str, str]:
    """The business rules of an indicator, by column; shared by the importer, forms and services."""
    errors: dict[str, str] = {}
    if kind == "quantitative":
        if direction not in ("rising", "falling"):
            errors[COL_DIRECTION] = "정량 지표는 방향(상향/하향)이 필요합니다."
        if target is None:
            errors[COL_TARGET] = "정량 지표는 목표가 필요합니다."
        elif target == 0 and direction == "falling":
            errors[COL_TARGET] = (
                "하향 지표의 목표가 0이면 달성도(목표 ÷ 실적)를 계산할 수 없습니다. 0보다 큰 목표를 적으세요."
            )
        elif target <= 0:
            errors[COL_TARGET] = "목표는 0보다 커야 합니다(달성도 = 실적 ÷ 목표)."
    if points is not None:
        if points < 0:
            errors[COL_POINTS] = "배점은 0 이상이어야 합니다."
        elif points >= MAX_POINTS:
            errors[COL_POINTS] = f"배점이 너무 큽니다({MAX_POINTS} 미만)."
    return errors


def _normalise_header(cell: str, aliases: Mapping[str, str]) -> str:
    key = re.sub(r"\s+", "", cell)
    key = key.split("(", 1)[0]
    return aliases.get(key, key)


def find_header(
    table: Sequence[Sequence[str]],
    columns: Sequence[str],
    required: Sequence[str],
    anchor: Sequence[str],
    aliases: Mapping[str, str],
) -> tuple[int, dict[str, int]]:
    for index, row in enumerate(table[:HEADER_SEARCH_ROWS]):
        keys = [_normalise_header(c, aliases) for c in row]
        if all(a in keys for a in anchor):
            positions: dict[str, int] = {}
            duplicates: list[str] = []
            for position, key in enumerate(keys):
                if key not in columns:
                    continue
                if key in positions:
                    duplicates.append(key)
                positions.setdefault(key, position)
            if duplicates:
                raise ImportFileError(
                    "머리글이 올바르지 않습니다.",
                    [RowError(index + 1, "", f"같은 열이 두 번 있습니다: {', '.join(dict.fromkeys(duplicates))}")],
                )
            missing = [c for c in required if c not in positions]
            if missing:
                raise ImportFileError(
                    "머리글이 올바르지 않습니다.",
                    [RowError(index + 1, "", f"필수 열이 없습니다: {', '.join(missing)}.")],
                )
            return index, positions
    raise ImportFileError(f"머리글 행을 찾을 수 없습니다. 첫 행에 {', '.join(columns)} 열 이름을 적어 주세요.")


# --- the indicator list -----------------------------------------------------------------------


def validate_indicator_rows(table: Sequence[Sequence[str]], departments: Mapping[str, Any]) -> list[IndicatorRow]:
    """Check every row of the indicator list.  ``departments`` maps department names and codes to
    departments.  Raises :class:`ImportFileError` listing every problem."""
    header_index, positions = find_header(table, COLUMNS, REQUIRED_COLUMNS, (COL_CODE, COL_NAME), ALIASES)
    errors: list[RowError] = []
    rows: list[IndicatorRow] = []
    seen: dict[str, int] = {}
    for index in range(header_index + 1, len(table)):
        cells = table[index]
        if not any(c.strip() for c in cells):
            continue
        number = index + 1

        def cell(column: str, cells: Sequence[str] = cells) -> str:
            position = positions.get(column)
            return cells[position].strip() if position is not None and position < len(cells) else ""

        row_errors: list[RowError] = []

        def err(column: str, message: str, number: int = number, row_errors: list[RowError] = row_errors) -> None:
            row_errors.append(RowError(number, column, message))

        values = {column: cell(column) for column in COLUMNS}
        for column in (COL_CODE, COL_FIELD, COL_NAME, COL_KIND, COL_POINTS, COL_DEPARTMENTS):
            if not values[column]:
                err(column, "비어 있습니다.")
        for column, limit in MAX_LENGTH.items():
            if len(values[column]) > limit:
                err(column, f"{limit}자 이하로 적으세요.")
        code = values[COL_CODE]
        if code and len(code) <= MAX_LENGTH[COL_CODE] and not CODE_RE.match(code):
            err(COL_CODE, "지표코드는 글자·숫자와 - _ . 만 쓸 수 있습니다.")
        if code:
            if code in seen:
                err(COL_CODE, f"지표코드 {code}가 {seen[code]}행과 중복됩니다. 지표코드는 한 번만 쓸 수 있습니다.")
            else:
                seen[code] = number

        kind = KIND_VALUES.get(values[COL_KIND].replace(" ", ""), "")
        if values[COL_KIND] and not kind:
            err(COL_KIND, f"정량 또는 정성이어야 합니다(받은 값: {values[COL_KIND]}).")
        direction = ""
        if kind != "qualitative":
            direction = DIRECTION_VALUES.get(values[COL_DIRECTION].replace(" ", ""), "")
            if values[COL_DIRECTION] and not direction:
                err(COL_DIRECTION, f"상향 또는 하향이어야 합니다(받은 값: {values[COL_DIRECTION]}).")
        target: Decimal | None = None
        if kind != "qualitative" and values[COL_TARGET]:
            try:
                target = parse_number(values[COL_TARGET])
            except ValueError as exc:
                err(COL_TARGET, str(exc))
        points: Decimal | None = None
        if values[COL_POINTS]:
            try:
                points = parse_number(values[COL_POINTS])
            except ValueError as exc:
                err(COL_POINTS, str(exc))
        if kind:
            rules = indicator_rule_errors(kind=kind, direction=direction, target=target, points=points)
            if values[COL_DIRECTION] and not direction:
                rules.pop(COL_DIRECTION, None)  # already reported as an unknown value
            if values[COL_TARGET] and target is None:
                rules.pop(COL_TARGET, None)  # already reported as not a number
            for column, message in rules.items():
                err(column, message)

        owners: list[Any] = []
        unknown: list[str] = []
        for part in values[COL_DEPARTMENTS].split(DEPARTMENT_SEPARATOR):
            key = part.strip()
            if not key:
                continue
            found = departments.get(key)
            if found is None:
                unknown.append(key)
            elif found not in owners:
                owners.append(found)
        if unknown:
            err(COL_DEPARTMENTS, f"없는 부서입니다: {', '.join(unknown)} (부서명 또는 부서코드, ';'로 구분).")
        elif values[COL_DEPARTMENTS] and not owners:
            err(COL_DEPARTMENTS, "담당 부서를 하나 이상 적으세요.")

        if row_errors:
            errors.extend(row_errors)
            continue
        assert points is not None
        rows.append(
            IndicatorRow(
                row=number,
                code=code,
                field=values[COL_FIELD],
                policy=values[COL_POLICY],
                name=values[COL_NAME],
                kind=kind,
                unit=values[COL_UNIT],
                direction=direction,
                target=target,
                points=points,
                departments=tuple(owners),
                evidence_rule=values[COL_EVIDENCE],
                performance_code=values[COL_LINK],
            )
        )
    if len(seen) > MAX_ROWS:
        errors.append(RowError(None, "", f"지표는 한 번에 {MAX_ROWS}개까지 가져올 수 있습니다."))
    if errors:
        raise ImportFileError(f"지표 목록에 오류가 {len(errors)}건 있어 아무것도 저장하지 않았습니다.", errors)
    if not rows:
        raise ImportFileError("가져올 지표가 없습니다. 머리글 아래에 지표를 적어 주세요.")
    return rows


def parse_indicator_file(data: bytes, filename: str, departments: Mapping[str, Any]) -> list[IndicatorRow]:
    return validate_indicator_rows(read_table(data, filename), departments)


def indicator_template_xlsx() -> bytes:
    """An empty indicator list with the headers and two example rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "시군평가 지표"
    ws.append(
        [
            COL_CODE,
            COL_FIELD,
            COL_POLICY,
            COL_NAME,
            f"{COL_KIND}(정량/정성)",
            COL_UNIT,
            f"{COL_DIRECTION}(상향/하향)",
            COL_TARGET,
            COL_POINTS,
            f"{COL_DEPARTMENTS}(;로 구분)",
            COL_EVIDENCE,
            COL_LINK,
        ]
    )
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.append(
        [
            "1-01",
            "일반행정",
            "열린 행정",
            "지방세 징수율",
            "정량",
            "%",
            "상향",
            98.5,
            1.2,
            "세정과",
            "징수 실적 보고서",
            "",
        ]
    )
    ws.append(
        ["9-01", "정성", "우수사례", "저출산 대응 우수사례", "정성", "", "", "", 2, "인구청년과;여성가족과", "", ""]
    )
    for letter, width in zip("ABCDEFGHIJKL", (10, 12, 16, 30, 12, 8, 12, 10, 8, 24, 24, 14), strict=True):
        ws.column_dimensions[letter].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- published results of the cities and counties ---------------------------------------------

PEER_YEAR = "연도"
PEER_PLACE = "시군"
PEER_GROUP = "평가군"
PEER_SCORE = "점수"
PEER_RANK = "순위"
PEER_COLUMNS = (PEER_YEAR, PEER_PLACE, PEER_GROUP, PEER_SCORE, PEER_RANK)
PEER_ALIASES = {
    "시군명": PEER_PLACE,
    "시·군": PEER_PLACE,
    "기관": PEER_PLACE,
    "구분": PEER_GROUP,
    "평가연도": PEER_YEAR,
}
GROUP_VALUES = {"시부": "city", "군부": "county"}


def validate_peer_rows(table: Sequence[Sequence[str]]) -> list[PeerRow]:
    header_index, positions = find_header(table, PEER_COLUMNS, PEER_COLUMNS, (PEER_PLACE, PEER_SCORE), PEER_ALIASES)
    errors: list[RowError] = []
    rows: list[PeerRow] = []
    seen: dict[tuple[int, str], int] = {}
    ranks: dict[tuple[int, str, int], int] = {}
    for index in range(header_index + 1, len(table)):
        cells = table[index]
        if not any(c.strip() for c in cells):
            continue
        number = index + 1
        values = {c: (cells[positions[c]].strip() if positions[c] < len(cells) else "") for c in PEER_COLUMNS}
        row_errors: list[RowError] = []
        year = 0
        try:
            year = int(parse_number(values[PEER_YEAR]))
            if not 2000 <= year <= 2100:
                raise ValueError("2000~2100 사이의 연도를 적으세요.")
        except ValueError as exc:
            row_errors.append(RowError(number, PEER_YEAR, str(exc)))
        place = values[PEER_PLACE]
        if not place:
            row_errors.append(RowError(number, PEER_PLACE, "비어 있습니다."))
        elif len(place) > 20:
            row_errors.append(RowError(number, PEER_PLACE, "20자 이하로 적으세요."))
        group = GROUP_VALUES.get(values[PEER_GROUP].replace(" ", ""), "")
        if not group:
            row_errors.append(RowError(number, PEER_GROUP, "시부 또는 군부여야 합니다."))
        score = Decimal(0)
        try:
            score = parse_number(values[PEER_SCORE])
            if score < 0 or score >= Decimal("10000"):
                raise ValueError("0 이상 10000 미만이어야 합니다.")
        except ValueError as exc:
            row_errors.append(RowError(number, PEER_SCORE, str(exc)))
        rank = 0
        try:
            rank_value = parse_number(values[PEER_RANK])
            if rank_value != rank_value.to_integral_value() or not 1 <= rank_value <= 50:
                raise ValueError("1 이상의 정수여야 합니다.")
            rank = int(rank_value)
        except ValueError as exc:
            row_errors.append(RowError(number, PEER_RANK, str(exc)))
        if not row_errors:
            key = (year, normalise_place(place))
            if key in seen:
                row_errors.append(RowError(number, PEER_PLACE, f"{year}년 {place}가 {seen[key]}행과 중복됩니다."))
            else:
                seen[key] = number
            rank_key = (year, group, rank)
            if rank_key in ranks:
                row_errors.append(
                    RowError(number, PEER_RANK, f"{year}년 같은 평가군의 {rank}위가 {ranks[rank_key]}행과 중복됩니다.")
                )
            else:
                ranks[rank_key] = number
        if row_errors:
            errors.extend(row_errors)
            continue
        rows.append(PeerRow(number, year, place, group, score, rank))
    if errors:
        raise ImportFileError(f"결과 파일에 오류가 {len(errors)}건 있어 아무것도 저장하지 않았습니다.", errors)
    if not rows:
        raise ImportFileError("가져올 결과가 없습니다.")
    return rows


def parse_peer_file(data: bytes, filename: str) -> list[PeerRow]:
    return validate_peer_rows(read_table(data, filename))


def normalise_place(name: str) -> str:
    """``논산시`` and ``논산`` are the same place."""
    name = re.sub(r"\s+", "", name)
    if len(name) > 2 and name.endswith(("시", "군")):
        return name[:-1]
    return name
