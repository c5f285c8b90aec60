"""Review analysis of key projects (역점사업 심사분석): the year's scheme (assessment states,
thresholds, reasons for delay), targets, rounds, submissions, assessments and alternatives."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from hwallyu.org.models import Department
from hwallyu.pledges.models import Pledge
from hwallyu.workplan.models import Project


class ReviewScheme(models.Model):
    """The rules of a year's review analysis, edited by the planning office."""

    year = models.PositiveSmallIntegerField("연도", unique=True)
    reminder_before = models.BooleanField("마감 하루 전(근무일) 알림", default=True)
    remind_overdue = models.BooleanField("마감 후 제출할 때까지 매 근무일 알림", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = "심사분석 체계"
        constraints = [models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="review_scheme_year")]

    def __str__(self) -> str:
        return f"{self.year}년 심사분석 체계"


class Rule(models.TextChoices):
    DEFAULT = "default", "기본(어느 기준에도 해당하지 않을 때)"
    GAP = "gap", "계획 대비 실적이 기준보다 더 뒤처질 때"
    COMPLETE = "complete", "실적 100%일 때"
    LONG_TERM = "long_term", "장기추진 대상일 때"
    MANUAL = "manual", "직접 지정만"


class Tone(models.TextChoices):
    NONE = "", "기본"
    SUCCESS = "success", "초록"
    WARNING = "warning", "노랑"
    DANGER = "danger", "빨강"


class AssessmentState(models.Model):
    """정상추진 / 지연 / 부진 / 완료 / 장기추진 …, with the rule by which the system proposes it."""

    scheme = models.ForeignKey(ReviewScheme, on_delete=models.CASCADE, related_name="states")
    code = models.SlugField("코드", max_length=30)
    label = models.CharField("이름", max_length=30)
    rule = models.CharField("제안 규칙", max_length=20, choices=Rule.choices, default=Rule.MANUAL)
    gap_threshold = models.DecimalField("격차 기준(%p 초과)", max_digits=5, decimal_places=1, null=True, blank=True)
    tone = models.CharField("표시 색", max_length=10, choices=Tone.choices, blank=True, default="")
    order = models.PositiveSmallIntegerField("순서", default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "심사 결과 구분"
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="assessment_state_code_unique"),
            models.UniqueConstraint(fields=["scheme", "label"], name="assessment_state_label_unique"),
            models.CheckConstraint(
                condition=Q(gap_threshold__isnull=True) | Q(gap_threshold__gte=0, gap_threshold__lte=100),
                name="assessment_gap_range",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class DelayCategory(models.Model):
    scheme = models.ForeignKey(ReviewScheme, on_delete=models.CASCADE, related_name="delay_categories")
    label = models.CharField("부진 사유 구분", max_length=50)
    order = models.PositiveSmallIntegerField("순서", default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "부진 사유 구분"
        constraints = [models.UniqueConstraint(fields=["scheme", "label"], name="delay_category_unique")]

    def __str__(self) -> str:
        return self.label


class ReviewTarget(models.Model):
    """A key project (역점사업) of the year, selected from the work plan's projects or from pledges."""

    year = models.PositiveSmallIntegerField("연도")
    project = models.ForeignKey(
        Project, verbose_name="사업", null=True, blank=True, on_delete=models.PROTECT, related_name="review_targets"
    )
    pledge = models.ForeignKey(
        Pledge, verbose_name="공약", null=True, blank=True, on_delete=models.PROTECT, related_name="review_targets"
    )
    title = models.CharField("대상 사업명", max_length=200)
    department = models.ForeignKey(Department, verbose_name="담당 부서", on_delete=models.PROTECT, related_name="+")
    long_term = models.BooleanField("장기추진 대상", default=False)
    active = models.BooleanField("심사 대상", default=True)
    note = models.CharField("비고", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "department__order", "title"]
        verbose_name = "심사분석 대상"
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False) | Q(pledge__isnull=False), name="review_target_has_source"
            ),
            models.UniqueConstraint(
                fields=["year", "project"], condition=Q(project__isnull=False), name="review_target_project_unique"
            ),
            models.UniqueConstraint(
                fields=["year", "pledge"], condition=Q(pledge__isnull=False), name="review_target_pledge_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def source_label(self) -> str:
        if self.project_id and self.pledge_id:
            return "주요업무·공약"
        return "주요업무" if self.project_id else "공약"


class RoundKind(models.TextChoices):
    QUARTERLY = "quarterly", "분기"
    ADHOC = "adhoc", "수시"


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "준비"
    OPEN = "open", "진행 중"
    CLOSED = "closed", "마감"


class ReviewRound(models.Model):
    year = models.PositiveSmallIntegerField("연도")
    kind = models.CharField("구분", max_length=10, choices=RoundKind.choices)
    quarter = models.PositiveSmallIntegerField("분기", null=True, blank=True)
    title = models.CharField("이름", max_length=100)
    as_of = models.DateField("기준일", help_text="계획 진도를 계산하는 날(분기 말 등)")
    opens_on = models.DateField("제출 시작일")
    closes_on = models.DateField("제출 마감일")
    due_at = models.DateTimeField("제출 기한", null=True, blank=True)
    status = models.CharField("상태", max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-as_of", "-id"]
        verbose_name = "심사분석 회차"
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="round_closes_after_opens"),
            models.CheckConstraint(
                condition=(Q(kind="quarterly", quarter__gte=1, quarter__lte=4) | Q(kind="adhoc", quarter__isnull=True)),
                name="round_quarter_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["year", "quarter"], condition=Q(kind="quarterly"), name="round_one_per_quarter"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", "작성 중"
    SUBMITTED = "submitted", "부서장 승인 대기"
    RETURNED = "returned", "보완 요청"
    APPROVED = "approved", "심사 대기"
    ASSESSED = "assessed", "심사 완료"


PENDING_STATUSES = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


class Submission(models.Model):
    """A department's report on one target for one round."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="submissions")
    target = models.ForeignKey(ReviewTarget, on_delete=models.PROTECT, related_name="submissions")
    status = models.CharField("상태", max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT)
    progress = models.PositiveSmallIntegerField("추진률(%)", null=True, blank=True)
    work_done = models.TextField("추진 실적", blank=True)
    budget = models.BigIntegerField("예산(원)", null=True, blank=True)
    budget_executed = models.BigIntegerField("집행액(원)", null=True, blank=True)
    budget_note = models.CharField("예산 집행 비고", max_length=300, blank=True)
    issues = models.TextField("문제점·애로사항", blank=True)
    delay_category = models.ForeignKey(
        DelayCategory, verbose_name="부진 사유 구분", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delay_reason = models.TextField("부진 사유", blank=True)
    next_plan = models.TextField("다음 분기 계획", blank=True)
    attachment = models.FileField("첨부", upload_to="reviews/attachments/%Y/", blank=True)
    attachment_name = models.CharField("첨부 파일 이름", max_length=200, blank=True)
    planned_progress = models.DecimalField("계획 진도(%)", max_digits=4, decimal_places=1, null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    returned_reason = models.TextField("보완 요청 사유", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "target__department__order", "target__title"]
        verbose_name = "심사분석 제출"
        constraints = [
            models.UniqueConstraint(fields=["round", "target"], name="submission_one_per_target"),
            models.CheckConstraint(
                condition=Q(progress__isnull=True) | Q(progress__lte=100), name="submission_progress_range"
            ),
            models.CheckConstraint(
                condition=(Q(budget__isnull=True) | Q(budget__gte=0))
                & (Q(budget_executed__isnull=True) | Q(budget_executed__gte=0)),
                name="submission_budget_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} — {self.target}"

    @property
    def is_editable(self) -> bool:
        return self.status in PENDING_STATUSES


class Assessment(models.Model):
    """The planning office's assessment: the system's proposal and the final state with comments."""

    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, related_name="assessment")
    gap = models.DecimalField("계획 대비 격차(%p)", max_digits=5, decimal_places=1, null=True, blank=True)
    proposed_state = models.ForeignKey(
        AssessmentState, verbose_name="제안", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    final_state = models.ForeignKey(
        AssessmentState, verbose_name="심사 결과", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField("심사 의견", blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "심사 결과"

    def __str__(self) -> str:
        return f"{self.submission} 심사"


class Alternative(models.Model):
    """대안: a remedy the office records; turned into a directive with one action."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="alternatives")
    text = models.TextField("대안")
    department = models.ForeignKey(Department, verbose_name="이행 부서", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("이행 기한", null=True, blank=True)
    directive_number = models.CharField("지시사항 번호", max_length=20, blank=True, db_index=True)
    directive_created_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "대안"

    def __str__(self) -> str:
        return self.text[:50]
