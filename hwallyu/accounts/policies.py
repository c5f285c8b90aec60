"""Who may see and change the security policy and API tokens."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from hwallyu.accounts.models import ApiToken, SecurityPolicy
from hwallyu.core.policies import Policy
from hwallyu.org.models import Role
from hwallyu.org.selectors import has_role


class SecurityPolicyPolicy(Policy[SecurityPolicy]):
    """Only system admins see and edit the site's sign-in rules."""

    model = SecurityPolicy

    def scope(self, user: Any, queryset: QuerySet[SecurityPolicy] | None = None) -> QuerySet[SecurityPolicy]:
        qs = queryset if queryset is not None else SecurityPolicy.objects.all()
        return qs if has_role(user, Role.ADMIN) else qs.none()

    def can(self, user: Any, action: str, obj: SecurityPolicy | None = None) -> bool:
        return action in {"view", "update"} and has_role(user, Role.ADMIN)


class ApiTokenPolicy(Policy[ApiToken]):
    """A personal token belongs to its user alone: others do not see it (404)."""

    model = ApiToken

    def scope(self, user: Any, queryset: QuerySet[ApiToken] | None = None) -> QuerySet[ApiToken]:
        qs = queryset if queryset is not None else ApiToken.objects.all()
        if not getattr(user, "is_authenticated", False):
            return qs.none()
        return qs.filter(user=user)

    def can(self, user: Any, action: str, obj: ApiToken | None = None) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        if action == "create":
            return True
        return action == "revoke" and obj is not None and obj.user_id == user.pk


security_policies = SecurityPolicyPolicy()
api_tokens = ApiTokenPolicy()
