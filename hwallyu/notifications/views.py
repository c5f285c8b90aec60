from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from hwallyu.notifications import selectors, services

# htmx stops polling an element when the server answers 286.
HTMX_STOP_POLLING = 286


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for(request.user), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "breadcrumbs": [("알림", None)]},
    )


@require_GET
def bell(request: HttpRequest) -> HttpResponse:
    """The header's unread badge only; the shell polls it every 60 seconds.

    A poll is not user activity: it must not push the idle-session timeout forward, so the
    request is marked ``background_poll`` for the session policy and the session is left
    unsaved.  After the session has ended, htmx is told to stop polling instead of swapping
    the login page into the header.
    """
    if not request.user.is_authenticated:
        if getattr(request, "htmx", False):
            return HttpResponse(status=HTMX_STOP_POLLING)
        return redirect_to_login(request.get_full_path())
    request.background_poll = True  # type: ignore[attr-defined]
    request.session.modified = False
    html = render_to_string("notifications/bell.html", {"unread_notifications": selectors.unread_count(request.user)})
    response = HttpResponse(html)
    response["X-Hwallyu-Fragment"] = "bell"  # app.js swaps only this answer into the header
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int | None = None) -> HttpResponse:
    mine = selectors.notifications_for(request.user)
    if notification_id is not None and not mine.filter(id=notification_id).exists():
        raise Http404("알림을 찾을 수 없습니다.")
    services.mark_read(user=request.user, notification_id=notification_id)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")
