"""Writes and rules of accounts: API tokens, the security policy, two-factor settings."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from hwallyu.accounts.models import ApiToken, SecurityPolicy
from hwallyu.core.audit import diff, log_action, snapshot
from hwallyu.org.selectors import role_of

TOKEN_PREFIX = "hw_"
_POLICY_CACHE_KEY = "hwallyu:security-policy"


def _policy() -> SecurityPolicy:
    policy = cache.get(_POLICY_CACHE_KEY)
    if policy is None:
        policy = SecurityPolicy.load()
        cache.set(_POLICY_CACHE_KEY, policy, 60)
    return policy


def idle_timeout_seconds() -> int:
    return _policy().idle_timeout_minutes * 60


def otp_required_for(user: Any) -> bool:
    role = role_of(user)
    return bool(role and role in _policy().require_2fa_roles)


def security_policy_update(*, actor: Any, idle_timeout_minutes: int, require_2fa_roles: list[str]) -> SecurityPolicy:
    with transaction.atomic():
        policy = SecurityPolicy.load()
        before = snapshot(policy, ["idle_timeout_minutes", "require_2fa_roles"])
        policy.idle_timeout_minutes = idle_timeout_minutes
        policy.require_2fa_roles = sorted(set(require_2fa_roles))
        policy.save(update_fields=["idle_timeout_minutes", "require_2fa_roles", "updated_at"])
        b, a = diff(before, snapshot(policy, ["idle_timeout_minutes", "require_2fa_roles"]))
        log_action(actor=actor, action="security_policy.update", target=policy, before=b, after=a)
        transaction.on_commit(lambda: cache.delete(_POLICY_CACHE_KEY))
    return policy


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def api_token_create(*, user: Any, name: str, actor: Any | None = None) -> tuple[ApiToken, str]:
    """Create a token; returns it with the raw value, which is never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name.strip()[:100] or "API", prefix=raw[:10], token_hash=hash_token(raw)
        )
        log_action(
            actor=actor or user,
            action="api_token.create",
            target=token,
            after={"name": token.name, "prefix": token.prefix},
        )
    return token, raw


def api_token_revoke(*, token: ApiToken, actor: Any) -> ApiToken:
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            log_action(actor=actor, action="api_token.revoke", target=token, after={"revoked_at": token.revoked_at})
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
