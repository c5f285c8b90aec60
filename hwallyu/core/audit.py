"""The audit trail: one ``log_action`` for every write, hash-chained and append-only.

Each row's hash is SHA-256 over its canonical content and the previous row's hash.  The
chain head is a single row locked while a row is appended, so concurrent writers on
PostgreSQL serialise here (SQLite serialises writers anyway).  ``verify_chain`` walks the
rows in order and reports the first broken link.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from hwallyu.core.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value."""
    if value is None or isinstance(value, bool | int | str | float):
        return value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return {"id": value.pk, "repr": str(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The values of ``fields`` (default: all concrete fields) of ``obj``, JSON-safe."""
    names = list(fields) if fields is not None else [f.attname for f in obj._meta.concrete_fields]
    return {name: _plain(getattr(obj, name)) for name in names}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that changed, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    keys += [k for k in before if k not in after]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def _row_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    payload = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((prev_hash + "\n" + payload).encode("utf-8")).hexdigest()


def _content(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": event.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_repr": event.target_repr,
        "department_id": event.department_id,
        "department_name": event.department_name,
        "before": event.before,
        "after": event.after,
    }


def _actor_label(actor: Any) -> str:
    if actor is None:
        return "시스템"
    full = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    return f"{full} ({actor.get_username()})" if full else str(actor.get_username())


def log_action(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str | int = "",
    target_repr: str = "",
    department: Any = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit row.  Call inside the service's transaction."""
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or target.pk or ""
        target_repr = target_repr or str(target)
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update(of=("self",)).filter(pk=1).first()
        if head is None:
            head, _ = AuditChainHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS})
            head = AuditChainHead.objects.select_for_update(of=("self",)).get(pk=1)
        event = AuditEvent(
            at=timezone.now(),
            actor=actor_obj,
            actor_name=_actor_label(actor_obj),
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            target_repr=str(target_repr)[:255],
            department_id=getattr(department, "pk", department) if department is not None else None,
            department_name=str(department)[:100] if department is not None and not isinstance(department, int) else "",
            before=_plain(dict(before or {})),
            after=_plain(dict(after or {})),
            prev_hash=head.last_hash,
        )
        event.hash = _row_hash(head.last_hash, _content(event))
        event.save()
        AuditChainHead.objects.filter(pk=1).update(last_hash=event.hash, count=models.F("count") + 1)
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify_chain(*, batch: int = 2000) -> ChainReport:
    """Walk the trail in order; report the first row whose link or hash is wrong."""
    prev = GENESIS
    checked = 0
    last_id = 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            break
        for event in rows:
            if event.prev_hash != prev:
                return ChainReport(checked, event.id, "이전 기록의 해시와 연결되지 않습니다.")
            expected = _row_hash(prev, _content(event))
            if expected != event.hash:
                return ChainReport(checked, event.id, "기록 내용이 해시와 일치하지 않습니다(변조 의심).")
            prev = event.hash
            checked += 1
            last_id = event.id
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and checked and head.last_hash != prev:
        return ChainReport(checked, last_id, "마지막 기록 뒤의 기록이 삭제되었습니다.")
    return ChainReport(checked)
