"""Accounts: the site's security policy and personal API tokens."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SecurityPolicy(models.Model):
    """Session and sign-in rules the admin edits (one row)."""

    idle_timeout_minutes = models.PositiveIntegerField("유휴 세션 만료(분)", default=30)
    require_2fa_roles = models.JSONField("2단계 인증 필수 역할", default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "보안 정책"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(idle_timeout_minutes__gte=5) & models.Q(idle_timeout_minutes__lte=480),
                name="idle_timeout_range",
            )
        ]

    def __str__(self) -> str:
        return f"유휴 {self.idle_timeout_minutes}분"

    @classmethod
    def load(cls) -> SecurityPolicy:
        row = cls.objects.filter(pk=1).first()
        if row is None:
            row, _ = cls.objects.get_or_create(
                pk=1, defaults={"idle_timeout_minutes": settings.SESSION_IDLE_MINUTES_DEFAULT}
            )
        return row


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 is stored, the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("이름", max_length=100)
    prefix = models.CharField("앞자리", max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("발급", auto_now_add=True)
    last_used_at = models.DateTimeField("최근 사용", null=True, blank=True)
    revoked_at = models.DateTimeField("폐기", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API 토큰"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
