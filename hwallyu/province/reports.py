"""The monthly review pack (추진상황·부진지표 보고회) as a document, rendered to HWPX and XLSX."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from hwallyu.core.documents import Block, Cell, Heading, Paragraph, Report, Table
from hwallyu.org.selectors import city
from hwallyu.province.selectors import GroupLine, Pack

ONE = Decimal("0.1")


def amount(value: Decimal | None) -> Decimal | None:
    """A figure as the office writes it: whole numbers without decimals, else up to two places."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    rounded = value.quantize(Decimal("0.01"))
    return rounded.quantize(Decimal(1)) if rounded == rounded.to_integral_value() else rounded.normalize()


def percent(value: Decimal | None) -> Decimal | None:
    return value.quantize(ONE) if value is not None else None


def _status_header(first: str) -> list[list[Cell | str]]:
    return [
        [
            Cell(first, rowspan=2),
            Cell("정량 지표", rowspan=2),
            Cell("추진 상태", colspan=4),
            Cell("부진율(%)", rowspan=2),
        ],
        ["달성", "달성 가능", "부진", "실적 없음"],
    ]


def _line(line: GroupLine) -> list[object]:
    return [line.label, line.total, line.achieved, line.on_track, line.lagging, line.no_data, line.lagging_rate]


def pack_report(pack: Pack) -> Report:
    year = pack.evaluation_year.year
    month = pack.month
    total = pack.total
    summary = (
        f"정량 지표 {total.total}개 중 달성 {total.achieved}, 달성 가능 {total.on_track}, 부진 {total.lagging}, "
        f"실적 없음 {total.no_data} (부진율 {total.lagging_rate}%). "
        f"정성 지표 {pack.qualitative_total}개 중 제출 {pack.qualitative_done}개."
    )
    lagging_rows = [
        [
            n,
            r.indicator.code,
            r.indicator.name,
            r.owners,
            r.indicator.unit,
            amount(r.indicator.target),
            amount(r.actual),
            f"{r.actual_month}월" if r.actual_month else "-",
            percent(r.achievement),
            amount(r.forecast),
            r.reason or (r.evaluation.reason if r.evaluation else ""),
        ]
        for n, r in enumerate(pack.lagging, start=1)
    ]
    change_rows = [
        [
            c.kind,
            c.row.indicator.code,
            c.row.indicator.name,
            c.row.owners,
            c.previous.status if c.previous else "-",
            c.row.status,
            amount(c.previous.actual) if c.previous else None,
            amount(c.row.actual),
        ]
        for c in pack.changes
    ]
    blocks: list[Block] = [
        Heading("1. 총괄"),
        Paragraph(summary),
        Table(
            header_rows=_status_header("분야"),
            rows=[_line(g) for g in pack.by_field],
            total_rows=[_line(total)],
            caption="분야별 추진 현황",
        ),
        Heading("2. 부서별 추진 현황"),
        Paragraph("여러 부서가 함께 맡은 지표는 각 부서에 모두 셉니다."),
        Table(
            header_rows=_status_header("부서"), rows=[_line(g) for g in pack.by_department], caption="부서별 추진 현황"
        ),
        Heading("3. 부진지표"),
        Table(
            header_rows=[
                [
                    "연번",
                    "지표코드",
                    "지표명",
                    "담당부서",
                    "단위",
                    "목표",
                    "누계 실적",
                    "기준 월",
                    "달성도(%)",
                    "연말 전망",
                    "부진 사유·대책",
                ]
            ],
            rows=lagging_rows,
            caption=f"부진지표 {len(lagging_rows)}개",
        ),
        Heading("4. 전월 대비 변동"),
        Paragraph(
            f"{month}월 실적이 새로 입력·수정된 지표 {pack.updated_count}개, "
            f"추진 상태가 바뀐 지표 {len(change_rows)}개."
        ),
        Table(
            header_rows=[
                [
                    Cell("구분", rowspan=2),
                    Cell("지표코드", rowspan=2),
                    Cell("지표명", rowspan=2),
                    Cell("담당부서", rowspan=2),
                    Cell("추진 상태", colspan=2),
                    Cell("누계 실적", colspan=2),
                ],
                ["전월", "당월", "전월", "당월"],
            ],
            rows=change_rows,
            caption="상태 변동 지표",
        ),
    ]
    return Report(
        title=f"{year}년 시군평가 {month}월 추진상황·부진지표 보고회",
        issued_on=timezone.localdate(),
        org_label=f"{city().name} 기획감사실 성과관리팀",
        blocks=blocks,
    )
