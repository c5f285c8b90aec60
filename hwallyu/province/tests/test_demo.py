"""The demo: 90 = 75 + 15 indicators over the demo departments, Jan–Oct actuals, lagging ones, peers."""

import pytest

from hwallyu.org import demo as org_demo
from hwallyu.province import demo, selectors
from hwallyu.province.forecast import LAGGING
from hwallyu.province.models import Actual, EvaluationYear, PeerResult

pytestmark = pytest.mark.django_db


def test_demo_loads_once_with_plausible_figures():
    org_demo.load()
    demo.load()
    demo.load()  # idempotent
    year = EvaluationYear.objects.get(year=2024)
    assert selectors.type_counts(year) == {"quantitative": 75, "qualitative": 15, "total": 90}
    assert Actual.objects.filter(indicator__evaluation_year=year).count() == 75 * 10 - 2
    assert selectors.default_month(year) == 10
    rows = selectors.status_rows(year, selectors.indicators_for_all(year), month=10)
    lagging = [r for r in rows if r.status == LAGGING]
    assert 8 <= len(lagging) <= 15 and all(r.reason for r in lagging)
    assert PeerResult.objects.count() == 45
    assert [(h.year, h.rank) for h in selectors.rank_history()] == [(2021, 6), (2022, 3), (2023, 5)]
    owners = {d.name for r in rows for d in r.indicator.departments.all()}
    assert len(owners) >= 40
    # the walk-through: fixing the three costliest lagging indicators gains a rank
    best = sorted(lagging, key=lambda r: -(r.indicator.points * (100 - (r.achievement or 0))))[:3]
    outcome = selectors.what_if(year, [r.indicator.code for r in best], month=10)
    assert outcome.result.rank < outcome.result.rank_before
