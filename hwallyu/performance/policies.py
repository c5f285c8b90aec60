"""Who sees and does what in the department evaluation.

* performance team (planning office role) and system admin: everything — the scheme, approving
  indicator sets, accepting actuals, the other items, running and freezing the evaluation;
* executive and audit team: read everything (results, reports, every department), change nothing;
* department manager and staff: their own department's indicators and actuals (another
  department answers 404); staff and manager enter, only the manager asks for approval of the
  indicator set; they see their own department's result once it is frozen.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from hwallyu.core.policies import Policy
from hwallyu.org.models import Role
from hwallyu.org.selectors import department_of, role_of
from hwallyu.performance.models import Actual, Evidence, Indicator, IndicatorSet

OFFICE_ROLES = frozenset({Role.ADMIN, Role.PLANNING})
READ_ALL_ROLES = frozenset({Role.ADMIN, Role.PLANNING, Role.EXECUTIVE, Role.AUDIT})
DEPARTMENT_ROLES = frozenset({Role.MANAGER, Role.STAFF})

MANAGE = "manage"  # scheme, approvals, other items, evaluation, freeze, what-if
VIEW_RESULTS = "view_results"  # every department's results, reports, chart
VIEW = "view"  # one department's indicator set
EDIT = "edit"  # indicators and actuals of a department
SUBMIT = "submit"  # ask for approval of a department's indicator set


class PerformancePolicy(Policy[IndicatorSet]):
    model = IndicatorSet

    def _own_department_id(self, user: Any) -> int | None:
        if role_of(user) not in DEPARTMENT_ROLES:
            return None
        department = department_of(user)
        return department.pk if department else None

    def scope(self, user: Any, queryset: QuerySet[IndicatorSet] | None = None) -> QuerySet[IndicatorSet]:
        qs = queryset if queryset is not None else IndicatorSet.objects.all()
        if role_of(user) in READ_ALL_ROLES:
            return qs
        own = self._own_department_id(user)
        return qs.filter(department_id=own) if own is not None else qs.none()

    def indicators(self, user: Any) -> QuerySet[Indicator]:
        return Indicator.objects.filter(indicator_set__in=self.scope(user))

    def actuals(self, user: Any) -> QuerySet[Actual]:
        return Actual.objects.filter(indicator__indicator_set__in=self.scope(user))

    def evidence(self, user: Any) -> QuerySet[Evidence]:
        return Evidence.objects.filter(actual__indicator__indicator_set__in=self.scope(user))

    def owns(self, user: Any, department_id: int) -> bool:
        return self._own_department_id(user) == department_id

    def can(self, user: Any, action: str, obj: IndicatorSet | None = None) -> bool:
        role = role_of(user)
        if role is None:
            return False
        if role in OFFICE_ROLES:
            return True
        if action == VIEW_RESULTS:
            return role in READ_ALL_ROLES
        if action == VIEW:
            return role in READ_ALL_ROLES or (obj is not None and self.owns(user, obj.department_id))
        if action == EDIT:
            return obj is not None and self.owns(user, obj.department_id)
        if action == SUBMIT:
            return role == Role.MANAGER and obj is not None and self.owns(user, obj.department_id)
        return False


performance_policy = PerformancePolicy()


def is_office(user: Any) -> bool:
    return role_of(user) in OFFICE_ROLES


def reads_all(user: Any) -> bool:
    return role_of(user) in READ_ALL_ROLES
