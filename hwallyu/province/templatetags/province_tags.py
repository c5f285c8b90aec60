"""Number formats of the province pages: figures as the office writes them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def num(value: Any, places: int = 2) -> str:
    """Thousands separators, at most ``places`` decimals, no trailing zeros; "-" for nothing."""
    if value is None or value == "":
        return "-"
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    text = f"{number:,.{int(places)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


@register.filter
def pct(value: Any) -> str:
    """A percentage with one decimal ("85.3%"); "-" for nothing."""
    if value is None or value == "":
        return "-"
    return f"{Decimal(str(value)):,.1f}%"
