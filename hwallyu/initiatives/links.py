"""The link to the work plan's budget statement (사업비 조서), read only through the workplan's selectors.

A budget line of an initiative stores the statement row's id (``workplan_line_id``), never a
foreign key, and looks it up in the statement of the same year.  Without the workplan app
everything here answers "no link" and the pages show "업무계획 연계 없음".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps

WORKPLAN_APP = "hwallyu.workplan"


@dataclass(frozen=True)
class StatementLine:
    id: int
    year: int
    name: str
    this_year: int | None
    national: int | None
    provincial: int | None
    city: int | None
    other: int | None

    def sources_sum(self) -> int | None:
        values = [v for v in (self.national, self.provincial, self.city, self.other) if v is not None]
        return sum(values) if values else None

    @property
    def amount(self) -> int | None:
        """계 as entered, else the sum of the sources."""
        return self.this_year if self.this_year is not None else self.sources_sum()


def workplan_installed() -> bool:
    return apps.is_installed(WORKPLAN_APP)


def _selectors() -> Any:
    from hwallyu.workplan import selectors

    return selectors


def _line(row: Any, year: int) -> StatementLine:
    return StatementLine(
        id=row.pk,
        year=year,
        name=row.name,
        this_year=row.this_year,
        national=row.national,
        provincial=row.provincial,
        city=row.city,
        other=row.other,
    )


def statement_lines(year: int) -> list[StatementLine]:
    """The rows of ``year``'s budget statement, for a picker; empty without a plan or the app."""
    if not workplan_installed():
        return []
    selectors = _selectors()
    plan = selectors.plan_for_year(year)
    if plan is None:
        return []
    return [_line(row, year) for row in selectors.budget_lines(plan)]


def statement_line(year: int, line_id: int) -> StatementLine | None:
    return next((line for line in statement_lines(year) if line.id == line_id), None)


def statement_lines_for(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], StatementLine]:
    """(year, id) → statement row, one look-up per year."""
    wanted: dict[int, set[int]] = {}
    for year, line_id in pairs:
        wanted.setdefault(year, set()).add(line_id)
    found: dict[tuple[int, int], StatementLine] = {}
    for year, ids in wanted.items():
        for line in statement_lines(year):
            if line.id in ids:
                found[(year, line.id)] = line
    return found
