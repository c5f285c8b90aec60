"""The yearly scheme (deadline classes, sources, givers), edited by the planning office."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction

from hwallyu.api.base import ServiceError
from hwallyu.core.audit import diff, log_action, snapshot
from hwallyu.directives.models import (
    DEFAULT_DEADLINE_CLASSES,
    DEFAULT_GIVERS,
    DEFAULT_SOURCES,
    DirectiveScheme,
)
from hwallyu.directives.policies import directive_policy

# --- the yearly scheme -------------------------------------------------------------------------


def scheme_for_year(year: int) -> DirectiveScheme:
    """The year's scheme; created with the default classes, sources and givers on first use."""
    scheme = DirectiveScheme.objects.filter(year=year).first()
    if scheme is None:
        scheme, _ = DirectiveScheme.objects.get_or_create(
            year=year,
            defaults={
                "deadline_classes": [dict(c) for c in DEFAULT_DEADLINE_CLASSES],
                "sources": list(DEFAULT_SOURCES),
                "givers": list(DEFAULT_GIVERS),
            },
        )
    return scheme


def _clean_names(values: Iterable[str], label: str) -> list[str]:
    names = [v.strip() for v in values if v and v.strip()]
    if not names:
        raise ServiceError(f"{label}을(를) 하나 이상 입력하세요.")
    if len(set(names)) != len(names):
        raise ServiceError(f"{label}에 같은 이름이 두 번 있습니다.")
    if any(len(n) > 50 for n in names):
        raise ServiceError(f"{label} 이름은 50자 이내여야 합니다.")
    return names


def scheme_update(
    *,
    year: int,
    deadline_classes: Sequence[dict[str, Any]],
    sources: Sequence[str],
    givers: Sequence[str],
    actor: Any,
) -> DirectiveScheme:
    directive_policy.check(actor, "scheme_edit")
    classes: list[dict[str, Any]] = []
    for item in deadline_classes:
        name = str(item.get("name", "")).strip()
        try:
            days = int(item.get("days", 0))
        except (TypeError, ValueError):
            raise ServiceError(f"기한 구분 '{name}'의 일수가 숫자가 아닙니다.")
        if not name or len(name) > 50:
            raise ServiceError("기한 구분 이름은 1~50자여야 합니다.")
        if not 1 <= days <= 60:
            raise ServiceError(f"기한 구분 '{name}'의 일수는 1~60일이어야 합니다.")
        classes.append({"name": name, "days": days})
    if not classes:
        raise ServiceError("기한 구분을 하나 이상 입력하세요.")
    if len({c["name"] for c in classes}) != len(classes):
        raise ServiceError("기한 구분에 같은 이름이 두 번 있습니다.")
    with transaction.atomic():
        scheme = scheme_for_year(year)
        scheme = DirectiveScheme.objects.select_for_update(of=("self",)).get(pk=scheme.pk)
        before = snapshot(scheme, ["deadline_classes", "sources", "givers"])
        scheme.deadline_classes = classes
        scheme.sources = _clean_names(sources, "지시 출처")
        scheme.givers = _clean_names(givers, "지시자")
        scheme.save(update_fields=["deadline_classes", "sources", "givers", "updated_at"])
        b, a = diff(before, snapshot(scheme, ["deadline_classes", "sources", "givers"]))
        log_action(actor=actor, action="directive_scheme.update", target=scheme, before=b, after=a)
    return scheme
