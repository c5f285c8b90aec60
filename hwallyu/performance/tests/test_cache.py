"""The live results are cached per version of their inputs: every change shows up at once."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal as D
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hwallyu.org import services as org_services
from hwallyu.performance import selectors, services, versioning
from hwallyu.performance.models import Adjustment, AdjustmentKind, CommonTask, SchemeGroup
from hwallyu.performance.services import SchemeInput

from .conftest import ready_year, set_of

pytestmark = pytest.mark.django_db


def row(scheme, department) -> dict[str, Any]:
    found = selectors.department_row(selectors.live_result(scheme).rows, department.code)
    assert found is not None
    return found


def item(scheme, department, key) -> str:
    return row(scheme, department)["items"][key]["score"]


# Each case: (what it changes, how, what to read afterwards, the value it should read).
Change = Callable[[Any, Any, dict[str, Any]], None]


def accepted_actual_of_a_new_indicator(org, scheme, indicators):
    """A second indicator whose first-quarter actual is cached while submitted, then accepted."""
    services.set_return(indicator_set=set_of(scheme, org.dept), comment="지표 추가", actor=org.planner)
    indicator = services.indicator_create(
        indicator_set=set_of(scheme, org.dept),
        data=services.IndicatorData(name="주민 참여율", weight=D(50), target=D(100)),
        actor=org.planner,
    )
    services.indicator_update(
        indicator=indicators[org.dept.code],
        data=services.IndicatorData(name="민원 처리율", weight=D(50), target=D(100)),
        actor=org.planner,
    )
    services.set_approve(indicator_set=set_of(scheme, org.dept), actor=org.planner)
    actual = services.actual_submit(indicator=indicator, quarter=1, value=D(50), note="실적", actor=org.planner)
    selectors.live_result(scheme)  # cached while the actual waits for review
    services.actual_accept(actual=actual, actor=org.planner)


def second_actual(scheme, org):
    indicators = row(scheme, org.dept)["items"]["indicator"]["indicators"]
    return indicators[1]["actual"] if len(indicators) > 1 else None


def returned_set(org, scheme, indicators):
    services.set_return(indicator_set=set_of(scheme, org.dept), comment="목표 재검토", actor=org.planner)


def edited_indicator(org, scheme, indicators):
    returned_set(org, scheme, indicators)
    services.indicator_update(
        indicator=indicators[org.dept.code],
        data=services.IndicatorData(name="민원 처리율", weight=D(100), target=D(200)),
        actor=org.planner,
    )
    services.set_approve(indicator_set=set_of(scheme, org.dept), actor=org.planner)


def new_weights(org, scheme, indicators):
    services.scheme_update(
        scheme=scheme,
        data=SchemeInput(
            weight_indicator=D(60),
            weight_customer=D(30),
            weight_common=D(10),
            grades=scheme.grades,
            levels=scheme.levels,
        ),
        actor=org.planner,
    )


def new_customer_score(org, scheme, indicators):
    services.customer_scores_save(scheme=scheme, scores={org.dept.pk: D(40)}, actor=org.planner)


def new_common_points(org, scheme, indicators):
    task = CommonTask.objects.get(scheme=scheme)
    services.common_scores_save(task=task, points={org.dept.pk: D(2)}, actor=org.planner)


def common_task_deleted(org, scheme, indicators):
    services.common_task_delete(task=CommonTask.objects.get(scheme=scheme), actor=org.planner)


def bonus_added(org, scheme, indicators):
    services.adjustment_create(
        scheme=scheme, department=org.dept, kind=AdjustmentKind.BONUS, points=D(2), reason="수상", actor=org.planner
    )


def bonus_removed(org, scheme, indicators):
    bonus_added(org, scheme, indicators)
    selectors.live_result(scheme)  # cached with the bonus
    services.adjustment_delete(adjustment=Adjustment.objects.get(scheme=scheme), actor=org.planner)


def moved_group(org, scheme, indicators):
    services.membership_update(
        scheme=scheme,
        assignments={org.dept.pk: SchemeGroup.objects.get(scheme=scheme, code="G1").pk},
        actor=org.planner,
    )


def renamed_department(org, scheme, indicators):
    org_services.department_update(department=org.dept, name="미래혁신과", actor=org.admin)


CASES = [
    pytest.param(accepted_actual_of_a_new_indicator, second_actual, "50", id="actual"),
    pytest.param(returned_set, lambda s, o: item(s, o.dept, "indicator"), "0.00", id="set-returned"),
    pytest.param(
        edited_indicator,
        lambda s, o: row(s, o.dept)["items"]["indicator"]["indicators"][0]["target"],
        "200",
        id="indicator",
    ),
    pytest.param(new_weights, lambda s, o: row(s, o.dept)["items"]["indicator"]["weight"], "60.00", id="scheme"),
    pytest.param(new_customer_score, lambda s, o: item(s, o.dept, "customer"), "8.00", id="customer"),
    pytest.param(new_common_points, lambda s, o: item(s, o.dept, "common"), "2.00", id="common-points"),
    pytest.param(common_task_deleted, lambda s, o: item(s, o.dept, "common"), "0.00", id="common-task"),
    pytest.param(bonus_added, lambda s, o: row(s, o.dept)["items"]["bonus"]["score"], "2.00", id="bonus"),
    pytest.param(bonus_removed, lambda s, o: row(s, o.dept)["items"]["bonus"]["score"], "0.00", id="bonus-removed"),
    pytest.param(moved_group, lambda s, o: row(s, o.dept)["group"], "G1", id="group"),
    pytest.param(renamed_department, lambda s, o: row(s, o.dept)["department_name"], "미래혁신과", id="department"),
]


@pytest.mark.parametrize(("change", "read", "expected"), CASES)
def test_a_change_to_any_input_shows_up_at_once(org, change, read, expected):
    scheme, indicators = ready_year(org)
    if change is not bonus_removed:  # that one changes twice, and is read in between
        assert read(scheme, org) != expected
    token = versioning.current()
    change(org, scheme, indicators)
    assert versioning.current() != token
    scheme.refresh_from_db()
    assert read(scheme, org) == expected
    # ... and equals a computation that never saw the cache
    assert selectors.live_result(scheme).rows == selectors.compute_live_result(scheme).rows


def test_the_results_page_shows_a_new_score_at_once(client, org):
    scheme, _ = ready_year(org)
    client.force_login(org.planner)
    url = reverse("performance:results", args=[scheme.year])
    first = client.get(url).context["found"].rows
    assert selectors.department_row(first, org.dept.code)["items"]["customer"]["score"] == "16.00"
    services.customer_scores_save(scheme=scheme, scores={org.dept.pk: D(40)}, actor=org.planner)
    rows = client.get(url).context["found"].rows
    assert selectors.department_row(rows, org.dept.code)["items"]["customer"]["score"] == "8.00"


def test_a_second_view_is_not_scored_again(org, monkeypatch):
    scheme, _ = ready_year(org)
    calls = []
    real = selectors.scoring.evaluate_rows
    monkeypatch.setattr(selectors.scoring, "evaluate_rows", lambda *a, **k: calls.append(1) or real(*a, **k))
    first = selectors.live_result(scheme)
    with CaptureQueriesContext(connection) as queries:
        again = selectors.live_result(scheme)
    assert calls == [1]
    assert again.rows == first.rows and again.fingerprint == first.fingerprint
    assert len(queries.captured_queries) == 1  # the version token


def test_a_rolled_back_change_keeps_the_token(org):
    scheme, _ = ready_year(org)
    token = versioning.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.customer_scores_save(scheme=scheme, scores={org.dept.pk: D(40)}, actor=org.planner)
        raise RuntimeError("취소")
    assert versioning.current() == token
    assert row(scheme, org.dept)["items"]["customer"]["score"] == "16.00"


def test_without_a_token_nothing_is_cached(org):
    scheme, _ = ready_year(org)
    versioning.InputsVersion.objects.all().delete()
    selectors.live_result(scheme)
    services.customer_scores_save(scheme=scheme, scores={org.dept.pk: D(40)}, actor=org.planner)  # makes one
    assert versioning.current() is not None
    assert row(scheme, org.dept)["items"]["customer"]["score"] == "8.00"


def test_a_scheme_copied_in_bulk_gets_a_new_token(org):
    scheme, _ = ready_year(org)
    token = versioning.current()
    services.scheme_create(year=scheme.year + 1, copy_from=scheme, copy_indicators=True, actor=org.planner)
    assert versioning.current() != token


def test_freezing_scores_afresh(org, monkeypatch):
    """What is frozen never comes from the cache."""
    scheme, _ = ready_year(org)
    live = selectors.live_result(scheme)
    monkeypatch.setattr(selectors, "live_result", lambda s: pytest.fail("the cache was read"))
    run = services.run_freeze(scheme=scheme, expected_fingerprint=live.fingerprint, actor=org.planner)
    assert run.rows == live.rows and run.input_hash == live.fingerprint


def test_every_model_the_evaluation_reads_is_watched():
    """A new performance model is either watched or known not to be read by the evaluation."""
    not_read = {"Evidence", "EvaluationRun", "InputsVersion"}
    models = {m.__name__ for m in apps.get_app_config("performance").get_models()}
    watched = {m.__name__ for m in versioning.WATCHED}
    assert models - not_read <= watched
    assert "Department" in watched
