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

import datetime as dt
import decimal
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote

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
    """Place one section's rows (rowspans stay inside the section); returns cells and width."""
    taken: set[tuple[int, int]] = set()
    placed: list[Placed] = []
    width = 0
    for offset, row in enumerate(rows):
        r = first_row + offset
        col = 0
        if not row:
            raise ValueError(f"표의 {offset + 1}번째 행({kind})에 칸이 없습니다.")
        for item in row:
            cell = item if isinstance(item, Cell) else Cell(item)
            if cell.colspan < 1 or cell.rowspan < 1:
                raise ValueError("병합 칸의 colspan/rowspan은 1 이상이어야 합니다.")
            if offset + cell.rowspan > len(rows):
                raise ValueError(f"{cell.text!r} 칸의 rowspan이 구역({kind})을 넘습니다.")
            while (r, col) in taken:
                col += 1
            for rr in range(r, r + cell.rowspan):
                for cc in range(col, col + cell.colspan):
                    if (rr, cc) in taken:
                        raise ValueError(f"{cell.text!r} 칸이 다른 병합 칸과 겹칩니다.")
                    taken.add((rr, cc))
            placed.append(Placed(r, col, cell.rowspan, cell.colspan, cell.text, kind))
            col += cell.colspan
        width = max(width, max((c for rr, c in taken if rr == r), default=-1) + 1)
    for offset in range(len(rows)):
        r = first_row + offset
        cols = {c for rr, c in taken if rr == r}
        if cols != set(range(width)):
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
        grid = table_grid(table)
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
            target.font = Font(name=base_font, size=10, bold=bold)
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
            target.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
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
                _hwpx_table(doc, block, table_grid(block), report, text_width, bold_run, plain_run, right)

        doc.styles.apply_paragraph_format(paragraphs=centre, alignment="CENTER")
        doc.styles.apply_paragraph_format(paragraphs=right, alignment="RIGHT")
        stamp = timezone.now().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        doc.parts.set_document_metadata(
            title=report.title, creator=report.org_label or "환류", created_date=stamp, modified_date=stamp
        )
        return doc.to_bytes()
    finally:
        doc.close()


def _hwpx_table(
    doc: Any,
    table: Table,
    grid: Grid,
    report: Report,
    text_width: int,
    bold_run: str,
    plain_run: str,
    right: list[Any],
) -> None:
    doc.add_paragraph("", inherit_style=False)
    if table.caption:
        doc.add_paragraph(table.caption, char_pr_id_ref=bold_run, inherit_style=False)
    if report.unit_label:
        right.append(doc.add_paragraph(report.unit_label, char_pr_id_ref=plain_run, inherit_style=False))
    hwpx_table = doc.add_table(grid.n_rows, grid.n_cols, width=text_width)
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
    hwpx_table.mark_dirty()
    hwpx_table.element.set("repeatHeader", "1")
    hwpx_table.set_column_widths(column_widths(table, grid))
    if centre_cells:
        doc.styles.apply_paragraph_format(paragraphs=centre_cells, alignment="CENTER")
    if right_cells:
        doc.styles.apply_paragraph_format(paragraphs=right_cells, alignment="RIGHT")


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
