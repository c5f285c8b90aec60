"""Election pledges (공약사업): categories, the per-year scheme of states, yearly targets,
progress notes with evidence, and the switch of the public, read-only pledge page."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from hwallyu.org.models import Department


class Tone(models.TextChoices):
    NONE = "", "기본"
    SUCCESS = "success", "초록(완료)"
    WARNING = "warning", "노랑(주의)"
    DANGER = "danger", "빨강(위험)"


class PledgeScheme(models.Model):
    """The states a pledge may take in a year (cities change them yearly)."""

    year = models.PositiveSmallIntegerField("연도", unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = "공약 상태 체계"
        constraints = [models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="pledge_scheme_year")]

    def __str__(self) -> str:
        return f"{self.year}년 공약 상태"


class PledgeState(models.Model):
    scheme = models.ForeignKey(PledgeScheme, on_delete=models.CASCADE, related_name="states")
    code = models.SlugField("코드", max_length=30)
    label = models.CharField("이름", max_length=30)
    counts_as_complete = models.BooleanField("이행률에 완료로 셈", default=False)
    tone = models.CharField("표시 색", max_length=10, choices=Tone.choices, blank=True, default="")
    order = models.PositiveSmallIntegerField("순서", default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "공약 상태"
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="pledge_state_code_unique"),
            models.UniqueConstraint(fields=["scheme", "label"], name="pledge_state_label_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class PledgeCategory(models.Model):
    name = models.CharField("분야", max_length=50, unique=True)
    order = models.PositiveSmallIntegerField("순서", default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "공약 분야"

    def __str__(self) -> str:
        return self.name


class Pledge(models.Model):
    code = models.CharField("공약 번호", max_length=20, unique=True)
    title = models.CharField("공약명", max_length=200)
    category = models.ForeignKey(PledgeCategory, verbose_name="분야", on_delete=models.PROTECT, related_name="pledges")
    department = models.ForeignKey(Department, verbose_name="담당 부서", on_delete=models.PROTECT, related_name="+")
    term = models.CharField("민선 기수", max_length=20, default="민선8기")
    summary = models.TextField("공약 내용", blank=True)
    state_code = models.SlugField("상태", max_length=30)
    progress = models.PositiveSmallIntegerField("추진률(%)", default=0)
    budget_needed = models.BigIntegerField("소요 예산(원)", default=0)
    budget_secured = models.BigIntegerField("확보 예산(원)", default=0)
    published = models.BooleanField("공개 페이지에 표시", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "공약"
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="pledge_progress_range"),
            models.CheckConstraint(
                condition=Q(budget_needed__gte=0) & Q(budget_secured__gte=0), name="pledge_budget_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class PledgeYearTarget(models.Model):
    """The year's target of a pledge, with its monthly schedule (planned progress for reviews)."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField("연도")
    target = models.TextField("연도 목표")
    planned_months = models.JSONField("추진 월", default=list, blank=True)
    budget_planned = models.BigIntegerField("연도 예산(원)", default=0)

    class Meta:
        ordering = ["year"]
        verbose_name = "공약 연도 목표"
        constraints = [
            models.UniqueConstraint(fields=["pledge", "year"], name="pledge_target_year_unique"),
            models.CheckConstraint(condition=Q(budget_planned__gte=0), name="pledge_target_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.pledge.code} {self.year}년"


class PledgeNote(models.Model):
    """A progress note (추진 실적) with the state and progress at that time and an optional evidence file."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="notes")
    written_on = models.DateField("일자")
    text = models.TextField("추진 실적")
    state_code = models.SlugField("상태", max_length=30)
    progress = models.PositiveSmallIntegerField("추진률(%)")
    evidence = models.FileField("증빙 자료", upload_to="pledges/evidence/%Y/", blank=True)
    evidence_name = models.CharField("증빙 파일 이름", max_length=200, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-written_on", "-id"]
        verbose_name = "공약 추진 실적"
        constraints = [models.CheckConstraint(condition=Q(progress__lte=100), name="pledge_note_progress_range")]

    def __str__(self) -> str:
        return f"{self.pledge.code} {self.written_on}"


class PublicPage(models.Model):
    """The switch and texts of the public pledge page (one row)."""

    enabled = models.BooleanField("공개", default=False)
    title = models.CharField("제목", max_length=100, default="민선8기 공약 이행 현황")
    intro = models.TextField("안내 문구", blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "공약 공개 페이지"

    def __str__(self) -> str:
        return self.title

    @classmethod
    def load(cls) -> PublicPage:
        row = cls.objects.filter(pk=1).first()
        if row is None:
            row, _ = cls.objects.get_or_create(pk=1)
        return row
