"""Form widgets shared by every module."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def _escape(value: Any) -> str:
    """Django's ``conditional_escape`` without its lazy-string wrapping (thousands of options on a page)."""
    return str(value.__html__()) if hasattr(value, "__html__") else escape(str(value))


class QuickSelect(forms.Select):
    """A ``<select>`` whose options are written in Python rather than through one template per option
    (Django's default), for a large city's long lists: a hundred departments, a thousand indicators.

    Flat choices only (no option groups); every value, label and attribute is escaped.
    """

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final = {"name": name, **self.build_attrs(self.attrs, attrs)}
        chosen = {str(v) for v in self.format_value(value)}
        options = "".join(
            f'<option value="{_escape("" if key is None else key)}"'
            f"{' selected' if str('' if key is None else key) in chosen else ''}>{_escape(label)}</option>"
            for key, label in self.choices
        )
        flat = "".join(
            f" {key}" if val is True else f' {key}="{_escape(val)}"'
            for key, val in final.items()
            if val is not False and val is not None
        )
        return mark_safe(f"<select{flat}>{options}</select>")  # every part escaped above
