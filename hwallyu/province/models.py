"""Province evaluation (위임사무 시군평가): the evaluation year and its scheme, indicators, monthly
cumulative actuals with evidence, qualitative work (write-ups, consulting log, checklist),
deadlines, and the published results of the 15 cities and counties."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from hwallyu.org.models import Department

DEFAULT_CHECKLIST: list[str] = [
    "우수사례 작성",
    "전문가 컨설팅 의견 반영",
    "증빙자료 첨부",
    "부서장 검토",
]
DEFAULT_REMINDER_DAYS: list[int] = [3, 1, 0]


class CityGroup(models.TextChoices):
    CITY = "city", "시부"
    COUNTY = "county", "군부"


class IndicatorType(models.TextChoices):
    QUANTITATIVE = "quantitative", "정량"
    QUALITATIVE = "qualitative", "정성"


class Direction(models.TextChoices):
    RISING = "rising", "상향"
    FALLING = "falling", "하향"


def _default_checklist() -> list[str]:
    return list(DEFAULT_CHECKLIST)


def _default_reminder_days() -> list[int]:
    return list(DEFAULT_REMINDER_DAYS)


class EvaluationYear(models.Model):
    """One year of the province evaluation, with its scheme (all rules are data, edited in the UI)."""

    year = models.PositiveSmallIntegerField("평가 연도", unique=True)
    title = models.CharField("제목", max_length=100, blank=True)
    city_group = models.CharField("우리 시 평가군", max_length=10, choices=CityGroup.choices, default=CityGroup.CITY)
    actuals_start_month = models.PositiveSmallIntegerField("월별 실적 관리 시작 월", default=5)
    actuals_due_working_day = models.PositiveSmallIntegerField("월별 실적 입력 기한(다음 달 N번째 근무일)", default=5)
    lagging_forecast_rule = models.BooleanField("연말 전망이 목표에 미달하면 부진", default=True)
    lagging_share_from_month = models.PositiveSmallIntegerField("안분 목표 기준 적용 시작 월", default=10)
    lagging_share = models.DecimalField(
        "안분 목표 대비 부진 기준(비율)", max_digits=4, decimal_places=3, default=Decimal("0.700")
    )
    achievement_cap = models.DecimalField("달성도 상한(%)", max_digits=6, decimal_places=2, default=Decimal("120"))
    qualitative_deadline = models.DateField("정성 실적 제출 기한")
    quantitative_deadline = models.DateField("정량 최종실적 제출 기한")
    reminder_days = models.JSONField("알림 시점(기한 전 근무일 수)", default=_default_reminder_days)
    qualitative_checklist = models.JSONField("정성 제출 점검 항목", default=_default_checklist)
    whatif_base_score = models.DecimalField(
        "가정 분석 기준 점수", max_digits=7, decimal_places=3, null=True, blank=True
    )
    created_at = models.DateTimeField("만든 일시", auto_now_add=True)
    updated_at = models.DateTimeField("수정 일시", auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = "시군평가 연도"
        constraints = [
            models.CheckConstraint(
                condition=Q(actuals_start_month__gte=1, actuals_start_month__lte=12), name="province_start_month_range"
            ),
            models.CheckConstraint(
                condition=Q(lagging_share_from_month__gte=1, lagging_share_from_month__lte=12),
                name="province_share_month_range",
            ),
            models.CheckConstraint(
                condition=Q(lagging_share__gt=0, lagging_share__lte=1), name="province_lagging_share_range"
            ),
            models.CheckConstraint(
                condition=Q(actuals_due_working_day__gte=1, actuals_due_working_day__lte=20),
                name="province_due_working_day_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.year}년 위임사무 시군평가"

    @property
    def label(self) -> str:
        return str(self)

    @property
    def lagging_share_percent(self) -> Decimal:
        return (self.lagging_share * 100).quantize(Decimal("0.1"))


class Indicator(models.Model):
    evaluation_year = models.ForeignKey(
        EvaluationYear, verbose_name="평가 연도", on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField("지표 코드", max_length=30)
    field = models.CharField("분야", max_length=100)
    policy = models.CharField("정책", max_length=200, blank=True)
    name = models.CharField("지표명", max_length=200)
    kind = models.CharField("구분", max_length=20, choices=IndicatorType.choices)
    unit = models.CharField("단위", max_length=30, blank=True)
    direction = models.CharField("방향", max_length=10, choices=Direction.choices, blank=True)
    target = models.DecimalField("목표", max_digits=18, decimal_places=4, null=True, blank=True)
    points = models.DecimalField("배점", max_digits=7, decimal_places=3)
    departments = models.ManyToManyField(Department, verbose_name="담당 부서", related_name="province_indicators")
    evidence_rule = models.TextField("증빙 기준", blank=True)
    performance_code = models.CharField(
        "연계 부서평가 지표 코드",
        max_length=50,
        blank=True,
        help_text="부서 성과평가 지표와 연계하면 이 지표의 실적이 그 지표에도 쓰입니다(한 번만 입력).",
    )
    prior_profile = models.JSONField("전년도 월별 누계(1~12월)", default=list, blank=True)
    order = models.PositiveIntegerField("순서", default=0)
    submitted_at = models.DateTimeField("정성 실적 제출 일시", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("만든 일시", auto_now_add=True)
    updated_at = models.DateTimeField("수정 일시", auto_now=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "시군평가 지표"
        constraints = [
            models.UniqueConstraint(fields=["evaluation_year", "code"], name="province_indicator_code_unique"),
            models.CheckConstraint(
                condition=Q(kind="qualitative") | Q(target__gt=0), name="province_quantitative_target_positive"
            ),
            models.CheckConstraint(condition=Q(points__gte=0), name="province_points_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_quantitative(self) -> bool:
        return self.kind == IndicatorType.QUANTITATIVE

    @property
    def profile(self) -> list[Decimal | None]:
        """Last year's monthly cumulative values, as typed on the indicator (empty when not known)."""
        return parse_profile(self.prior_profile)


def parse_profile(values: Any) -> list[Decimal | None]:
    if not isinstance(values, list) or len(values) != 12:
        return []
    out: list[Decimal | None] = []
    for value in values:
        if value in (None, ""):
            out.append(None)
            continue
        try:
            out.append(Decimal(str(value)))
        except (InvalidOperation, ValueError):
            out.append(None)
    return out


class ActualStatus(models.TextChoices):
    SUBMITTED = "submitted", "검토 대기"
    ACCEPTED = "accepted", "승인"
    RETURNED = "returned", "반려"


class Actual(models.Model):
    """The cumulative actual of a quantitative indicator through a month (누계)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="actuals")
    month = models.PositiveSmallIntegerField("월")
    value = models.DecimalField("누계 실적", max_digits=18, decimal_places=4)
    note = models.TextField("비고(누계 감소 사유 등)", blank=True)
    lag_reason = models.TextField("부진 사유·대책", blank=True)
    status = models.CharField("상태", max_length=20, choices=ActualStatus.choices, default=ActualStatus.SUBMITTED)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="입력 부서"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="입력자"
    )
    submitted_at = models.DateTimeField("입력 일시")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("검토 일시", null=True, blank=True)
    decision_comment = models.TextField("검토 의견", blank=True)

    class Meta:
        ordering = ["indicator_id", "month"]
        verbose_name = "월별 누계 실적"
        constraints = [
            models.UniqueConstraint(fields=["indicator", "month"], name="province_actual_month_unique"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="province_actual_month_range"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.month}월 누계 {self.value}"


def evidence_path(instance: Evidence, filename: str) -> str:
    actual = instance.actual
    return f"province/{actual.indicator.evaluation_year.year}/{actual.indicator_id}/{actual.month:02d}/{filename}"


class Evidence(models.Model):
    actual = models.ForeignKey(Actual, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField("증빙 파일", upload_to=evidence_path, max_length=300)
    name = models.CharField("파일 이름", max_length=200)
    size = models.PositiveIntegerField("크기", default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("올린 일시")

    class Meta:
        ordering = ["id"]
        verbose_name = "실적 증빙"

    def __str__(self) -> str:
        return self.name


# --- qualitative indicators -------------------------------------------------------------------


class WriteupVersion(models.Model):
    """One version of a qualitative indicator's best-practice write-up (우수사례); never edited."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="writeups")
    version = models.PositiveIntegerField("판")
    title = models.CharField("사례 제목", max_length=200)
    body = models.TextField("내용")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("작성 일시")

    class Meta:
        ordering = ["indicator_id", "-version"]
        verbose_name = "우수사례"
        constraints = [models.UniqueConstraint(fields=["indicator", "version"], name="province_writeup_version")]

    def __str__(self) -> str:
        return f"{self.indicator.code} 우수사례 {self.version}판"


class ConsultingEntry(models.Model):
    """Expert consulting log (전문가 컨설팅) of a qualitative indicator."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="consultations")
    held_on = models.DateField("컨설팅 일자")
    expert = models.CharField("전문가", max_length=100)
    advice = models.TextField("자문 내용")
    follow_up = models.TextField("조치 계획·결과", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("기록 일시")

    class Meta:
        ordering = ["indicator_id", "-held_on", "-id"]
        verbose_name = "전문가 컨설팅"

    def __str__(self) -> str:
        return f"{self.held_on} {self.expert}"


class ChecklistCheck(models.Model):
    """A checked item of the submission checklist (the labels come from the year's scheme)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="checks")
    label = models.CharField("점검 항목", max_length=100)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField("확인 일시")

    class Meta:
        ordering = ["indicator_id", "id"]
        verbose_name = "제출 점검"
        constraints = [models.UniqueConstraint(fields=["indicator", "label"], name="province_check_unique")]

    def __str__(self) -> str:
        return self.label


# --- deadlines -------------------------------------------------------------------------------


class DeadlineKind(models.TextChoices):
    MONTHLY = "monthly", "월별 실적 입력"
    QUALITATIVE = "qualitative", "정성 실적 제출"
    QUANTITATIVE = "quantitative", "정량 최종실적 제출"


class Deadline(models.Model):
    """A due time computed once from the scheme and the working-time calendar.

    Recomputed only while it has not passed (scheme edits, calendar changes)."""

    evaluation_year = models.ForeignKey(EvaluationYear, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField("구분", max_length=20, choices=DeadlineKind.choices)
    month = models.PositiveSmallIntegerField("실적 월", default=0)
    due_at = models.DateTimeField("기한")

    class Meta:
        ordering = ["due_at"]
        verbose_name = "시군평가 기한"
        constraints = [
            models.UniqueConstraint(fields=["evaluation_year", "kind", "month"], name="province_deadline_unique")
        ]

    def __str__(self) -> str:
        label = f"{self.month}월 실적" if self.kind == DeadlineKind.MONTHLY else self.get_kind_display()
        return f"{self.evaluation_year.year}년 {label} 기한"


# --- peers -----------------------------------------------------------------------------------


class PeerResult(models.Model):
    """A published result of one of the 15 cities and counties for one evaluation year."""

    year = models.PositiveSmallIntegerField("평가 연도")
    place = models.CharField("시·군", max_length=20)
    group = models.CharField("평가군", max_length=10, choices=CityGroup.choices)
    score = models.DecimalField("점수", max_digits=7, decimal_places=3)
    rank = models.PositiveSmallIntegerField("평가군 내 순위")
    is_self = models.BooleanField("우리 시", default=False)
    imported_at = models.DateTimeField("가져온 일시")

    class Meta:
        ordering = ["-year", "group", "rank", "place"]
        verbose_name = "시군평가 결과"
        constraints = [
            models.UniqueConstraint(fields=["year", "place"], name="province_peer_unique"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="province_peer_rank_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.place} {self.score}"
