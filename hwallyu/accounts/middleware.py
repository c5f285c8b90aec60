"""Session policy: idle timeout and required two-factor sign-in."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

# Paths a signed-in user who still owes a second factor may open: public pages, static files and the
# API (which checks the second factor itself), plus the sign-in steps and the two-factor setup below.
_OTP_EXEMPT_PREFIXES = ("/static/", "/api/", "/integrity/public", "/s/", "/pledges/public")
_OTP_EXEMPT_URL_NAMES = (
    "accounts:login",
    "accounts:logout",
    "accounts:otp",
    "accounts:settings",
    "accounts:otp_setup_start",
    "accounts:otp_setup_confirm",
)


@cache
def _otp_exempt_paths() -> frozenset[str]:
    return frozenset(reverse(name) for name in _OTP_EXEMPT_URL_NAMES)


class SessionPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from hwallyu.accounts.services import idle_timeout_seconds, owes_second_factor

        user = getattr(request, "user", None)
        if (
            user is not None
            and owes_second_factor(user)
            and request.path not in _otp_exempt_paths()
            and not request.path.startswith(_OTP_EXEMPT_PREFIXES)
        ):
            return redirect(f"{reverse('accounts:otp')}?{urlencode({'next': request.get_full_path()})}")
        response = self.get_response(request)
        # Every request of a signed-in session (including the sign-in itself) pushes the expiry
        # forward: the session ends after N idle minutes. API token requests carry no session.
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if (
            user is not None
            and user.is_authenticated
            and session is not None
            and SESSION_KEY in session
            # Background polls (the notification bell) are not activity: they must not keep an
            # idle session alive.
            and not getattr(request, "background_poll", False)
        ):
            session.set_expiry(idle_timeout_seconds())
        return response
