"""Who may see and run satisfaction surveys.

- The audit team (감사팀), the planning office and system admins run rounds: settings, imports,
  sends, incentives, closing.
- Executives read the rounds and their results.
- Department managers and staff do not see the survey module (their department's score reaches
  them through the performance evaluation).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from hwallyu.core.policies import Policy
from hwallyu.org import selectors as org
from hwallyu.org.models import Role
from hwallyu.surveys.models import Survey

VIEW = "view"
MANAGE = "manage"

MANAGERS = (Role.ADMIN, Role.PLANNING, Role.AUDIT)
READERS = (*MANAGERS, Role.EXECUTIVE)


class SurveyPolicy(Policy[Survey]):
    model = Survey

    def scope(self, user: Any, queryset: QuerySet[Survey] | None = None) -> QuerySet[Survey]:
        qs = queryset if queryset is not None else Survey.objects.all()
        return qs if org.has_role(user, *READERS) else qs.none()

    def can(self, user: Any, action: str, obj: Survey | None = None) -> bool:
        if not getattr(user, "is_active", False):
            return False
        if action == VIEW:
            return org.has_role(user, *READERS)
        if action == MANAGE:
            return org.has_role(user, *MANAGERS)
        return False


survey_policy = SurveyPolicy()
