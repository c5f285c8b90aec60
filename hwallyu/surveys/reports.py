"""The results report (HWPX and XLSX) through ``hwallyu.core.documents``."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from hwallyu.core.documents import Cell, Heading, Paragraph, Report, Table
from hwallyu.org import selectors as org
from hwallyu.surveys import selectors

HIDDEN = "비공개"


def _score(value: Any) -> Any:
    return value if value is not None else "-"


def results_report(survey: Any) -> Report:
    data = selectors.results(survey)
    summary = data["summary"]
    questions = data["questions"]
    threshold = data["threshold"]
    blocks: list[Any] = [
        Paragraph(
            f"조사 기간: {survey.period_label} · 상태: {survey.get_status_display()} · "
            f"점수는 5점 척도를 100점으로 환산((x − 1) ÷ 4 × 100)한 값입니다. "
            f"응답이 {threshold}건 미만인 집단은 익명 보호를 위해 점수를 공개하지 않습니다."
        ),
        Heading("1. 응답 현황"),
        Table(
            header_rows=[
                [
                    "안내(발송 요청)",
                    "전달",
                    "알림톡",
                    "문자 대체발송",
                    "응답",
                    f"응답률({summary['rate_base']} 대비, %)",
                ]
            ],
            rows=[
                [
                    summary["queued"],
                    summary["delivery"]["delivered"],
                    summary["delivery"]["alimtalk"],
                    summary["fallback"],
                    summary["answered"],
                    summary["rate"] if summary["rate"] is not None else "-",
                ]
            ],
        ),
        Heading("2. 문항별 점수"),
        Table(
            header_rows=[["문항", "응답 수", "점수(100점)"]],
            rows=[[i["label"], i["n"], _score(i["score"])] for i in data["items"]],
        ),
    ]
    number = 3
    for by, label in selectors.GROUPINGS.items():
        rows = data["groups"][by]
        header = [
            [
                Cell("구분", rowspan=2),
                Cell("응답 수", rowspan=2),
                Cell("문항별 점수", colspan=len(questions)),
                Cell("종합", rowspan=2),
            ],
            [q.label[:12] for q in questions],
        ]
        body = []
        for r in rows:
            if r["hidden"]:
                body.append([r["label"], f"{threshold}건 미만", *([HIDDEN] * len(questions)), HIDDEN])
            else:
                body.append([r["label"], r["n"], *[_score(s) for s in r["scores"]], _score(r["overall"])])
        blocks += [Heading(f"{number}. {label} 점수"), Table(header_rows=header, rows=body)]
        number += 1
    bribe = data["bribe"]
    blocks += [
        Heading(f"{number}. 금품·향응 요구 경험"),
        Table(
            header_rows=[["문항 응답 수", "'예' 응답", "비율(%)"]],
            rows=[[bribe["answered"], bribe["yes"], bribe["share"]]],
        ),
        Heading(f"{number + 1}. 낮은 점수 항목(부서×문항)"),
        Table(
            header_rows=[["부서", "문항", "점수", "응답 수"]],
            rows=[[c["department"], c["question"], c["score"], c["n"]] for c in data["lowest"]],
        ),
        Heading(f"{number + 2}. 회차별 추이"),
        Table(
            header_rows=[["회차", "응답 수", "종합 점수"]],
            rows=[[t["label"], t["n"], _score(t["overall"])] for t in data["trend"]],
        ),
        Heading(f"{number + 3}. 자유 의견 주요 낱말"),
        Table(header_rows=[["낱말", "언급 응답 수"]], rows=[[word, count] for word, count in data["keywords"][:20]]),
    ]
    return Report(
        title=f"{survey.title} 결과",
        issued_on=timezone.localdate(),
        org_label=f"{org.city().name} 기획감사실 감사팀",
        blocks=blocks,
    )
