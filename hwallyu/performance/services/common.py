"""Shared pieces of the performance services: number parsing, links to pages, notices."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.urls import reverse

from hwallyu.api.base import ServiceError
from hwallyu.notifications.services import notify
from hwallyu.performance import scoring

MAX_EVIDENCE_FILES = 10
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
SCHEME_FIELDS = [
    "indicator_label",
    "customer_label",
    "common_label",
    "weight_indicator",
    "weight_customer",
    "weight_common",
    "achievement_cap",
    "bonus_max",
    "penalty_max",
    "grades",
    "levels",
    "note",
]
INDICATOR_FIELDS = [
    "name",
    "kind",
    "direction",
    "unit",
    "baseline",
    "target",
    "weight",
    "data_source",
    "link_kind",
    "link_ref",
    "link_label",
    "order",
]


def parse_decimal(value: Any, label: str) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ServiceError(f"{label}: 숫자가 아닙니다.")
    if not number.is_finite():
        raise ServiceError(f"{label}: 숫자가 아닙니다.")
    return number


def two_places(number: Decimal, label: str) -> Decimal:
    """The number with exactly two decimals; more decimals are refused, not rounded away."""
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise ServiceError(f"{label}: 소수 둘째 자리까지 입력할 수 있습니다.")
    return scoring.q2(number)


def page_url(name: str, **kwargs: Any) -> str:
    return reverse(f"performance:{name}", kwargs=kwargs)


def notify_on_commit(recipients: Iterable[Any], title: str, body: str, url: str, dedupe_key: str | None = None) -> None:
    people = [u for u in recipients if u is not None]
    if people:
        transaction.on_commit(
            lambda: notify(
                recipients=people, title=title, body=body, url=url, kind="performance", dedupe_key=dedupe_key
            )
        )
