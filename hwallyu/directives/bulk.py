"""Bulk entry of a meeting's directives: one directive per line.

Format of a line (``|`` or a tab between columns, so two or three columns copied from Excel
paste as they are)::

    제목 | 주관부서 | 협조부서, 협조부서

Departments are given by code (D001) or by name (미래전략과); the supporting departments are
optional.  Blank lines are skipped.  The preview lists every line with its departments or its
error; nothing is registered while one line has an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from hwallyu.org.models import Department
from hwallyu.org.selectors import departments

_COLUMN_SPLIT = re.compile(r"\s*(?:\||\t)\s*")
_LIST_SPLIT = re.compile(r"\s*[,，、·]\s*")


@dataclass
class BulkRow:
    line: int
    text: str
    title: str = ""
    lead: Department | None = None
    supports: list[Department] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _lookup() -> dict[str, Department]:
    table: dict[str, Department] = {}
    for department in departments(active_only=True):
        table[department.code.upper()] = department
        table[department.name] = department
    return table


def _find(table: dict[str, Any], token: str) -> Department | None:
    token = token.strip()
    return table.get(token.upper()) or table.get(token)


def parse_lines(text: str) -> list[BulkRow]:
    table = _lookup()
    rows: list[BulkRow] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        row = BulkRow(line=number, text=line)
        parts = _COLUMN_SPLIT.split(line)
        row.title = parts[0].strip()
        if not row.title:
            row.errors.append("제목이 없습니다.")
        elif len(row.title) > 200:
            row.errors.append("제목은 200자 이내여야 합니다.")
        if len(parts) < 2 or not parts[1].strip():
            row.errors.append("주관부서가 없습니다. '제목 | 주관부서' 형식으로 쓰세요.")
        else:
            row.lead = _find(table, parts[1])
            if row.lead is None:
                row.errors.append(f"부서 '{parts[1].strip()}'을(를) 찾을 수 없습니다.")
        if len(parts) > 3:
            row.errors.append("열이 너무 많습니다. '제목 | 주관부서 | 협조부서' 형식으로 쓰세요.")
        if len(parts) == 3 and parts[2].strip():
            for token in _LIST_SPLIT.split(parts[2].strip()):
                if not token:
                    continue
                support = _find(table, token)
                if support is None:
                    row.errors.append(f"협조부서 '{token}'을(를) 찾을 수 없습니다.")
                elif row.lead is not None and support.pk == row.lead.pk:
                    row.errors.append(f"'{support.name}'은(는) 주관부서이므로 협조부서로 쓸 수 없습니다.")
                elif support not in row.supports:
                    row.supports.append(support)
        rows.append(row)
    return rows
