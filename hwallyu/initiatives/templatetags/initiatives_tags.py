"""Template filters of the initiative pages."""

from __future__ import annotations

from typing import Any

from django import template

from hwallyu.initiatives.money import million_text

register = template.Library()

TONES = {
    "done": "success",
    "won": "success",
    "ready": "success",
    "loi": "success",
    "mou": "success",
    "completed": "success",
    "in_progress": "warning",
    "contact": "warning",
    "proposal": "warning",
    "needs_work": "danger",
    "late": "danger",
    "lost": "danger",
    "stopped": "danger",
    "cancelled": "danger",
    "on_hold": "warning",
}


@register.filter
def million(won: int | None) -> str:
    """Whole won shown in 백만원 with thousands separators ("-" when empty)."""
    return million_text(won)


@register.filter
def tone(code: Any) -> str:
    """The hw-state tone of a state code."""
    return TONES.get(str(code), "")


@register.filter
def number(value: Any) -> str:
    """1500000.00 → 1,500,000; 12.50 → 12.5."""
    if value is None or value == "":
        return "-"
    try:
        normalized = value.normalize()
    except AttributeError:
        return f"{value:,}" if isinstance(value, int) else str(value)
    if normalized == normalized.to_integral_value():
        return f"{int(normalized):,}"
    exponent = normalized.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return f"{normalized:,.{places}f}"


@register.filter
def bar_style(bar: Any) -> str:
    """Inline position of a timeline bar: percentages of the axis."""
    return f"left: {bar.left}%; width: {bar.width}%;"


@register.filter
def late_of(milestone: Any, today: Any) -> str:
    """ "late", "late_done" or "" for a stage on ``today``."""
    return str(milestone.late_state(today)) if today else ""
