from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from hwallyu.core.navigation import sections_for


def shell(request: HttpRequest) -> dict[str, Any]:
    """Values every page's shell needs: city name, navigation, unread count."""
    from hwallyu.notifications.selectors import unread_count
    from hwallyu.org.models import Role
    from hwallyu.org.selectors import city, role_of

    user = getattr(request, "user", None)
    role = role_of(user) if user is not None else None
    nav = sections_for(role) if role else []
    path = request.path
    # Only the entry with the longest URL that prefixes the path is current, so
    # "/directives/inbox/" marks 우리 부서 지시사항, not also 지시사항 목록 ("/directives/").
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match is not None else ""
    named = [i["url"] for s in nav for i in s["items"] if view_name and view_name in i["also"]]
    matches = [i["url"] for s in nav for i in s["items"] if i["url"] not in ("/", "#") and path.startswith(i["url"])]
    current = named[0] if named else (max(matches, key=len) if matches else None)
    for section in nav:
        for item in section["items"]:
            item["active"] = item["url"] == current
        section["active"] = any(i["active"] for i in section["items"])
    try:
        city_name = city().name
    except Exception:  # noqa: BLE001 - before the first migration the shell still renders
        city_name = settings.HWALLYU_CITY_DEFAULT
    return {
        "city_name": city_name,
        "nav_sections": nav,
        "user_role": role,
        "user_role_label": Role(role).label if role else "",
        "unread_notifications": unread_count(user) if role else 0,
        "demo_mode": settings.DEMO_MODE,
    }
