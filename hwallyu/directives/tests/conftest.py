"""Factories for the directives tests (one place): register, share, report through the services."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hwallyu.core.calendar import SEOUL
from hwallyu.directives import services


def at(y, m, d, hh=0, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=SEOUL)


def make_directive(
    org,
    *,
    given_at=None,
    title="국방 공공기관 유치 전략 보고",
    lead=None,
    supports=(),
    share_at=None,
    kind="지시",
    deadline_class="",
    result_due_on=None,
    **extra,
):
    """Register (and share when ``share_at`` is given) a directive as the planner."""
    given_at = given_at or at(2024, 9, 13, 9)
    data = services.DirectiveInput(
        title=title,
        content="세부 내용",
        given_at=given_at,
        source=extra.pop("source", "간부회의"),
        given_by=extra.pop("given_by", "시장"),
        kind=kind,
        lead_department=lead or org.dept,
        support_departments=list(supports),
        deadline_class=deadline_class,
        result_due_on=result_due_on,
    )
    directive = services.directive_register(data=data, actor=org.planner, at=given_at + dt.timedelta(minutes=10))
    if share_at is not None:
        directive = services.directive_share(directive=directive, actor=org.planner, at=share_at)
    return directive


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
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
