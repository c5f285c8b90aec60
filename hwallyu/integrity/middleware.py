"""No trace of the reporter: the anonymous channel's requests carry and leave no client data.

For the reporter's paths this middleware (first in ``MIDDLEWARE``) removes, before anything
else sees the request, the client's address, forwarding headers, user agent, referrer and
cookies — so no session is loaded, no user is known, and nothing downstream (views, logs,
error reports) can record them.  On the way out it drops every ``Set-Cookie`` and answers
``Cache-Control: no-store`` and ``Referrer-Policy: same-origin`` (no referrer ever leaves for
another site; same-origin posts keep a real ``Origin`` header for the CSRF-free forms).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

REPORTER_PATH_PREFIXES = ("/integrity/public", "/api/v1/integrity/reports", "/api/v1/integrity/receipt")
_CLIENT_KEYS = (
    "HTTP_COOKIE",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_X_CLIENT_IP",
    "HTTP_CLIENT_IP",
    "HTTP_X_CLUSTER_CLIENT_IP",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_USER_AGENT",
    "HTTP_REFERER",
    "HTTP_DNT",
    "HTTP_VIA",
    "REMOTE_HOST",
    "REMOTE_USER",
)
_CLIENT_PREFIXES = ("HTTP_SEC_CH_UA", "HTTP_X_FORWARDED_")


def is_reporter_path(path: str) -> bool:
    return path.startswith(REPORTER_PATH_PREFIXES)


def scrub_request(request: HttpRequest) -> None:
    meta = request.META
    for key in list(meta):
        if key in _CLIENT_KEYS or key.startswith(_CLIENT_PREFIXES):
            del meta[key]
    meta["REMOTE_ADDR"] = "0.0.0.0"
    meta["REMOTE_PORT"] = "0"
    request.COOKIES = {}


def scrub_response(response: HttpResponse) -> HttpResponse:
    response.cookies.clear()
    response["Cache-Control"] = "no-store, max-age=0"
    response["Pragma"] = "no-cache"
    response["Referrer-Policy"] = "same-origin"
    return response


class ReporterPrivacyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_reporter_path(request.path):
            return self.get_response(request)
        scrub_request(request)
        return scrub_response(self.get_response(request))
