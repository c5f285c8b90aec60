"""The round report (심사분석 결과 보고): a summary table, then one section per target; HWPX and XLSX."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hwallyu.core.documents import Cell, Heading, Paragraph, Report, Table
from hwallyu.org import selectors as org
from hwallyu.reviews import selectors
from hwallyu.reviews.models import ReviewRound, Submission, SubmissionStatus
from hwallyu.workplan.money import million_text


def _state_label(sub: Submission) -> tuple[str, str]:
    assessment = selectors.assessment_of(sub)
    proposed = getattr(assessment, "proposed_state", None)
    final = getattr(assessment, "final_state", None) if sub.status == SubmissionStatus.ASSESSED else None
    return (proposed.label if proposed else "-"), (final.label if final else selectors.NOT_ASSESSED)


def _pct(value: Any) -> Any:
    return "-" if value is None else value


def round_report(round_: ReviewRound, items: list[Submission], *, issued_on: dt.date) -> Report:
    summary = selectors.round_summary(round_, items)
    header: list[list[Cell | str]] = [
        [Cell("부서", rowspan=2), Cell("심사 결과", colspan=len(summary.columns)), Cell("계", rowspan=2)],
        list[Cell | str](summary.columns),
    ]
    rows = [[row.label, *[row.counts.get(c, 0) for c in summary.columns], row.total] for row in summary.by_department]
    totals = [["합계", *[summary.overall.counts.get(c, 0) for c in summary.columns], summary.overall.total]]
    blocks: list[Any] = [
        Paragraph(
            f"기준일 {round_.as_of:%Y-%m-%d} · 제출 기간 {round_.opens_on:%Y-%m-%d}~{round_.closes_on:%Y-%m-%d} · "
            f"대상 {summary.overall.total}건"
        ),
        Table(header_rows=header, rows=rows, total_rows=totals, caption="1. 부서별 심사 결과"),
    ]
    list_header = [["연번", "대상 사업", "담당 부서", "계획(%)", "실적(%)", "격차(%p)", "제안", "심사 결과"]]
    list_rows = []
    for i, sub in enumerate(items, start=1):
        proposed, final = _state_label(sub)
        assessment = selectors.assessment_of(sub)
        list_rows.append(
            [
                i,
                sub.target.title,
                sub.target.department.name,
                _pct(sub.planned_progress),
                _pct(sub.progress),
                _pct(getattr(assessment, "gap", None)),
                proposed,
                final,
            ]
        )
    blocks.append(Table(header_rows=list_header, rows=list_rows, caption="2. 대상별 심사 결과"))
    blocks.append(Heading("3. 대상별 세부 내용"))
    for i, sub in enumerate(items, start=1):
        proposed, final = _state_label(sub)
        assessment = selectors.assessment_of(sub)
        blocks.append(Heading(f"3-{i}. {sub.target.title} ({sub.target.department.name})"))
        alternatives = "\n".join(
            f"· {a.text}" + (f" → 지시사항 {a.directive_number}" if a.directive_number else "")
            for a in sub.alternatives.all()
        )
        detail = [
            ["구분", sub.target.source_label],
            ["제출 상태", sub.get_status_display()],
            ["계획 진도(%)", _pct(sub.planned_progress)],
            ["추진률(%)", _pct(sub.progress)],
            ["격차(%p)", _pct(getattr(assessment, "gap", None))],
            ["예산 / 집행(백만원)", f"{million_text(sub.budget)} / {million_text(sub.budget_executed)}"],
            ["예산 집행 비고", sub.budget_note or "-"],
            ["추진 실적", sub.work_done or "-"],
            ["문제점", sub.issues or "-"],
            [
                "부진 사유",
                f"[{sub.delay_category.label}] {sub.delay_reason}" if sub.delay_category else (sub.delay_reason or "-"),
            ],
            ["다음 분기 계획", sub.next_plan or "-"],
            ["시스템 제안", proposed],
            ["심사 결과", final],
            ["심사 의견", getattr(assessment, "comment", "") or "-"],
            ["대안", alternatives or "-"],
        ]
        blocks.append(Table(header_rows=[["항목", "내용"]], rows=detail, col_widths=[18, 80]))
    return Report(
        title=f"{round_.title} 결과 보고",
        issued_on=issued_on,
        org_label=f"{org.city().name} 기획감사실",
        blocks=blocks,
    )
