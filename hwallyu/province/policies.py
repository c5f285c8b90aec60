"""Who sees and does what in the province evaluation.

* planning office (performance team) and admin: everything — years and schemes, imports,
  indicators, accepting or returning actuals, peer results;
* executive and audit team: read everything (status, lagging list, review pack, peers, what-if);
* department manager and staff: the indicators their department owns (404 for the others);
  they enter actuals and do the qualitative work of those indicators.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from hwallyu.core.policies import Policy
from hwallyu.org.models import Role
from hwallyu.org.selectors import department_of, role_of
from hwallyu.province.models import Indicator

OFFICE_ROLES = frozenset({Role.ADMIN, Role.PLANNING})
READ_ALL_ROLES = frozenset({Role.ADMIN, Role.PLANNING, Role.EXECUTIVE, Role.AUDIT})
DEPARTMENT_ROLES = frozenset({Role.MANAGER, Role.STAFF})

# Actions with no object that only the office takes.
OFFICE_ACTIONS = frozenset({"manage", "import", "review", "peers_manage"})
# Actions with no object that the read-all roles take.
READER_ACTIONS = frozenset({"read_all", "pack", "peers"})
# Work on one indicator that its owning departments do.
OWNER_ACTIONS = frozenset({"enter", "qualitative"})


class IndicatorPolicy(Policy[Indicator]):
    model = Indicator

    def scope(self, user: Any, queryset: QuerySet[Indicator] | None = None) -> QuerySet[Indicator]:
        qs = queryset if queryset is not None else Indicator.objects.all()
        role = role_of(user)
        if role in READ_ALL_ROLES:
            return qs
        if role in DEPARTMENT_ROLES:
            department = department_of(user)
            if department is None:
                return qs.none()
            return qs.filter(departments=department)
        return qs.none()

    def owns(self, user: Any, indicator: Indicator) -> bool:
        """Whether the user's department is one of the indicator's owning departments."""
        department = department_of(user)
        if department is None:
            return False
        cached = getattr(indicator, "_prefetched_objects_cache", {}).get("departments")
        if cached is not None:
            return any(d.pk == department.pk for d in cached)
        return indicator.departments.filter(pk=department.pk).exists()

    def can(self, user: Any, action: str, obj: Indicator | None = None) -> bool:
        role = role_of(user)
        if role is None:
            return False
        if role in OFFICE_ROLES:
            return True
        if action == "view":
            return role in READ_ALL_ROLES or (role in DEPARTMENT_ROLES and (obj is None or self.owns(user, obj)))
        if action in READER_ACTIONS:
            return role in READ_ALL_ROLES
        if action == "entry":
            return role in DEPARTMENT_ROLES
        if action in OWNER_ACTIONS:
            return role in DEPARTMENT_ROLES and obj is not None and self.owns(user, obj)
        return False


indicator_policy = IndicatorPolicy()


def is_office(user: Any) -> bool:
    return role_of(user) in OFFICE_ROLES


def reads_all(user: Any) -> bool:
    return role_of(user) in READ_ALL_ROLES


def is_department_user(user: Any) -> bool:
    return role_of(user) in DEPARTMENT_ROLES
