"""Writes of the province evaluation: ``<thing>_<verb>(*, ..., actor)``, atomic, audited."""

from hwallyu.province.services.actuals import (
    actual_accept,
    actual_delete,
    actual_return,
    actual_submit,
    check_can_enter,
)
from hwallyu.province.services.indicators import (
    ImportSummary,
    IndicatorInput,
    indicator_create,
    indicator_delete,
    indicator_update,
    indicators_import,
)
from hwallyu.province.services.peers import PeerImportSummary, peers_import
from hwallyu.province.services.qualitative import checklist_set, consulting_add, qualitative_submit, writeup_save
from hwallyu.province.services.years import (
    SchemeInput,
    deadlines_recompute_all,
    deadlines_refresh,
    final_due,
    monthly_due,
    year_create,
    year_delete,
    year_update,
)

__all__ = [
    "ImportSummary",
    "IndicatorInput",
    "PeerImportSummary",
    "SchemeInput",
    "actual_accept",
    "actual_delete",
    "actual_return",
    "actual_submit",
    "check_can_enter",
    "checklist_set",
    "consulting_add",
    "deadlines_recompute_all",
    "deadlines_refresh",
    "final_due",
    "indicator_create",
    "indicator_delete",
    "indicator_update",
    "indicators_import",
    "monthly_due",
    "peers_import",
    "qualitative_submit",
    "writeup_save",
    "year_create",
    "year_delete",
    "year_update",
]
