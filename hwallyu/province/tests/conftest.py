"""Factories for the province tests (one place): years, indicators and actuals through the services."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from openpyxl import Workbook

from hwallyu.core.calendar import SEOUL
from hwallyu.province import services
from hwallyu.province.services import IndicatorInput


def at(y, m, d, hh=0, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=SEOUL)


def make_year(org, year=2024, **scheme):
    return services.year_create(year=year, actor=org.planner, scheme=services.SchemeInput(**scheme))


def make_indicator(
    org,
    evaluation_year,
    code="B-01",
    *,
    kind="quantitative",
    direction="rising",
    target="1200",
    points="2",
    owners=None,
    field="지역경제",
    name=None,
    unit="명",
    profile=(),
    performance_code="",
):
    quantitative = kind == "quantitative"
    return services.indicator_create(
        evaluation_year=evaluation_year,
        data=IndicatorInput(
            code=code,
            field=field,
            name=name or f"{code} 지표",
            kind=kind,
            points=Decimal(points),
            departments=owners if owners is not None else [org.dept],
            unit=unit if quantitative else "",
            direction=direction if quantitative else "",
            target=Decimal(target) if quantitative else None,
            prior_profile=[Decimal(str(v)) if v is not None else None for v in profile],
            performance_code=performance_code,
        ),
        actor=org.planner,
    )


def enter(org, indicator, month, value, *, actor=None, note="", lag_reason="", files=()):
    return services.actual_submit(
        indicator=indicator,
        month=month,
        value=Decimal(str(value)),
        note=note,
        lag_reason=lag_reason,
        files=files,
        actor=actor or org.staff,
    )


HEADER = ["지표코드", "분야", "정책", "지표명", "구분", "단위", "방향", "목표", "배점", "담당부서", "증빙기준"]


def xlsx(rows, header=HEADER, title=None):
    """An XLSX file with an optional title row, the header and ``rows``."""
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def clock():
    """Travel to a fixed moment: ``clock(at(...))``; the clock does not tick."""
    travellers = []

    def go(moment):
        traveller = time_machine.travel(moment, tick=False)
        traveller.start()
        travellers.append(traveller)
        return moment

    yield go
    for traveller in reversed(travellers):
        traveller.stop()


@pytest.fixture(autouse=True)
def _province_urls(settings):
    settings.ROOT_URLCONF = "hwallyu.province.tests.urls"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def year(org):
    return make_year(org)


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login
