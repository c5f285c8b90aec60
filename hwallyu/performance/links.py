"""Links from an indicator to a province evaluation indicator, a pledge or a work-plan project.

A link is stored as (kind, reference code) — never a foreign key into another app's tables.
When the other app is installed the reference is checked through that app's selectors (and its
title is kept as the link's label); when it is not installed the code is stored as given.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps

from hwallyu.api.base import ServiceError
from hwallyu.performance.models import LinkKind

APP_OF_KIND: dict[str, str] = {
    LinkKind.PROVINCE: "hwallyu.province",
    LinkKind.PLEDGE: "hwallyu.pledges",
    LinkKind.PROJECT: "hwallyu.workplan",
}
MAX_OPTIONS = 500


def _province_lookup(ref: str, year: int) -> str | None:
    from hwallyu.province.selectors import indicator_by_code

    indicator = indicator_by_code(year, ref)
    return f"{indicator.code} {indicator.name}" if indicator is not None else None


def _province_options(year: int) -> list[tuple[str, str]]:
    from hwallyu.province.selectors import indicators_for_all, years

    evaluation_year = years().filter(year=year).first()
    if evaluation_year is None:
        return []
    return [(i.code, f"{i.code} {i.name}") for i in indicators_for_all(evaluation_year)[:MAX_OPTIONS]]


def province_actual(year: int, ref: str) -> Any:
    """The province module's latest accepted actual of a linked indicator (a hint for entering
    the department's own actual), or None when the module is not installed or has none."""
    if not apps.is_installed(APP_OF_KIND[LinkKind.PROVINCE]) or not ref:
        return None
    from hwallyu.province.selectors import latest_actual

    return latest_actual(year, ref, accepted_only=True)


def resolve(kind: str, ref: str, *, year: int) -> str:
    """The label of the linked item; raises ``ServiceError`` when the installed app does not know it."""
    kind, ref = (kind or "").strip(), (ref or "").strip()
    if not kind:
        if ref:
            raise ServiceError("연계 대상 코드를 입력했으면 연계 구분을 고르세요.")
        return ""
    if kind not in APP_OF_KIND:
        raise ServiceError("연계 구분이 올바르지 않습니다.")
    label = LinkKind(kind).label
    if not ref:
        raise ServiceError(f"{label}의 코드(번호)를 입력하세요.")
    if len(ref) > 50:
        raise ServiceError("연계 대상 코드는 50자 이내여야 합니다.")
    if not apps.is_installed(APP_OF_KIND[kind]):
        return ref
    found: str | None
    if kind == LinkKind.PLEDGE:
        from hwallyu.pledges.selectors import pledge_choices

        pledge = pledge_choices().filter(code=ref).first()
        found = f"{pledge.code} {pledge.title}" if pledge else None
    elif kind == LinkKind.PROJECT:
        from hwallyu.workplan.selectors import project_choices

        project = project_choices(year).filter(pk=int(ref)).first() if ref.isdigit() else None
        found = f"{project.task.number}-{project.number} {project.title}" if project else None
    else:
        found = _province_lookup(ref, year)
    if found is None:
        raise ServiceError(f"{year}년 {label} '{ref}'을(를) 찾을 수 없습니다.")
    return found[:250]


def options(year: int) -> dict[str, list[tuple[str, str]]]:
    """Pickable references per kind for the indicator form (only the installed apps)."""
    result: dict[str, list[tuple[str, str]]] = {}
    if apps.is_installed(APP_OF_KIND[LinkKind.PLEDGE]):
        from hwallyu.pledges.selectors import pledge_choices

        result[LinkKind.PLEDGE] = [(p.code, f"{p.code} {p.title}") for p in pledge_choices()[:MAX_OPTIONS]]
    if apps.is_installed(APP_OF_KIND[LinkKind.PROJECT]):
        from hwallyu.workplan.selectors import project_choices

        result[LinkKind.PROJECT] = [
            (str(p.pk), f"{p.task.number}-{p.number} {p.title}") for p in project_choices(year)[:MAX_OPTIONS]
        ]
    if apps.is_installed(APP_OF_KIND[LinkKind.PROVINCE]):
        result[LinkKind.PROVINCE] = _province_options(year)
    return result
