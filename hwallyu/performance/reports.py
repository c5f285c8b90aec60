"""The evaluation's documents (HWPX and XLSX through ``hwallyu.core.documents``):

* 부서 성과평가 결과 — per group: rank, department, item scores, bonus/penalty, total, grade;
* 성과상여금 기초자료 — department, group, score, rank, grade, pay rate.

Both read the frozen run when there is one; before that the live result, marked "(미확정)"."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from hwallyu.core.documents import Cell, Heading, Paragraph, Report, Table
from hwallyu.org.selectors import city
from hwallyu.performance import selectors
from hwallyu.performance.models import Scheme

KINDS = {"results": "부서 성과평가 결과", "pay": "성과상여금 기초자료"}


def _number(text: str | None) -> Decimal | None:
    return Decimal(text) if text else None


def _title(scheme: Scheme, kind: str, frozen: bool) -> str:
    return f"{scheme.year}년 {KINDS[kind]}" + ("" if frozen else " (미확정)")


def _basis(found: selectors.Results) -> str:
    if found.run is not None:
        stamp = timezone.localtime(found.run.frozen_at)
        return f"확정 결과({stamp:%Y-%m-%d %H:%M} 확정)를 기준으로 작성했습니다."
    return "확정 전 결과입니다. 자료가 바뀌면 숫자도 바뀝니다."


def results_report(scheme: Scheme) -> Report:
    found = selectors.results(scheme)
    rules = found.run.rules if found.run is not None else selectors.rules_to_json(selectors.rules_of(scheme))
    labels = rules["labels"]
    weights = rules["weights"]
    blocks: list[Any] = [
        Paragraph(
            f"평가 항목: {labels['indicator']} {weights['indicator']}점, {labels['customer']} {weights['customer']}점, "
            f"{labels['common']} {weights['common']}점, "
            f"가점 최대 {rules['bonus_max']}점, 감점 최대 {rules['penalty_max']}점. "
            f"지표 달성률 상한 {rules['cap']}%. 등급: "
            + ", ".join(f"{g['code']} {g['quota']}%" for g in rules["grades"])
            + " (최대잉여법, 동점은 지표달성도·부서 코드 순). "
            + _basis(found)
        )
    ]
    header = [
        [
            Cell("순위", rowspan=2),
            Cell("부서", rowspan=2),
            Cell("평가 항목 점수", colspan=5),
            Cell("총점", rowspan=2),
            Cell("등급", rowspan=2),
        ],
        [labels["indicator"], labels["customer"], labels["common"], "가점", "감점"],
    ]
    for group_name, rows in selectors.groups_of_rows(found.rows):
        body = [
            [
                r["rank"],
                r["department_name"],
                _number(r["items"]["indicator"]["score"]),
                _number(r["items"]["customer"]["score"]),
                _number(r["items"]["common"]["score"]),
                _number(r["items"]["bonus"]["score"]),
                _number(r["items"]["penalty"]["score"]),
                _number(r["score"]),
                r["grade"],
            ]
            for r in rows
        ]
        blocks.append(Heading(f"{group_name} ({len(rows)}개 부서)"))
        blocks.append(Table(header_rows=header, rows=body, caption=f"{group_name} 평가 결과"))
    return Report(
        title=_title(scheme, "results", found.frozen),
        issued_on=timezone.localdate(),
        unit_label="단위: 점",
        org_label=f"{city().name} 기획감사실 성과관리팀",
        blocks=blocks,
    )


def pay_report(scheme: Scheme) -> Report:
    found = selectors.results(scheme)
    rules = found.run.rules if found.run is not None else selectors.rules_to_json(selectors.rules_of(scheme))
    rows = [
        [
            r["department_name"],
            r["group_name"],
            _number(r["score"]),
            r["rank"],
            r["grade"],
            _number(r["pay_rate"]),
        ]
        for _, members in selectors.groups_of_rows(found.rows)
        for r in members
    ]
    counts: dict[str, int] = {}
    for r in found.rows:
        counts[r["grade"]] = counts.get(r["grade"], 0) + 1
    summary = ", ".join(f"{g['code']} {counts.get(g['code'], 0)}개(지급률 {g['pay_rate']}%)" for g in rules["grades"])
    return Report(
        title=_title(scheme, "pay", found.frozen),
        issued_on=timezone.localdate(),
        org_label=f"{city().name} 기획감사실 성과관리팀",
        blocks=[
            Paragraph(
                "부서 성과평가 결과에 따른 성과상여금 기초자료입니다. 지급률은 기준액 대비 비율(%)이며, "
                "순위는 평가군 안의 순위입니다. " + _basis(found)
            ),
            Table(
                header_rows=[["부서", "평가군", "총점", "순위", "등급", "지급률(%)"]],
                rows=rows,
                total_rows=[[Cell("등급별 부서 수", colspan=2), Cell(summary, colspan=4)]],
                caption="성과상여금 기초자료",
            ),
        ],
    )


def build(scheme: Scheme, kind: str) -> Report:
    return results_report(scheme) if kind == "results" else pay_report(scheme)


def filename(scheme: Scheme, kind: str) -> str:
    return f"{scheme.year}년_{KINDS[kind].replace(' ', '_')}"
