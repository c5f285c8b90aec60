"""The department list as a document (부서 현황): one report, downloadable as HWPX and XLSX."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from hwallyu.core.documents import Cell, Report, Table
from hwallyu.org import selectors
from hwallyu.org.models import Department, DepartmentKind

HEADER = ["연번", "부서코드", "부서명", "구분", "국", "평가군", "팀 수", "인원"]


def department_report(departments: QuerySet[Department] | list[Any], *, title: str = "부서 현황") -> Report:
    """``departments`` come annotated with ``team_count`` and ``people_count`` (see selectors.department_list)."""
    rows = []
    teams = people = 0
    per_kind: Counter[str] = Counter()
    for number, d in enumerate(departments, start=1):
        rows.append(
            [
                number,
                d.code,
                d.name,
                d.get_kind_display(),
                d.bureau.name if d.bureau else "",
                d.evaluation_group.name if d.evaluation_group else "",
                d.team_count,
                d.people_count,
            ]
        )
        per_kind[d.kind] += 1
        teams += d.team_count
        people += d.people_count
    city = selectors.city()
    summary = " · ".join(f"{label} {per_kind[kind]}" for kind, label in DepartmentKind.choices)
    return Report(
        title=f"{city.name} {title}",
        issued_on=timezone.localdate(),
        unit_label="(단위: 개, 명)",
        org_label=f"{city.name} 기획감사실",
        blocks=[
            Table(
                header_rows=[list(HEADER)],
                rows=rows,
                total_rows=[[Cell(f"합계 ({summary})", colspan=6), teams, people]],
                caption=f"부서 {len(rows)}개",
                col_widths=[5, 10, 16, 9, 12, 16, 6, 6],
            )
        ],
    )
