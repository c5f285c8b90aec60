"""Who may do what in the integrity module.

- Cases: only *designated handlers* — audit-team users (감사팀) whose key an existing handler
  (or the office recovery key) has been given the cases through.  They see the case list
  without unlocking; reading content needs their unlocked key.  Nobody else sees a case,
  not the planning office, not a system admin.
- Handlers: designated handlers manage the handler list; a system admin may see it and
  revoke a handler (staff leaving) but never reads a case.
- Integrity index and measures: the audit team and admins edit; the planning office and
  executives read.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from hwallyu.core.policies import Policy
from hwallyu.integrity.models import Case, HandlerKey
from hwallyu.org import selectors as org
from hwallyu.org.models import Role

VIEW = "view"
HANDLE = "handle"
MANAGE_HANDLERS = "manage_handlers"
VIEW_HANDLERS = "view_handlers"
REVOKE = "revoke"
EDIT = "edit"

READERS = (Role.AUDIT, Role.ADMIN, Role.PLANNING, Role.EXECUTIVE)
EDITORS = (Role.AUDIT, Role.ADMIN)


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", False))


def handler_key_of(user: Any) -> HandlerKey | None:
    if not _active(user):
        return None
    if not hasattr(user, "_hwallyu_integrity_key"):
        user._hwallyu_integrity_key = HandlerKey.objects.filter(user=user).first()
    key: HandlerKey | None = user._hwallyu_integrity_key
    return key


def is_audit(user: Any) -> bool:
    return _active(user) and org.role_of(user) == Role.AUDIT and not getattr(user, "is_superuser", False)


def is_designated(user: Any) -> bool:
    """An audit-team user holding a designated handler key."""
    if not is_audit(user):
        return False
    key = handler_key_of(user)
    return key is not None and key.designated


class CasePolicy(Policy[Case]):
    model = Case

    def scope(self, user: Any, queryset: QuerySet[Case] | None = None) -> QuerySet[Case]:
        qs = queryset if queryset is not None else Case.objects.all()
        return qs if is_designated(user) else qs.none()

    def can(self, user: Any, action: str, obj: Case | None = None) -> bool:
        if action in (VIEW, HANDLE, MANAGE_HANDLERS):
            return is_designated(user)
        if action == VIEW_HANDLERS:
            return is_audit(user) or org.has_role(user, Role.ADMIN)
        if action == REVOKE:
            return is_designated(user) or org.has_role(user, Role.ADMIN)
        return False


class ProgramPolicy:
    """The integrity index and the measures plan (no per-object scope: one city)."""

    def can(self, user: Any, action: str) -> bool:
        if not _active(user):
            return False
        if action == VIEW:
            return org.has_role(user, *READERS)
        if action == EDIT:
            return org.has_role(user, *EDITORS)
        return False

    def check(self, user: Any, action: str) -> None:
        from django.core.exceptions import PermissionDenied

        if not self.can(user, action):
            raise PermissionDenied("이 작업을 할 권한이 없습니다.")


case_policy = CasePolicy()
program_policy = ProgramPolicy()
