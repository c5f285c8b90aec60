"""The demo: every one of the 59 demo departments has indicators and actuals, 2024 is evaluated and
frozen, 2025 is under way; loading twice changes nothing."""

from __future__ import annotations

import pytest

from hwallyu.org import demo as org_demo
from hwallyu.performance import demo, selectors
from hwallyu.performance.models import Actual, EvaluationRun, Indicator, IndicatorSet, RunStatus, Scheme, SetStatus

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Scheme.objects.count(),
        Indicator.objects.count(),
        Actual.objects.count(),
        EvaluationRun.objects.count(),
        IndicatorSet.objects.count(),
    )


def test_demo_loads_59_departments_and_a_frozen_2024(django_capture_on_commit_callbacks):
    org_demo.load()
    with django_capture_on_commit_callbacks(execute=True):
        demo.load()
    scheme = Scheme.objects.get(year=2024)
    sets = IndicatorSet.objects.filter(scheme=scheme, group__isnull=False)
    assert sets.count() == 59
    assert set(sets.values_list("status", flat=True)) == {SetStatus.APPROVED}
    with_indicators = set(
        Indicator.objects.filter(indicator_set__scheme=scheme).values_list("indicator_set", flat=True)
    )
    assert len(with_indicators) == 59
    assert not Actual.objects.filter(indicator__indicator_set__scheme=scheme).exclude(status="accepted").exists()
    run = EvaluationRun.objects.get(scheme=scheme, status=RunStatus.FROZEN)
    assert len(run.rows) == 59
    sizes = {name: len(rows) for name, rows in selectors.groups_of_rows(run.rows)}
    assert sizes == {"본청 지원부서": 8, "본청 사업부서": 28, "직속기관·사업소": 8, "읍면동": 15}
    # the falling indicator at 0 (안전총괄과) shows the stated rule
    safety = selectors.department_row(run.rows, "D030")
    assert safety["department_name"] == "안전총괄과"
    assert any("상한 적용" in i["flag"] for i in safety["items"]["indicator"]["indicators"])
    assert selectors.results(scheme).rows == run.rows  # nothing moved since the freeze
    # 2025 under way: a draft, a set waiting for approval, first-quarter actuals waiting for the check
    year_2025 = Scheme.objects.get(year=2025)
    statuses = dict(IndicatorSet.objects.filter(scheme=year_2025).values_list("department__name", "status"))
    assert statuses["미래전략과"] == SetStatus.DRAFT and statuses["딸기산업과"] == SetStatus.SUBMITTED
    assert Actual.objects.filter(indicator__indicator_set__scheme=year_2025, status="submitted").exists()
    assert not EvaluationRun.objects.filter(scheme=year_2025).exists()

    before = _counts()
    demo.load()
    assert _counts() == before
