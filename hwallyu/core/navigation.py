"""The side navigation and the home dashboard, filled by each module.

An app registers its menu section and a dashboard provider in its ``AppConfig.ready``;
the shell shows each user the entries their role may use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None = None  # None: every signed-in user
    # URL names (namespace:name) of pages this entry stands for when its own URL is not a
    # prefix of theirs, e.g. a year-less menu link for the year's pages.
    also: frozenset[str] = frozenset()

    def url(self) -> str:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return "#"


@dataclass
class NavSection:
    key: str
    label: str
    order: int
    items: list[NavItem] = field(default_factory=list)


@dataclass(frozen=True)
class Card:
    """One figure on the home dashboard."""

    label: str
    value: Any
    url: str = ""
    note: str = ""
    tone: str = ""  # "", "warning", "danger", "success"


_sections: dict[str, NavSection] = {}
_dashboard: list[tuple[int, str, Callable[[Any], Iterable[Card]]]] = []


def register_section(key: str, label: str, order: int, items: Iterable[NavItem]) -> None:
    _sections[key] = NavSection(key, label, order, list(items))


def register_dashboard(title: str, provider: Callable[[Any], Iterable[Card]], *, order: int = 100) -> None:
    _dashboard.append((order, title, provider))


def sections_for(role: str | None) -> list[dict[str, Any]]:
    result = []
    for section in sorted(_sections.values(), key=lambda s: s.order):
        items = [i for i in section.items if i.roles is None or (role is not None and role in i.roles)]
        if items:
            result.append(
                {
                    "key": section.key,
                    "label": section.label,
                    "items": [{"label": i.label, "url": i.url(), "also": i.also} for i in items],
                }
            )
    return result


def dashboard_for(user: Any) -> list[dict[str, Any]]:
    blocks = []
    for _, title, provider in sorted(_dashboard, key=lambda d: d[0]):
        cards = list(provider(user))
        if cards:
            blocks.append({"title": title, "cards": cards})
    return blocks
