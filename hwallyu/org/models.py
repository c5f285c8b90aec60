"""The organisation: city, bureaus (국), departments (부서), teams (팀) and people."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class City(models.Model):
    name = models.CharField("시·군 이름", max_length=50)
    province = models.CharField("광역자치단체", max_length=50)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "지방자치단체"

    def __str__(self) -> str:
        return self.name

    @classmethod
    def load(cls) -> City:
        city = cls.objects.order_by("pk").first()
        if city is None:
            city = cls.objects.create(name=settings.HWALLYU_CITY_DEFAULT, province="충청남도")
        return city


class Bureau(models.Model):
    code = models.CharField("국 코드", max_length=20, unique=True)
    name = models.CharField("국 이름", max_length=50, unique=True)
    order = models.PositiveIntegerField("순서", default=0)
    active = models.BooleanField("사용", default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "국"

    def __str__(self) -> str:
        return self.name


class EvaluationGroup(models.Model):
    """The peer group a department is evaluated in (평가군)."""

    code = models.CharField("평가군 코드", max_length=20, unique=True)
    name = models.CharField("평가군", max_length=50, unique=True)
    order = models.PositiveIntegerField("순서", default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "평가군"

    def __str__(self) -> str:
        return self.name


class DepartmentKind(models.TextChoices):
    MAIN = "main", "본청"
    AFFILIATED = "affiliated", "직속기관"
    BUSINESS = "business", "사업소"
    LOCAL = "local", "읍면동"


class Department(models.Model):
    code = models.CharField("부서 코드", max_length=20, unique=True)
    name = models.CharField("부서 이름", max_length=50, unique=True)
    kind = models.CharField("구분", max_length=20, choices=DepartmentKind.choices)
    evaluation_group = models.ForeignKey(
        EvaluationGroup,
        verbose_name="평가군",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="departments",
    )
    bureau = models.ForeignKey(
        Bureau, verbose_name="국", null=True, blank=True, on_delete=models.PROTECT, related_name="departments"
    )
    active = models.BooleanField("사용", default=True)
    order = models.PositiveIntegerField("순서", default=0)
    is_planning_office = models.BooleanField("기획감사실 여부", default=False)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "부서"
        constraints = [
            models.UniqueConstraint(
                fields=["is_planning_office"],
                condition=models.Q(is_planning_office=True),
                name="one_planning_office",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    department = models.ForeignKey(Department, verbose_name="부서", on_delete=models.PROTECT, related_name="teams")
    name = models.CharField("팀 이름", max_length=50)
    active = models.BooleanField("사용", default=True)
    order = models.PositiveIntegerField("순서", default=0)

    class Meta:
        ordering = ["department__order", "order", "name"]
        verbose_name = "팀"
        constraints = [models.UniqueConstraint(fields=["department", "name"], name="team_name_unique_in_department")]

    def __str__(self) -> str:
        return f"{self.department.name} {self.name}"


class Role(models.TextChoices):
    ADMIN = "admin", "시스템 관리자"
    PLANNING = "planning", "기획감사실"
    AUDIT = "audit", "감사팀"
    MANAGER = "manager", "부서장"
    STAFF = "staff", "담당자"
    EXECUTIVE = "executive", "간부(열람)"


class Person(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person")
    department = models.ForeignKey(Department, verbose_name="부서", on_delete=models.PROTECT, related_name="people")
    team = models.ForeignKey(
        Team, verbose_name="팀", null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    position = models.CharField("직위·직급", max_length=50, blank=True)
    role = models.CharField("역할", max_length=20, choices=Role.choices, default=Role.STAFF)
    phone = models.CharField("전화", max_length=30, blank=True)

    class Meta:
        ordering = ["department__order", "user__username"]
        verbose_name = "직원"

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()
