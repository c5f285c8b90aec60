from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import devices_for_user
from django_otp import login as otp_login

from hwallyu.accounts.forms import OtpForm


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    return target if url_has_allowed_host_and_scheme(target, {request.get_host()}) else "/"


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Second sign-in step with a TOTP device; users without one are sent to set it up."""
    devices = [d for d in devices_for_user(request.user, confirmed=True)]
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip()
        for device in devices:
            if device.verify_token(token):
                otp_login(request, device)
                return redirect(_safe_next(request))
        form.add_error("token", "인증 코드가 올바르지 않습니다. 앱에 표시된 최신 코드를 입력하세요.")
    return render(
        request, "accounts/otp.html", {"form": form, "has_device": bool(devices), "next": _safe_next(request)}
    )
