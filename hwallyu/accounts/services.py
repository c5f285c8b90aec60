"""Writes and rules of accounts: API tokens, the security policy, passwords, two-factor devices."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib.auth import password_validation
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hwallyu.accounts.models import ApiToken, SecurityPolicy
from hwallyu.accounts.policies import api_tokens, security_policies
from hwallyu.core.audit import diff, log_action, snapshot
from hwallyu.org.models import Role
from hwallyu.org.selectors import department_of, role_of

TOKEN_PREFIX = "hw_"
BACKUP_CODE_COUNT = 10
IDLE_MINUTES_MIN = 5
IDLE_MINUTES_MAX = 480
TOTP_DEVICE_NAME = "인증 앱"
BACKUP_DEVICE_NAME = "백업 코드"
_POLICY_CACHE_KEY = "hwallyu:security-policy"


# --- Security policy -------------------------------------------------------


def _policy() -> SecurityPolicy:
    policy = cache.get(_POLICY_CACHE_KEY)
    if policy is None:
        policy = SecurityPolicy.load()
        cache.set(_POLICY_CACHE_KEY, policy, 60)
    return policy


def idle_timeout_seconds() -> int:
    return _policy().idle_timeout_minutes * 60


def otp_required_for(user: Any) -> bool:
    roles = _policy().require_2fa_roles
    if not roles:  # the common case costs no query for the user's role
        return False
    role = role_of(user)
    return bool(role and role in roles)


def owes_second_factor(user: Any) -> bool:
    """Signed in with a password only, while the user's role requires two-factor sign-in."""
    if not getattr(user, "is_authenticated", False) or not otp_required_for(user):
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (callable(is_verified) and is_verified())


def security_policy_update(*, actor: Any, idle_timeout_minutes: int, require_2fa_roles: list[str]) -> SecurityPolicy:
    security_policies.check(actor, "update")
    if not IDLE_MINUTES_MIN <= idle_timeout_minutes <= IDLE_MINUTES_MAX:
        raise ValidationError(f"유휴 세션 만료 시간은 {IDLE_MINUTES_MIN}분 이상 {IDLE_MINUTES_MAX}분 이하여야 합니다.")
    unknown = sorted(set(require_2fa_roles) - set(Role.values))
    if unknown:
        raise ValidationError(f"알 수 없는 역할입니다: {', '.join(unknown)}")
    with transaction.atomic():
        policy = SecurityPolicy.load()
        before = snapshot(policy, ["idle_timeout_minutes", "require_2fa_roles"])
        policy.idle_timeout_minutes = idle_timeout_minutes
        policy.require_2fa_roles = sorted(set(require_2fa_roles))
        policy.save(update_fields=["idle_timeout_minutes", "require_2fa_roles", "updated_at"])
        b, a = diff(before, snapshot(policy, ["idle_timeout_minutes", "require_2fa_roles"]))
        log_action(actor=actor, action="security_policy.update", target=policy, before=b, after=a)
        cache.delete(_POLICY_CACHE_KEY)
        transaction.on_commit(lambda: cache.delete(_POLICY_CACHE_KEY))
    return policy


# --- Passwords -------------------------------------------------------------


def password_change(*, user: Any, new_password: str, actor: Any) -> Any:
    """Set a new password (already checked by the form) and record that it changed, never the value."""
    if actor.pk != user.pk:
        raise PermissionDenied("본인의 비밀번호만 바꿀 수 있습니다.")
    password_validation.validate_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        log_action(
            actor=actor,
            action="password.change",
            target=user,
            department=department_of(user),
            after={"password": "변경됨"},
        )
    return user


# --- API tokens ------------------------------------------------------------


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def api_token_create(*, user: Any, name: str, actor: Any | None = None) -> tuple[ApiToken, str]:
    """Create a token; returns it with the raw value, which is never stored."""
    api_tokens.check(actor or user, "create")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name.strip()[:100] or "API", prefix=raw[:10], token_hash=hash_token(raw)
        )
        log_action(
            actor=actor or user,
            action="api_token.create",
            target=token,
            department=department_of(user),
            after={"name": token.name, "prefix": token.prefix},
        )
    return token, raw


def api_token_revoke(*, token: ApiToken, actor: Any) -> ApiToken:
    api_tokens.check(actor, "revoke", token)
    with transaction.atomic():
        # Compare-and-set: two clicks revoke (and log) once.
        now = timezone.now()
        if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now):
            token.revoked_at = now
            log_action(
                actor=actor,
                action="api_token.revoke",
                target=token,
                department=department_of(token.user),
                after={"revoked_at": now},
            )
        else:
            token.refresh_from_db(fields=["revoked_at"])
    return token


def api_token_user(raw: str) -> Any | None:
    """The active user behind a raw token, or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(token_hash=hash_token(raw), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- Two-factor sign-in ----------------------------------------------------


def _clean_code(token: str) -> str:
    return "".join(str(token).split()).lower()


_WRONG_CODE = "인증 코드가 올바르지 않습니다. 앱에 표시된 최신 6자리 코드를 입력하세요."
_WRONG_CODE_OR_BACKUP = "인증 코드가 올바르지 않습니다. 앱의 최신 코드나 백업 코드를 입력하세요."
_THROTTLED = "인증 코드를 여러 번 잘못 입력하여 잠시 확인이 제한되었습니다. 잠시 후 다시 입력하세요."


def otp_check(*, user: Any, token: str) -> tuple[Device | None, str]:
    """The confirmed device (app or backup code) that accepts ``token``, or None with the reason in Korean.

    A backup code is used up by this call; an app code cannot be replayed. After a wrong code
    django-otp makes that device wait (1, 2, 4… seconds); a try during the wait is not checked."""
    code = _clean_code(token)
    throttled = False
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if not device.verify_is_allowed()[0]:
                throttled = True
            elif code and device.verify_token(code):
                return device, ""
    return None, _THROTTLED if throttled else _WRONG_CODE_OR_BACKUP


def totp_setup_start(*, user: Any, actor: Any) -> TOTPDevice:
    """A new, unconfirmed authenticator device with a fresh secret (replacing an unfinished one)."""
    if actor.pk != user.pk:
        raise PermissionDenied("본인의 2단계 인증만 등록할 수 있습니다.")
    with transaction.atomic():
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise ValidationError("이미 인증 앱이 등록되어 있습니다. 바꾸려면 먼저 해제하세요.")
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def totp_setup_confirm(*, user: Any, token: str, actor: Any) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending device with a code from the app; returns it and the new backup codes."""
    if actor.pk != user.pk:
        raise PermissionDenied("본인의 2단계 인증만 등록할 수 있습니다.")
    codes: list[str] = []
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update(of=("self",)).filter(user=user, confirmed=False).first()
        if device is None:
            raise ValidationError("등록 중인 인증 앱이 없습니다. 등록을 다시 시작하세요.")
        # A wrong code is counted (throttling) and committed before the error is raised below.
        throttled = not device.verify_is_allowed()[0]
        accepted = not throttled and device.verify_token(_clean_code(token))
        if accepted:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _replace_backup_codes(user)
            log_action(
                actor=actor,
                action="otp.enable",
                target=user,
                department=department_of(user),
                after={"device": device.name, "backup_codes": len(codes)},
            )
    if not accepted:
        raise ValidationError(_THROTTLED if throttled else _WRONG_CODE)
    return device, codes


def _replace_backup_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes: list[str] = []
    while len(codes) < BACKUP_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


def otp_devices_remove(*, user: Any, token: str, actor: Any) -> None:
    """Remove the user's authenticator and backup codes; a current code (or a backup code) proves it is them."""
    if actor.pk != user.pk:
        raise PermissionDenied("본인의 2단계 인증만 해제할 수 있습니다.")
    # Verified in its own transaction so a wrong code stays counted for throttling.
    device, error = otp_check(user=user, token=token)
    if device is None:
        raise ValidationError(error)
    with transaction.atomic():
        removed = [d.name for d in devices_for_user(user, confirmed=None)]
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        log_action(
            actor=actor,
            action="otp.disable",
            target=user,
            department=department_of(user),
            before={"devices": removed},
        )
