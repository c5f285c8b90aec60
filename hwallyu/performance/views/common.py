"""Shared helpers of the performance pages: lookups through the policy, crumbs, messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from hwallyu.api.base import ServiceError
from hwallyu.org.selectors import role_of
from hwallyu.performance import selectors
from hwallyu.performance.models import (
    Actual,
    Indicator,
    IndicatorSet,
    Scheme,
)
from hwallyu.performance.policies import (
    performance_policy,
)

HOME = ("부서 성과관리", "performance:index")
QUARTERS = (1, 2, 3, 4)


def crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(label, reverse(url) if url and ":" in url else url) for label, url in items]


def year_crumbs(scheme: Scheme, *items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return crumbs(HOME, (f"{scheme.year}년", reverse("performance:overview", args=[scheme.year])), *items)


def signed_in(request: HttpRequest) -> None:
    if role_of(request.user) is None:
        raise PermissionDenied


def scheme_or_404(year: int) -> Scheme:
    scheme = selectors.scheme_for(year)
    if scheme is None:
        raise Http404("찾을 수 없습니다.")
    return scheme


def require(request: HttpRequest, action: str) -> None:
    performance_policy.check(request.user, action)


def set_or_404(request: HttpRequest, scheme: Scheme, code: str) -> IndicatorSet:
    return performance_policy.get_visible_or_404(
        request.user,
        IndicatorSet.objects.select_related("scheme", "department", "group", "submitted_by", "decided_by"),
        scheme=scheme,
        department__code=code,
    )


def indicator_or_404(request: HttpRequest, pk: int) -> Indicator:
    indicator = (
        performance_policy.indicators(request.user)
        .select_related("indicator_set__scheme", "indicator_set__department")
        .filter(pk=pk)
        .first()
    )
    if indicator is None:
        raise Http404("찾을 수 없습니다.")
    return indicator


def actual_or_404(request: HttpRequest, pk: int) -> Actual:
    actual = (
        performance_policy.actuals(request.user)
        .select_related("indicator__indicator_set__scheme", "indicator__indicator_set__department")
        .filter(pk=pk)
        .first()
    )
    if actual is None:
        raise Http404("찾을 수 없습니다.")
    return actual


def department_url(indicator_set: IndicatorSet) -> str:
    return reverse("performance:department", args=[indicator_set.scheme.year, indicator_set.department.code])


def next_url(request: HttpRequest, default: str) -> str:
    """The ``next`` address of a form when it stays on this site, else ``default``."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return default


def run_service(request: HttpRequest, call: Callable[[], Any], success: str) -> bool:
    """Call one service; report success or its refusal as a message."""
    try:
        call()
    except ServiceError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True
