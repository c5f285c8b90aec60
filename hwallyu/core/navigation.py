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


@dataclass(frozen=True)
class DashboardBlock:
    """One module's block of cards on the home dashboard, loaded by its own request.

    ``visible(user)`` is the block's permission, answered from the user's role without counting
    anything: the page shell shows a loading block for each visible one, and the block's URL
    refuses the users it is not visible to.  ``provider(user)`` computes the cards; it may still
    return none (nothing to show yet, e.g. no open survey), and then the block is left out."""

    key: str
    title: str
    provider: Callable[[Any], Iterable[Card]]
    visible: Callable[[Any], bool]
    order: int = 100

    def cards(self, user: Any) -> list[Card]:
        return list(self.provider(user)) if self.visible(user) else []


_sections: dict[str, NavSection] = {}
_dashboard: dict[str, DashboardBlock] = {}


def register_section(key: str, label: str, order: int, items: Iterable[NavItem]) -> None:
    _sections[key] = NavSection(key, label, order, list(items))


def register_dashboard(
    title: str,
    provider: Callable[[Any], Iterable[Card]],
    *,
    key: str,
    visible: Callable[[Any], bool] | None = None,
    order: int = 100,
) -> None:
    """Add a module's card block to the home dashboard; ``key`` names its URL (letters, digits, ``-``, ``_``).

    ``visible(user)`` says from the role alone whether the user sees the block; without it, everyone with a role.
    """
    visible = visible or has_any_role
    _dashboard[key] = DashboardBlock(key, title, provider, visible, order)


def has_any_role(user: Any) -> bool:
    """Whether ``user`` has a role in the city (the default for who sees a dashboard block)."""
    from hwallyu.org.selectors import role_of

    return role_of(user) is not None


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


def dashboard_blocks(user: Any) -> list[DashboardBlock]:
    """The blocks ``user`` may see, in dashboard order (nothing is counted here)."""
    return [b for b in sorted(_dashboard.values(), key=lambda b: (b.order, b.key)) if b.visible(user)]


def dashboard_block(key: str) -> DashboardBlock | None:
    return _dashboard.get(key)


def all_dashboard_blocks() -> list[DashboardBlock]:
    return sorted(_dashboard.values(), key=lambda b: (b.order, b.key))
