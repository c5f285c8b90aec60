"""The quarterly review on a hand-checked example, its freezing, and the summary report files."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hwpx import HwpxDocument
from openpyxl import load_workbook

from hwallyu.api.base import ServiceError
from hwallyu.directives import reviews, services
from hwallyu.directives.models import QuarterlyReview

from .conftest import at, make_directive

pytestmark = pytest.mark.django_db

APPROVE_AT = at(2024, 4, 8, 10)


def _first(directive, org, when):
    services.directive_report(
        directive=directive,
        actor=org.staff if directive.lead_department == org.dept else org.other_staff,
        kind="first",
        body="착수",
        at=when,
    )


def _close(directive, org, state, reason=""):
    manager = org.manager if directive.lead_department == org.dept else org.other_manager
    if state == "완료":
        staff = org.staff if directive.lead_department == org.dept else org.other_staff
        services.directive_report(directive=directive, actor=staff, kind="result", body="완료", at=at(2024, 2, 1, 10))
    services.directive_close_request(
        directive=directive,
        actor=manager,
        final_state=state,
        reason=reason,
        transfer_to="충청남도" if state == "타기관 이첩" else "",
        at=at(2024, 2, 2, 10),
    )
    services.directive_close_approve(directive=directive, actor=org.planner, at=at(2024, 2, 5, 10))


def build_example(org):
    """Given Mon 2024-01-08 09:00, shared 10:00 → first report due Thu 2024-01-11 10:00.

    미래전략과: #1 completed (on time), #2 completed (late), #3 reported (on time, open),
                #4 long-term (on time), #5 shared, never reported (overdue).
    강경읍:     #6 infeasible (on time), #7 transferred (on time), #8 registered, never shared (overdue).
    2분기:      #9 강경읍 completed — only in the Q2 review.
    """
    given, shared = at(2024, 1, 8, 9), at(2024, 1, 8, 10)
    on_time, late = at(2024, 1, 10, 10), at(2024, 1, 12, 10)
    d = {}
    for n, lead in [
        (1, org.dept),
        (2, org.dept),
        (3, org.dept),
        (4, org.dept),
        (5, org.dept),
        (6, org.other_dept),
        (7, org.other_dept),
    ]:
        d[n] = make_directive(org, title=f"지시 {n}", given_at=given, lead=lead, share_at=shared)
    d[8] = make_directive(org, title="지시 8", given_at=given, lead=org.other_dept)
    for n in (1, 3, 4, 6, 7):
        _first(d[n], org, on_time)
    _first(d[2], org, late)
    _close(d[1], org, "완료")
    _close(d[2], org, "완료")
    _close(d[4], org, "장기추진")
    _close(d[6], org, "추진불가", reason="예산 없음")
    _close(d[7], org, "타기관 이첩")
    d[9] = make_directive(
        org, title="지시 9", given_at=at(2024, 4, 1, 9), lead=org.other_dept, share_at=at(2024, 4, 1, 10)
    )
    return d


def test_hand_checked_q1_figures(org, clock):
    clock(APPROVE_AT)
    build_example(org)
    data = reviews.compute_review(2024, 1, now=APPROVE_AT)
    rows = {r["department_code"]: r for r in data["rows"]}
    keys = [
        "total",
        "completed",
        "in_progress",
        "long_term",
        "infeasible",
        "transferred",
        "overdue",
        "first_due",
        "first_on_time",
        "first_on_time_rate",
        "completion_rate",
    ]
    assert [rows["D001"][k] for k in keys] == [5, 2, 2, 1, 0, 0, 1, 5, 3, "60.0", "40.0"]
    assert [rows["D002"][k] for k in keys] == [3, 0, 1, 0, 1, 1, 1, 2, 2, "100.0", "0.0"]
    assert [data["total"][k] for k in keys] == [8, 2, 3, 1, 1, 1, 2, 7, 5, "71.4", "25.0"]
    assert [r["department_name"] for r in data["rows"]] == ["미래전략과", "강경읍"]
    assert [i["number"] for i in data["open_items"]] == ["2024-0003", "2024-0005", "2024-0008"]
    late = {i["number"]: i["reasons"] for i in data["late_items"]}
    assert late == {
        "2024-0002": ["우선보고 지연"],
        "2024-0005": ["우선보고 미제출(기한 경과)"],
        "2024-0008": ["미공유(기한 경과)"],
    }
    q2 = reviews.compute_review(2024, 2, now=APPROVE_AT)
    assert q2["total"]["total"] == 9  # year to date


def test_review_is_computed_with_a_fixed_number_of_queries(org, clock):
    clock(APPROVE_AT)
    make_directive(org, given_at=at(2024, 1, 8, 9), share_at=at(2024, 1, 8, 10))
    with CaptureQueriesContext(connection) as small:
        reviews.compute_review(2024, 1, now=APPROVE_AT)
    build_example(org)
    for n in range(30):
        make_directive(org, title=f"추가 {n}", given_at=at(2024, 2, 5, 9), lead=org.planning)
    with CaptureQueriesContext(connection) as large:
        data = reviews.compute_review(2024, 1, now=APPROVE_AT)
    assert data["total"]["total"] == 39
    assert len(large.captured_queries) == len(small.captured_queries) <= 6


def test_approval_freezes_the_review(org, clock):
    clock(APPROVE_AT)
    d = build_example(org)
    with pytest.raises(ServiceError, match="분기가 끝난 뒤"):
        reviews.review_approve(year=2024, quarter=2, actor=org.planner, at=APPROVE_AT)
    with pytest.raises(Exception) as denied:
        reviews.review_approve(year=2024, quarter=1, actor=org.executive, at=APPROVE_AT)
    assert denied.type.__name__ == "PermissionDenied"
    review = reviews.review_approve(year=2024, quarter=1, actor=org.planner, note="확정", at=APPROVE_AT)
    assert review.is_frozen and review.snapshot["total"]["completed"] == 2
    with pytest.raises(ServiceError, match="이미 승인"):
        reviews.review_approve(year=2024, quarter=1, actor=org.planner, at=APPROVE_AT)
    # later work on #3 does not change the approved review, only the live figures
    clock(at(2024, 4, 9, 10))
    services.directive_report(directive=d[3], actor=org.staff, kind="result", body="완료")
    services.directive_close_request(directive=d[3], actor=org.manager, final_state="완료")
    services.directive_close_approve(directive=d[3], actor=org.planner)
    _, frozen = reviews.review_data(2024, 1)
    assert frozen["total"]["completed"] == 2 and frozen["total"]["completion_rate"] == "25.0"
    assert reviews.compute_review(2024, 1)["total"]["completed"] == 3
    assert QuarterlyReview.objects.get(year=2024, quarter=1).approved_by == org.planner


def test_summary_report_reopens_as_xlsx_and_hwpx(org, clock):
    clock(APPROVE_AT)
    build_example(org)
    review = reviews.review_approve(year=2024, quarter=1, actor=org.planner, at=APPROVE_AT)
    report = reviews.summary_report(review.snapshot, review)

    from hwallyu.core.documents import render_hwpx, render_xlsx

    ws = load_workbook(io.BytesIO(render_xlsx(report))).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    flat = [v for row in values for v in row if v is not None]
    assert values[0][0] == "2024년 1분기 지시사항 추진상황 총괄보고"
    total_row = next(row for row in values if row[0] == "합계")
    assert total_row[:8] == ["합계", 8, 2, 3, 1, 1, 1, 2]
    assert float(total_row[8]) == pytest.approx(71.4) and float(total_row[9]) == pytest.approx(25.0)
    assert "미래전략과" in flat and "2024-0005" in flat and "미공유(기한 경과)" in flat

    document = HwpxDocument.open(render_hwpx(report))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "2024년 1분기 지시사항 추진상황 총괄보고"
    assert any("완료율 25.0%" in t for t in texts)
    table = document.tables[0]
    cells = {cell.address: cell.text for row in table.rows for cell in row.cells}
    assert cells[(0, 0)] == "부서" and cells[(0, 2)] == "처리 현황"
    assert cells[(2, 0)] == "미래전략과" and cells[(2, 1)] == "5"
    assert cells[(4, 0)] == "합계" and cells[(4, 9)] == "25.0"


def test_paged_items_are_the_same_lists_a_page_at_a_time(org, clock):
    clock(APPROVE_AT)
    build_example(org)
    full = reviews.compute_review(2024, 1, now=APPROVE_AT)
    paged = reviews.compute_review(2024, 1, now=APPROVE_AT, paged_items=True)
    for key in ("open_items", "late_items"):
        items = paged[key]
        assert len(items) == items.count() == len(full[key]) == 3
        assert items[0:2] + items[2:30] == full[key]
    assert {k: v for k, v in paged.items() if not k.endswith("_items")} == {
        k: v for k, v in full.items() if not k.endswith("_items")
    }


@pytest.mark.parametrize("frozen", [False, True])
def test_review_page_shows_the_item_lists_a_page_at_a_time(org, clock, client, monkeypatch, frozen):
    from django.urls import reverse

    from hwallyu.directives import views

    clock(APPROVE_AT)
    build_example(org)
    if frozen:
        reviews.review_approve(year=2024, quarter=1, actor=org.planner, at=APPROVE_AT)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.force_login(org.planner)
    url = reverse("directives:review", args=[2024, 1])
    first = client.get(url)
    assert first.status_code == 200
    assert [i["number"] for i in first.context["open_page"]["page"]] == ["2024-0003", "2024-0005"]
    html = first.content.decode()
    assert "미완료 과제 (3건)" in html and "기한 경과·지연 과제 (3건)" in html
    assert "open_page=2#open-items" in html and "late_page=2#late-items" in html
    second = client.get(url, {"open_page": 2, "late_page": 2})
    assert [i["number"] for i in second.context["open_page"]["page"]] == ["2024-0008"]
    assert [i["number"] for i in second.context["late_page"]["page"]] == ["2024-0008"]
    assert "open_page=1#open-items" in second.content.decode()
