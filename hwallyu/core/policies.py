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
