"""The budget statement (사업비 조서): its rows as the seed lays them out, and its rules.

Layout: a header row "N건" with the totals, then one row per project; columns 사업명, 총사업비,
계, 국비, 도비, 시비, 기타, 이후.  Rules, checked on every row (the header row included):

* 계 = 국비 + 도비 + 시비 + 기타
* 총사업비 ≥ 계 + 이후

An imported header row is kept as written and also compared with the sums of the rows.
Numbers are never corrected: a broken rule is reported with its row and shown marked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import mark_safe

from hwallyu.workplan.models import MONEY_FIELDS, SOURCE_FIELDS, BudgetLine, BudgetStatement
from hwallyu.workplan.money import million_text, to_million

COLUMN_LABELS = {
    "name": "사업명",
    "total_cost": "총사업비",
    "this_year": "계",
    "national": "국비",
    "provincial": "도비",
    "city": "시비",
    "other": "기타",
    "later": "이후",
}
RULE_SUM = "sum"
RULE_TOTAL = "total"
RULE_HEADER = "header"
RULE_LABELS = {
    RULE_SUM: "계 = 재원 합계",
    RULE_TOTAL: "총사업비 ≥ 올해 계 + 이후",
    RULE_HEADER: "총계 행 = 사업별 합계",
}


def sum_or_none(values: Iterable[int | None]) -> int | None:
    """Sum of the entered values; None when nothing was entered ("-")."""
    items = [v for v in values if v is not None]
    return sum(items) if items else None


@dataclass
class Violation:
    rule: str
    row: int  # position in the statement: 0 = the header row "N건", 1.. = project rows
    label: str
    fields: tuple[str, ...]
    message: str
    source_row: int | None = None
    line_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "rule_label": RULE_LABELS[self.rule],
            "row": self.row,
            "label": self.label,
            "fields": list(self.fields),
            "message": self.message,
            "source_row": self.source_row,
            "line_id": self.line_id,
        }


@dataclass
class StatementRow:
    label: str
    amounts: dict[str, int | None]
    row: int
    is_header: bool = False
    line_id: int | None = None
    source_row: int | None = None
    project_id: int | None = None
    flagged: set[str] = field(default_factory=set)
    messages: list[str] = field(default_factory=list)

    @classmethod
    def of_line(cls, line: Any, row: int) -> StatementRow:
        """The row of one stored budget line, numbered ``row`` in the statement."""
        return cls(
            label=line.name,
            amounts=line.amounts(),
            row=row,
            line_id=line.pk,
            source_row=line.source_row,
            project_id=line.project_id,
        )

    def million(self, name: str) -> str:
        return million_text(self.amounts.get(name))

    def cells_html(self) -> str:
        """The money cells as table cells, flagged ones marked (a statement page has hundreds of them)."""
        # numbers and fixed class names only: nothing to escape
        return mark_safe(
            "".join(
                f'<td class="num{" hw-flag" if n in self.flagged else ""}">{self.million(n)}</td>' for n in MONEY_FIELDS
            )
        )

    def cells(self) -> list[dict[str, Any]]:
        """The money cells in column order, with their flag, for templates."""
        return [
            {"name": n, "text": self.million(n), "flagged": n in self.flagged, "label": COLUMN_LABELS[n]}
            for n in MONEY_FIELDS
        ]


@dataclass
class Statement:
    year: int
    header: StatementRow
    rows: list[StatementRow]
    totals: dict[str, int | None]
    violations: list[Violation]
    source_name: str = ""

    @property
    def all_rows(self) -> list[StatementRow]:
        return [self.header, *self.rows]

    @property
    def ok(self) -> bool:
        return not self.violations

    def as_dict(self) -> dict[str, Any]:
        def row_dict(r: StatementRow) -> dict[str, Any]:
            return {
                "row": r.row,
                "label": r.label,
                "is_header": r.is_header,
                "line_id": r.line_id,
                "project_id": r.project_id,
                "source_row": r.source_row,
                "amounts": r.amounts,
                "amounts_million": {k: _plain_million(v) for k, v in r.amounts.items()},
                "flagged": sorted(r.flagged),
            }

        return {
            "year": self.year,
            "unit": "백만원",
            "source_name": self.source_name,
            "header": row_dict(self.header),
            "rows": [row_dict(r) for r in self.rows],
            "totals": self.totals,
            "totals_million": {k: _plain_million(v) for k, v in self.totals.items()},
            "violations": [v.as_dict() for v in self.violations],
        }


def _plain_million(won: int | None) -> str | None:
    value = to_million(won)
    return None if value is None else str(value)


def _fmt(won: int | None) -> str:
    return "'-'(입력 없음)" if won is None else million_text(won) + "백만원"


def check_amounts(amounts: Mapping[str, int | None]) -> list[tuple[str, tuple[str, ...], str]]:
    """The rules one row breaks: (rule, fields, Korean message)."""
    problems: list[tuple[str, tuple[str, ...], str]] = []
    sources = sum_or_none(amounts.get(n) for n in SOURCE_FIELDS)
    this_year = amounts.get("this_year")
    if (this_year or 0) != (sources or 0):
        problems.append(
            (
                RULE_SUM,
                ("this_year", *[n for n in SOURCE_FIELDS if amounts.get(n) is not None]),
                f"계 {_fmt(this_year)} ≠ 재원 합계(국비+도비+시비+기타) "
                f"{_fmt(sources)}: 계는 재원의 합과 같아야 합니다.",
            )
        )
    need = (this_year or 0) + (amounts.get("later") or 0)
    total = amounts.get("total_cost")
    if (total or 0) < need:
        problems.append(
            (
                RULE_TOTAL,
                ("total_cost", "this_year", "later"),
                f"총사업비 {_fmt(total)} < 올해 계 + 이후 {_fmt(need)}: "
                f"총사업비는 올해 계와 이후의 합 이상이어야 합니다.",
            )
        )
    return problems


def column_totals(lines: Iterable[Mapping[str, int | None]]) -> dict[str, int | None]:
    items = list(lines)
    return {name: sum_or_none(line.get(name) for line in items) for name in MONEY_FIELDS}


def build_statement(
    *,
    year: int,
    lines: list[BudgetLine],
    statement: BudgetStatement | None = None,
) -> Statement:
    """The statement of the year's lines with every broken rule, numbers exactly as stored."""
    rows = [StatementRow.of_line(line, i) for i, line in enumerate(lines, start=1)]
    return assemble(
        year=year,
        rows=rows,
        header_entered=statement.header_entered if statement else None,
        header_source_row=statement.header_row if statement else None,
        source_name=statement.source_name if statement else "",
    )


def header_checks(
    *,
    totals: Mapping[str, int | None],
    count: int,
    header_entered: Mapping[str, Any] | None = None,
    header_source_row: int | None = None,
) -> tuple[StatementRow, list[Violation]]:
    """The header row "N건" (as imported, else the sums of the ``count`` rows) and the rules it breaks."""
    violations: list[Violation] = []
    if header_entered is not None:
        header_amounts = {name: header_entered.get(name) for name in MONEY_FIELDS}
        entered_count = header_entered.get("count")
    else:
        header_amounts = dict(totals)
        entered_count = count
    header = StatementRow(
        label=f"{entered_count if entered_count is not None else count}건",
        amounts=header_amounts,
        row=0,
        is_header=True,
        source_row=header_source_row,
    )
    for rule, fields, message in check_amounts(header.amounts):
        header.flagged.update(fields)
        header.messages.append(message)
        violations.append(Violation(rule, 0, header.label, fields, message, header.source_row, None))
    if header_entered is not None:
        if entered_count is not None and entered_count != count:
            message = f"총계 행의 건수 {entered_count}건 ≠ 사업 행 수 {count}건"
            header.messages.append(message)
            violations.append(Violation(RULE_HEADER, 0, header.label, ("name",), message, header_source_row))
        for name in MONEY_FIELDS:
            if header_amounts.get(name) != totals.get(name):
                message = (
                    f"총계 행의 {COLUMN_LABELS[name]} {_fmt(header_amounts.get(name))} ≠ "
                    f"사업별 합계 {_fmt(totals.get(name))}"
                )
                header.flagged.add(name)
                header.messages.append(message)
                violations.append(Violation(RULE_HEADER, 0, header.label, (name,), message, header_source_row))
    return header, violations


def assemble(
    *,
    year: int,
    rows: list[StatementRow],
    header_entered: Mapping[str, Any] | None = None,
    header_source_row: int | None = None,
    source_name: str = "",
) -> Statement:
    totals = column_totals(r.amounts for r in rows)
    header, violations = header_checks(
        totals=totals, count=len(rows), header_entered=header_entered, header_source_row=header_source_row
    )
    for target in rows:
        for rule, fields, message in check_amounts(target.amounts):
            target.flagged.update(fields)
            target.messages.append(message)
            violations.append(
                Violation(rule, target.row, target.label, fields, message, target.source_row, target.line_id)
            )
    violations.sort(key=lambda v: v.row)
    return Statement(year, header, rows, totals, violations, source_name)
