"""Session policy: idle timeout and required two-factor sign-in."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Paths a signed-in user who still owes a second factor may open.
_OTP_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/api/", "/integrity/public", "/s/", "/pledges/public")


class SessionPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            from hwallyu.accounts.services import idle_timeout_seconds, otp_required_for

            # Every request pushes the expiry forward: the session ends after N idle minutes.
            request.session.set_expiry(idle_timeout_seconds())
            if otp_required_for(user) and not user.is_verified() and not request.path.startswith(_OTP_EXEMPT_PREFIXES):
                return redirect(f"{reverse('accounts:otp')}?next={request.get_full_path()}")
        return self.get_response(request)


__all__ = ["SessionPolicyMiddleware", "settings"]
