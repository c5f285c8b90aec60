"""Reports as documents: one way to build a report, rendered to HWPX (한글) and XLSX (Excel).

A :class:`Report` is a title, an issue date, an optional unit label ("단위: 백만원") and
organisation label, and a list of blocks: :class:`Heading`, :class:`Paragraph` and
:class:`Table`.  A table has header rows whose cells may be merged (:class:`Cell` with
``colspan``/``rowspan``), body rows and totals rows (bold).  Body values stay typed:

* ``int``/``Decimal``/``float`` are right-aligned; HWPX shows them with thousands
  separators, XLSX keeps them numeric with a ``#,##0`` number format;
* ``date``/``datetime`` are dates in XLSX and ``YYYY-MM-DD (HH:MM)`` text in HWPX;
* ``None`` is an empty cell; anything else is shown as text.

Any row may hold :class:`Cell` values to merge cells (e.g. a "합계" label over two
columns).  The layout is checked once (:func:`table_grid`), so both renderers draw the
same grid.  ``report_response`` turns a report into a download with a Korean file name.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import io
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import timezone

Value = str | int | float | decimal.Decimal | dt.date | dt.datetime | None

CONTENT_TYPES = {
    "hwpx": "application/hwp+zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EMPTY_TABLE_TEXT = "자료가 없습니다."


# --- the report model -------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A table cell that spans ``colspan`` columns and ``rowspan`` rows."""

    text: Value
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Heading:
    text: str


@dataclass
class Paragraph:
    text: str


@dataclass
class Table:
    """A table: header rows (merged cells allowed), body rows and totals rows.

    ``col_widths`` are relative widths in characters (a Hangul syllable counts as 2);
    when left out they are estimated from the content.
    """

    header_rows: Sequence[Sequence[Cell | str]]
    rows: Sequence[Sequence[Any]]
    total_rows: Sequence[Sequence[Any]] = field(default_factory=list)
    caption: str = ""
    col_widths: Sequence[float] | None = None


Block = Heading | Paragraph | Table


@dataclass
class Report:
    title: str
    issued_on: dt.date
    unit_label: str = ""
    org_label: str = ""
    blocks: list[Block] = field(default_factory=list)

    def meta_line(self) -> str:
        parts = [f"발행일: {self.issued_on:%Y-%m-%d}"]
        if self.org_label:
            parts.append(self.org_label)
        return " · ".join(parts)


# --- layout shared by both renderers ------------------------------------------------

RowKind = Literal["header", "body", "total"]


@dataclass(frozen=True)
class Placed:
    """One cell placed on the grid: its top-left position, span and value."""

    row: int
    col: int
    rowspan: int
    colspan: int
    value: Value
    kind: RowKind

    @property
    def merged(self) -> bool:
        return self.rowspan > 1 or self.colspan > 1


@dataclass(frozen=True)
class Grid:
    cells: list[Placed]
    n_rows: int
    n_cols: int
    header_count: int
    body_count: int
    total_count: int

    def kind_of_row(self, row: int) -> RowKind:
        if row < self.header_count:
            return "header"
        if row < self.header_count + self.body_count:
            return "body"
        return "total"


def _layout_section(rows: Sequence[Sequence[Any]], *, first_row: int, kind: RowKind) -> tuple[list[Placed], int]:
    """Place one section's rows (rowspans stay inside the section); returns cells and width.

    Occupied columns are kept per row, so a long table (thousands of rows) lays out in linear time.
    """
    taken: dict[int, set[int]] = {}
    placed: list[Placed] = []
    width = 0
    for offset, row in enumerate(rows):
        r = first_row + offset
        mine = taken.setdefault(r, set())
        col = 0
        if not row:
            raise ValueError(f"표의 {offset + 1}번째 행({kind})에 칸이 없습니다.")
        for item in row:
            cell = item if isinstance(item, Cell) else Cell(item)
            if cell.colspan < 1 or cell.rowspan < 1:
                raise ValueError("병합 칸의 colspan/rowspan은 1 이상이어야 합니다.")
            if offset + cell.rowspan > len(rows):
                raise ValueError(f"{cell.text!r} 칸의 rowspan이 구역({kind})을 넘습니다.")
            while col in mine:
                col += 1
            for rr in range(r, r + cell.rowspan):
                cols = taken.setdefault(rr, set())
                for cc in range(col, col + cell.colspan):
                    if cc in cols:
                        raise ValueError(f"{cell.text!r} 칸이 다른 병합 칸과 겹칩니다.")
                    cols.add(cc)
            placed.append(Placed(r, col, cell.rowspan, cell.colspan, cell.text, kind))
            col += cell.colspan
        width = max(width, max(mine, default=-1) + 1)
    expected = set(range(width))
    for offset in range(len(rows)):
        if taken.get(first_row + offset, set()) != expected:
            raise ValueError(f"표의 행({kind}) {offset + 1}의 칸 수가 다른 행과 다릅니다.")
    return placed, width


def table_grid(table: Table) -> Grid:
    """Lay the table out on one grid; raises ``ValueError`` for an inconsistent table."""
    if not table.header_rows:
        raise ValueError("표에는 머리글 행이 하나 이상 있어야 합니다.")
    header, n_cols = _layout_section(table.header_rows, first_row=0, kind="header")
    body_rows = table.rows or [[EMPTY_TABLE_TEXT] + [None] * (n_cols - 1)]
    body, body_cols = _layout_section(body_rows, first_row=len(table.header_rows), kind="body")
    total_first = len(table.header_rows) + len(body_rows)
    totals, total_cols = (
        _layout_section(table.total_rows, first_row=total_first, kind="total") if table.total_rows else ([], n_cols)
    )
    if body_cols != n_cols or total_cols != n_cols:
        raise ValueError(f"본문·합계 행의 칸 수({body_cols}, {total_cols})가 머리글({n_cols})과 다릅니다.")
    cells = header + body + totals
    starts = {c.col for c in cells}
    if starts != set(range(n_cols)):
        raise ValueError("모든 열은 적어도 한 칸이 시작하는 열이어야 합니다(한글 표 규칙).")
    if table.col_widths is not None and len(table.col_widths) != n_cols:
        raise ValueError(f"col_widths는 열 수({n_cols})만큼 있어야 합니다.")
    return Grid(cells, total_first + len(table.total_rows), n_cols, len(table.header_rows), len(body_rows), len(totals))


def is_number(value: Any) -> bool:
    return isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool)


def _decimal_places(value: Any) -> int:
    if isinstance(value, decimal.Decimal):
        exponent = value.as_tuple().exponent
        return -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if isinstance(value, float):
        return 2
    return 0


def _local_naive(value: dt.datetime) -> dt.datetime:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def format_value(value: Any) -> str:
    """How a value is shown as text (HWPX and screen): numbers with thousands separators."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "예" if value else "아니요"
    if is_number(value):
        places = _decimal_places(value)
        return f"{value:,.{places}f}"
    if isinstance(value, dt.datetime):
        return f"{_local_naive(value):%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    return str(value)


def display_width(text: str) -> int:
    """Columns a text takes in a fixed-width view: East Asian wide characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def column_widths(table: Table, grid: Grid) -> list[float]:
    """The table's column widths in characters (given, or estimated from the content)."""
    if table.col_widths is not None:
        return [max(float(w), 1.0) for w in table.col_widths]
    widths = [4.0] * grid.n_cols
    for cell in grid.cells:
        lines = format_value(cell.value).split("\n") or [""]
        need = max(display_width(line) for line in lines) + 2
        per_col = need / cell.colspan
        for c in range(cell.col, cell.col + cell.colspan):
            widths[c] = max(widths[c], min(per_col, 50.0))
    return widths


def _tables(report: Report) -> list[Table]:
    return [b for b in report.blocks if isinstance(b, Table)]


# --- XLSX ---------------------------------------------------------------------------


def _sheet_title(title: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", title).strip() or "보고서"
    return cleaned[:31]


def render_xlsx(report: Report) -> bytes:
    """The report as an Excel workbook (one sheet), laid out like the office's tables."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    grids = [(t, table_grid(t)) for t in _tables(report)]
    grid_of = {id(t): g for t, g in grids}
    n_cols = max([g.n_cols for _, g in grids] + [1])
    last_letter = get_column_letter(n_cols)

    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_title(report.title)
    ws.sheet_view.showGridLines = False
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_fill = PatternFill("solid", fgColor="E7EDF5")
    total_fill = PatternFill("solid", fgColor="F2F2F2")
    base_font = "맑은 고딕"
    # One style object per look, shared by every cell (a long table has tens of thousands of cells).
    plain_font, bold_font = Font(name=base_font, size=10), Font(name=base_font, size=10, bold=True)
    alignments: dict[str, Any] = {}

    def full_row(row: int, value: str, *, font: Any, align: str = "left", wrap: bool = False) -> None:
        cell = ws.cell(row=row, column=1, value=value)
        cell.font = font
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=wrap)
        if n_cols > 1:
            ws.merge_cells(f"A{row}:{last_letter}{row}")

    full_row(1, report.title, font=Font(name=base_font, size=16, bold=True), align="center")
    ws.row_dimensions[1].height = 30
    meta = report.meta_line()
    if report.unit_label and not grids:
        meta += f" · {report.unit_label}"
    full_row(2, meta, font=Font(name=base_font, size=10), align="right")
    row = 4

    widths = [0.0] * n_cols
    frozen = False
    for block in report.blocks:
        if isinstance(block, Heading):
            full_row(row, block.text, font=Font(name=base_font, size=12, bold=True))
            row += 1
            continue
        if isinstance(block, Paragraph):
            full_row(row, block.text, font=Font(name=base_font, size=10), wrap=True)
            lines = max(1, block.text.count("\n") + 1)
            ws.row_dimensions[row].height = 15 * lines
            row += 1
            continue
        table = block
        grid = grid_of[id(table)]
        for i, w in enumerate(column_widths(table, grid)):
            widths[i] = max(widths[i], w)
        if table.caption:
            full_row(row, table.caption, font=Font(name=base_font, size=11, bold=True))
            row += 1
        if report.unit_label:
            full_row(row, report.unit_label, font=Font(name=base_font, size=10), align="right")
            row += 1
        top = row
        # every grid cell gets a border (merged ranges draw the borders of all their cells)
        for r in range(grid.n_rows):
            kind = grid.kind_of_row(r)
            for c in range(grid.n_cols):
                target = ws.cell(row=top + r, column=c + 1)
                target.border = border
                if kind == "header":
                    target.fill = header_fill
                elif kind == "total":
                    target.fill = total_fill
        for placed in grid.cells:
            value = placed.value
            if isinstance(value, dt.datetime):
                value = _local_naive(value)
            elif value is not None and not is_number(value) and not isinstance(value, dt.date):
                value = format_value(value)
            target = ws.cell(row=top + placed.row, column=placed.col + 1, value=value)
            bold = placed.kind in ("header", "total")
            target.font = bold_font if bold else plain_font
            if placed.kind == "header":
                align = "center"
            elif is_number(placed.value):
                align = "right"
                places = _decimal_places(placed.value)
                target.number_format = "#,##0" + ("." + "0" * places if places else "")
            elif isinstance(placed.value, dt.datetime):
                align = "center"
                target.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(placed.value, dt.date):
                align = "center"
                target.number_format = "yyyy-mm-dd"
            else:
                align = "center" if placed.kind == "total" and placed.col == 0 else "left"
            target.alignment = alignments.get(align) or alignments.setdefault(
                align, Alignment(horizontal=align, vertical="center", wrap_text=True)
            )
            if placed.merged:
                ws.merge_cells(
                    start_row=top + placed.row,
                    start_column=placed.col + 1,
                    end_row=top + placed.row + placed.rowspan - 1,
                    end_column=placed.col + placed.colspan,
                )
        if not frozen:
            ws.freeze_panes = f"A{top + grid.header_count}"
            ws.print_title_rows = f"{top}:{top + grid.header_count - 1}"
            frozen = True
        row = top + grid.n_rows
        row += 1

    for i, w in enumerate(widths):
        ws.column_dimensions[get_column_letter(i + 1)].width = max(min(w + 1, 60), 8)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if sum(widths) > 100 else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.properties.title = report.title
    wb.properties.creator = report.org_label or "환류"

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- HWPX ---------------------------------------------------------------------------


def render_hwpx(report: Report) -> bytes:
    """The report as an HWPX (한글) document: title, issue line, headings, paragraphs, tables."""
    from hwpx import HwpxDocument

    grids = [(t, table_grid(t)) for t in _tables(report)]
    grid_of = {id(t): g for t, g in grids}
    doc = HwpxDocument.new()
    try:
        size, margins = doc.page.size(), doc.page.margins()
        portrait_width = size.width - margins.left - margins.right
        widest = max((sum(column_widths(t, g)) for t, g in grids), default=0)
        if widest > 90:  # about 45 Hangul syllables at 10 pt: wider than an A4 portrait line
            doc.page.setup(orientation="LANDSCAPE")
            text_width = max(size.width, size.height) - margins.left - margins.right
        else:
            text_width = portrait_width

        title_run = doc.styles.ensure_run(bold=True, size=16)
        heading_run = doc.styles.ensure_run(bold=True, size=12)
        bold_run = doc.styles.ensure_run(bold=True)
        plain_run = doc.styles.ensure_run(size=10)
        centre: list[Any] = []
        right: list[Any] = []
        direct: list[_DirectTable] = []

        title = doc.paragraphs[0]
        title.text = report.title
        title.char_pr_id_ref = title_run
        centre.append(title)
        meta = report.meta_line()
        if report.unit_label and not grids:
            meta += f" · {report.unit_label}"
        right.append(doc.add_paragraph(meta, char_pr_id_ref=plain_run, inherit_style=False))

        for block in report.blocks:
            if isinstance(block, Heading):
                doc.add_paragraph("", inherit_style=False)
                doc.add_paragraph(block.text, char_pr_id_ref=heading_run, inherit_style=False)
            elif isinstance(block, Paragraph):
                for line in block.text.split("\n"):
                    doc.add_paragraph(line, char_pr_id_ref=plain_run, inherit_style=False)
            else:
                grid = grid_of[id(block)]
                weights = column_widths(block, grid)
                stub = _stub_grid(grid) if grid.body_count > _HWPX_DIRECT_BODY_ROWS else None
                styles = _hwpx_table(
                    doc,
                    block,
                    stub or grid,
                    report,
                    text_width,
                    bold_run,
                    plain_run,
                    right,
                    weights=weights,
                    whole_rows=grid.n_rows if stub is not None else None,
                )
                if stub is not None:
                    direct.append(_DirectTable(grid, stub.n_rows, styles))

        doc.styles.apply_paragraph_format(paragraphs=centre, alignment="CENTER")
        doc.styles.apply_paragraph_format(paragraphs=right, alignment="RIGHT")
        stamp = timezone.now().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        doc.parts.set_document_metadata(
            title=report.title, creator=report.org_label or "환류", created_date=stamp, modified_date=stamp
        )
        data = doc.to_bytes()
    finally:
        doc.close()
    return _write_direct_rows(data, direct) if direct else data


_ALIGN_SLICE = 200


@dataclass(frozen=True)
class _TableStyles:
    """The ids python-hwpx gave one table and its cells' looks (read back from the table it built)."""

    table_id: str
    base_fill: str
    total_fill: str
    plain_run: str
    bold_run: str
    plain_para: str
    centre_para: str
    right_para: str | None


def _hwpx_table(
    doc: Any,
    table: Table,
    grid: Grid,
    report: Report,
    text_width: int,
    bold_run: str,
    plain_run: str,
    right: list[Any],
    *,
    weights: list[float],
    whole_rows: int | None = None,
) -> _TableStyles:
    doc.add_paragraph("", inherit_style=False)
    if table.caption:
        doc.add_paragraph(table.caption, char_pr_id_ref=bold_run, inherit_style=False)
    if report.unit_label:
        right.append(doc.add_paragraph(report.unit_label, char_pr_id_ref=plain_run, inherit_style=False))
    hwpx_table = doc.add_table(grid.n_rows, grid.n_cols, width=text_width)
    if whole_rows is not None:
        _flow_like_whole_table(doc, hwpx_table, whole_rows)
    # merge from the bottom right so that earlier merges never move later coordinates
    for placed in sorted(grid.cells, key=lambda p: (p.row, p.col), reverse=True):
        if placed.merged:
            hwpx_table.merge_cells(
                placed.row, placed.col, placed.row + placed.rowspan - 1, placed.col + placed.colspan - 1
            )
    if hwpx_table.row_count != grid.n_rows or hwpx_table.column_count != grid.n_cols:
        raise ValueError("한글 표의 병합 결과가 표 구조와 다릅니다.")
    # one pass over the physical cells (looking each up through the grid is quadratic)
    anchors = {cell.address: cell for row in hwpx_table.rows for cell in row.cells}
    base_fill = hwpx_table.element.get("borderFillIDRef")
    header_fill = doc.oxml.ensure_shading_border_fill("#E7EDF5", base_border_fill_id=base_fill)
    total_fill = doc.oxml.ensure_shading_border_fill("#F2F2F2", base_border_fill_id=base_fill)
    centre_cells: list[Any] = []
    right_cells: list[Any] = []
    for placed in grid.cells:
        cell = anchors[(placed.row, placed.col)]
        cell.text = format_value(placed.value)
        strong = placed.kind in ("header", "total")
        for paragraph in cell.paragraphs:
            paragraph.char_pr_id_ref = bold_run if strong else plain_run
        if placed.kind == "header":
            cell.element.set("header", "1")
            cell.element.set("borderFillIDRef", header_fill)
            centre_cells.extend(cell.paragraphs)
        elif is_number(placed.value):
            right_cells.extend(cell.paragraphs)
        elif isinstance(placed.value, dt.date) or (placed.kind == "total" and placed.col == 0):
            centre_cells.extend(cell.paragraphs)
        if placed.kind == "total":
            cell.element.set("borderFillIDRef", total_fill)
    plain_para = centre_cells[0].para_pr_id_ref  # header cells are centred below: not yet
    hwpx_table.mark_dirty()
    hwpx_table.element.set("repeatHeader", "1")
    hwpx_table.set_column_widths(weights)
    # python-hwpx de-duplicates the paragraphs it is given pairwise: in slices, a long table stays linear.
    for cells, alignment in ((centre_cells, "CENTER"), (right_cells, "RIGHT")):
        for start in range(0, len(cells), _ALIGN_SLICE):
            doc.styles.apply_paragraph_format(paragraphs=cells[start : start + _ALIGN_SLICE], alignment=alignment)
    return _TableStyles(
        table_id=hwpx_table.element.get("id"),
        base_fill=str(base_fill),
        total_fill=str(total_fill),
        plain_run=str(plain_run),
        bold_run=str(bold_run),
        plain_para=str(plain_para),
        centre_para=str(centre_cells[0].para_pr_id_ref),
        right_para=str(right_cells[0].para_pr_id_ref) if right_cells else None,
    )


# --- HWPX: long tables written directly -------------------------------------------------
#
# python-hwpx keeps an object per cell and serializes in Python: a table of thousands of rows takes
# tens of seconds.  A long table is therefore built by python-hwpx as a *stub* -- its header rows,
# a few body rows and its totals rows -- so that every style the table uses (run, paragraph and
# border-fill ids, column widths, the repeated header) is created exactly as for the whole table.
# After saving, the stub's body and totals rows are replaced in the section XML by the table's
# real rows, written as text from one of the stub's own body cells.  python-hwpx then re-reads
# the package like any other (see the tests).

#: Tables with more body rows than this are written directly (smaller ones go through python-hwpx).
_HWPX_DIRECT_BODY_ROWS = 40


@dataclass(frozen=True)
class _DirectTable:
    grid: Grid
    stub_rows: int
    styles: _TableStyles


def _flow_like_whole_table(doc: Any, hwpx_table: Any, whole_rows: int) -> None:
    """Lay the stub out as python-hwpx lays out a new table of ``whole_rows`` rows.

    ``add_table`` lets a new table whose rows outgrow the page body flow across pages instead of
    being one inline character (python-hwpx's ``flow_table_taller_than_page``); the stub is short,
    so the rule is applied here to the whole table, whose new rows are all as tall as the stub's.
    """
    from hwpx._document.layout import _table_min_height

    properties = hwpx_table.paragraph.section.properties
    size, margins = properties.page_size, properties.page_margins
    body = size.drawn_height - margins.top - margins.bottom - margins.header - margins.footer
    row_height = _table_min_height(doc, hwpx_table.element) / hwpx_table.row_count
    if body > 0 and row_height * whole_rows > body:
        hwpx_table.set_treat_as_char(False)


def _body_blocks(grid: Grid) -> list[list[Placed]]:
    """The body's cells in blocks of consecutive rows that no merged cell crosses."""
    blocks: list[list[Placed]] = []
    reach = -1
    for placed in grid.cells:
        if placed.kind != "body":
            continue
        if placed.row >= reach and (not blocks or placed.row != blocks[-1][-1].row):
            blocks.append([])
        blocks[-1].append(placed)
        reach = max(reach, placed.row + placed.rowspan)
    return blocks


def _stub_grid(grid: Grid) -> Grid | None:
    """The table with only the body rows needed for its styles, or ``None`` to build it whole.

    The stub keeps every header and totals row and, from the body, its first block of rows and
    further blocks until every column has a one-column cell (python-hwpx floors the width of such
    columns) and, if the body has numbers, one number (the right-aligned paragraph style).
    """
    single = {c.col for c in grid.cells if c.colspan == 1}
    if single != set(range(grid.n_cols)):
        return None  # a column only ever merged: its width cannot be read back from the stub
    need_right = any(is_number(c.value) for c in grid.cells if c.kind == "body")
    covered = {c.col for c in grid.cells if c.kind != "body" and c.colspan == 1}
    has_right = False
    chosen: list[list[Placed]] = []
    for block in _body_blocks(grid):
        cols = {c.col for c in block if c.colspan == 1}
        number = any(is_number(c.value) for c in block)
        if not chosen or not cols <= covered or (number and not has_right):
            chosen.append(block)
            covered |= cols
            has_right = has_right or number
        if covered == single and has_right == need_right:
            break
    first_body = grid.header_count
    cells = [c for c in grid.cells if c.kind == "header"]
    row = first_body
    for block in chosen:
        top, bottom = block[0].row, max(c.row + c.rowspan for c in block)
        cells.extend(dataclasses.replace(c, row=c.row - top + row) for c in block)
        row += bottom - top
    body_count = row - first_body
    shift = first_body + grid.body_count - row
    cells.extend(dataclasses.replace(c, row=c.row - shift) for c in grid.cells if c.kind == "total")
    return Grid(cells, row + grid.total_count, grid.n_cols, grid.header_count, body_count, grid.total_count)


#: What python-hwpx strips from a cell's text (sanitize_keeping_tabs): XML-illegal characters and "\r".
_HWPX_ILLEGAL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_HWPX_MARKS = re.compile(r"(\t|\n)")


def _hwpx_text(value: Any) -> str:
    """The ``hp:t`` element python-hwpx writes for a cell's value (tabs and line breaks as elements)."""
    text = _HWPX_ILLEGAL.sub("", format_value(value).replace("\r\n", "\n").replace("\r", "\n"))
    if not text:
        return "<hp:t/>"
    parts = _HWPX_MARKS.split(text)
    out = [escape(parts[0])]
    for mark, segment in zip(parts[1::2], parts[2::2], strict=True):
        out.append("<hp:tab/>" if mark == "\t" else "<hp:lineBreak/>")
        out.append(escape(segment))
    return f"<hp:t>{''.join(out)}</hp:t>"


def _format_field(template: str, element: str, attr: str, name: str) -> str:
    """Turn ``attr`` of the one ``<hp:element>`` in ``template`` into a ``{name}`` format field."""
    tags = list(re.finditer(rf"<hp:{element}\b[^>]*>", template))
    if len(tags) != 1:
        raise ValueError(f"한글 표 셀 견본에 hp:{element}가 {len(tags)}개 있습니다.")
    tag = tags[0].group(0)
    new_tag, count = re.subn(rf'(\s{attr}=")[^"]*(")', rf"\g<1>{{{name}}}\g<2>", tag)
    if count != 1:
        raise ValueError(f"한글 표 셀 견본의 hp:{element}에 {attr}가 없습니다.")
    return template[: tags[0].start()] + new_tag + template[tags[0].end() :]


def _cell_template(cell_xml: str) -> str:
    """A ``str.format`` template from one ``<hp:tc>`` python-hwpx wrote for a one-paragraph cell."""
    template = cell_xml.replace("{", "{{").replace("}", "}}")
    for element, attr, name in (
        ("tc", "header", "header"),
        ("tc", "dirty", "dirty"),
        ("tc", "borderFillIDRef", "fill"),
        ("p", "paraPrIDRef", "para"),
        ("p", "id", "pid"),
        ("run", "charPrIDRef", "run"),
        ("cellAddr", "colAddr", "col"),
        ("cellAddr", "rowAddr", "row"),
        ("cellSpan", "colSpan", "colspan"),
        ("cellSpan", "rowSpan", "rowspan"),
        ("cellSz", "width", "width"),
        ("cellSz", "height", "height"),
    ):
        template = _format_field(template, element, attr, name)
    template, count = re.subn(r"<hp:t/>|<hp:t>.*?</hp:t>", "{text}", template, flags=re.DOTALL)
    if count != 1:
        raise ValueError("한글 표 셀 견본의 글이 한 덩어리가 아닙니다.")
    return template


_TC = re.compile(r"<hp:tc\b.*?</hp:tc>", re.DOTALL)
_INT_ATTR = r'\s{}="(\d+)"'


def _int_attr(xml: str, attr: str) -> int:
    match = re.search(_INT_ATTR.format(attr), xml)
    if match is None:
        raise ValueError(f"한글 표에 {attr} 값이 없습니다.")
    return int(match.group(1))


def _direct_table_xml(tbl: str, plan: _DirectTable) -> str:
    """The stub table ``tbl`` (``<hp:tbl ...>`` up to, not including, ``</hp:tbl>``) with all its rows."""
    grid, styles = plan.grid, plan.styles
    starts = [m.start() for m in re.finditer(r"<hp:tr>", tbl)]
    if len(starts) != plan.stub_rows or tbl.count("<hp:tr") != plan.stub_rows:
        raise ValueError("한글 표 견본의 행 수가 다릅니다.")
    head, stub_rows = tbl[: starts[grid.header_count]], tbl[starts[grid.header_count] :]
    # column widths as python-hwpx set them: every column has a one-column cell in the stub
    widths: dict[int, int] = {}
    spans: list[tuple[int, int, int]] = []
    for cell in _TC.findall(tbl):
        col, colspan, width = _int_attr(cell, "colAddr"), _int_attr(cell, "colSpan"), _int_attr(cell, "width")
        spans.append((col, colspan, width))
        if colspan == 1:
            widths[col] = width
    col_widths = [widths[c] for c in range(grid.n_cols)]
    if any(sum(col_widths[col : col + span]) != width for col, span, width in spans):
        raise ValueError("한글 표 견본의 칸 너비가 열 너비의 합이 아닙니다.")
    first_stub_cell = _TC.search(stub_rows)
    if first_stub_cell is None:
        raise ValueError("한글 표 견본의 본문 행에 칸이 없습니다.")
    template = _cell_template(first_stub_cell.group(0))
    tbl_tag_end = head.index(">") + 1
    table_height = _int_attr(head[tbl_tag_end:], "height")
    row_height, rest = divmod(table_height, plan.stub_rows)
    if rest or _int_attr(head[:tbl_tag_end], "rowCnt") != plan.stub_rows:
        raise ValueError("한글 표 견본의 높이가 행마다 같지 않습니다.")

    tbl_tag = re.sub(r'(\srowCnt=")\d+(")', rf"\g<1>{grid.n_rows}\g<2>", head[:tbl_tag_end], count=1)
    body_head = re.sub(
        r'(<hp:sz\b[^>]*\sheight=")\d+(")', rf"\g<1>{row_height * grid.n_rows}\g<2>", head[tbl_tag_end:], count=1
    )
    out = [tbl_tag, body_head]
    fill = {"body": styles.base_fill, "total": styles.total_fill}
    run = {"body": styles.plain_run, "total": styles.bold_run}
    current = -1
    for placed in grid.cells:
        if placed.kind == "header":
            continue
        if placed.row != current:
            if current >= 0:
                out.append("</hp:tr>")
            out.append("<hp:tr>")
            current = placed.row
        text = _hwpx_text(placed.value)
        if is_number(placed.value):
            para = styles.right_para
        elif isinstance(placed.value, dt.date) or (placed.kind == "total" and placed.col == 0):
            para = styles.centre_para
        else:
            para = styles.plain_para
        out.append(
            template.format(
                header="0",
                dirty="0" if text == "<hp:t/>" else "1",
                fill=fill[placed.kind],
                para=para,
                pid=str(uuid.uuid4().int & 0x7FFFFFFF),
                run=run[placed.kind],
                col=placed.col,
                row=placed.row,
                colspan=placed.colspan,
                rowspan=placed.rowspan,
                width=sum(col_widths[placed.col : placed.col + placed.colspan]),
                height=row_height * placed.rowspan,
                text=text,
            )
        )
    out.append("</hp:tr>")
    return "".join(out)


def _write_direct_rows(data: bytes, tables: list[_DirectTable]) -> bytes:
    """The saved package with each stub table's rows replaced by the whole table's rows."""
    pending = {t.styles.table_id: t for t in tables}
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            payload = source.read(info.filename)
            if pending and re.fullmatch(r"Contents/section\d+\.xml", info.filename):
                xml = payload.decode("utf-8")
                pieces: list[str] = []
                position = 0
                for match in re.finditer(r'<hp:tbl\b[^>]*\sid="(\d+)"', xml):
                    plan = pending.pop(match.group(1), None)
                    if plan is None:
                        continue
                    end = xml.index("</hp:tbl>", match.start())
                    pieces.extend((xml[position : match.start()], _direct_table_xml(xml[match.start() : end], plan)))
                    position = end
                if pieces:
                    pieces.append(xml[position:])
                    payload = "".join(pieces).encode("utf-8")
            copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            copy.compress_type = info.compress_type
            copy.external_attr = info.external_attr
            copy.create_system = info.create_system
            target.writestr(copy, payload)
    if pending:
        raise ValueError("한글 문서에서 표 견본을 찾지 못했습니다.")
    return out.getvalue()


# --- download -----------------------------------------------------------------------


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the real (Korean) name per RFC 5987."""
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    ascii_stem = re.sub(r"[^A-Za-z0-9_-]+", "_", ascii_stem).strip("_") or "report"
    ascii_ext = re.sub(r"[^A-Za-z0-9]+", "", ext)
    fallback = f"{ascii_stem}.{ascii_ext}" if ascii_ext else ascii_stem
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def report_response(report: Report, fmt: str, filename_stem: str) -> HttpResponse:
    """The report rendered as ``fmt`` ("hwpx" or "xlsx") as a download named ``<stem>.<fmt>``."""
    if fmt == "hwpx":
        body = render_hwpx(report)
    elif fmt == "xlsx":
        body = render_xlsx(report)
    else:
        raise ValueError(f"지원하지 않는 문서 형식입니다: {fmt}")
    stem = re.sub(r"[\\/:*?\"<>|\r\n]+", "_", filename_stem).strip() or "보고서"
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition(f"{stem}.{fmt}")
    response["Content-Length"] = str(len(body))
    response["X-Content-Type-Options"] = "nosniff"
    return response
