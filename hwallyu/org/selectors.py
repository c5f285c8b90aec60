"""Reads of the organisation that other apps use (they never query org tables directly)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from hwallyu.org.models import Bureau, City, Department, DepartmentKind, EvaluationGroup, Person, Role, Team


def person_of(user: Any) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_hwallyu_person"):
        user._hwallyu_person = Person.objects.select_related("department", "team").filter(user=user).first()
    person: Person | None = user._hwallyu_person
    return person


def role_of(user: Any) -> str | None:
    """The user's role code (see :class:`Role`); superusers are system admins."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return Role.ADMIN
    person = person_of(user)
    return person.role if person else None


def department_of(user: Any) -> Department | None:
    person = person_of(user)
    return person.department if person else None


def has_role(user: Any, *roles: str) -> bool:
    return role_of(user) in roles


def is_office(user: Any) -> bool:
    """Planning office or system admin: the office-wide roles."""
    return has_role(user, Role.ADMIN, Role.PLANNING)


def city() -> City:
    return City.load()


def departments(*, active_only: bool = False) -> QuerySet[Department]:
    qs = Department.objects.select_related("bureau", "evaluation_group")
    return qs.filter(active=True) if active_only else qs


def department_by_code(code: str) -> Department | None:
    return Department.objects.filter(code=code).first()


def departments_by_codes(codes: list[str]) -> tuple[list[Department], list[str]]:
    """The departments with these codes, and the codes that were not found."""
    found = {d.code: d for d in Department.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found], [c for c in codes if c not in found]


def bureaus() -> QuerySet[Bureau]:
    return Bureau.objects.annotate(department_count=Count("departments", filter=Q(departments__active=True)))


def evaluation_groups() -> QuerySet[EvaluationGroup]:
    return EvaluationGroup.objects.all()


def teams(department: Department | None = None) -> QuerySet[Team]:
    qs = Team.objects.select_related("department")
    return qs.filter(department=department) if department else qs


def people(department: Department | None = None) -> QuerySet[Person]:
    qs = Person.objects.select_related("user", "department", "team")
    return qs.filter(department=department) if department else qs


def users_with_role(*roles: str, department: Department | None = None) -> list[Any]:
    qs = Person.objects.select_related("user").filter(role__in=roles, user__is_active=True)
    if department is not None:
        qs = qs.filter(department=department)
    return [p.user for p in qs]


def department_managers(department: Department) -> list[Any]:
    return users_with_role(Role.MANAGER, department=department)


def planning_office_users() -> list[Any]:
    return users_with_role(Role.PLANNING)


# --- Pages of the organisation module -------------------------------------------


def department_list(
    *,
    kind: str = "",
    bureau: Bureau | None = None,
    group: EvaluationGroup | None = None,
    active: bool | None = None,
) -> QuerySet[Department]:
    """Departments with their active team and active people counts, filtered."""
    qs = departments().annotate(
        team_count=Count("teams", filter=Q(teams__active=True), distinct=True),
        people_count=Count("people", filter=Q(people__user__is_active=True), distinct=True),
    )
    if kind:
        qs = qs.filter(kind=kind)
    if bureau is not None:
        qs = qs.filter(bureau=bureau)
    if group is not None:
        qs = qs.filter(evaluation_group=group)
    if active is not None:
        qs = qs.filter(active=active)
    return qs


def department_counts_by_kind(qs: QuerySet[Department] | None = None) -> list[tuple[str, str, int]]:
    """(kind, label, count) for every kind, in the office's order (본청, 직속기관, 사업소, 읍면동)."""
    # A fresh queryset: ``qs`` may carry joins (team and people counts) that would multiply rows.
    base = Department.objects.filter(pk__in=qs.values("pk")) if qs is not None else Department.objects.all()
    counts = dict(base.order_by().values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    return [(value, str(label), counts.get(value, 0)) for value, label in DepartmentKind.choices]


def department_summary(*, active_only: bool = True) -> str:
    """Counts per kind in one line, e.g. 본청 36 · 직속기관 7 · 사업소 1 · 읍면동 15."""
    qs = Department.objects.filter(active=True) if active_only else Department.objects.all()
    return " · ".join(f"{label} {n}" for _, label, n in department_counts_by_kind(qs))


def active_people_count() -> int:
    return Person.objects.filter(user__is_active=True).count()


def people_list(
    qs: QuerySet[Person],
    *,
    department: Department | None = None,
    role: str = "",
    active: bool | None = None,
    query: str = "",
) -> QuerySet[Person]:
    if department is not None:
        qs = qs.filter(department=department)
    if role:
        qs = qs.filter(role=role)
    if active is not None:
        qs = qs.filter(user__is_active=active)
    if query:
        qs = qs.filter(
            Q(user__username__icontains=query)
            | Q(user__first_name__icontains=query)
            | Q(user__email__icontains=query)
            | Q(position__icontains=query)
        )
    return qs


def department_teams(department: Department) -> QuerySet[Team]:
    return (
        Team.objects.filter(department=department)
        .annotate(people_count=Count("people", filter=Q(people__user__is_active=True)))
        .order_by("-active", "order", "name")
    )


def active_teams() -> QuerySet[Team]:
    return Team.objects.select_related("department").filter(active=True, department__active=True)


def evaluation_group_list() -> QuerySet[EvaluationGroup]:
    return EvaluationGroup.objects.annotate(department_count=Count("departments", filter=Q(departments__active=True)))
