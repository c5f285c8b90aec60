"""The year report of integrity (HWPX/XLSX through hwallyu.core.documents): index, measures, cases.

Cases appear only as counts by category and step: no content, no numbers of individual cases.
"""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from hwallyu.core.documents import Cell, Heading, Paragraph, Report, Table
from hwallyu.integrity.models import Case, Category, CitizenAuditor, Step
from hwallyu.integrity.selectors import index_rows, measure_plan
from hwallyu.org import selectors as org


def year_report(year: int) -> Report:
    city = org.city().name
    blocks: list = [Heading("1. 종합청렴도 추이")]
    rows = index_rows()
    blocks.append(
        Table(
            header_rows=[
                [
                    Cell("연도", rowspan=2),
                    Cell("청렴체감도", colspan=3),
                    Cell("청렴노력도", rowspan=2),
                    Cell("부패실태 감점", rowspan=2),
                    Cell("종합점수", rowspan=2),
                    Cell("종합 등급", rowspan=2),
                ],
                ["외부", "내부", "체감도"],
            ],
            rows=[
                [
                    f"{r.year}년",
                    r.record.perceived_external,
                    r.record.perceived_internal,
                    r.perceived,
                    r.record.effort,
                    r.record.deduction,
                    r.composite,
                    f"{r.record.grade}등급" if r.record.grade else None,
                ]
                for r in rows
            ],
            caption="종합청렴도 = 청렴체감도 × 가중치 + 청렴노력도 × 가중치 − 부패실태 감점 (연도별 기준)",
        )
    )
    plan = measure_plan(year)
    blocks.append(Heading("2. 청렴 시책 추진 현황"))
    if plan is None:
        blocks.append(Paragraph(f"{year}년 청렴 시책 계획이 아직 없습니다."))
    else:
        blocks.append(
            Table(
                header_rows=[["구분", "시책", "담당", "시작", "종료", "상태", "추진 실적"]],
                rows=[
                    [
                        m.get_kind_display(),
                        m.title,
                        (m.owner.get_full_name() or m.owner.get_username()) if m.owner else None,
                        m.starts_on,
                        m.ends_on,
                        m.get_status_display(),
                        m.record,
                    ]
                    for m in plan.measures.all()
                ],
            )
        )
        broadcasts = list(plan.broadcasts.all())
        blocks.append(Heading("3. 청렴 방송 릴레이 (주 1회)"))
        blocks.append(
            Table(
                header_rows=[["방송일", "직위", "출연자", "주제", "완료", "비고"]],
                rows=[
                    [b.on_date, b.speaker_title, b.speaker_name, b.topic, "완료" if b.done else "예정", b.record]
                    for b in broadcasts
                ],
                total_rows=[
                    [Cell("계", colspan=4), f"{sum(1 for b in broadcasts if b.done)}/{len(broadcasts)}회", None]
                ],
            )
        )
        guides = list(plan.guide_distributions.all())
        blocks.append(Heading("4. 신규공직자 청렴길라잡이 배부"))
        blocks.append(
            Table(
                header_rows=[["배부일", "판", "대상", "부수", "비고"]],
                rows=[[g.on_date, g.edition, g.recipients, g.copies, g.note] for g in guides],
                total_rows=[[Cell("계", colspan=3), sum(g.copies for g in guides), None]],
            )
        )
        if plan.survey_url:
            blocks.append(Paragraph(f"행정만족도 조사 링크: {plan.survey_url}"))
    blocks.append(Heading("5. 시민감사관"))
    auditors = CitizenAuditor.objects.prefetch_related("activities")
    blocks.append(
        Table(
            header_rows=[["성명", "분야", "임기", f"{year}년 활동", "상태"]],
            rows=[
                [
                    a.name,
                    a.field,
                    f"{a.term_start:%Y.%m.%d}~{a.term_end:%Y.%m.%d}",
                    sum(1 for x in a.activities.all() if x.on_date.year == year),
                    "활동 중" if a.active else "종료",
                ]
                for a in auditors
            ],
        )
    )
    blocks.append(Heading("6. 청렴톡(익명 상담·신고) 접수·처리 현황"))
    counts = {
        (row["category"], row["step"]): row["n"]
        for row in Case.objects.filter(year=year).values("category", "step").annotate(n=Count("id"))
    }
    step_values = [s for s, _ in Step.choices]
    body = []
    for value, label in Category.choices:
        cells = [counts.get((value, s), 0) for s in step_values]
        body.append([label, *cells, sum(cells)])
    totals = [sum(r[i] for r in body) for i in range(1, len(step_values) + 2)]
    blocks.append(
        Table(
            header_rows=[["유형", *[label for _, label in Step.choices], "계"]],
            rows=body,
            total_rows=[["계", *totals]],
            caption="내용과 제보자 정보는 암호화되어 이 보고서에 포함되지 않습니다(건수만 집계).",
        )
    )
    return Report(
        title=f"{year}년 청렴 시책 추진 현황",
        issued_on=timezone.localdate(),
        org_label=f"{city} 기획감사실 감사팀",
        blocks=blocks,
    )
