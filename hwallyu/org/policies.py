"""Who may see and change the organisation.

- The planning office (기획감사실) and system admins manage everything: the city, bureaus,
  evaluation groups, departments, teams and people, and run the org-chart import.
- Every signed-in user may see the departments (and their teams).
- A department manager (부서장) may see the people of their own department; office-wide roles
  see everyone; everyone else sees only themselves.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet

from hwallyu.core.policies import Policy
from hwallyu.org import selectors
from hwallyu.org.models import Department, Person, Role, Team

VIEW = "view"
MANAGE = "manage"
VIEW_PEOPLE = "view_people"
ASSIGN_ADMIN = "assign_admin"


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", False))


class OrgPolicy(Policy[Department]):
    model = Department

    def scope(self, user: Any, queryset: QuerySet[Department] | None = None) -> QuerySet[Department]:
        qs = queryset if queryset is not None else selectors.departments()
        return qs if _signed_in(user) else qs.none()

    def team_scope(self, user: Any, queryset: QuerySet[Team] | None = None) -> QuerySet[Team]:
        qs = queryset if queryset is not None else selectors.teams()
        return qs if _signed_in(user) else qs.none()

    def people_scope(self, user: Any, queryset: QuerySet[Person] | None = None) -> QuerySet[Person]:
        qs = queryset if queryset is not None else selectors.people()
        if not _signed_in(user):
            return qs.none()
        if selectors.is_office(user):
            return qs
        person = selectors.person_of(user)
        if person is None:
            return qs.none()
        if person.role == Role.MANAGER:
            return qs.filter(department_id=person.department_id)
        return qs.filter(pk=person.pk)

    def can(self, user: Any, action: str, obj: Model | None = None) -> bool:  # type: ignore[override]
        if not _signed_in(user):
            return False
        if action == VIEW:
            return True
        if action == MANAGE:
            return selectors.is_office(user)
        if action == ASSIGN_ADMIN:
            return selectors.has_role(user, Role.ADMIN)
        if action == VIEW_PEOPLE:
            if selectors.is_office(user):
                return True
            if not isinstance(obj, Department):
                return False
            person = selectors.person_of(user)
            return person is not None and person.role == Role.MANAGER and person.department_id == obj.pk
        return False

    def get_person_or_404(self, user: Any, **lookup: Any) -> Person:
        return _get_or_404(self.people_scope(user), **lookup)

    def get_team_or_404(self, user: Any, **lookup: Any) -> Team:
        return _get_or_404(self.team_scope(user), **lookup)


def _get_or_404(qs: QuerySet[Any], **lookup: Any) -> Any:
    from django.http import Http404

    try:
        return qs.get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("찾을 수 없습니다.") from exc


org_policy = OrgPolicy()
