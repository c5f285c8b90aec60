"""Forecast, status and what-if rules on hand-checked examples (no database)."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hwallyu.province import forecast
from hwallyu.province.forecast import ACHIEVED, LAGGING, NO_DATA, ON_TRACK, Rules, evaluate

DEFAULT = Rules()
SHARE_ONLY = Rules(forecast_rule=False)
# last year: 600 of 1000 by October (60 %), i.e. a back-loaded year
PROFILE = [D(v) for v in (30, 60, 100, 150, 200, 260, 330, 400, 500, 600, 800, 1000)]


def rising(actual, month, rules=DEFAULT, target="1200", profile=None):
    return evaluate(
        direction="rising",
        target=D(target),
        actual=D(actual) if actual is not None else None,
        month=month,
        rules=rules,
        profile=profile,
    )


def falling(actual, month, rules=DEFAULT, target="50"):
    return evaluate(direction="falling", target=D(target), actual=D(actual), month=month, rules=rules)


def test_rising_linear_forecast_below_target_is_lagging():
    # 900 by October: 900 ÷ 10 × 12 = 1,080 < 1,200 → 부진; achievement 900 ÷ 1,200 = 75 %
    e = rising("900", 10)
    assert e.forecast == D("1080")
    assert e.achievement == D("75")
    assert e.prorated_target == D("1000")
    assert e.method == forecast.LINEAR
    assert e.status == LAGGING
    assert "1,080.0" in e.reason


def test_rising_on_track_when_forecast_meets_target():
    # 1,000 by October: forecast exactly 1,200 (not below) and 1,000 ≥ 70 % of 1,000 → 달성 가능
    e = rising("1000", 10)
    assert e.forecast == D("1200")
    assert round(e.achievement, 2) == D("83.33")
    assert e.status == ON_TRACK


def test_reached_target_is_achieved_even_mid_year():
    e = rising("1250", 8)
    assert e.status == ACHIEVED
    assert round(e.achievement, 2) == D("104.17")
    assert e.forecast == D("1875")


def test_last_years_profile_shapes_the_forecast():
    # last year 60 % was done by October, so 900 ÷ 0.6 = 1,500 ≥ 1,200 → 달성 가능 (linear would say 1,080 → 부진)
    e = rising("900", 10, profile=PROFILE)
    assert e.method == forecast.PROFILE
    assert e.forecast == D("1500")
    assert e.prorated_target == D("720")  # 1,200 × 0.6
    assert e.status == ON_TRACK
    assert rising("900", 10).status == LAGGING


def test_profile_without_the_month_falls_back_to_linear():
    gappy = list(PROFILE)
    gappy[9] = None
    e = rising("900", 10, profile=gappy)
    assert e.method == forecast.LINEAR and e.forecast == D("1080")


def test_share_rule_from_october_below_seventy_percent_of_prorated_target():
    # forecast rule off: only the share rule.  Pro-rated target by October = 1,200 × 10/12 = 1,000.
    assert rising("650", 10, SHARE_ONLY).status == LAGGING  # 65 % < 70 %
    assert rising("700", 10, SHARE_ONLY).status == ON_TRACK  # exactly 70 % is not below
    assert rising("500", 9, SHARE_ONLY).status == ON_TRACK  # September: the share rule is not on yet


def test_share_rule_month_and_share_are_configurable():
    september = Rules(forecast_rule=False, share_from_month=9)
    assert rising("500", 9, september).status == LAGGING  # 500 ÷ 900 = 55.6 %
    looser = Rules(forecast_rule=False, share=D("0.5"))
    assert rising("650", 10, looser).status == ON_TRACK


def test_falling_indicator():
    # 45 by October: forecast 45 ÷ 10 × 12 = 54 > 50 → 부진; achievement 50 ÷ 45 = 111.1 %
    e = falling("45", 10)
    assert e.forecast == D("54")
    assert round(e.achievement, 1) == D("111.1")
    assert e.status == LAGGING
    assert falling("40", 10).status == ON_TRACK  # forecast 48
    assert falling("48", 12).status == ACHIEVED  # the year is over and at or below the target
    assert falling("52", 12).status == LAGGING
    assert falling("10", 6).status == ON_TRACK  # never 달성 before the year is over


def test_falling_share_rule_mirrors_rising():
    # target 12, October pro-rated 10; achievement against it = 10 ÷ actual
    assert falling("14", 10, SHARE_ONLY, target="12").status == ON_TRACK  # 71.4 %
    assert falling("15", 10, SHARE_ONLY, target="12").status == LAGGING  # 66.7 %


def test_achievement_cap_and_zero_actual_on_falling():
    assert forecast.achievement(D("30"), D("20"), "rising", D("120")) == D("120")
    assert forecast.achievement(D("0"), D("20"), "falling", D("120")) == D("120")
    assert forecast.achievement(D("30"), D("20"), "rising") == D("150")
    assert forecast.achievement(D("5"), D("0"), "rising") is None


def test_no_actual_is_no_data():
    e = rising(None, None)
    assert e.status == NO_DATA and e.forecast is None and e.achievement is None


def test_december_actual_is_its_own_forecast():
    e = rising("1100", 12)
    assert e.forecast == D("1100") and e.status == LAGGING


def test_forecast_rejects_a_month_outside_the_year():
    with pytest.raises(ValueError):
        forecast.forecast_year_end(D("1"), 13)


# --- what-if ---------------------------------------------------------------------------------------

PEERS = [D(v) for v in ("91.0", "89.5", "88.0", "86.1", "84.0", "82.3", "80.0")]


def test_what_if_hand_checked():
    # recovered: 2.0 × (1 − 0.60) = 0.80; 1.5 × (1 − 0.90) = 0.15; 3.0 × (1 − 0) = 3.00 (no actual);
    # 1.0 × (1 − min(1.30, 1)) = 0 → 3.95; 85.20 + 3.95 = 89.15.
    # Peers above 85.20: 91.0, 89.5, 88.0, 86.1 → 5th; above 89.15: 91.0, 89.5 → 3rd; 7 peers + the city = 8.
    result = forecast.what_if(
        base_score=D("85.20"),
        assumed=[(D("2.0"), D("60")), (D("1.5"), D("90")), (D("3.0"), None), (D("1.0"), D("130"))],
        peer_scores=PEERS,
    )
    assert result.recovered == D("3.95")
    assert result.score == D("89.15")
    assert result.rank_before == 5
    assert result.rank == 3
    assert result.group_size == 8


def test_ties_share_the_better_rank_and_nothing_assumed_changes_nothing():
    assert forecast.rank_in_group(D("88.0"), PEERS) == 3
    result = forecast.what_if(base_score=D("80.0"), assumed=[], peer_scores=PEERS)
    assert result.score == D("80.0") and result.rank == result.rank_before == 7


@given(
    target=st.decimals(min_value=1, max_value=10**6, places=2),
    actual=st.decimals(min_value=0, max_value=10**6, places=2),
    month=st.integers(min_value=1, max_value=12),
)
def test_rising_status_is_consistent(target, actual, month):
    e = evaluate(direction="rising", target=target, actual=actual, month=month, rules=DEFAULT)
    assert e.forecast >= actual
    assert (e.status == ACHIEVED) == (actual >= target)
    if e.status == ON_TRACK:
        assert e.forecast >= target


@given(
    points=st.decimals(min_value=0, max_value=10, places=3),
    pct=st.one_of(st.none(), st.decimals(min_value=-50, max_value=300, places=1)),
)
def test_recovered_points_stay_between_zero_and_the_points(points, pct):
    recovered = forecast.recovered_points(points, pct)
    assert D(0) <= recovered <= points
