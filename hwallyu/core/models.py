"""Core tables: the working-time calendar's settings and closures, and the audit trail."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class CalendarSettings(models.Model):
    """Working hours of the city (one row).  ``version`` changes with any calendar change."""

    morning_start = models.TimeField("오전 시작", default=dt.time(9, 0))
    morning_end = models.TimeField("오전 종료", default=dt.time(12, 0))
    afternoon_start = models.TimeField("오후 시작", default=dt.time(13, 0))
    afternoon_end = models.TimeField("오후 종료", default=dt.time(18, 0))
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "근무시간 설정"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(morning_start__lt=models.F("morning_end"))
                & models.Q(morning_end__lte=models.F("afternoon_start"))
                & models.Q(afternoon_start__lt=models.F("afternoon_end")),
                name="calendar_blocks_ordered",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.morning_start:%H:%M}–{self.morning_end:%H:%M}, "
            f"{self.afternoon_start:%H:%M}–{self.afternoon_end:%H:%M}"
        )

    @classmethod
    def load(cls) -> CalendarSettings:
        row = cls.objects.filter(pk=1).first()
        if row is None:
            row, _ = cls.objects.get_or_create(pk=1)
        return row

    def blocks(self) -> tuple[tuple[dt.time, dt.time], ...]:
        return ((self.morning_start, self.morning_end), (self.afternoon_start, self.afternoon_end))

    def clean(self) -> None:
        if not (self.morning_start < self.morning_end <= self.afternoon_start < self.afternoon_end):
            raise ValidationError("근무 시간대는 오전 시작 < 오전 종료 ≤ 오후 시작 < 오후 종료 순서여야 합니다.")


class Closure(models.Model):
    """A day the city closes in addition to the public holidays (휴무일)."""

    date = models.DateField("날짜", unique=True)
    name = models.CharField("사유", max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "휴무일"

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class AuditEvent(models.Model):
    """One append-only, hash-chained audit row: who did what to which object, and when."""

    at = models.DateTimeField("일시", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField("수행자", max_length=150, blank=True)
    action = models.CharField("작업", max_length=80, db_index=True)
    target_type = models.CharField("대상 종류", max_length=80, blank=True, db_index=True)
    target_id = models.CharField("대상 ID", max_length=64, blank=True)
    target_repr = models.CharField("대상", max_length=255, blank=True)
    department_id = models.BigIntegerField("부서 ID", null=True, blank=True, db_index=True)
    department_name = models.CharField("부서", max_length=100, blank=True)
    before = models.JSONField("변경 전", default=dict, blank=True)
    after = models.JSONField("변경 후", default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "감사 기록"
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            # The audit page filters by one of these and shows the newest first.
            models.Index(fields=["action", "at"], name="audit_action_at_idx"),
            models.Index(fields=["department_id", "at"], name="audit_dept_at_idx"),
            models.Index(fields=["actor", "at"], name="audit_actor_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise ValidationError("감사 기록은 수정할 수 없습니다.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise ValidationError("감사 기록은 삭제할 수 없습니다.")

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field in ``before`` or ``after``, in first-seen order."""
        before = self.before if isinstance(self.before, dict) else {}
        after = self.after if isinstance(self.after, dict) else {}
        keys = list(dict.fromkeys([*before, *after]))
        return [(key, before.get(key), after.get(key)) for key in keys]


class AuditChainHead(models.Model):
    """The last hash of the chain (one row), locked while a row is appended."""

    last_hash = models.CharField(max_length=64)
    count = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.count} rows, head {self.last_hash[:12]}"
