"""Factories for the performance tests (one place): a year's scheme with approved indicators,
accepted actuals and the other items, built through the services."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from hwallyu.performance import services
from hwallyu.performance.models import IndicatorSet, Scheme


def make_scheme(org, year=2024, **kwargs) -> Scheme:
    return services.scheme_create(year=year, actor=org.planner, **kwargs)


def set_of(scheme, department) -> IndicatorSet:
    return IndicatorSet.objects.select_related("scheme", "department").get(scheme=scheme, department=department)


def add_indicator(org, scheme, department, *, name="민원 처리율", weight=100, target=100, actor=None, **extra):
    data = services.IndicatorData(
        name=name, weight=D(str(weight)), target=D(str(target)) if target is not None else None, **extra
    )
    return services.indicator_create(indicator_set=set_of(scheme, department), data=data, actor=actor or org.planner)


def approve(org, scheme, department):
    return services.set_approve(indicator_set=set_of(scheme, department), actor=org.planner)


def accepted_actual(org, indicator, value, quarter=4, level=""):
    actual = services.actual_submit(
        indicator=indicator,
        quarter=quarter,
        value=D(str(value)) if value is not None else None,
        note="실적",
        actor=org.planner,
    )
    return services.actual_accept(actual=actual, level=level, actor=org.planner)


def ready_year(org, year=2024, *, dept_actual=110, other_actual=90):
    """A scheme where org.dept and org.other_dept (same group G2) and the planning office (G1) are
    evaluated: one indicator each, accepted actuals, customer scores, one common task."""
    scheme = make_scheme(org, year)
    indicators = {}
    for department, actual in ((org.dept, dept_actual), (org.other_dept, other_actual), (org.planning, 100)):
        indicator = add_indicator(org, scheme, department)
        approve(org, scheme, department)
        accepted_actual(org, indicator, actual)
        indicators[department.code] = indicator
    services.customer_scores_save(
        scheme=scheme, scores={org.dept.pk: D(80), org.other_dept.pk: D(90), org.planning.pk: D(85)}, actor=org.planner
    )
    task = services.common_task_create(scheme=scheme, name="적극행정", max_points=D(10), actor=org.planner)
    services.common_scores_save(
        task=task, points={org.dept.pk: D(8), org.other_dept.pk: D(6), org.planning.pk: D(7)}, actor=org.planner
    )
    return scheme, indicators


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _performance_urls(settings):
    settings.ROOT_URLCONF = "hwallyu.performance.tests.urls"
