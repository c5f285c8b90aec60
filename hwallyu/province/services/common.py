"""Shared pieces of the province services: clocks, numbers, people to notify, URLs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hwallyu.api.base import ServiceError
from hwallyu.notifications.services import notify
from hwallyu.org.models import Department, Role
from hwallyu.org.selectors import users_with_role
from hwallyu.province.models import Indicator

MAX_EVIDENCE_FILES = 10
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
MAX_VALUE = Decimal("1e14")


def moment_or_now(at: dt.datetime | None) -> dt.datetime:
    if at is None:
        return timezone.now()
    if timezone.is_naive(at):
        raise ServiceError("시각에는 시간대(예: +09:00)가 있어야 합니다.")
    return at


def to_decimal(value: Any, label: str, *, places: int = 4) -> Decimal:
    """A finite decimal rounded to ``places`` places, or a ServiceError naming ``label``."""
    if isinstance(value, bool):
        raise ServiceError(f"{label}: 숫자가 아닙니다.")
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ServiceError(f"{label}: 숫자가 아닙니다.")
    if not number.is_finite():
        raise ServiceError(f"{label}: 숫자가 아닙니다.")
    if abs(number) >= MAX_VALUE:
        raise ServiceError(f"{label}: 숫자가 너무 큽니다.")
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def department_people(departments: Iterable[Department]) -> list[Any]:
    users: list[Any] = []
    for department in departments:
        users.extend(users_with_role(Role.MANAGER, Role.STAFF, department=department))
    return users


def notify_on_commit(
    *, recipients: Sequence[Any], title: str, body: str, url: str, kind: str, dedupe_key: str | None = None
) -> None:
    if not recipients:
        return
    people = list(recipients)
    transaction.on_commit(
        lambda: notify(recipients=people, title=title, body=body, url=url, kind=kind, dedupe_key=dedupe_key)
    )


def indicator_url(indicator: Indicator) -> str:
    return reverse("province:indicator", args=[indicator.evaluation_year.year, indicator.code])


def owners_label(indicator: Indicator) -> str:
    return ", ".join(d.name for d in indicator.departments.all()) or "-"


def plain(value: Decimal | None) -> str:
    """A decimal without trailing zeros (for messages)."""
    if value is None:
        return "-"
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return text or "0"
