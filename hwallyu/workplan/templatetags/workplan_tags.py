"""Template filters of the work plan: money in 백만원, percentages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from hwallyu.workplan.money import million_text

register = template.Library()


@register.filter
def million(won: int | None) -> str:
    """Whole won shown in 백만원 ("-" when nothing was entered)."""
    return million_text(won)


@register.filter
def pct(value: Decimal | int | None) -> str:
    if value is None:
        return "-"
    return f"{value}"


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None
