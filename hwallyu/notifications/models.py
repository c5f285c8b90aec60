"""The notification outbox: in-app notices and outgoing messages per channel."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Notification(models.Model):
    """An in-app notice (the bell)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField("종류", max_length=50, blank=True)
    title = models.CharField("제목", max_length=200)
    body = models.TextField("내용", blank=True)
    url = models.CharField("링크", max_length=300, blank=True)
    created_at = models.DateTimeField("일시", auto_now_add=True)
    read_at = models.DateTimeField("읽은 시각", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "알림"
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread_idx")]

    def __str__(self) -> str:
        return self.title


class Channel(models.TextChoices):
    EMAIL = "email", "이메일"
    ALIMTALK = "alimtalk", "알림톡"
    SMS = "sms", "문자(SMS/LMS)"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "대기"
    SENDING = "sending", "발송 중"
    SENT = "sent", "발송"
    FAILED = "failed", "실패"


class OutboxMessage(models.Model):
    """A message to deliver through an outside channel.

    ``dedupe_key`` makes a notice idempotent: the same key is never queued twice, so two
    workers running the same sweep send one message.
    """

    channel = models.CharField("채널", max_length=20, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_address = models.CharField("수신처", max_length=254)
    subject = models.CharField("제목", max_length=200)
    body = models.TextField("내용")
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    status = models.CharField("상태", max_length=20, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField("시도", default=0)
    created_at = models.DateTimeField("등록", auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField("발송 시각", null=True, blank=True)
    error = models.TextField("오류", blank=True)
    # Business messages to citizens (AlimTalk with SMS/LMS fallback); see notifications/channels.
    template_code = models.CharField("템플릿 코드", max_length=50, blank=True)
    params = models.JSONField("템플릿 변수", default=dict, blank=True)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    fallback = models.CharField("대체발송", max_length=10, blank=True)  # "", "sms", "lms"
    window = models.CharField("발송 허용 시간", max_length=20, blank=True)  # "09:00-20:00/W"
    next_attempt_at = models.DateTimeField("다음 시도", null=True, blank=True)
    claimed_by = models.CharField(max_length=32, blank=True)
    provider_request_id = models.CharField("요청 ID", max_length=64, blank=True)
    provider_seq = models.PositiveIntegerField("수신자 순번", null=True, blank=True)
    result_code = models.CharField("결과 코드", max_length=20, blank=True)
    delivered_via = models.CharField("전달 경로", max_length=10, blank=True)  # "alimtalk", "sms", "lms"
    delivered_at = models.DateTimeField("전달 시각", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "발송함"
        indexes = [
            models.Index(fields=["status", "created_at"], name="outbox_status_idx"),
            models.Index(fields=["channel", "status", "next_attempt_at"], name="outbox_channel_due_idx"),
            models.Index(fields=["provider_request_id"], name="outbox_provider_request_idx"),
        ]

    def __str__(self) -> str:
        return f"[{self.get_channel_display()}] {self.subject}"


class NoticeKey(models.Model):
    """Keys of notices already issued, so a sweep never notifies twice (insert wins)."""

    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
