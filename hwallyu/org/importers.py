"""Reading and checking an org chart file (조직도 가져오기): plain functions, no database writes.

A file is CSV (UTF-8 with or without BOM, or CP949/EUC-KR, detected with charset-normalizer)
or a spreadsheet (XLSX/XLS/ODS, read with python-calamine).  Both become a list of rows of
text, and one validator turns those rows into :class:`OrgRow` values or raises
:class:`OrgImportError` listing every problem by row number ("3행 구분: ...").

Columns (Korean headers, any order; the header row may sit below a title row):
부서코드, 부서명, 구분(본청/직속기관/사업소/읍면동), 국, 평가군, 팀(optional, ``;``-separated), 사용(Y/N).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from hwallyu.core import tabular
from hwallyu.org.models import DepartmentKind

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
HEADER_SEARCH_ROWS = 10

COL_CODE = "부서코드"
COL_NAME = "부서명"
COL_KIND = "구분"
COL_BUREAU = "국"
COL_GROUP = "평가군"
COL_TEAMS = "팀"
COL_ACTIVE = "사용"
COLUMNS = (COL_CODE, COL_NAME, COL_KIND, COL_BUREAU, COL_GROUP, COL_TEAMS, COL_ACTIVE)
REQUIRED_COLUMNS = (COL_CODE, COL_NAME, COL_KIND, COL_BUREAU, COL_GROUP, COL_ACTIVE)
# Cells that may not be blank.  국 may be: 직속기관, 사업소 and 읍면동 usually belong to no bureau.
REQUIRED_CELLS = (COL_CODE, COL_NAME, COL_KIND, COL_GROUP, COL_ACTIVE)

KIND_BY_LABEL = {str(label): value for value, label in DepartmentKind.choices}
KIND_LABELS = "/".join(KIND_BY_LABEL)
ACTIVE_VALUES = {"Y": True, "N": False}
CODE_RE = re.compile(r"^[A-Za-z0-9_-]+$")
MAX_LENGTH = {COL_CODE: 20, COL_NAME: 50, COL_BUREAU: 50, COL_GROUP: 50, COL_TEAMS: 50}
TEAM_SEPARATOR = ";"

SPREADSHEET_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

EMPTY = "파일이 비어 있습니다. 조직도 CSV 또는 XLSX 파일을 선택하세요."
TOO_MANY = f"행이 너무 많습니다. 한 번에 {MAX_ROWS:,}개 부서까지 가져올 수 있습니다."


@dataclass(frozen=True)
class RowError:
    """One problem, tied to a row of the file (1 = the first line) and a column when known."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.row}행 " if self.row else ""
        column = f"{self.column}: " if self.column else ""
        return f"{where}{column}{self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": str(self)}


class OrgImportError(Exception):
    """The file cannot be imported.  ``errors`` lists every problem found; nothing was saved."""

    def __init__(self, message: str, errors: Iterable[RowError] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.errors = list(errors)

    def __str__(self) -> str:
        if not self.errors:
            return self.message
        return self.message + "\n" + "\n".join(str(e) for e in self.errors)


@dataclass(frozen=True)
class OrgRow:
    """One checked department row."""

    row: int
    code: str
    name: str
    kind: str
    bureau: str
    group: str
    teams: tuple[str, ...] = field(default_factory=tuple)
    active: bool = True


# --- reading -----------------------------------------------------------------------


def read_table(data: bytes, filename: str = "") -> list[list[str]]:
    """The file's rows as text cells, whatever its format."""
    if not data:
        raise OrgImportError(EMPTY)
    if len(data) > MAX_BYTES:
        raise OrgImportError(f"파일이 너무 큽니다. {MAX_BYTES // (1024 * 1024)}MB 이하의 파일을 올리세요.")
    name = (filename or "").lower()
    if data.startswith((ZIP_MAGIC, OLE_MAGIC)) or name.endswith(SPREADSHEET_EXTENSIONS):
        return tabular.read_spreadsheet(
            data, max_rows=MAX_ROWS + HEADER_SEARCH_ROWS, error=OrgImportError, too_many=TOO_MANY
        )
    return tabular.read_csv_rows(
        data, max_rows=MAX_ROWS + HEADER_SEARCH_ROWS, error=OrgImportError, too_many=TOO_MANY, empty=EMPTY
    )


# --- checking ----------------------------------------------------------------------


def find_header(table: Sequence[Sequence[str]]) -> tuple[int, dict[str, int]]:
    """The index of the header row and each column's position."""
    for index, row in enumerate(table[:HEADER_SEARCH_ROWS]):
        cells = [re.sub(r"\s+", "", c) for c in row]
        if COL_CODE in cells and COL_NAME in cells:
            positions: dict[str, int] = {}
            duplicates: list[str] = []
            for position, cell in enumerate(cells):
                key = _header_key(cell)
                if key is None:
                    continue
                if key in positions:
                    duplicates.append(key)
                positions.setdefault(key, position)
            if duplicates:
                raise OrgImportError(
                    "머리글이 올바르지 않습니다.",
                    [RowError(index + 1, "", f"같은 열이 두 번 있습니다: {', '.join(dict.fromkeys(duplicates))}")],
                )
            missing = [c for c in REQUIRED_COLUMNS if c not in positions]
            if missing:
                raise OrgImportError(
                    "머리글이 올바르지 않습니다.",
                    [
                        RowError(
                            index + 1,
                            "",
                            f"필수 열이 없습니다: {', '.join(missing)}. 머리글은 {', '.join(COLUMNS)} 이어야 합니다.",
                        )
                    ],
                )
            return index, positions
    raise OrgImportError(
        f"머리글 행을 찾을 수 없습니다. 첫 행에 {', '.join(COLUMNS)} 열 이름을 적어 주세요 "
        "(CSV 또는 XLSX 조직도 파일인지 확인하세요)."
    )


def _header_key(cell: str) -> str | None:
    if cell in COLUMNS:
        return cell
    # "구분(본청/직속기관/사업소/읍면동)", "사용(Y/N)", "팀(;로구분)" in a template's header are accepted.
    base = cell.split("(", 1)[0]
    return base if base in COLUMNS else None


def validate_rows(table: Sequence[Sequence[str]]) -> list[OrgRow]:
    """Check every row; all problems are reported together."""
    header_index, positions = find_header(table)
    errors: list[RowError] = []
    rows: list[OrgRow] = []
    seen_codes: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    for index in range(header_index + 1, len(table)):
        cells = table[index]
        if not any(c.strip() for c in cells):
            continue
        number = index + 1

        def cell(column: str, cells: Sequence[str] = cells) -> str:
            position = positions.get(column)
            return cells[position].strip() if position is not None and position < len(cells) else ""

        row_errors: list[RowError] = []
        values = {column: cell(column) for column in COLUMNS}
        for column in REQUIRED_CELLS:
            if not values[column]:
                row_errors.append(RowError(number, column, "값이 비어 있습니다."))
        for column, limit in MAX_LENGTH.items():
            if column == COL_TEAMS:
                continue
            if len(values[column]) > limit:
                row_errors.append(
                    RowError(number, column, f"{limit}자를 넘을 수 없습니다 (현재 {len(values[column])}자).")
                )
        code = values[COL_CODE]
        if code and len(code) <= MAX_LENGTH[COL_CODE] and not CODE_RE.match(code):
            row_errors.append(RowError(number, COL_CODE, f"'{code}'은(는) 영문, 숫자, -, _ 만 쓸 수 있습니다."))
        kind_label = values[COL_KIND]
        kind = KIND_BY_LABEL.get(kind_label, "")
        if kind_label and not kind:
            row_errors.append(
                RowError(number, COL_KIND, f"'{kind_label}'은(는) 허용되지 않는 값입니다 ({KIND_LABELS})")
            )
        active_text = values[COL_ACTIVE].upper()
        if active_text and active_text not in ACTIVE_VALUES:
            row_errors.append(
                RowError(number, COL_ACTIVE, f"'{values[COL_ACTIVE]}'은(는) 허용되지 않는 값입니다 (Y/N)")
            )
        teams: list[str] = []
        for team in (t.strip() for t in values[COL_TEAMS].split(TEAM_SEPARATOR)):
            if not team:
                continue
            if len(team) > MAX_LENGTH[COL_TEAMS]:
                row_errors.append(
                    RowError(number, COL_TEAMS, f"'{team[:20]}…'은(는) {MAX_LENGTH[COL_TEAMS]}자를 넘습니다.")
                )
            elif team in teams:
                row_errors.append(RowError(number, COL_TEAMS, f"'{team}'이(가) 두 번 적혀 있습니다."))
            else:
                teams.append(team)
        if code:
            if code in seen_codes:
                row_errors.append(RowError(number, COL_CODE, f"'{code}'이(가) {seen_codes[code]}행과 중복됩니다."))
            else:
                seen_codes[code] = number
        name = values[COL_NAME]
        if name:
            if name in seen_names:
                row_errors.append(RowError(number, COL_NAME, f"'{name}'이(가) {seen_names[name]}행과 중복됩니다."))
            else:
                seen_names[name] = number
        if row_errors:
            errors.extend(row_errors)
            continue
        rows.append(
            OrgRow(
                row=number,
                code=code,
                name=name,
                kind=kind,
                bureau=values[COL_BUREAU],
                group=values[COL_GROUP],
                teams=tuple(teams),
                active=ACTIVE_VALUES[active_text],
            )
        )
        if len(rows) > MAX_ROWS:
            raise OrgImportError(TOO_MANY)
    if errors:
        raise OrgImportError(f"{len({e.row for e in errors})}개 행에 오류가 있어 아무것도 저장하지 않았습니다.", errors)
    if not rows:
        raise OrgImportError("머리글 아래에 부서 행이 없습니다.")
    return rows


def parse_org_chart(data: bytes, filename: str = "") -> list[OrgRow]:
    """Read and check an org chart file.  Raises :class:`OrgImportError` only."""
    return validate_rows(read_table(data, filename))


def template_rows(departments: Iterable[Any]) -> list[list[str]]:
    """The current organisation in the import format (header first), for a file to edit and re-import."""
    rows = [list(COLUMNS)]
    for d in departments:
        teams = TEAM_SEPARATOR.join(t.name for t in d.teams.all() if t.active)
        rows.append(
            [
                d.code,
                d.name,
                d.get_kind_display(),
                d.bureau.name if d.bureau else "",
                d.evaluation_group.name if d.evaluation_group else "",
                teams,
                "Y" if d.active else "N",
            ]
        )
    return rows


def rows_to_csv(rows: Iterable[Sequence[str]]) -> bytes:
    """UTF-8 with BOM, so that Excel on Windows opens the Korean text correctly."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
