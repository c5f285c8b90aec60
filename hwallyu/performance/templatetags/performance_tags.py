"""The year's sub-navigation and small filters of the department evaluation pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from hwallyu.performance.policies import VIEW_RESULTS, is_office, performance_policy

register = template.Library()

TONES = {"approved": "success", "accepted": "success", "submitted": "warning", "returned": "danger", "draft": ""}


@register.inclusion_tag("performance/_year_nav.html")
def year_nav(scheme: Any, user: Any, active: str = "") -> dict[str, Any]:
    """Tabs of a year: what the user may open, the current one marked."""
    year = scheme.year
    office = is_office(user)
    reads = performance_policy.can(user, VIEW_RESULTS)
    items = []
    if reads:
        items.append(("overview", "현황", reverse("performance:overview", args=[year])))
    items.append(("scheme", "평가 체계", reverse("performance:scheme", args=[year])))
    if office:
        items.append(("groups", "평가군", reverse("performance:groups", args=[year])))
    items.append(("departments", "부서별 성과지표", reverse("performance:departments", args=[year])))
    if office:
        items += [
            ("review", "검토 대기", reverse("performance:review", args=[year])),
            ("customer", scheme.customer_label, reverse("performance:customer", args=[year])),
            ("common", scheme.common_label, reverse("performance:common", args=[year])),
            ("adjustments", "가감점", reverse("performance:adjustments", args=[year])),
        ]
    if reads:
        items += [
            ("results", "평가 결과", reverse("performance:results", args=[year])),
            ("whatif", "가정 분석", reverse("performance:whatif", args=[year])),
        ]
    return {
        "year": year,
        "items": [{"key": k, "label": label, "url": u, "active": k == active} for k, label, u in items],
    }


@register.filter
def tone(status: str) -> str:
    return TONES.get(str(status), "")


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None
