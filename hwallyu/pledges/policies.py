"""Who may see and change pledges.

- Every signed-in user reads pledges and their completion rates; executives only read.
- The planning office and system admins register and edit pledges, categories and the yearly
  scheme of states, and switch the public page on or off.
- The owning department's staff and manager add progress notes (with evidence) and yearly
  targets for their own pledges.
- Citizens read the public page (no login) only while the office has it switched on.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet

from hwallyu.core.policies import Policy
from hwallyu.org import selectors as org
from hwallyu.org.models import Role
from hwallyu.pledges.models import Pledge

VIEW = "view"
MANAGE = "manage"
ADD_NOTE = "add_note"
EDIT_TARGET = "edit_target"
PUBLIC_SWITCH = "public_switch"


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", False))


class PledgePolicy(Policy[Pledge]):
    model = Pledge

    def scope(self, user: Any, queryset: QuerySet[Pledge] | None = None) -> QuerySet[Pledge]:
        qs = queryset if queryset is not None else Pledge.objects.all()
        return qs if _signed_in(user) else qs.none()

    def check(self, user: Any, action: str, obj: Model | None = None) -> None:  # type: ignore[override]
        if not self.can(user, action, obj):
            raise PermissionDenied("이 작업을 할 권한이 없습니다.")

    def can(self, user: Any, action: str, obj: Model | None = None) -> bool:  # type: ignore[override]
        if not _signed_in(user):
            return False
        if action == VIEW:
            return True
        office = org.is_office(user)
        if action in (MANAGE, PUBLIC_SWITCH):
            return office
        if action in (ADD_NOTE, EDIT_TARGET):
            if office:
                return True
            if not isinstance(obj, Pledge) or not org.has_role(user, Role.MANAGER, Role.STAFF):
                return False
            department = org.department_of(user)
            return department is not None and department.pk == obj.department_id
        return False


pledges = PledgePolicy()
