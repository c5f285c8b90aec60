"""The status report of one initiative (추진상황 보고), as HWPX and XLSX through the core documents.

Sections: overview, pipeline (planned vs actual, late flagged), review readiness, partners and
agreements, targets, budget by source in 백만원 (with the sum check and the work-plan link),
upcoming events, institution targets (attraction) and the latest trends.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hwallyu.core.documents import Cell, Heading, Paragraph, Report, Table
from hwallyu.initiatives import selectors
from hwallyu.initiatives.models import Initiative, InstitutionState
from hwallyu.initiatives.money import to_million
from hwallyu.org import selectors as org

LATE_TEXT = {"late": "지연", "late_done": "지연 완료", "": ""}
LINK_TEXT = {
    "none": "업무계획 연계 없음",
    "linked": "사업비 조서와 일치",
    "differs": "사업비 조서와 다름",
    "missing": "조서 행 없음",
}


def _num(value: Decimal | None) -> int | Decimal | None:
    """1500000.00 → 1500000 (an integer cell); 12.50 → 12.5."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value.normalize()


def status_report(initiative: Initiative, *, on: dt.date | None = None) -> Report:
    on = on or selectors.today()
    blocks: list[Heading | Paragraph | Table] = []

    blocks.append(Heading("1. 사업 개요"))
    departments = ", ".join(d.name for d in initiative.departments.all()) or "-"
    overview: list[list[Any]] = [
        ["구분", initiative.get_kind_display(), "상태", initiative.get_status_display()],
        ["담당", str(initiative.team), "협업 부서", departments],
        [
            "기간",
            f"{initiative.starts_on:%Y-%m-%d} ~ {initiative.ends_on:%Y-%m-%d}",
            "총사업비(백만원)",
            to_million(initiative.budget_total),
        ],
    ]
    blocks.append(Table(header_rows=[["항목", "내용", "항목", "내용"]], rows=overview, caption="사업 개요"))
    aims = initiative.aim_lines()
    if aims:
        blocks.append(Paragraph("\n".join(f"❖ {aim}" for aim in aims)))

    stages = selectors.milestones(initiative)
    blocks.append(Heading("2. 추진 단계"))
    blocks.append(
        Table(
            header_rows=[["순서", "단계", "결정 기관", "계획", "실적", "상태", "비고"]],
            rows=[
                [
                    m.order,
                    m.name,
                    m.deciding_body or "-",
                    m.planned_label(),
                    m.actual_on,
                    m.get_state_display() + (f" ({LATE_TEXT[m.late_state(on)]})" if m.late_state(on) else ""),
                    m.note or None,
                ]
                for m in stages
            ],
            caption="승인 절차 계획 대비 실적",
        )
    )

    groups = selectors.review_groups(initiative)
    if groups:
        blocks.append(Heading("3. 심사 대비"))
        for group in groups:
            blocks.append(
                Table(
                    header_rows=[["평가 항목", "담당", "준비 상태", "근거·증빙"]],
                    rows=[
                        [
                            c.name,
                            (c.owner.get_full_name() or c.owner.get_username()) if c.owner else "-",
                            c.get_state_display(),
                            c.evidence or (f"문서 {len(c.documents.all())}건" if c.documents.all() else None),
                        ]
                        for c in group.criteria
                    ],
                    total_rows=[
                        [
                            Cell("준비 완료", colspan=2),
                            f"{group.ready}/{len(group.criteria)}",
                            f"{group.rate}%" if group.rate is not None else "-",
                        ]
                    ],
                    caption=group.review,
                )
            )

    partners = selectors.partners(initiative)
    blocks.append(Heading("4. 협력 기관"))
    blocks.append(
        Table(
            header_rows=[["기관", "구분", "협약 상태", "변경일", "증빙 문서", "협력 내용"]],
            rows=[
                [p.name, p.get_kind_display(), p.get_state_display(), p.state_on, p.document_count, p.role or None]  # type: ignore[attr-defined]
                for p in partners
            ],
            total_rows=[
                [
                    Cell("서명(참여의향서·업무협약·완료)", colspan=2),
                    f"{sum(1 for p in partners if p.is_signed)}/{len(partners)}",
                    None,
                    None,
                    None,
                ]
            ],
            caption="협력 기관 및 협약 현황",
        )
    )

    targets = list(initiative.targets.order_by("order", "id"))
    if targets:
        blocks.append(Heading("5. 목표"))
        blocks.append(
            Table(
                header_rows=[["목표", "목표값", "단위", "실적", "달성률(%)", "기준일"]],
                rows=[[t.name, _num(t.value), t.unit, _num(t.actual), t.achievement(), t.actual_on] for t in targets],
                caption="목표 대비 실적",
            )
        )

    view = selectors.budget(initiative)
    blocks.append(Heading("6. 예산(단위: 백만원)"))
    blocks.append(
        Table(
            header_rows=[
                [Cell("연도", rowspan=2), Cell("항목", rowspan=2), Cell("재원별", colspan=5), Cell("비고", rowspan=2)],
                ["계", "국비", "도비", "시비", "기타(수익)"],
            ],
            rows=[
                [
                    r.line.year,
                    r.line.name + ("" if r.line.in_total else " (총사업비 외)"),
                    to_million(r.line.total),
                    to_million(r.line.national),
                    to_million(r.line.provincial),
                    to_million(r.line.city),
                    to_million(r.line.other),
                    LINK_TEXT[r.link] if view.workplan or r.link != "none" else "업무계획 연계 없음",
                ]
                for r in view.rows
            ],
            total_rows=[
                [
                    Cell("합계", colspan=2),
                    to_million(view.sums["total"]),
                    to_million(view.sums["national"]),
                    to_million(view.sums["provincial"]),
                    to_million(view.sums["city"]),
                    to_million(view.sums["other"]),
                    None,
                ]
            ]
            if view.rows
            else [],
            caption="재원별 예산",
        )
    )
    blocks.append(Paragraph(("※ " if view.check != "ok" else "") + view.message))

    events = selectors.upcoming_events(initiative, on)
    blocks.append(Heading("7. 향후 일정(행사·홍보)"))
    blocks.append(
        Table(
            header_rows=[["일자", "구분", "행사명", "장소", "대상"]],
            rows=[
                [e.period_label(), e.get_kind_display(), e.title, e.place or None, e.audience or None] for e in events
            ],
            caption=f"{on:%Y-%m-%d} 이후 예정",
        )
    )

    institutions = selectors.institutions(initiative)
    if institutions:
        won = sum(1 for i in institutions if i.state == InstitutionState.WON)
        blocks.append(Heading("8. 유치 대상 기관"))
        blocks.append(
            Table(
                header_rows=[["기관명", "유형", "소관 부처", "유치 상태", "확정 연도", "접촉"]],
                rows=[
                    [
                        i.name,
                        i.get_type_display(),
                        i.parent or None,
                        i.get_state_display(),
                        i.decided_year,
                        getattr(i, "contact_count", 0),
                    ]
                    for i in institutions
                ],
                total_rows=[
                    [Cell("유치확정", colspan=3), f"{won}개", Cell(f"대상 {len(institutions) - won}개", colspan=2)]
                ],
                caption="유치 현황 및 대상",
            )
        )

    trends = selectors.initiative_trends(initiative, limit=5)
    blocks.append(Heading("9. 최근 동향"))
    blocks.append(
        Table(
            header_rows=[["일자", "동향", "출처"]],
            rows=[[t.recorded_on, t.title, t.source or None] for t in trends],
            caption="최근 동향(5건)",
        )
    )

    return Report(
        title=f"{initiative.name} 추진상황",
        issued_on=on,
        org_label=f"{org.city().name} {initiative.team}",
        blocks=blocks,
    )
