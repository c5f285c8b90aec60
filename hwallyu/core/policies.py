"""Permission policies: one object per app answers "may this user do X to this object"
and "which objects may this user see".  Views resolve objects through ``get_visible_or_404``
so an object outside the user's scope answers 404, and an action they may not take 403."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Generic, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404

M = TypeVar("M", bound=models.Model)


class Policy(ABC, Generic[M]):
    """Base policy.  Subclasses override ``scope`` and ``can``."""

    model: type[M]

    @abstractmethod
    def scope(self, user: Any, queryset: models.QuerySet[M] | None = None) -> models.QuerySet[M]:
        """The objects ``user`` may see."""

    @abstractmethod
    def can(self, user: Any, action: str, obj: M | None = None) -> bool:
        """Whether ``user`` may take ``action`` (on ``obj``, when given)."""

    def check(self, user: Any, action: str, obj: M | None = None) -> None:
        if not self.can(user, action, obj):
            raise PermissionDenied("이 작업을 할 권한이 없습니다.")

    def get_visible_or_404(self, user: Any, queryset: models.QuerySet[M] | None = None, **lookup: Any) -> M:
        qs = self.scope(user, queryset)
        try:
            return qs.get(**lookup)
        except (ObjectDoesNotExist, ValueError, TypeError) as exc:
            raise Http404("찾을 수 없습니다.") from exc


# --- the core's own policies --------------------------------------------------------
VIEW = "view"
MANAGE = "manage"


def _is_office(user: Any) -> bool:
    from hwallyu.org.selectors import is_office

    return bool(getattr(user, "is_authenticated", False)) and is_office(user)


class AuditPolicy(Policy[Any]):
    """The audit trail: the planning office and system admins read it; nobody changes it."""

    def scope(self, user: Any, queryset: models.QuerySet[Any] | None = None) -> models.QuerySet[Any]:
        from hwallyu.core.models import AuditEvent

        qs = queryset if queryset is not None else AuditEvent.objects.all()
        return qs if _is_office(user) else qs.none()

    def can(self, user: Any, action: str, obj: Any = None) -> bool:
        return action == VIEW and _is_office(user)


class CalendarPolicy(Policy[Any]):
    """The working-time calendar: every signed-in user reads it; the office manages closures and hours."""

    def scope(self, user: Any, queryset: models.QuerySet[Any] | None = None) -> models.QuerySet[Any]:
        from hwallyu.core.models import Closure

        qs = queryset if queryset is not None else Closure.objects.all()
        return qs if getattr(user, "is_authenticated", False) else qs.none()

    def can(self, user: Any, action: str, obj: Any = None) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        if action == VIEW:
            return True
        return action == MANAGE and _is_office(user)


audit_policy = AuditPolicy()
calendar_policy = CalendarPolicy()
