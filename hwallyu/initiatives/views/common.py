"""Helpers shared by the initiative pages: lookups through the policy, tabs, breadcrumbs, errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from hwallyu.api.base import ServiceError
from hwallyu.initiatives import selectors
from hwallyu.initiatives.models import Initiative
from hwallyu.initiatives.policies import MANAGE, initiatives


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    url: str
    active: bool


TABS = [
    ("detail", "개요"),
    ("milestones", "추진 단계"),
    ("readiness", "심사 대비"),
    ("partners", "협력 기관"),
    ("targets", "목표"),
    ("budget", "예산"),
    ("events", "행사·홍보"),
    ("institutions", "유치 대상"),
    ("initiative_trends", "동향"),
    ("documents", "문서"),
]


def tabs(initiative: Initiative, active: str) -> list[Tab]:
    result = []
    for key, label in TABS:
        if key == "institutions" and not (
            initiative.is_attraction or active == key or initiative.institutions.exists()
        ):
            continue
        result.append(Tab(key, label, reverse(f"initiatives:{key}", args=[initiative.pk]), key == active))
    return result


def crumbs(initiative: Initiative | None = None, *more: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    items: list[tuple[str, str | None]] = [("전략사업", reverse("initiatives:portfolio"))]
    if initiative is not None:
        items.append((initiative.name, reverse("initiatives:detail", args=[initiative.pk])))
    items.extend(more)
    return items


def get_initiative(request: HttpRequest, pk: int) -> Initiative:
    return selectors.initiative_for(request.user, pk)


def can_manage(request: HttpRequest, initiative: Initiative | None = None) -> bool:
    return initiatives.can(request.user, MANAGE, initiative)


def require_manage(request: HttpRequest, initiative: Initiative | None = None) -> None:
    initiatives.check(request.user, MANAGE, initiative)


def apply_error(form: forms.Form, exc: ServiceError) -> None:
    field = getattr(exc, "field", "")
    form.add_error(field if field and field in form.fields else None, exc.message)


def tab_page(
    request: HttpRequest, initiative: Initiative, tab: str, template: str, context: dict[str, Any]
) -> HttpResponse:
    label = dict(TABS)[tab]
    return render(
        request,
        template,
        {
            "initiative": initiative,
            "tabs": tabs(initiative, tab),
            "tab": tab,
            "tab_label": label,
            "can_manage": can_manage(request, initiative),
            "today": selectors.today(),
            "breadcrumbs": crumbs(initiative, (label, None))
            if tab != "detail"
            else crumbs(None, (initiative.name, None)),
            **context,
        },
    )


def form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    initiative: Initiative | None,
    back: str,
    crumb: tuple[str, str | None] | None = None,
    intro: str = "",
    status: int = 200,
) -> HttpResponse:
    more = [crumb] if crumb else []
    return render(
        request,
        "initiatives/form.html",
        {
            "form": form,
            "title": title,
            "back": back,
            "intro": intro,
            "initiative": initiative,
            "breadcrumbs": crumbs(initiative, *more, (title, None)),
        },
        status=status,
    )
