"""The annual work plan (주요업무계획): goal → major tasks → projects with a monthly schedule,
and the budget statement (사업비 조서) of the year.  Money is whole won."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from hwallyu.org.models import Department, Team


class PlanStatus(models.TextChoices):
    OPEN = "open", "작성 중"
    LOCKED = "locked", "확정(잠금)"


class WorkPlan(models.Model):
    year = models.PositiveSmallIntegerField("연도", unique=True)
    title = models.CharField("계획 이름", max_length=100)
    context = models.TextField("업무 여건", blank=True)
    status = models.CharField("상태", max_length=10, choices=PlanStatus.choices, default=PlanStatus.OPEN)
    locked_at = models.DateTimeField("확정 일시", null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = "주요업무계획"
        constraints = [models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="workplan_year_range")]

    def __str__(self) -> str:
        return self.title or f"{self.year}년 주요업무계획"

    @property
    def is_open(self) -> bool:
        return self.status == PlanStatus.OPEN


class Goal(models.Model):
    """목표: what a department's major tasks of the year aim at."""

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="goals")
    department = models.ForeignKey(Department, verbose_name="부서", on_delete=models.PROTECT, related_name="+")
    text = models.CharField("목표", max_length=200)
    order = models.PositiveSmallIntegerField("순서", default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "목표"

    def __str__(self) -> str:
        return self.text


class MajorTask(models.Model):
    """주요업무: with its responsible department and team, aims (❖), overview, plan and effects."""

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="tasks")
    goal = models.ForeignKey(Goal, verbose_name="목표", on_delete=models.CASCADE, related_name="tasks")
    number = models.PositiveSmallIntegerField("번호")
    title = models.CharField("주요업무", max_length=200)
    department = models.ForeignKey(Department, verbose_name="담당 부서", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(
        Team, verbose_name="담당 팀", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    aims = models.TextField("추진 목표(❖)", blank=True, help_text="한 줄에 하나씩 적습니다.")
    overview = models.TextField("추진 개요", blank=True)
    plan_text = models.TextField("추진 계획", blank=True)
    expected_effects = models.TextField("기대 효과", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = "주요업무"
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="major_task_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def aim_lines(self) -> list[str]:
        return [line.strip().lstrip("❖").strip() for line in self.aims.splitlines() if line.strip()]

    def effect_lines(self) -> list[str]:
        return [line.strip().lstrip("❍").strip() for line in self.expected_effects.splitlines() if line.strip()]


class Project(models.Model):
    """사업: a unit of work with a monthly schedule, progress and budget lines."""

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="projects")
    task = models.ForeignKey(MajorTask, verbose_name="주요업무", on_delete=models.CASCADE, related_name="projects")
    number = models.PositiveSmallIntegerField("연번")
    title = models.CharField("사업명", max_length=200)
    department = models.ForeignKey(Department, verbose_name="담당 부서", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(
        Team, verbose_name="담당 팀", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField("내용", blank=True)
    schedule_note = models.CharField("일정 비고", max_length=200, blank=True)
    progress = models.PositiveSmallIntegerField("추진률(%)", default=0)
    progress_note = models.TextField("추진 상황", blank=True)
    progress_updated_at = models.DateTimeField("추진 상황 갱신", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["task__number", "number"]
        verbose_name = "사업"
        constraints = [
            models.UniqueConstraint(fields=["task", "number"], name="project_number_unique"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="project_progress_range"),
        ]

    def __str__(self) -> str:
        return self.title

    def planned_months(self) -> list[int]:
        notes = getattr(self, "month_notes", None)  # set by the selectors for the long pages
        if notes is not None:
            return sorted(notes)
        return sorted(m.month for m in self.months.all())


class ScheduleMonth(models.Model):
    """One month of a project's monthly schedule that carries planned work."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="months")
    month = models.PositiveSmallIntegerField("월")
    note = models.CharField("내용", max_length=100, blank=True)

    class Meta:
        ordering = ["month"]
        verbose_name = "월별 추진계획"
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="schedule_month_unique"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="schedule_month_range"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.month}월"


class BudgetStatement(models.Model):
    """The year's 사업비 조서 as entered: where it came from and its header row ("N건") as written."""

    plan = models.OneToOneField(WorkPlan, on_delete=models.CASCADE, related_name="budget_statement")
    header_entered = models.JSONField("총계 행(입력값)", null=True, blank=True)
    header_row = models.PositiveIntegerField("총계 행 번호", null=True, blank=True)
    source_name = models.CharField("가져온 파일", max_length=200, blank=True)
    imported_at = models.DateTimeField("가져온 일시", null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "사업비 조서"

    def __str__(self) -> str:
        return f"{self.plan.year}년 사업비 조서"


MONEY_FIELDS = ("total_cost", "this_year", "national", "provincial", "city", "other", "later")
SOURCE_FIELDS = ("national", "provincial", "city", "other")


class BudgetLine(models.Model):
    """One row of the budget statement.  Amounts are whole won; None is "-" (nothing entered).

    ``this_year`` (계) is kept as entered, never recomputed: the statement checks it.
    """

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="budget_lines")
    project = models.ForeignKey(
        Project, verbose_name="사업", null=True, blank=True, on_delete=models.SET_NULL, related_name="budget_lines"
    )
    name = models.CharField("사업명", max_length=300)
    total_cost = models.BigIntegerField("총사업비", null=True, blank=True)
    this_year = models.BigIntegerField("계", null=True, blank=True)
    national = models.BigIntegerField("국비", null=True, blank=True)
    provincial = models.BigIntegerField("도비", null=True, blank=True)
    city = models.BigIntegerField("시비", null=True, blank=True)
    other = models.BigIntegerField("기타", null=True, blank=True)
    later = models.BigIntegerField("이후", null=True, blank=True)
    executed = models.BigIntegerField("집행액", default=0)
    execution_note = models.CharField("집행 비고", max_length=200, blank=True)
    source_row = models.PositiveIntegerField("원본 행", null=True, blank=True)
    order = models.PositiveSmallIntegerField("순서", default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "사업비"
        constraints = [
            models.CheckConstraint(
                condition=(
                    (Q(total_cost__gte=0) | Q(total_cost__isnull=True))
                    & (Q(this_year__gte=0) | Q(this_year__isnull=True))
                    & (Q(national__gte=0) | Q(national__isnull=True))
                    & (Q(provincial__gte=0) | Q(provincial__isnull=True))
                    & (Q(city__gte=0) | Q(city__isnull=True))
                    & (Q(other__gte=0) | Q(other__isnull=True))
                    & (Q(later__gte=0) | Q(later__isnull=True))
                    & Q(executed__gte=0)
                ),
                name="budget_line_amounts_not_negative",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def amounts(self) -> dict[str, int | None]:
        return {name: getattr(self, name) for name in MONEY_FIELDS}
