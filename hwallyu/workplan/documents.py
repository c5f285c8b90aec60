"""The work plan's documents (HWPX and XLSX through hwallyu.core.documents), laid out like the seed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hwallyu.core.documents import Cell, Heading, Paragraph, Report, Table
from hwallyu.org import selectors as org
from hwallyu.workplan import schedule, selectors
from hwallyu.workplan.budget import Statement
from hwallyu.workplan.models import MONEY_FIELDS, WorkPlan
from hwallyu.workplan.money import million_text, to_million


def _org_label() -> str:
    return f"{org.city().name} 기획감사실"


def _money_cell(won: int | None) -> Decimal | str:
    value = to_million(won)
    return "-" if value is None else value


def budget_report(plan: WorkPlan, statement: Statement, *, issued_on: dt.date) -> Report:
    """사업비 조서: header "N건" row with totals, then one row per project; the broken rules below."""
    yy = f"{plan.year % 100:02d}"
    next_yy = f"{(plan.year + 1) % 100:02d}"
    header: list[list[Cell | str]] = [
        [
            Cell("사업명", rowspan=2),
            Cell("총사업비", rowspan=2),
            Cell(f"'{yy}년도 투자계획", colspan=5),
            Cell(f"'{next_yy}년 이후", rowspan=2),
        ],
        ["계", "국비", "도비", "시비", "기타"],
    ]
    rows = []
    for row in statement.all_rows:
        label = row.label + (" ※" if row.flagged or row.messages else "")
        rows.append([label, *[_money_cell(row.amounts.get(n)) for n in MONEY_FIELDS]])
    blocks: list = [
        Table(header_rows=header, rows=rows, caption="Ⅲ 사업비 조서", col_widths=[44, 10, 9, 8, 8, 8, 8, 9])
    ]
    if statement.violations:
        blocks.append(Heading(f"검증 결과: 규칙 위반 {len(statement.violations)}건 (입력값 그대로 표시, ※ 표시 행)"))
        for v in statement.violations:
            where = f"{v.source_row}행 " if v.source_row else ""
            blocks.append(Paragraph(f"· {where}[{v.label}] {v.message}"))
    else:
        blocks.append(Paragraph("검증 결과: 모든 행이 계 = 재원 합계, 총사업비 ≥ 올해 계 + 이후 규칙을 지킵니다."))
    return Report(
        title=f"{plan.year}년 사업비 조서",
        issued_on=issued_on,
        unit_label="(단위 : 백만원)",
        org_label=_org_label(),
        blocks=blocks,
    )


STATE_MARKS = {schedule.DONE: "●", schedule.LATE: "▲", schedule.PLANNED: "ü"}


def schedule_report(grid: selectors.ScheduleGrid, *, issued_on: dt.date, department_name: str = "") -> Report:
    """월별 추진계획: projects × months; ü planned, ● done, ▲ late."""
    header: list[list[Cell | str]] = [
        [
            Cell("연번", rowspan=2),
            Cell("사 업 명", rowspan=2),
            Cell("담당", rowspan=2),
            Cell("월별 추진계획", colspan=12),
        ],
        [str(m) for m in schedule.MONTHS],
    ]
    blocks: list = []
    rows: list[list[Any]] = []
    for task, task_rows in grid.groups:
        rows.append([Cell(f"{task.number}. {task.title}", colspan=15)])
        for row in task_rows:
            marks = [
                STATE_MARKS.get(cell["state"], "") + (f" {cell['note']}" if cell["note"] else "")
                if cell["planned"]
                else ""
                for cell in row.cells
            ]
            rows.append([row.project.number, row.project.title, row.project.department.name, *marks])
    blocks.append(Table(header_rows=header, rows=rows, caption=f"{grid.plan.year}년 월별 추진계획"))
    blocks.append(
        Paragraph("ü 계획 · ● 완료(추진률이 해당 월까지의 계획 진도에 도달) · ▲ 지연(계획 월이 지났으나 미도달)")
    )
    suffix = f" ({department_name})" if department_name else ""
    return Report(
        title=f"{grid.plan.year}년 월별 추진계획{suffix}",
        issued_on=issued_on,
        org_label=_org_label(),
        blocks=blocks,
    )


def progress_report(plan: WorkPlan, *, as_of: dt.date, issued_on: dt.date) -> Report:
    """주요업무 계획·추진상황 보고: each major task with its projects' progress, state and budget execution."""
    half = "상반기" if as_of.month <= 6 else "하반기"
    header: list[list[Cell | str]] = [
        [
            Cell("연번", rowspan=2),
            Cell("사 업 명", rowspan=2),
            Cell("담당", rowspan=2),
            Cell("추진률(%)", colspan=2),
            Cell("일정", rowspan=2),
            Cell("예산 집행(백만원)", colspan=3),
        ],
        ["계획", "실적", "예산", "집행", "집행률(%)"],
    ]
    blocks: list = [
        Paragraph(f"기준일: {as_of:%Y-%m-%d} ({plan.year}년 {half})"),
    ]
    total_projects = 0
    late = 0
    for task, items in selectors.progress_report(plan, as_of=as_of):
        blocks.append(Heading(f"{task.number}. {task.title} — {task.team.name if task.team else task.department.name}"))
        for aim in task.aim_lines():
            blocks.append(Paragraph(f"❖ {aim}"))
        rows: list[list[Any]] = []
        for item in items:
            total_projects += 1
            late += item.state == "지연"
            rows.append(
                [
                    item.project.number,
                    item.project.title,
                    item.project.department.name,
                    item.planned if item.planned is not None else "-",
                    item.progress,
                    item.state,
                    _money_cell(item.budget),
                    _money_cell(item.executed) if item.budget else "-",
                    item.execution_rate if item.execution_rate is not None else "-",
                ]
            )
            if item.project.progress_note:
                rows.append([Cell(f"  └ {item.project.progress_note}", colspan=9)])
        blocks.append(Table(header_rows=header, rows=rows))
    blocks.insert(1, Paragraph(f"사업 {total_projects}건 중 일정 지연 {late}건"))
    return Report(
        title=f"{plan.year}년 주요업무 계획·추진상황 보고({half})",
        issued_on=issued_on,
        org_label=_org_label(),
        blocks=blocks,
    )


__all__ = ["budget_report", "million_text", "progress_report", "schedule_report"]
