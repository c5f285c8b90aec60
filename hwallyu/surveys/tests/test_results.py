"""Scores on 100 points, small groups hidden, trend, keywords, reports, the performance hook."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
import time_machine

from hwallyu.notifications.channels import outbox
from hwallyu.surveys import reports, selectors, services
from hwallyu.surveys.models import Invitation
from hwallyu.surveys.tests.conftest import aware

MONDAY_10 = aware(2024, 3, 11, 10, 0)


@pytest.fixture
def answered(imported, org, console_provider):
    """Ten departments answers: 7 for 미래전략과 (all 4, kindness 5), 3 for 강경읍 (all 2)."""
    services.invitations_send(survey=imported, actor=org.auditor, now=MONDAY_10)
    outbox.deliver_due(now=MONDAY_10)
    scale = list(imported.questions.filter(kind="scale5"))
    text_q = imported.questions.get(kind="text")
    dept = list(Invitation.objects.filter(department=org.dept).order_by("id")[:7])
    other = list(Invitation.objects.filter(department=org.other_dept).order_by("id")[:3])
    comments = ["담당 공무원이 친절했습니다", "주차장이 부족합니다", "주차 공간이 좁고 주차장 안내가 없었어요"]
    with time_machine.travel(aware(2024, 3, 12, 15, 0), tick=False):
        for n, inv in enumerate(dept):
            values = {q.id: (5 if q.code == "kindness" else 4) for q in scale}
            services.answer_submit(token=inv.token, values=values, texts={text_q.id: comments[n % 3]})
        for inv in other:
            services.answer_submit(token=inv.token, values={q.id: 2 for q in scale}, texts={})
    services.answers_flush(force=True)
    return imported


def test_score_formula() -> None:
    assert selectors.to_100(5) == Decimal("100.0")
    assert selectors.to_100(1) == Decimal("0.0")
    assert selectors.to_100(3) == Decimal("50.0")
    assert selectors.to_100(Decimal("4.2")) == Decimal("80.0")
    assert selectors.to_100(None) is None


@pytest.mark.django_db
def test_scores_by_department_hide_small_groups(answered, org) -> None:
    rows = {r["label"]: r for r in selectors.group_scores(answered, "department")}
    big, small = rows["미래전략과"], rows["강경읍"]
    assert (big["n"], big["hidden"]) == (7, False)
    assert big["scores"][0] == Decimal("100.0") and big["scores"][1] == Decimal("75.0")
    assert big["overall"] == Decimal("80.0")  # (5 + 4·4) / 5 = 4.2
    assert small["hidden"] and small["overall"] is None and small["scores"] == [None] * 5
    items = {i["code"]: i["score"] for i in selectors.item_scores(answered)}
    assert items["kindness"] == Decimal("77.5")  # (7·5 + 3·2) / 10 = 4.1 → (4.1 − 1) ÷ 4 × 100
    month = selectors.group_scores(answered, "month")
    assert [r["label"] for r in month] == ["2024-03"]
    channel = selectors.group_scores(answered, "channel")
    assert {r["label"] for r in channel} <= {"알림톡", "문자(SMS)", "문자(LMS)", "확인 안 됨"}
    assert "알림톡" in {r["label"] for r in channel}


@pytest.mark.django_db
def test_lowering_the_threshold_shows_the_group(answered, org) -> None:
    services.survey_update(survey=answered, data={"min_group_size": 3}, actor=org.auditor)
    rows = {r["label"]: r for r in selectors.group_scores(answered, "department")}
    assert rows["강경읍"]["overall"] == Decimal("25.0")
    assert selectors.lowest_items(answered)[0]["department"] == "강경읍"


@pytest.mark.django_db
def test_response_rate_and_bribe_share(answered) -> None:
    summary = selectors.response_summary(answered)
    assert summary["answered"] == 10 and summary["queued"] == 20
    delivered = summary["delivery"]["delivered"]
    assert summary["rate"] == (Decimal(1000) / delivered).quantize(Decimal("0.1"))
    assert selectors.bribe_summary(answered) == {"answered": 0, "yes": 0, "share": Decimal("0.0")}


@pytest.mark.django_db
def test_customer_perception_score_for_the_performance_module(answered, org) -> None:
    assert selectors.customer_perception_score(org.dept.id, 2024) == Decimal("80.00")
    assert selectors.customer_perception_score(org.other_dept.id, 2024) is None  # 3 answers < 5
    assert selectors.customer_perception_score(org.dept.id, 2023) is None


@pytest.mark.django_db
def test_trend_over_rounds(answered, org) -> None:
    trend = selectors.trend()
    assert [t["label"] for t in trend] == ["2024년"]
    assert trend[0]["n"] == 10 and trend[0]["overall"] == Decimal("63.5")  # (7·21 + 3·10) / 50 = 3.54


@pytest.mark.django_db
def test_keywords_of_free_text_with_kiwi(answered) -> None:
    words = dict(selectors.keyword_summary(answered))
    assert words["주차장"] == 4  # in 4 of the 7 comments (counted once per answer)
    assert "공무원" in words
    assert "이" not in words and "것" not in words


@pytest.mark.django_db
def test_reports_reopen_as_hwpx_and_xlsx(answered) -> None:
    from openpyxl import load_workbook

    report = reports.results_report(answered)
    from hwallyu.core.documents import render_hwpx, render_xlsx

    xlsx = load_workbook(io.BytesIO(render_xlsx(report)))
    cells = [str(c.value) for row in xlsx.active.iter_rows() for c in row if c.value is not None]
    assert "2024년 행정만족도 조사 결과" in cells
    assert "미래전략과" in cells and "강경읍" in cells and "비공개" in cells
    hwpx = render_hwpx(report)
    with zipfile.ZipFile(io.BytesIO(hwpx)) as archive:
        assert archive.testzip() is None
        text = "".join(archive.read(n).decode("utf-8", "ignore") for n in archive.namelist() if n.endswith(".xml"))
    assert "문항별 점수" in text and "미래전략과" in text
    from hwpx import HwpxDocument

    reopened = HwpxDocument.open(io.BytesIO(hwpx))
    try:
        assert any("행정만족도" in (p.text or "") for p in reopened.paragraphs)
    finally:
        reopened.close()


def _cells(survey):  # type: ignore[no-untyped-def]
    from hwallyu.surveys.models import KeywordCount, ResultCell

    cells = set(ResultCell.objects.filter(survey=survey).values_list("by", "key", "question_id", "n", "total"))
    words = set(KeywordCount.objects.filter(survey=survey).values_list("word", "n"))
    return cells, words


@pytest.mark.django_db
def test_running_totals_equal_a_recount_of_the_answer_tables(answered) -> None:
    from hwallyu.surveys import tallies

    kept = _cells(answered)
    assert kept[0] and ("all", "", None, 10, 0) in kept[0]
    tallies.rebuild(answered.id)
    assert _cells(answered) == kept


@pytest.mark.django_db
def test_closing_freezes_the_counts_the_pages_show(answered, org) -> None:
    before = (selectors.register_summary(answered), selectors.response_summary(answered))
    listed = {s.id: (s.invited, s.answered_count) for s in selectors.surveys_for(org.auditor)}
    closed = services.survey_close(survey=answered, actor=org.auditor)
    assert closed.closing_totals["invitations"]["answered"] == 10
    after = (selectors.register_summary(closed), selectors.response_summary(closed))
    assert after[0] == before[0]
    assert {k: v for k, v in after[1].items() if k != "prepared"} == {
        k: v for k, v in before[1].items() if k != "prepared"
    }
    assert {s.id: (s.invited, s.answered_count) for s in selectors.surveys_for(org.auditor)} == listed


@pytest.mark.django_db
def test_results_read_a_fixed_number_of_queries(answered, org) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    selectors.results(answered)
    with CaptureQueriesContext(connection) as first:
        selectors.results(answered)
    services.survey_create(year=2023, quarter=None, title="2023년", template=None, actor=org.auditor)
    with CaptureQueriesContext(connection) as again:
        selectors.results(answered)
    assert len(again) == len(first)
