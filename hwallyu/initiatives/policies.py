"""Who may see and change strategic initiatives.

- The planning office (기획감사실: 혁신기획팀, 엑스포 TF팀, 성과관리팀 — role ``planning``) and system
  admins manage every initiative and every part of it, and the trend log.
- The audit team (감사팀, also in 기획감사실) and executives (시장·부시장·국장) read every initiative,
  its reports and the trend log; they change nothing (403).
- Department managers and staff read only the initiatives their department works on: the owning
  team's department or one of the collaborating departments (협업 부서).  Other initiatives are not
  found (404) and their lists are empty.  They change nothing (403).
- Documents are read through their initiative; the trend log shows a department user only the
  entries that concern an initiative they can see.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from hwallyu.core.policies import Policy
from hwallyu.initiatives.models import Initiative, TrendEntry
from hwallyu.org import selectors as org
from hwallyu.org.models import Role

VIEW = "view"
MANAGE = "manage"

READ_ALL = (Role.ADMIN, Role.PLANNING, Role.AUDIT, Role.EXECUTIVE)
DEPARTMENT_ROLES = (Role.MANAGER, Role.STAFF)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", False))


def _department_filter(department: Any) -> Q:
    through = Initiative.departments.through.objects.filter(department_id=department.pk)
    return Q(pk__in=through.values("initiative_id")) | Q(team__department_id=department.pk)


class InitiativePolicy(Policy[Initiative]):
    model = Initiative

    def scope(self, user: Any, queryset: QuerySet[Initiative] | None = None) -> QuerySet[Initiative]:
        qs = queryset if queryset is not None else Initiative.objects.all()
        if not _signed_in(user):
            return qs.none()
        role = org.role_of(user)
        if role in READ_ALL:
            return qs
        department = org.department_of(user)
        if role in DEPARTMENT_ROLES and department is not None:
            return qs.filter(_department_filter(department))
        return qs.none()

    def can(self, user: Any, action: str, obj: Initiative | None = None) -> bool:
        if not _signed_in(user):
            return False
        if action == VIEW:
            if obj is None:
                return True
            return self.scope(user, Initiative.objects.filter(pk=obj.pk)).exists()
        if action == MANAGE:
            return org.is_office(user)
        return False


class TrendPolicy(Policy[TrendEntry]):
    model = TrendEntry

    def scope(self, user: Any, queryset: QuerySet[TrendEntry] | None = None) -> QuerySet[TrendEntry]:
        qs = queryset if queryset is not None else TrendEntry.objects.all()
        if not _signed_in(user):
            return qs.none()
        if org.role_of(user) in READ_ALL:
            return qs
        visible = initiatives.scope(user).values("pk")
        through = TrendEntry.initiatives.through.objects.filter(initiative_id__in=visible)
        return qs.filter(pk__in=through.values("trendentry_id"))

    def can(self, user: Any, action: str, obj: TrendEntry | None = None) -> bool:
        if not _signed_in(user):
            return False
        if action == VIEW:
            return True
        return action == MANAGE and org.is_office(user)


initiatives = InitiativePolicy()
trends = TrendPolicy()
