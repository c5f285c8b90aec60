"""The pages: the planner's flow of the issue, forms that re-render with errors, the drill-down,
the what-if mode, the downloads (reopened), list pages with a fixed query count."""

from __future__ import annotations

import io
import json
from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hwpx import HwpxDocument
from openpyxl import load_workbook

from hwallyu.org.models import Department, DepartmentKind, EvaluationGroup
from hwallyu.performance import selectors, services
from hwallyu.performance.models import Actual, ActualStatus, EvaluationRun, Indicator, SetStatus

from .conftest import add_indicator, approve, make_scheme, ready_year, set_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def scheme_post(scheme, **changes):
    data = {
        "indicator_label": scheme.indicator_label,
        "weight_indicator": scheme.weight_indicator,
        "customer_label": scheme.customer_label,
        "weight_customer": scheme.weight_customer,
        "common_label": scheme.common_label,
        "weight_common": scheme.weight_common,
        "achievement_cap": scheme.achievement_cap,
        "bonus_max": scheme.bonus_max,
        "penalty_max": scheme.penalty_max,
        "note": "",
    }
    for i, g in enumerate(scheme.grades):
        data.update({f"grade_code_{i}": g["code"], f"grade_quota_{i}": g["quota"], f"grade_rate_{i}": g["pay_rate"]})
    for i, lv in enumerate(scheme.levels):
        data.update({f"level_label_{i}": lv["label"], f"level_points_{i}": lv["points"]})
    data.update(changes)
    return data


def test_planner_adjusts_weights_runs_drills_down_tries_what_if_freezes_and_downloads(org, as_user):
    scheme, indicators = ready_year(org)
    client = as_user(org.planner)

    # 1. adjust the weights (the page says where the defaults come from and shows the grading rule)
    page = client.get(reverse("performance:scheme", args=[2024]))
    assert "시스템 기본값" in page.content.decode() and "최대잉여법" in page.content.decode()
    response = client.post(
        reverse("performance:scheme", args=[2024]),
        scheme_post(scheme, weight_indicator="60", weight_customer="30", weight_common="10"),
    )
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.weight_indicator == 60

    # 2. run the evaluation: the live result, with the quota table and the chart definition
    response = client.get(reverse("performance:results", args=[2024]))
    html = response.content.decode()
    assert response.status_code == 200 and "미확정" in html
    # D001: 60 × 110 % = 66.00, customer 30 × 80 % = 24.00, common 10 × 8/10 = 8.00 → 98.00
    d001 = selectors.department_row(response.context["found"].rows, "D001")
    assert d001["score"] == "98.00" and d001["rank"] == 1
    chart = json.loads(response.context["chart"])
    assert chart["type"] == "bar" and {d["label"] for d in chart["data"]["datasets"]} == {
        "본청 지원부서",
        "본청 사업부서",
    }
    assert "data-chart=" in html and "<script>" not in html

    # 3. the drill-down explains every number
    response = client.get(reverse("performance:drilldown", args=[2024, "D001"]))
    html = response.content.decode()
    assert "실적 110 ÷ 목표 100 × 100 = 110.00%" in html
    assert "66.00 + 24.00 + 8.00 + 0.00 − 0.00 = 98.00" in html

    # 4. what-if: D001's actual 110 → 80; nothing is saved
    url = reverse("performance:whatif", args=[2024])
    response = client.get(url, {"indicator_0": indicators["D001"].pk, "actual_0": "80"})
    rows = {r.department: r for r in response.context["comparison"]}
    # 60 × 80 % = 48.00 + 24.00 + 8.00 = 80.00 < D002 (60 × 90 % = 54 + 27 + 6 = 87.00)
    assert rows["D001"].before["score"] == "98.00" and rows["D001"].after["score"] == "80.00"
    assert rows["D001"].after["rank"] == 2 and rows["D001"].changed
    assert Actual.objects.get(indicator=indicators["D001"]).value == D(110)
    partial = client.get(url, {"indicator_0": indicators["D001"].pk, "actual_0": "80"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode() and "80.00" in partial.content.decode()

    # 5. freeze (the page's fingerprint must still be current)
    fingerprint = client.get(reverse("performance:results", args=[2024])).context["fingerprint"]
    response = client.post(reverse("performance:freeze", args=[2024]), {"fingerprint": fingerprint})
    assert response.status_code == 302
    run = EvaluationRun.objects.get(scheme=scheme)
    assert selectors.department_row(run.rows, "D001")["score"] == "98.00"

    # what-if after the freeze compares with the frozen run
    response = client.get(url, {"weight_indicator": "80", "weight_customer": "10", "weight_common": "10"})
    assert response.context["run"] == run
    # 80 × 110 % = 88.00 + 8.00 + 8.00 = 104.00
    assert {r.department: r for r in response.context["comparison"]}["D001"].after["score"] == "104.00"

    # 6. download the performance-pay base data; it opens
    response = client.get(reverse("performance:download", args=[2024, "pay", "xlsx"]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "2024년 성과상여금 기초자료"
    header = next(row for row in values if row[0] == "부서")
    assert header[:6] == ["부서", "평가군", "총점", "순위", "등급", "지급률(%)"]
    body = next(row for row in values if row[0] == "미래전략과")
    # a group of two: exact seats 0.4 / 0.8 / 0.6 / 0.2 → the two seats go to A (.8) and B (.6)
    assert body[1] == "본청 사업부서" and float(body[2]) == 98.0 and body[3] == 1 and body[4] == "A"
    assert float(body[5]) == 125.0
    response = client.get(reverse("performance:download", args=[2024, "pay", "hwpx"]))
    document = HwpxDocument.open(response.content)
    assert document.paragraphs[0].text == "2024년 성과상여금 기초자료"
    cells = {cell.address: cell.text for row in document.tables[0].rows for cell in row.cells}
    assert cells[(0, 0)] == "부서" and "미래전략과" in cells.values()
    results = client.get(reverse("performance:download", args=[2024, "results", "xlsx"]))
    flat = [c.value for row in load_workbook(io.BytesIO(results.content)).active.iter_rows() for c in row]
    assert "2024년 부서 성과평가 결과" in flat and "평가 항목 점수" in flat and "미래전략과" in flat
    results = client.get(reverse("performance:download", args=[2024, "results", "hwpx"]))
    assert HwpxDocument.open(results.content).paragraphs[0].text == "2024년 부서 성과평가 결과"
    assert client.get(reverse("performance:download", args=[2024, "pay", "pdf"])).status_code == 404


def test_scheme_form_with_errors_rerenders(org, as_user):
    scheme = make_scheme(org)
    client = as_user(org.planner)
    response = client.post(
        reverse("performance:scheme", args=[2024]), scheme_post(scheme, weight_common="20", grade_quota_0="abc")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "숫자를 입력하세요" in html
    response = client.post(reverse("performance:scheme", args=[2024]), scheme_post(scheme, weight_common="20"))
    assert response.status_code == 200 and "합이 100점" in response.content.decode()


def test_department_enters_indicators_and_actuals_with_evidence(org, as_user):
    scheme = make_scheme(org)
    client = as_user(org.staff)
    url = reverse("performance:indicator_create", args=[2024, "D001"])
    response = client.post(url, {"name": "", "kind": "quantitative", "direction": "rising", "weight": "x"})
    assert response.status_code == 200 and "지표명을 입력하세요" in response.content.decode()
    response = client.post(
        url,
        {
            "name": "민원 처리율",
            "kind": "quantitative",
            "direction": "rising",
            "unit": "%",
            "target": "95",
            "weight": "100",
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(name="민원 처리율")
    approve(org, scheme, org.dept)
    page = client.get(reverse("performance:department", args=[2024, "D001"]))
    assert "민원 처리율" in page.content.decode() and reverse("performance:actual_edit", args=[indicator.pk, 1]) in (
        page.content.decode()
    )
    upload = SimpleUploadedFile("실적.hwpx", b"PK evidence", content_type="application/octet-stream")
    response = client.post(
        reverse("performance:actual_edit", args=[indicator.pk, 1]),
        {"value": "30", "note": "", "evidence_files": [upload]},
    )
    assert response.status_code == 302
    actual = Actual.objects.get(indicator=indicator, quarter=1)
    evidence = actual.evidence.get()
    download = client.get(reverse("performance:evidence", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"PK evidence"
    # the other department's people do not find it
    other = as_user(org.other_staff)
    assert other.get(reverse("performance:evidence", args=[evidence.pk])).status_code == 404
    # the performance team accepts from the review page
    planner = as_user(org.planner)
    review = planner.get(reverse("performance:review", args=[2024]))
    assert "민원 처리율" in review.content.decode()
    planner.post(reverse("performance:actual_accept", args=[actual.pk]), {"next": "https://evil.example/"})
    actual.refresh_from_db()
    assert actual.status == ActualStatus.ACCEPTED


def test_accept_redirect_stays_on_site(org, as_user):
    scheme = make_scheme(org)
    indicator = add_indicator(org, scheme, org.dept)
    approve(org, scheme, org.dept)
    actual = services.actual_submit(indicator=indicator, quarter=1, value=D(1), actor=org.staff)
    response = as_user(org.planner).post(
        reverse("performance:actual_return", args=[actual.pk]), {"comment": "다시", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and not response["Location"].startswith("http")


def test_department_sees_own_result_only_after_freezing(org, as_user):
    scheme, _ = ready_year(org)
    client = as_user(org.manager)
    url = reverse("performance:drilldown", args=[2024, "D001"])
    response = client.get(url)
    assert (
        response.status_code == 200
        and response.context["row"] is None
        and "확정되지 않았습니다" in (response.content.decode())
    )
    assert client.get(reverse("performance:drilldown", args=[2024, "D002"])).status_code == 404
    services.run_freeze(scheme=scheme, actor=org.planner)
    response = client.get(url)
    assert response.context["row"]["score"] == "101.00"
    assert client.get(reverse("performance:results", args=[2024])).status_code == 403


def test_copy_and_create_from_the_index(org, as_user):
    ready_year(org)
    client = as_user(org.planner)
    response = client.post(reverse("performance:scheme_create"), {"year": "2024", "copy_from": ""})
    assert response.status_code == 200 and "이미 있습니다" in response.content.decode()
    response = client.post(
        reverse("performance:scheme_create"), {"year": "2025", "copy_from": "2024", "copy_indicators": "on"}
    )
    assert response.status_code == 302
    assert Indicator.objects.filter(indicator_set__scheme__year=2025).count() == 3


def test_groups_page_moves_departments(org, as_user):
    scheme = make_scheme(org)
    client = as_user(org.planner)
    g1 = scheme.groups.get(code="G1")
    response = client.post(
        reverse("performance:groups", args=[2024]), {"action": "members", f"dept_{org.dept.pk}": str(g1.pk)}
    )
    assert response.status_code == 302 and set_of(scheme, org.dept).group == g1
    response = client.post(
        reverse("performance:groups", args=[2024]), {"action": "add", "group-code": "", "group-name": ""}
    )
    assert response.status_code == 200


def _grow(org, scheme, count, *, accept=True):
    """``count`` more departments in the year, each with an approved indicator and an accepted actual."""
    group = EvaluationGroup.objects.get(code="G2")
    start = Department.objects.count()
    for n in range(count):
        department = Department.objects.create(
            code=f"X{start + n:03d}", name=f"부서{start + n}", kind=DepartmentKind.MAIN, evaluation_group=group
        )
        services.membership_update(
            scheme=scheme, assignments={department.pk: scheme.groups.get(code="G2").pk}, actor=org.planner
        )
        indicator = add_indicator(org, scheme, department)
        approve(org, scheme, department)
        actual = services.actual_submit(indicator=indicator, quarter=1, value=D(50 + n), actor=org.planner)
        if accept:
            services.actual_accept(actual=actual, actor=org.planner)


@pytest.mark.parametrize("url_name", ["performance:departments", "performance:results", "performance:review"])
def test_list_pages_query_count_does_not_grow(org, as_user, django_assert_num_queries, url_name):
    scheme = make_scheme(org)
    services.membership_update(
        scheme=scheme,
        assignments={org.planning.pk: None, org.other_dept.pk: None, org.dept.pk: None},
        actor=org.planner,
    )
    accept = url_name != "performance:review"
    _grow(org, scheme, 1, accept=accept)
    client = as_user(org.planner)
    url = reverse(url_name, args=[2024])
    client.get(url)
    cache.clear()  # the results are scored afresh (not from the cache) at 1 and at 50
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as one_cached:
        assert client.get(url).status_code == 200
    _grow(org, scheme, 49, accept=accept)
    cache.clear()
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_num_queries(len(one_cached.captured_queries)):
        assert client.get(url).status_code == 200
    if url_name == "performance:results":  # the second view reads the scored result from the cache
        assert len(one_cached.captured_queries) < len(one.captured_queries)
    if url_name == "performance:review":
        assert len(response.context["actuals"]) == 50
    if url_name == "performance:departments":
        assert len(response.context["sets"]) == 53  # 50 grown + the three test departments (not evaluated)
    if url_name == "performance:results":
        assert len(response.context["found"].rows) == 50


def test_frozen_results_page_query_count_does_not_grow(org, as_user, django_assert_num_queries):
    scheme = make_scheme(org)
    services.membership_update(
        scheme=scheme,
        assignments={org.planning.pk: None, org.other_dept.pk: None, org.dept.pk: None},
        actor=org.planner,
    )
    _grow(org, scheme, 1)
    services.run_freeze(scheme=scheme, actor=org.planner)
    client = as_user(org.executive)
    url = reverse("performance:results", args=[2024])
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    services.run_reopen(scheme=scheme, reason="다시", actor=org.planner)
    _grow(org, scheme, 49)
    services.run_freeze(scheme=scheme, actor=org.planner)
    cache.clear()
    with django_assert_num_queries(len(one.captured_queries)):  # the withdrawn run's history line adds none
        response = client.get(url)
    assert len(response.context["found"].rows) == 50


def test_set_return_without_comment_rerenders(org, as_user):
    scheme = make_scheme(org)
    add_indicator(org, scheme, org.dept)
    services.set_submit(indicator_set=set_of(scheme, org.dept), actor=org.manager)
    client = as_user(org.planner)
    response = client.post(reverse("performance:set_return", args=[2024, "D001"]), {"comment": ""})
    assert response.status_code == 200 and "보완 요청 사유를 입력하세요" in response.content.decode()
    assert set_of(scheme, org.dept).status == SetStatus.SUBMITTED


def test_what_if_form_errors_are_shown(org, as_user):
    ready_year(org)
    client = as_user(org.planner)
    response = client.get(reverse("performance:whatif", args=[2024]), {"weight_indicator": "50", "indicator_0": ""})
    assert response.status_code == 200 and "세 항목을 모두" in response.content.decode()
    response = client.get(reverse("performance:whatif", args=[2024]), {"indicator_0": "999999", "actual_0": "1"})
    assert response.status_code == 200 and "목록에 있는 지표" in response.content.decode()


def test_dashboard_cards(org, as_user):
    scheme = make_scheme(org)
    add_indicator(org, scheme, org.dept)
    services.set_submit(indicator_set=set_of(scheme, org.dept), actor=org.manager)
    from hwallyu.performance.views import dashboard_cards

    office = {c.label: c for c in dashboard_cards(org.planner)}
    assert office["지표 승인 요청"].value == 1 and office["평가 결과"].value == "미확정"
    assert [c.label for c in dashboard_cards(org.executive)] == ["부서 성과평가"]
    assert {c.label for c in dashboard_cards(org.staff)} == {"보완 요청 실적", "작성 중 지표"}


def test_review_queue_shows_fifty_actuals_a_page(org, as_user):
    scheme = make_scheme(org)
    services.membership_update(
        scheme=scheme,
        assignments={org.planning.pk: None, org.other_dept.pk: None, org.dept.pk: None},
        actor=org.planner,
    )
    _grow(org, scheme, 51, accept=False)
    client = as_user(org.planner)
    url = reverse("performance:review", args=[2024])
    first = client.get(url)
    assert len(first.context["actuals"]) == 50
    assert "확인할 실적 (51)" in first.content.decode() and "page=2" in first.content.decode()
    second = client.get(url, {"page": 2})
    assert len(second.context["actuals"]) == 1


def test_long_selects_escape_their_labels_and_keep_the_choice(org, as_user):
    _, indicators = ready_year(org)
    indicator = indicators[org.dept.code]
    Indicator.objects.filter(pk=indicator.pk).update(name="<b>민원</b> 처리")
    client = as_user(org.planner)
    url = reverse("performance:whatif", args=[2024])
    page = client.get(url, {"indicator_0": indicator.pk, "actual_0": "120"}).content.decode()
    assert "&lt;b&gt;민원&lt;/b&gt; 처리" in page and "<b>민원" not in page
    assert f'<option value="{indicator.pk}" selected>' in page
    assert '<select name="indicator_0" id="id_indicator_0">' in page
