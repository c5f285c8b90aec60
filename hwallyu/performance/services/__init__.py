"""Writes of the department evaluation: ``<thing>_<verb>(*, …, actor)``.

Each service checks the policy, validates, saves inside one transaction, writes the audit row
and sends notices on commit.  Business-rule refusals raise ``ServiceError`` (Korean message;
409 for a state conflict, 422 for bad input)."""

from hwallyu.performance.services.common import INDICATOR_FIELDS, MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES, SCHEME_FIELDS
from hwallyu.performance.services.indicators import (
    IndicatorData,
    actual_accept,
    actual_delete,
    actual_return,
    actual_submit,
    evidence_delete,
    indicator_create,
    indicator_delete,
    indicator_update,
    set_approve,
    set_problems,
    set_return,
    set_submit,
)
from hwallyu.performance.services.items import (
    adjustment_create,
    adjustment_delete,
    common_scores_save,
    common_task_create,
    common_task_delete,
    customer_scores_import,
    customer_scores_save,
)
from hwallyu.performance.services.runs import run_freeze, run_reopen
from hwallyu.performance.services.scheme import (
    SchemeInput,
    clean_grades,
    clean_levels,
    group_create,
    group_delete,
    group_update,
    membership_update,
    scheme_create,
    scheme_delete,
    scheme_update,
)

__all__ = [
    "INDICATOR_FIELDS",
    "MAX_EVIDENCE_BYTES",
    "MAX_EVIDENCE_FILES",
    "SCHEME_FIELDS",
    "IndicatorData",
    "SchemeInput",
    "actual_accept",
    "actual_delete",
    "actual_return",
    "actual_submit",
    "adjustment_create",
    "adjustment_delete",
    "clean_grades",
    "clean_levels",
    "common_scores_save",
    "common_task_create",
    "common_task_delete",
    "customer_scores_import",
    "customer_scores_save",
    "evidence_delete",
    "group_create",
    "group_delete",
    "group_update",
    "indicator_create",
    "indicator_delete",
    "indicator_update",
    "membership_update",
    "run_freeze",
    "run_reopen",
    "scheme_create",
    "scheme_delete",
    "scheme_update",
    "set_approve",
    "set_problems",
    "set_return",
    "set_submit",
]
