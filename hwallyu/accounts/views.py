"""Sign-in steps, "내 계정" (two-factor setup, API tokens, password) and the security policy page."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordChangeView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device

from hwallyu.accounts import selectors, services
from hwallyu.accounts.forms import (
    ApiTokenForm,
    KoreanPasswordChangeForm,
    OtpConfirmForm,
    OtpForm,
    OtpRemoveForm,
    SecurityPolicyForm,
)
from hwallyu.accounts.policies import api_tokens, security_policies
from hwallyu.org.selectors import person_of, role_of

SETTINGS_CRUMBS = [("내 계정", None)]


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if allowed else default


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def lockout(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """django-axes lockout answer: JSON for the API, the Korean page for the login form."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else 0
    status = getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429)  # set by axes.conf at start-up
    if request.path.startswith("/api/"):
        detail = (
            f"로그인 실패가 반복되어 이 계정의 로그인이 {minutes}분 동안 제한되었습니다. 잠시 후 다시 시도하세요."
            if minutes
            else "로그인 실패가 반복되어 이 계정의 로그인이 제한되었습니다. 시스템 관리자에게 문의하세요."
        )
        return JsonResponse({"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})
    return render(request, "accounts/locked.html", {"cooloff_minutes": minutes}, status=status)


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Second sign-in step; a user without a confirmed device is sent to set one up first."""
    next_url = _safe_next(request)
    has_device = user_has_device(request.user, confirmed=True)
    if not has_device and services.owes_second_factor(request.user):
        messages.info(request, "이 계정은 2단계 인증이 필요합니다. 먼저 인증 앱을 등록하세요.")
        return redirect(_with_next(reverse("accounts:settings"), next_url))
    form = OtpForm(request.POST or None)
    if has_device and request.method == "POST" and form.is_valid():
        device, error = services.otp_check(user=request.user, token=form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(next_url)
        form.add_error("token", error)
    return render(request, "accounts/otp.html", {"form": form, "next": next_url, "has_device": has_device})


def _settings_page(request: HttpRequest, *, status: int = 200, **extra: Any) -> HttpResponse:
    user = request.user
    otp = selectors.otp_status(user)
    setup_only = services.owes_second_factor(user)
    context: dict[str, Any] = {
        "breadcrumbs": SETTINGS_CRUMBS,
        "person": person_of(user),
        "otp": otp,
        "otp_required": services.otp_required_for(user),
        "setup_only": setup_only,
        "confirm_form": OtpConfirmForm(),
        "remove_form": OtpRemoveForm(),
        "token_form": ApiTokenForm(),
        "tokens": [] if setup_only else list(selectors.api_tokens_of(user)),
        "next": _safe_next(request, default=""),
    }
    if otp.pending is not None:
        context["qr_svg"] = selectors.totp_qr_svg(otp.pending)
        context["secret_text"] = selectors.totp_secret_text(otp.pending)
    context.update(extra)
    return render(request, "accounts/settings.html", context, status=status)


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    if services.owes_second_factor(request.user) and user_has_device(request.user, confirmed=True):
        return redirect(_with_next(reverse("accounts:otp"), _safe_next(request)))
    return _settings_page(request)


@login_required
@require_POST
def otp_setup_start(request: HttpRequest) -> HttpResponse:
    try:
        services.totp_setup_start(user=request.user, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_settings_url(request))


@login_required
@require_POST
def otp_setup_confirm(request: HttpRequest) -> HttpResponse:
    form = OtpConfirmForm(request.POST)
    if form.is_valid():
        try:
            device, codes = services.totp_setup_confirm(
                user=request.user, token=form.cleaned_data["token"], actor=request.user
            )
        except ValidationError as exc:
            form.add_error("token", exc)
        else:
            # The code just proved the second factor: this session counts as verified.
            otp_login(request, device)
            messages.success(request, "2단계 인증을 등록했습니다.")
            return _settings_page(request, backup_codes=codes)
    return _settings_page(request, confirm_form=form)


@login_required
@require_POST
def otp_remove(request: HttpRequest) -> HttpResponse:
    form = OtpRemoveForm(request.POST)
    if form.is_valid():
        try:
            services.otp_devices_remove(user=request.user, token=form.cleaned_data["token"], actor=request.user)
        except ValidationError as exc:
            form.add_error("token", exc)
        else:
            message = "2단계 인증을 해제했습니다."
            if services.otp_required_for(request.user):
                message += " 이 역할은 2단계 인증이 필요하므로 다시 등록해야 업무 화면을 쓸 수 있습니다."
            messages.success(request, message)
            return redirect("accounts:settings")
    return _settings_page(request, remove_form=form)


@login_required
@require_POST
def api_token_create(request: HttpRequest) -> HttpResponse:
    api_tokens.check(request.user, "create")
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, token_form=form)
    token, raw = services.api_token_create(user=request.user, name=form.cleaned_data["name"], actor=request.user)
    # The raw token is in this one response only; the database keeps its SHA-256.
    return _settings_page(request, new_token=token, new_token_raw=raw)


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = api_tokens.get_visible_or_404(request.user, pk=pk)
    services.api_token_revoke(token=token, actor=request.user)
    messages.success(request, f"토큰 ‘{token.name}’을(를) 폐기했습니다. 이 토큰으로는 더 이상 API를 쓸 수 없습니다.")
    return redirect("accounts:settings")


def _settings_url(request: HttpRequest) -> str:
    return _with_next(reverse("accounts:settings"), _safe_next(request, default=""))


class AccountPasswordChangeView(PasswordChangeView):
    form_class = KoreanPasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:settings")
    extra_context = {"breadcrumbs": [("내 계정", reverse_lazy("accounts:settings")), ("비밀번호 변경", None)]}

    def form_valid(self, form: KoreanPasswordChangeForm) -> HttpResponse:
        services.password_change(
            user=form.user, new_password=form.cleaned_data["new_password1"], actor=self.request.user
        )
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, "비밀번호를 바꿨습니다.")
        return redirect(self.get_success_url())


@login_required
def security_policy(request: HttpRequest) -> HttpResponse:
    security_policies.check(request.user, "update")
    policy = selectors.security_policy()
    form = SecurityPolicyForm(
        request.POST or None,
        initial={"idle_timeout_minutes": policy.idle_timeout_minutes, "require_2fa_roles": policy.require_2fa_roles},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.security_policy_update(
                actor=request.user,
                idle_timeout_minutes=form.cleaned_data["idle_timeout_minutes"],
                require_2fa_roles=form.cleaned_data["require_2fa_roles"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "보안 정책을 저장했습니다.")
            if services.otp_required_for(request.user) and not user_has_device(request.user, confirmed=True):
                messages.warning(request, "내 역할도 2단계 인증이 필요합니다. 인증 앱을 등록하세요.")
            return redirect("accounts:security")
    return render(
        request,
        "accounts/security.html",
        {"form": form, "policy": policy, "my_role": role_of(request.user), "breadcrumbs": [("보안 정책", None)]},
    )
