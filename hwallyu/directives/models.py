"""Directives (지시사항): the yearly scheme, the directive with its clocks, the departments it
is assigned to, reports, close and extension requests, its timeline, and quarterly reviews."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from hwallyu.org.models import Department

DEFAULT_DEADLINE_CLASSES: list[dict[str, Any]] = [
    {"name": "단순·후속 보고", "days": 3},
    {"name": "계획 수립", "days": 10},
]
DEFAULT_SOURCES: list[str] = ["간부회의", "주간업무회의", "현장방문", "기타"]
DEFAULT_GIVERS: list[str] = ["시장", "부시장", "기획감사실장", "국장"]


class DirectiveScheme(models.Model):
    """The rules of one year, edited by the planning office: deadline classes, sources, givers.

    ``deadline_classes`` is a list of ``{"name": str, "days": int}``; the first one is the
    default class (the 3-day class unless the office reorders them)."""

    year = models.PositiveSmallIntegerField("연도", unique=True)
    deadline_classes = models.JSONField("기한 구분", default=list)
    sources = models.JSONField("지시 출처", default=list)
    givers = models.JSONField("지시자", default=list)
    updated_at = models.DateTimeField("수정 일시", auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = "지시사항 기준"

    def __str__(self) -> str:
        return f"{self.year}년 지시사항 기준"

    @property
    def default_class(self) -> dict[str, Any]:
        return self.deadline_classes[0]

    def find_class(self, name: str) -> dict[str, Any] | None:
        wanted = name.strip()
        for item in self.deadline_classes:
            if item["name"] == wanted:
                return item
        return None


class DirectiveCounter(models.Model):
    """The last number given in a year; its row is locked while a number is taken (gapless)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Kind(models.TextChoices):
    ORDER = "order", "지시"
    EXHORTATION = "exhortation", "당부"


class State(models.TextChoices):
    REGISTERED = "registered", "등록"
    SHARED = "shared", "공유"
    REPORTED = "reported", "보고"
    IN_PROGRESS = "in_progress", "추진중"
    COMPLETED = "completed", "완료"
    LONG_TERM = "long_term", "장기추진"
    INFEASIBLE = "infeasible", "추진불가"
    TRANSFERRED = "transferred", "타기관 이첩"


OPEN_STATES = (State.REGISTERED, State.SHARED, State.REPORTED, State.IN_PROGRESS)
FINAL_STATES = (State.COMPLETED, State.LONG_TERM, State.INFEASIBLE, State.TRANSFERRED)
STATE_TONES = {
    State.REGISTERED: "",
    State.SHARED: "warning",
    State.REPORTED: "",
    State.IN_PROGRESS: "",
    State.COMPLETED: "success",
    State.LONG_TERM: "",
    State.INFEASIBLE: "danger",
    State.TRANSFERRED: "",
}


class Directive(models.Model):
    year = models.PositiveSmallIntegerField("연도")
    quarter = models.PositiveSmallIntegerField("분기")
    seq = models.PositiveIntegerField("일련번호")
    number = models.CharField("번호", max_length=20, unique=True)

    given_at = models.DateTimeField("지시 일시")
    source = models.CharField("출처", max_length=50)
    given_by = models.CharField("지시자", max_length=50)
    kind = models.CharField("구분", max_length=20, choices=Kind.choices, default=Kind.ORDER)
    title = models.CharField("제목", max_length=200)
    content = models.TextField("내용", blank=True)
    lead_department = models.ForeignKey(
        Department, verbose_name="주관부서", on_delete=models.PROTECT, related_name="lead_directives"
    )
    deadline_class = models.CharField("기한 구분", max_length=50)
    report_days = models.PositiveSmallIntegerField("우선보고 기한(일)")

    state = models.CharField("상태", max_length=20, choices=State.choices, default=State.REGISTERED)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="등록자"
    )
    registered_at = models.DateTimeField("등록 일시", default=timezone.now)

    share_due_at = models.DateTimeField("공유 기한")
    shared_at = models.DateTimeField("공유 일시", null=True, blank=True)
    share_late = models.BooleanField("공유 지연", default=False)
    first_report_due_at = models.DateTimeField("우선보고 기한", null=True, blank=True)
    first_reported_at = models.DateTimeField("우선보고 일시", null=True, blank=True)
    result_due_at = models.DateTimeField("처리결과 기한", null=True, blank=True)
    result_reported_at = models.DateTimeField("처리결과 보고 일시", null=True, blank=True)
    close_requested_at = models.DateTimeField("종결 요청 일시", null=True, blank=True)
    closed_at = models.DateTimeField("종결 일시", null=True, blank=True)
    close_reason = models.TextField("종결 사유", blank=True)
    transfer_to = models.CharField("이첩 기관", max_length=100, blank=True)

    # One-time escalation markers (compare-and-set by the sweep); cleared when the due time moves.
    share_escalated_at = models.DateTimeField(null=True, blank=True)
    first_report_escalated_at = models.DateTimeField(null=True, blank=True)
    result_escalated_at = models.DateTimeField(null=True, blank=True)

    updated_at = models.DateTimeField("수정 일시", auto_now=True)

    class Meta:
        ordering = ["-year", "-seq"]
        verbose_name = "지시사항"
        constraints = [
            models.UniqueConstraint(fields=["year", "seq"], name="directive_number_unique_in_year"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="directive_quarter_range"),
            models.CheckConstraint(
                condition=models.Q(share_due_at__gte=models.F("given_at")), name="directive_share_due"
            ),
            models.CheckConstraint(
                condition=models.Q(shared_at__isnull=True) | models.Q(shared_at__gte=models.F("given_at")),
                name="directive_shared_after_given",
            ),
            models.CheckConstraint(
                condition=models.Q(first_report_due_at__isnull=True)
                | models.Q(first_report_due_at__gte=models.F("shared_at")),
                name="directive_first_report_due",
            ),
            models.CheckConstraint(condition=models.Q(report_days__gte=1), name="directive_report_days_positive"),
        ]
        indexes = [
            models.Index(fields=["year", "quarter"], name="directive_year_quarter_idx"),
            models.Index(fields=["state", "first_report_due_at"], name="directive_state_due_idx"),
            models.Index(fields=["lead_department", "year"], name="directive_lead_year_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    # --- cheap properties (no queries) ---------------------------------------
    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def needs_result(self) -> bool:
        return self.kind == Kind.ORDER

    @property
    def state_tone(self) -> str:
        return STATE_TONES.get(State(self.state), "")

    def open_steps(self) -> list[tuple[str, dt.datetime]]:
        """The steps still owed, with their due times: share, first report, result."""
        steps: list[tuple[str, dt.datetime]] = []
        if not self.is_open:
            return steps
        if self.shared_at is None:
            steps.append(("share", self.share_due_at))
            return steps
        if self.first_reported_at is None and self.first_report_due_at is not None:
            steps.append(("first_report", self.first_report_due_at))
        if self.needs_result and self.result_reported_at is None and self.result_due_at is not None:
            steps.append(("result", self.result_due_at))
        return steps

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        moment = now or timezone.now()
        return any(due < moment for _, due in self.open_steps())

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def next_due(self) -> tuple[str, dt.datetime] | None:
        steps = self.open_steps()
        return min(steps, key=lambda s: s[1]) if steps else None

    @property
    def first_report_on_time(self) -> bool | None:
        if self.first_reported_at is None or self.first_report_due_at is None:
            return None
        return self.first_reported_at <= self.first_report_due_at


STEP_LABELS = {"share": "공유", "first_report": "우선보고", "result": "처리결과"}


class AssignmentRole(models.TextChoices):
    LEAD = "lead", "주관"
    SUPPORT = "support", "협조"


class DirectiveAssignment(models.Model):
    """One department a directive is assigned to (the lead and the supporting departments)."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="assignments")
    department = models.ForeignKey(
        Department, verbose_name="부서", on_delete=models.PROTECT, related_name="directive_assignments"
    )
    role = models.CharField("역할", max_length=10, choices=AssignmentRole.choices)
    received_at = models.DateTimeField("접수 일시", null=True, blank=True)
    acknowledged_at = models.DateTimeField("확인 일시", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["role", "department__order", "department__code"]
        verbose_name = "지시사항 담당부서"
        constraints = [
            models.UniqueConstraint(fields=["directive", "department"], name="directive_assignment_unique"),
            models.UniqueConstraint(
                fields=["directive"], condition=models.Q(role="lead"), name="directive_one_lead_department"
            ),
        ]
        indexes = [models.Index(fields=["department", "directive"], name="directive_assign_dept_idx")]

    def __str__(self) -> str:
        return f"{self.directive.number} {self.department} ({self.get_role_display()})"


class ReportKind(models.TextChoices):
    FIRST = "first", "우선보고"
    PROGRESS = "progress", "추진상황"
    RESULT = "result", "처리결과"


class DirectiveReport(models.Model):
    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="reports")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+", verbose_name="부서")
    kind = models.CharField("종류", max_length=10, choices=ReportKind.choices)
    body = models.TextField("내용")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("보고 일시", default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "지시사항 보고"

    def __str__(self) -> str:
        return f"{self.directive.number} {self.get_kind_display()}"


def attachment_path(instance: ReportAttachment, filename: str) -> str:
    return f"directives/{instance.report.directive.year}/{instance.report.directive_id}/{filename}"


class ReportAttachment(models.Model):
    report = models.ForeignKey(DirectiveReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("첨부파일", upload_to=attachment_path, max_length=300)
    name = models.CharField("파일 이름", max_length=200)
    size = models.PositiveIntegerField("크기", default=0)

    class Meta:
        ordering = ["id"]
        verbose_name = "보고 첨부파일"

    def __str__(self) -> str:
        return self.name


class RequestStatus(models.TextChoices):
    PENDING = "pending", "요청"
    APPROVED = "approved", "승인"
    RETURNED = "returned", "반려"


class CloseRequest(models.Model):
    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="close_requests")
    final_state = models.CharField("종결 상태", max_length=20, choices=State.choices)
    reason = models.TextField("사유", blank=True)
    transfer_to = models.CharField("이첩 기관", max_length=100, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("요청 일시")
    status = models.CharField("처리", max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("처리 일시", null=True, blank=True)
    comment = models.TextField("의견", blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = "종결 요청"
        constraints = [
            models.UniqueConstraint(
                fields=["directive"], condition=models.Q(status="pending"), name="directive_one_pending_close"
            ),
            models.CheckConstraint(
                condition=models.Q(final_state__in=[s.value for s in FINAL_STATES]), name="close_request_final_state"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.directive.number} {self.get_final_state_display()} ({self.get_status_display()})"


class ExtensionStep(models.TextChoices):
    FIRST_REPORT = "first_report", "우선보고"
    RESULT = "result", "처리결과"


class ExtensionRequest(models.Model):
    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="extensions")
    step = models.CharField("대상 기한", max_length=20, choices=ExtensionStep.choices)
    days = models.PositiveSmallIntegerField("연장 일수")
    reason = models.TextField("사유")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("요청 일시")
    status = models.CharField("처리", max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("처리 일시", null=True, blank=True)
    comment = models.TextField("의견", blank=True)
    old_due_at = models.DateTimeField("기존 기한", null=True, blank=True)
    new_due_at = models.DateTimeField("연장 기한", null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = "기한 연장 요청"
        constraints = [
            models.UniqueConstraint(
                fields=["directive"], condition=models.Q(status="pending"), name="directive_one_pending_extension"
            ),
            models.CheckConstraint(condition=models.Q(days__gte=1, days__lte=60), name="extension_days_range"),
        ]

    def __str__(self) -> str:
        return f"{self.directive.number} {self.get_step_display()} +{self.days}일 ({self.get_status_display()})"


class EventKind(models.TextChoices):
    REGISTERED = "registered", "등록"
    SHARED = "shared", "공유"
    ACKNOWLEDGED = "acknowledged", "접수 확인"
    REPORTED = "reported", "보고"
    CLOSE_REQUESTED = "close_requested", "종결 요청"
    CLOSE_APPROVED = "close_approved", "종결 승인"
    CLOSE_RETURNED = "close_returned", "종결 반려"
    EXTENSION_REQUESTED = "extension_requested", "기한 연장 요청"
    EXTENSION_APPROVED = "extension_approved", "기한 연장 승인"
    EXTENSION_RETURNED = "extension_returned", "기한 연장 반려"
    DUE_RECOMPUTED = "due_recomputed", "기한 재계산"
    REMINDED = "reminded", "알림 발송"
    ESCALATED = "escalated", "기한 경과 통보"


class DirectiveEvent(models.Model):
    """The directive's own timeline: who did what when (the audit log keeps the raw diff)."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("일시")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField("수행자", max_length=150, blank=True)
    department_name = models.CharField("부서", max_length=50, blank=True)
    kind = models.CharField("종류", max_length=30, choices=EventKind.choices)
    message = models.TextField("내용", blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "지시사항 처리 이력"
        indexes = [models.Index(fields=["directive", "at"], name="directive_event_idx")]

    def __str__(self) -> str:
        return f"{self.directive_id} {self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "작성 중"
    APPROVED = "approved", "승인(확정)"


class QuarterlyReview(models.Model):
    """A quarterly review (분기별 점검); approving it freezes the figures in ``snapshot``."""

    year = models.PositiveSmallIntegerField("연도")
    quarter = models.PositiveSmallIntegerField("분기")
    status = models.CharField("상태", max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    snapshot = models.JSONField("확정 자료", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField("승인 일시", null=True, blank=True)
    note = models.TextField("검토 의견", blank=True)

    class Meta:
        ordering = ["-year", "-quarter"]
        verbose_name = "분기별 점검"
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="review_unique_quarter"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="review_quarter_range"),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(snapshot__isnull=False), name="review_approved_snapshot"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}년 {self.quarter}분기 지시사항 점검"

    @property
    def is_frozen(self) -> bool:
        return self.status == ReviewStatus.APPROVED
