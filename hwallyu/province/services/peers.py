"""Published results of the 15 cities and counties (시군평가 결과)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from hwallyu.core.audit import log_action
from hwallyu.org.selectors import city
from hwallyu.province.importers import PeerRow, normalise_place
from hwallyu.province.models import PeerResult
from hwallyu.province.policies import indicator_policy
from hwallyu.province.services.common import moment_or_now


@dataclass(frozen=True)
class PeerImportSummary:
    created: int
    updated: int
    years: list[int]
    self_found: bool


def peers_import(*, rows: Sequence[PeerRow], actor: Any, at: dt.datetime | None = None) -> PeerImportSummary:
    """Add or replace results by (year, place); the city's own row is recognised by its name."""
    indicator_policy.check(actor, "peers_manage")
    now = moment_or_now(at)
    own = normalise_place(city().name)
    created = updated = 0
    with transaction.atomic():
        existing = {(p.year, normalise_place(p.place)): p for p in PeerResult.objects.select_for_update(of=("self",))}
        for row in rows:
            key = (row.year, normalise_place(row.place))
            values = {
                "place": row.place,
                "group": row.group,
                "score": row.score,
                "rank": row.rank,
                "is_self": key[1] == own,
                "imported_at": now,
            }
            current = existing.get(key)
            if current is None:
                existing[key] = PeerResult.objects.create(year=row.year, **values)
                created += 1
            else:
                for name, value in values.items():
                    setattr(current, name, value)
                current.save(update_fields=list(values))
                updated += 1
        years = sorted({row.year for row in rows})
        self_found = any(normalise_place(row.place) == own for row in rows)
        log_action(
            actor=actor,
            action="province.peers_import",
            target_type="province.peerresult",
            target_repr=f"시군평가 결과 {', '.join(map(str, years))}",
            after={"created": created, "updated": updated, "years": years},
        )
    return PeerImportSummary(created, updated, years, self_found)
