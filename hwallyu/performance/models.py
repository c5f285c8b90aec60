"""Department performance evaluation (부서 성과관리): the year's scheme, indicators, quarterly
actuals with evidence, the other items (customer perception, common tasks, bonus/penalty) and
the frozen evaluation runs.

Every number a city changes per year lives in :class:`Scheme` (weights, cap, bonus/penalty
range, grade quotas and performance-pay rates, the qualitative scale); the scoring rules
themselves are in ``scoring.py`` and ``docs/performance-grading.md``."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.lookups import Exact

from hwallyu.org.models import Department

DEFAULT_GRADES: list[dict[str, str]] = [
    {"code": "S", "quota": "20.00", "pay_rate": "172.50"},
    {"code": "A", "quota": "40.00", "pay_rate": "125.00"},
    {"code": "B", "quota": "30.00", "pay_rate": "85.00"},
    {"code": "C", "quota": "10.00", "pay_rate": "0.00"},
]
DEFAULT_LEVELS: list[dict[str, str]] = [
    {"label": "탁월", "points": "100.00"},
    {"label": "우수", "points": "90.00"},
    {"label": "보통", "points": "80.00"},
    {"label": "미흡", "points": "70.00"},
    {"label": "부진", "points": "60.00"},
]
DEFAULT_ORIGIN = (
    "시스템 기본값: 지표달성도 70 · 고객인식도 20 · 공통과제 10, 달성률 상한 120%, "
    "등급 비율 S 20 · A 40 · B 30 · C 10%, 성과상여금 지급률 S 172.5 · A 125 · B 85 · C 0%"
)


class Scheme(models.Model):
    """One year's evaluation scheme (평가 체계), edited by the performance team."""

    year = models.PositiveSmallIntegerField("연도", unique=True)
    indicator_label = models.CharField("지표 항목 이름", max_length=30, default="지표달성도")
    customer_label = models.CharField("고객 항목 이름", max_length=30, default="고객인식도")
    common_label = models.CharField("공통 항목 이름", max_length=30, default="공통과제")
    weight_indicator = models.DecimalField("지표달성도 배점", max_digits=5, decimal_places=2, default=Decimal(70))
    weight_customer = models.DecimalField("고객인식도 배점", max_digits=5, decimal_places=2, default=Decimal(20))
    weight_common = models.DecimalField("공통과제 배점", max_digits=5, decimal_places=2, default=Decimal(10))
    achievement_cap = models.DecimalField("달성률 상한(%)", max_digits=6, decimal_places=2, default=Decimal(120))
    bonus_max = models.DecimalField("가점 한도", max_digits=5, decimal_places=2, default=Decimal(3))
    penalty_max = models.DecimalField("감점 한도", max_digits=5, decimal_places=2, default=Decimal(3))
    grades = models.JSONField("등급 비율·지급률", default=list)  # [{"code", "quota", "pay_rate"}], best first
    levels = models.JSONField("정성 평가 척도", default=list)  # [{"label", "points"}], best first
    origin = models.CharField("기준의 출처", max_length=300, default=DEFAULT_ORIGIN)
    note = models.TextField("비고", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = "성과평가 체계"
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="perf_scheme_year"),
            models.CheckConstraint(
                condition=Q(weight_indicator__gte=0, weight_customer__gte=0, weight_common__gte=0),
                name="perf_scheme_weights_not_negative",
            ),
            models.CheckConstraint(
                condition=Exact(F("weight_indicator") + F("weight_customer") + F("weight_common"), Value(Decimal(100))),
                name="perf_scheme_weights_sum_100",
            ),
            models.CheckConstraint(
                condition=Q(achievement_cap__gte=100, achievement_cap__lte=300), name="perf_scheme_cap_range"
            ),
            models.CheckConstraint(condition=Q(bonus_max__gte=0, penalty_max__gte=0), name="perf_scheme_adjust_range"),
        ]

    def __str__(self) -> str:
        return f"{self.year}년 부서 성과평가 체계"

    def level_points(self, label: str) -> Decimal | None:
        for level in self.levels:
            if level["label"] == label:
                return Decimal(str(level["points"]))
        return None


class SchemeGroup(models.Model):
    """An evaluation group of the year (평가군), e.g. 본청 지원부서."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField("평가군 코드", max_length=20)
    name = models.CharField("평가군", max_length=50)
    order = models.PositiveSmallIntegerField("순서", default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "평가군"
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="perf_group_code_unique"),
            models.UniqueConstraint(fields=["scheme", "name"], name="perf_group_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class SetStatus(models.TextChoices):
    DRAFT = "draft", "작성 중"
    SUBMITTED = "submitted", "승인 요청"
    APPROVED = "approved", "승인"
    RETURNED = "returned", "보완 요청"


class IndicatorSet(models.Model):
    """A department's place in the year: its evaluation group and its indicator set's approval."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="sets")
    department = models.ForeignKey(Department, verbose_name="부서", on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(
        SchemeGroup, verbose_name="평가군", null=True, blank=True, on_delete=models.SET_NULL, related_name="sets"
    )
    status = models.CharField("지표 승인 상태", max_length=20, choices=SetStatus.choices, default=SetStatus.DRAFT)
    submitted_at = models.DateTimeField("승인 요청 일시", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("결정 일시", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField("검토 의견", blank=True)

    class Meta:
        ordering = ["department__order", "department__code"]
        verbose_name = "부서 지표 묶음"
        constraints = [models.UniqueConstraint(fields=["scheme", "department"], name="perf_set_unique")]

    def __str__(self) -> str:
        return f"{self.scheme.year}년 {self.department.name} 지표"

    @property
    def editable(self) -> bool:
        return self.status in (SetStatus.DRAFT, SetStatus.RETURNED)


class Kind(models.TextChoices):
    QUANTITATIVE = "quantitative", "정량"
    QUALITATIVE = "qualitative", "정성"


class Direction(models.TextChoices):
    RISING = "rising", "상향"
    FALLING = "falling", "하향"


class LinkKind(models.TextChoices):
    NONE = "", "연계 없음"
    PROVINCE = "province", "시군평가 지표"
    PLEDGE = "pledge", "공약"
    PROJECT = "project", "주요업무 사업"


class Indicator(models.Model):
    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField("지표명", max_length=200)
    kind = models.CharField("유형", max_length=20, choices=Kind.choices, default=Kind.QUANTITATIVE)
    direction = models.CharField("방향", max_length=10, choices=Direction.choices, default=Direction.RISING)
    unit = models.CharField("단위", max_length=20, blank=True)
    baseline = models.DecimalField("기준값", max_digits=16, decimal_places=2, null=True, blank=True)
    target = models.DecimalField("목표값", max_digits=16, decimal_places=2, null=True, blank=True)
    weight = models.DecimalField("가중치", max_digits=5, decimal_places=2)
    data_source = models.CharField("자료 출처", max_length=200, blank=True)
    link_kind = models.CharField("연계 구분", max_length=20, choices=LinkKind.choices, blank=True, default="")
    link_ref = models.CharField("연계 대상 코드", max_length=50, blank=True)
    link_label = models.CharField("연계 대상", max_length=250, blank=True)
    order = models.PositiveSmallIntegerField("순서", default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "성과지표"
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0, weight__lte=100), name="perf_indicator_weight_range"),
            models.CheckConstraint(
                condition=Q(link_kind="") | ~Q(link_ref=""), name="perf_indicator_link_has_reference"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ActualStatus(models.TextChoices):
    SUBMITTED = "submitted", "제출"
    ACCEPTED = "accepted", "확인"
    RETURNED = "returned", "보완 요청"


class Actual(models.Model):
    """A quarter's actual (cumulative for the year) with evidence; the performance team accepts it."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="actuals")
    quarter = models.PositiveSmallIntegerField("분기")
    value = models.DecimalField("실적(누계)", max_digits=16, decimal_places=2, null=True, blank=True)
    level = models.CharField("정성 평가 등급", max_length=30, blank=True)
    note = models.TextField("추진 실적", blank=True)
    status = models.CharField("상태", max_length=20, choices=ActualStatus.choices, default=ActualStatus.SUBMITTED)
    entered_at = models.DateTimeField("제출 일시", null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("확인 일시", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField("검토 의견", blank=True)

    class Meta:
        ordering = ["indicator_id", "quarter"]
        verbose_name = "분기 실적"
        constraints = [
            models.UniqueConstraint(fields=["indicator", "quarter"], name="perf_actual_unique"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="perf_actual_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.quarter}분기"


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"performance/{instance.actual.indicator.indicator_set.scheme.year}/{instance.actual_id}/{filename}"


class Evidence(models.Model):
    actual = models.ForeignKey(Actual, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField("증빙자료", upload_to=evidence_path, max_length=300)
    name = models.CharField("파일 이름", max_length=200)
    size = models.PositiveIntegerField("크기", default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "실적 증빙자료"

    def __str__(self) -> str:
        return self.name


class CustomerSource(models.TextChoices):
    ENTERED = "entered", "직접 입력"
    SURVEY = "survey", "행정만족도 조사"


class CustomerScore(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="customer_scores")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField("고객인식도(100점)", max_digits=5, decimal_places=2)
    source = models.CharField("출처", max_length=20, choices=CustomerSource.choices, default=CustomerSource.ENTERED)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "고객인식도 점수"
        constraints = [
            models.UniqueConstraint(fields=["scheme", "department"], name="perf_customer_unique"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="perf_customer_range"),
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.score}"


class CommonTask(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="common_tasks")
    name = models.CharField("공통과제", max_length=100)
    max_points = models.DecimalField("만점", max_digits=5, decimal_places=2)
    order = models.PositiveSmallIntegerField("순서", default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "공통과제"
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="perf_common_task_unique"),
            models.CheckConstraint(condition=Q(max_points__gt=0), name="perf_common_task_max_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class CommonTaskScore(models.Model):
    task = models.ForeignKey(CommonTask, on_delete=models.CASCADE, related_name="scores")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField("점수", max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = "공통과제 점수"
        constraints = [
            models.UniqueConstraint(fields=["task", "department"], name="perf_common_score_unique"),
            models.CheckConstraint(condition=Q(points__gte=0), name="perf_common_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.task} {self.department} {self.points}"


class AdjustmentKind(models.TextChoices):
    BONUS = "bonus", "가점"
    PENALTY = "penalty", "감점"


class Adjustment(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="adjustments")
    department = models.ForeignKey(Department, verbose_name="부서", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("구분", max_length=10, choices=AdjustmentKind.choices)
    points = models.DecimalField("점수", max_digits=5, decimal_places=2)
    reason = models.CharField("사유", max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["department__order", "id"]
        verbose_name = "가감점"
        constraints = [models.CheckConstraint(condition=Q(points__gt=0), name="perf_adjustment_positive")]

    def __str__(self) -> str:
        return f"{self.department} {self.get_kind_display()} {self.points}"


class RunStatus(models.TextChoices):
    FROZEN = "frozen", "확정"
    REOPENED = "reopened", "확정 취소"


class EvaluationRun(models.Model):
    """An approved evaluation: the result rows frozen as JSON; later edits never change them."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="runs")
    status = models.CharField("상태", max_length=20, choices=RunStatus.choices, default=RunStatus.FROZEN)
    rows = models.JSONField("결과")
    rules = models.JSONField("적용 기준")
    input_hash = models.CharField("입력 자료 지문", max_length=64)
    frozen_at = models.DateTimeField("확정 일시")
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reopened_at = models.DateTimeField("확정 취소 일시", null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopen_reason = models.TextField("확정 취소 사유", blank=True)

    class Meta:
        ordering = ["-frozen_at"]
        verbose_name = "평가 결과(확정)"
        constraints = [
            models.UniqueConstraint(
                fields=["scheme"], condition=Q(status="frozen"), name="perf_one_frozen_run_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scheme.year}년 부서 성과평가 결과"


class InputsVersion(models.Model):
    """One row whose token changes, in the same transaction, with anything the evaluation reads.

    The live results are cached under this token (``selectors.live_result``): a change to a scheme,
    group, set, indicator, actual, item score or department gives a new token, so the next page
    computes afresh.  ``versioning`` keeps it current."""

    token = models.CharField("입력 자료 버전", max_length=32)

    class Meta:
        verbose_name = "평가 입력 자료 버전"

    def __str__(self) -> str:
        return self.token
