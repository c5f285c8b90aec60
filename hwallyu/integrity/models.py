"""Integrity (청렴): the anonymous channel's encrypted cases, the integrity index, the measures plan.

Nothing a reporter wrote is stored in clear: the ``BinaryField`` columns hold ciphertext
(see :mod:`hwallyu.integrity.crypto`).  The columns in clear are what a handler needs for
the case list without unlocking: number, kind, category, step, dates and the assignee.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q


class CaseKind(models.TextChoices):
    COUNSEL = "counsel", "상담"
    REPORT = "report", "신고"


class Category(models.TextChoices):
    CONDUCT = "conduct", "행동강령 위반"
    CORRUPTION = "corruption", "부패"
    POWER_ABUSE = "power_abuse", "갑질"
    SOLICITATION = "solicitation", "부정청탁"
    CONFLICT = "conflict", "이해충돌"
    OTHER = "other", "기타"


class Step(models.TextChoices):
    RECEIVED = "received", "접수"
    REVIEW = "review", "검토"
    INVESTIGATION = "investigation", "조사"
    ACTION = "action", "조치"
    CLOSED = "closed", "종결"


STEP_ORDER: list[str] = [Step.RECEIVED, Step.REVIEW, Step.INVESTIGATION, Step.ACTION, Step.CLOSED]


class ActionKind(models.TextChoices):
    NONE = "none", "조치 없음(혐의 없음)"
    GUIDANCE = "guidance", "주의·경고"
    DISCIPLINE = "discipline", "징계 요구"
    RECOVERY = "recovery", "부당이득 환수"
    REFERRAL = "referral", "고발·수사 의뢰"
    IMPROVEMENT = "improvement", "제도 개선"
    OTHER = "other", "기타 조치"


class IntegrityScheme(models.Model):
    """The year's rules: step deadlines, index weights, grade cut-offs, retention."""

    year = models.PositiveSmallIntegerField("연도", unique=True)
    received_days = models.PositiveSmallIntegerField("접수 → 검토 착수 기한(일)", default=3)
    review_days = models.PositiveSmallIntegerField("검토 기한(일)", default=10)
    investigation_days = models.PositiveSmallIntegerField("조사 기한(일)", default=30)
    action_days = models.PositiveSmallIntegerField("조치 기한(일)", default=30)
    perceived_weight = models.DecimalField(
        "청렴체감도 가중치", max_digits=4, decimal_places=3, default=Decimal("0.600")
    )
    effort_weight = models.DecimalField("청렴노력도 가중치", max_digits=4, decimal_places=3, default=Decimal("0.400"))
    external_share = models.DecimalField(
        "체감도 중 외부체감도 비중",
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.500"),
        help_text="청렴체감도 점수를 따로 입력하지 않은 해에 외부·내부체감도를 합치는 비중입니다.",
    )
    max_deduction = models.DecimalField("부패실태 감점 상한", max_digits=4, decimal_places=2, default=Decimal("10"))
    cutoff_1 = models.DecimalField("1등급 하한", max_digits=5, decimal_places=2, null=True, blank=True)
    cutoff_2 = models.DecimalField("2등급 하한", max_digits=5, decimal_places=2, null=True, blank=True)
    cutoff_3 = models.DecimalField("3등급 하한", max_digits=5, decimal_places=2, null=True, blank=True)
    cutoff_4 = models.DecimalField("4등급 하한", max_digits=5, decimal_places=2, null=True, blank=True)
    retention_days = models.PositiveIntegerField("종결 사건 보존 기간(일)", default=1095)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = "청렴 기준(연도별)"
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    perceived_weight__gte=0, perceived_weight__lte=1, effort_weight__gte=0, effort_weight__lte=1
                ),
                name="integrity_scheme_weights_range",
                violation_error_message="가중치는 0과 1 사이여야 합니다.",
            ),
            models.CheckConstraint(
                condition=Q(external_share__gte=0, external_share__lte=1),
                name="integrity_scheme_share_range",
                violation_error_message="외부체감도 비중은 0과 1 사이여야 합니다.",
            ),
            models.CheckConstraint(
                condition=Q(max_deduction__gte=0, max_deduction__lte=10),
                name="integrity_scheme_deduction_max",
                violation_error_message="부패실태 감점 상한은 0점 이상 10점 이하입니다.",
            ),
            models.CheckConstraint(
                condition=Q(retention_days__gte=30),
                name="integrity_scheme_retention_min",
                violation_error_message="보존 기간은 30일 이상이어야 합니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}년 청렴 기준"

    def step_days(self, step: str) -> int | None:
        return {
            Step.RECEIVED: self.received_days,
            Step.REVIEW: self.review_days,
            Step.INVESTIGATION: self.investigation_days,
            Step.ACTION: self.action_days,
        }.get(step)  # type: ignore[call-overload]

    def cutoffs(self) -> dict[int, Decimal]:
        """Grade → lowest composite of that grade, for the grades the office entered."""
        values = {1: self.cutoff_1, 2: self.cutoff_2, 3: self.cutoff_3, 4: self.cutoff_4}
        return {g: v for g, v in values.items() if v is not None}


class OfficeKey(models.Model):
    """The office recovery public key (one row).  Its private key was printed once and never stored."""

    public_key = models.BinaryField("복구 공개키")
    fingerprint = models.CharField("지문", max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "기관 복구 키"

    def __str__(self) -> str:
        return f"복구 키 {self.fingerprint}"


class HandlerKey(models.Model):
    """A handler's key pair; the private key is encrypted with their passphrase (Argon2id)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="integrity_key")
    public_key = models.BinaryField("공개키")
    encrypted_private_key = models.BinaryField("암호화된 개인키")
    kdf_salt = models.BinaryField()
    kdf_time_cost = models.PositiveIntegerField()
    kdf_memory_kib = models.PositiveIntegerField()
    fingerprint = models.CharField("지문", max_length=40)
    designated = models.BooleanField("지정 담당자", default=False)
    designated_at = models.DateTimeField(null=True, blank=True)
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "청렴 담당자 키"

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.get_username()} 키"


class Case(models.Model):
    """One counsel request or report.  Content columns hold ciphertext only."""

    number = models.CharField("접수 번호", max_length=20, unique=True)
    year = models.PositiveSmallIntegerField("연도")
    kind = models.CharField("구분", max_length=20, choices=CaseKind.choices)
    category = models.CharField("유형", max_length=20, choices=Category.choices)
    step = models.CharField("단계", max_length=20, choices=Step.choices, default=Step.RECEIVED)
    received_at = models.DateTimeField("접수 일시")
    due_at = models.DateTimeField("현 단계 기한", null=True, blank=True)
    closed_at = models.DateTimeField("종결 일시", null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="담당자",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="integrity_cases",
    )
    action_kind = models.CharField("조치 구분", max_length=20, choices=ActionKind.choices, blank=True)
    reporter_activity_at = models.DateTimeField("제보자 최근 글", null=True, blank=True)
    # --- keys and ciphertext --------------------------------------------------------
    public_key = models.BinaryField()
    content = models.BinaryField()  # sealed {"title", "body"}
    disclosed_name = models.BinaryField(null=True, blank=True)  # sealed {"name"}
    action_detail = models.BinaryField(null=True, blank=True)  # sealed {"text"}
    receipt_lookup = models.CharField(max_length=64, unique=True)
    receipt_salt = models.BinaryField()
    receipt_kdf_time_cost = models.PositiveIntegerField()
    receipt_kdf_memory_kib = models.PositiveIntegerField()
    receipt_sealed_key = models.BinaryField()  # SecretBox(Argon2id(receipt)) of the case private key
    recovery_sealed_key = models.BinaryField(null=True, blank=True)  # SealedBox to the office key
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = "청렴 상담·신고"
        indexes = [
            # The case list: newest first, all cases or one step, a page at a time.
            models.Index(fields=["-received_at"], name="integrity_case_received_idx"),
            models.Index(fields=["step", "-received_at"], name="integrity_case_step_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_at__isnull=True) | Q(due_at__gte=models.F("received_at")), name="integrity_case_due"
            ),
            models.CheckConstraint(
                condition=Q(step="closed", closed_at__isnull=False) | (~Q(step="closed") & Q(closed_at__isnull=True)),
                name="integrity_case_closed_at",
            ),
        ]

    def __str__(self) -> str:
        return f"청렴 {self.number}"

    @property
    def is_closed(self) -> bool:
        return self.step == Step.CLOSED


class CaseCounter(models.Model):
    """The last case number given in a year (numbers are never reused, even after erasure)."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class CaseSeal(models.Model):
    """The case private key sealed to one handler's public key."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="seals")
    handler_key = models.ForeignKey(HandlerKey, on_delete=models.CASCADE, related_name="seals")
    sealed_key = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "handler_key"], name="integrity_seal_unique")]

    def __str__(self) -> str:
        return f"{self.case} → {self.handler_key}"


class CaseStep(models.Model):
    """One step of a case: when it began, when it is due, when it ended."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField("단계", max_length=20, choices=Step.choices)
    started_at = models.DateTimeField("시작")
    due_at = models.DateTimeField("기한", null=True, blank=True)
    done_at = models.DateTimeField("완료", null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_at__isnull=True) | Q(due_at__gte=models.F("started_at")),
                name="integrity_step_due_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_step_display()}"


class MessageKind(models.TextChoices):
    REPORTER = "reporter", "제보자"
    ANSWER = "answer", "답변"
    RESULT = "result", "처리 결과"
    NOTE = "note", "내부 메모"


class CaseMessage(models.Model):
    """A message on a case: the reporter's, a handler's answer or result, or an internal note."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    body = models.BinaryField()  # sealed {"body"}
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}"

    @property
    def to_reporter(self) -> bool:
        return self.kind in (MessageKind.REPORTER, MessageKind.ANSWER, MessageKind.RESULT)


class CaseAttachment(models.Model):
    """A file on a case: name and bytes sealed to the case key."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    from_reporter = models.BooleanField(default=True)
    meta = models.BinaryField()  # sealed {"name", "content_type", "size", "stripped"}
    data = models.BinaryField()  # sealed file bytes
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case} 첨부 {self.pk}"


# --- integrity index -------------------------------------------------------------------------


class IntegrityIndex(models.Model):
    """One year's integrity assessment (종합청렴도) as published, with its components."""

    year = models.PositiveSmallIntegerField("연도", unique=True)
    perceived_external = models.DecimalField("외부체감도", max_digits=5, decimal_places=2, null=True, blank=True)
    perceived_internal = models.DecimalField("내부체감도", max_digits=5, decimal_places=2, null=True, blank=True)
    perceived = models.DecimalField(
        "청렴체감도",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="공표된 점수가 있으면 입력합니다. 비워 두면 외부·내부체감도로 계산합니다.",
    )
    effort = models.DecimalField("청렴노력도", max_digits=5, decimal_places=2, null=True, blank=True)
    deduction = models.DecimalField("부패실태 감점", max_digits=4, decimal_places=2, null=True, blank=True)
    grade = models.PositiveSmallIntegerField("종합청렴도 등급", null=True, blank=True)
    perceived_grade = models.PositiveSmallIntegerField("체감도 등급", null=True, blank=True)
    effort_grade = models.PositiveSmallIntegerField("노력도 등급", null=True, blank=True)
    note = models.CharField("비고", max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = "종합청렴도"
        constraints = [
            models.CheckConstraint(
                condition=Q(deduction__isnull=True) | Q(deduction__gte=0, deduction__lte=10),
                name="integrity_index_deduction_range",
                violation_error_message="부패실태 감점은 0점 이상 10점 이하입니다.",
            ),
            models.CheckConstraint(
                condition=Q(grade__isnull=True) | Q(grade__gte=1, grade__lte=5),
                name="integrity_index_grade_range",
                violation_error_message="등급은 1등급부터 5등급까지입니다.",
            ),
            models.CheckConstraint(
                condition=Q(perceived_grade__isnull=True) | Q(perceived_grade__gte=1, perceived_grade__lte=5),
                name="integrity_index_pgrade_range",
                violation_error_message="등급은 1등급부터 5등급까지입니다.",
            ),
            models.CheckConstraint(
                condition=Q(effort_grade__isnull=True) | Q(effort_grade__gte=1, effort_grade__lte=5),
                name="integrity_index_egrade_range",
                violation_error_message="등급은 1등급부터 5등급까지입니다.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}년 종합청렴도"


# --- measures plan ---------------------------------------------------------------------------


class MeasurePlan(models.Model):
    """The year's integrity measures (청렴 시책)."""

    year = models.PositiveSmallIntegerField("연도", unique=True)
    survey_url = models.CharField("행정만족도 조사 링크", max_length=300, blank=True)
    note = models.TextField("비고", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = "청렴 시책 계획"

    def __str__(self) -> str:
        return f"{self.year}년 청렴 시책"


class MeasureKind(models.TextChoices):
    BROADCAST = "broadcast", "청렴 방송 릴레이"
    CITIZEN_AUDITORS = "citizen_auditors", "시민감사관 운영"
    NEW_STAFF_GUIDE = "new_staff_guide", "청렴길라잡이 배부"
    SURVEY = "survey", "행정만족도 조사"
    CHANNEL = "channel", "청렴톡(익명 상담·신고)"
    OTHER = "other", "기타 시책"


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", "계획"
    ONGOING = "ongoing", "추진 중"
    DONE = "done", "완료"


class Measure(models.Model):
    """A scheduled measure with its owner and record of what was done."""

    plan = models.ForeignKey(MeasurePlan, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField("구분", max_length=30, choices=MeasureKind.choices)
    title = models.CharField("시책", max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="담당자", null=True, blank=True, on_delete=models.SET_NULL
    )
    starts_on = models.DateField("시작일")
    ends_on = models.DateField("종료일")
    status = models.CharField("상태", max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED)
    record = models.TextField("추진 실적", blank=True)

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="integrity_measure_dates",
                violation_error_message="종료일은 시작일보다 빠를 수 없습니다.",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Broadcast(models.Model):
    """One weekly integrity broadcast of the relay (mayor first, then senior staff)."""

    plan = models.ForeignKey(MeasurePlan, on_delete=models.CASCADE, related_name="broadcasts")
    on_date = models.DateField("방송일")
    speaker_name = models.CharField("출연자", max_length=50)
    speaker_title = models.CharField("직위", max_length=50)
    topic = models.CharField("주제", max_length=200, blank=True)
    done = models.BooleanField("방송 완료", default=False)
    record = models.CharField("실적·비고", max_length=300, blank=True)

    class Meta:
        ordering = ["on_date", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "on_date"], name="integrity_broadcast_one_per_day")]

    def __str__(self) -> str:
        return f"{self.on_date:%Y-%m-%d} {self.speaker_title} {self.speaker_name}"


class CitizenAuditor(models.Model):
    """A citizen auditor (시민감사관) on the roster."""

    name = models.CharField("성명", max_length=50)
    field = models.CharField("분야", max_length=100, blank=True)
    affiliation = models.CharField("소속·경력", max_length=100, blank=True)
    term_start = models.DateField("임기 시작")
    term_end = models.DateField("임기 종료")
    active = models.BooleanField("활동 중", default=True)

    class Meta:
        ordering = ["-active", "term_start", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gte=models.F("term_start")),
                name="integrity_auditor_term",
                violation_error_message="임기 종료일은 시작일보다 빠를 수 없습니다.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class AuditorActivity(models.Model):
    auditor = models.ForeignKey(CitizenAuditor, on_delete=models.CASCADE, related_name="activities")
    on_date = models.DateField("활동일")
    kind = models.CharField("활동", max_length=50)
    summary = models.CharField("내용", max_length=300, blank=True)

    class Meta:
        ordering = ["on_date", "id"]

    def __str__(self) -> str:
        return f"{self.on_date:%Y-%m-%d} {self.auditor} {self.kind}"


class GuideDistribution(models.Model):
    """A distribution of the new-staff integrity guide (청렴길라잡이)."""

    plan = models.ForeignKey(MeasurePlan, on_delete=models.CASCADE, related_name="guide_distributions")
    on_date = models.DateField("배부일")
    edition = models.CharField("판", max_length=50, blank=True)
    recipients = models.CharField("대상", max_length=200)
    copies = models.PositiveIntegerField("부수", default=0)
    note = models.CharField("비고", max_length=200, blank=True)

    class Meta:
        ordering = ["on_date", "id"]

    def __str__(self) -> str:
        return f"{self.on_date:%Y-%m-%d} {self.recipients}"
