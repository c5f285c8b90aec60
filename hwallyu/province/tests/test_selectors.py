"""Status of every indicator, the review pack data, the what-if against peers, and the reads
the department performance module uses."""

from decimal import Decimal as D

import pytest

from hwallyu.api.base import ServiceError
from hwallyu.province import selectors, services
from hwallyu.province.forecast import ACHIEVED, LAGGING, NO_DATA, ON_TRACK
from hwallyu.province.importers import PeerRow

from .conftest import enter, make_indicator, make_year

pytestmark = pytest.mark.django_db


def statuses(year, month):
    rows = selectors.status_rows(year, selectors.indicators_for_all(year), month=month)
    return {r.indicator.code: r for r in rows}


def test_status_as_of_a_month_uses_the_latest_actual_up_to_it(org, year):
    indicator = make_indicator(org, year, target="1200")
    enter(org, indicator, 9, 810)  # 810 ÷ 9 × 12 = 1,080 → 부진
    enter(org, indicator, 10, 1000)  # 1,000 ÷ 10 × 12 = 1,200 → 달성 가능
    september, october = statuses(year, 9)["B-01"], statuses(year, 10)["B-01"]
    assert (september.status, september.actual, september.actual_month) == (LAGGING, D("810"), 9)
    assert (october.status, october.forecast, october.actual_status) == (ON_TRACK, D("1200"), "submitted")
    assert october.series[8:10] == [D("810"), D("1000")] and october.series[10] is None
    assert statuses(year, 12)["B-01"].actual_month == 10
    assert statuses(year, 8)["B-01"].status == NO_DATA


def test_returned_actuals_are_ignored(org, year):
    indicator = make_indicator(org, year)
    actual = enter(org, indicator, 10, 1300)
    assert statuses(year, 10)["B-01"].status == ACHIEVED
    services.actual_return(actual=actual, actor=org.planner, comment="증빙 없음")
    assert statuses(year, 10)["B-01"].status == NO_DATA


def test_last_years_actuals_shape_this_years_forecast(org):
    last = make_year(org, 2023)
    previous = make_indicator(org, last, target="1000")
    for month, value in enumerate([30, 60, 100, 150, 200, 260, 330, 400, 500, 600, 800, 1000], start=1):
        enter(org, previous, month, value)
    this = make_year(org, 2024)
    make_indicator(org, this, target="1200")
    indicator = this.indicators.get()
    enter(org, indicator, 10, 900)
    row = statuses(this, 10)["B-01"]
    assert row.evaluation.method == "profile" and row.forecast == D("1500") and row.status == ON_TRACK
    # a profile typed on the indicator wins over last year's actuals
    services.indicator_update(
        indicator=indicator,
        data=services.IndicatorInput(
            code="B-01",
            field="지역경제",
            name="지표",
            kind="quantitative",
            points=D(2),
            departments=[org.dept],
            direction="rising",
            target=D(1200),
            prior_profile=[D(m * 10) for m in range(1, 13)],
        ),
        actor=org.planner,
    )
    assert statuses(this, 10)["B-01"].forecast == D("1080")


def test_status_rows_cost_the_same_queries_at_1_and_30_indicators(org, year, django_assert_num_queries):
    make_indicator(org, year, code="X-00")
    make_indicator(org, year, code="Q-00", kind="qualitative")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        selectors.status_rows(year, list(selectors.indicators_for_all(year)), month=10)
    for n in range(1, 30):
        indicator = make_indicator(org, year, code=f"X-{n:02d}")
        enter(org, indicator, 9, 100)
    with django_assert_num_queries(len(one.captured_queries)):
        rows = selectors.status_rows(year, list(selectors.indicators_for_all(year)), month=10)
    assert len(rows) == 31


def test_pack_groups_lagging_and_changes_since_last_month(org, year):
    a = make_indicator(org, year, code="A-01", field="일반행정", target="1200")
    b = make_indicator(org, year, code="B-01", field="지역경제", target="1200", owners=[org.dept, org.other_dept])
    c = make_indicator(org, year, code="C-01", field="지역경제", target="100", direction="falling")
    make_indicator(org, year, code="Q-01", kind="qualitative")
    enter(org, a, 9, 900)  # Sep: 1,200 → on track
    enter(org, a, 10, 950, lag_reason="하반기 착수 지연")  # Oct: 1,140 → new lagging
    enter(org, b, 9, 700)  # Sep: 933 → lagging
    enter(org, b, 10, 1050, actor=org.other_staff)  # Oct: 1,260 → resolved
    enter(org, c, 10, 50)  # Oct: 60 ≤ 100 → on track (no September figure)
    pack = selectors.pack_data(year, 10)
    assert [r.indicator.code for r in pack.lagging] == ["A-01"]
    assert pack.lagging[0].reason == "하반기 착수 지연"
    assert [(c.kind, c.row.indicator.code) for c in pack.changes] == [
        ("새 부진", "A-01"),
        ("부진 해소", "B-01"),
        ("첫 실적", "C-01"),
    ]
    assert pack.updated_count == 3
    fields = {g.label: (g.total, g.on_track, g.lagging) for g in pack.by_field}
    assert fields == {"일반행정": (1, 0, 1), "지역경제": (2, 2, 0)}
    departments = {g.label: g.total for g in pack.by_department}
    assert departments == {"미래전략과": 3, "강경읍": 1}
    assert (pack.total.total, pack.total.lagging, pack.total.lagging_rate) == (3, 1, D("33.3"))
    assert (pack.qualitative_total, pack.qualitative_done) == (1, 0)


def _peers(org):
    rows = [
        PeerRow(1, 2023, "천안시", "city", D("91.0"), 1),
        PeerRow(2, 2023, "아산시", "city", D("89.5"), 2),
        PeerRow(3, 2023, "당진시", "city", D("88.0"), 3),
        PeerRow(4, 2023, "서산시", "city", D("86.1"), 4),
        PeerRow(5, 2023, "논산", "city", D("85.2"), 5),
        PeerRow(6, 2023, "공주시", "city", D("84.0"), 6),
        PeerRow(7, 2023, "보령시", "city", D("82.3"), 7),
        PeerRow(8, 2023, "계룡시", "city", D("80.0"), 8),
        PeerRow(9, 2023, "홍성군", "county", D("95.0"), 1),
        PeerRow(10, 2022, "논산시", "city", D("84.0"), 6),
        PeerRow(11, 2022, "천안시", "city", D("90.0"), 1),
    ]
    return services.peers_import(rows=rows, actor=org.planner)


def test_what_if_projects_score_and_rank_against_the_group(org, year):
    summary = _peers(org)
    assert summary.self_found and summary.created == 11
    a = make_indicator(org, year, code="A-01", target="1000", points="2.0")
    b = make_indicator(org, year, code="B-01", target="1000", points="1.5")
    make_indicator(org, year, code="C-01", target="1000", points="3.0")
    enter(org, a, 10, 600)  # 60 % → 2.0 × 0.4 = 0.80
    enter(org, b, 10, 900)  # 90 % → 1.5 × 0.1 = 0.15; C-01 has no actual → 3.00
    outcome = selectors.what_if(year, ["A-01", "B-01", "C-01"], month=10)
    result = outcome.result
    assert outcome.base.score == D("85.200") and outcome.base.peers_year == 2023
    assert [p.place for p in outcome.base.peers][:2] == ["천안시", "아산시"]  # 군부 left out
    assert result.recovered == D("3.95") and result.score == D("89.15")
    assert (result.rank_before, result.rank, result.group_size) == (5, 3, 8)
    history = selectors.rank_history()
    assert [(h.year, h.rank, h.group_size) for h in history] == [(2022, 6, 2), (2023, 5, 8)]


def test_what_if_bad_input(org, year):
    make_indicator(org, year, code="Q-01", kind="qualitative")
    with pytest.raises(ServiceError, match="기준 점수가 없습니다"):
        selectors.what_if(year, [], month=10)
    _peers(org)
    with pytest.raises(ServiceError, match="없는 지표 코드입니다: Z-99"):
        selectors.what_if(year, ["Z-99"], month=10)
    with pytest.raises(ServiceError, match="정성 지표는 가정 분석에 넣을 수 없습니다"):
        selectors.what_if(year, ["Q-01"], month=10)
    services.year_update(
        evaluation_year=year, scheme=services.SchemeInput(whatif_base_score=D("90")), actor=org.planner
    )
    year.refresh_from_db()
    assert selectors.what_if(year, [], month=10).result.rank == 2


def test_reads_for_the_performance_module(org, year):
    indicator = make_indicator(org, year, code="B-01", target="1200", performance_code="P-2024-031")
    assert selectors.latest_actual(2024, "B-01") is None
    enter(org, indicator, 9, 900)
    info = selectors.indicator_by_code(2024, "B-01")
    assert info.target == D("1200") and info.department_codes == ("D001",) and info.performance_code == "P-2024-031"
    latest = selectors.latest_actual(2024, "B-01")
    assert (latest.month, latest.value, latest.status, latest.achievement) == (9, D("900"), "submitted", D("75"))
    assert selectors.latest_actual(2024, "B-01", accepted_only=True) is None
    assert selectors.linked_indicators(2024) == {"P-2024-031": "B-01"}
    assert selectors.indicator_by_code(2024, "nope") is None and selectors.latest_actual(2025, "B-01") is None


def test_fields_and_type_counts_read_together_match_each_read(org, year, django_assert_num_queries):
    make_indicator(org, year, code="A-01", field="일반행정")
    make_indicator(org, year, code="A-02", field="일반행정", kind="qualitative")
    make_indicator(org, year, code="B-01", field="지역경제")
    with django_assert_num_queries(1):
        fields, counts = selectors.fields_and_type_counts(year)
    assert fields == selectors.fields_of(year) == ["일반행정", "지역경제"]
    assert counts == selectors.type_counts(year) == {"quantitative": 2, "qualitative": 1, "total": 3}
