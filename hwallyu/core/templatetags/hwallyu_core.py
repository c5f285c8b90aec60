"""Template filters of the core pages."""

from __future__ import annotations

from typing import Any

from django import template

from hwallyu.core.selectors import WEEKDAYS, display_value

register = template.Library()


@register.filter
def audit_value(value: Any) -> str:
    """An audit before/after value as text; empty shows as a dash."""
    text = display_value(value)
    return text if text != "" else "–"


@register.filter
def weekday_ko(value: Any) -> str:
    """The Korean weekday letter (월…일) of a date or datetime."""
    try:
        return WEEKDAYS[value.weekday()]
    except (AttributeError, IndexError, TypeError):
        return ""
