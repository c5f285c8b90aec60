"""Writes of the directives module: every state change goes through one of these services.

Each service runs in ``transaction.atomic``, locks the directive row, checks the policy,
validates, saves with ``update_fields``, writes the audit row and the directive's own timeline
event, and sends notices (in-app + e-mail) once the transaction commits.

``at`` (keyword) lets the planning office import past records and the demo replay a year;
notices are only sent for live actions (``at`` left out), never for back-dated ones.
"""

from hwallyu.api.base import ServiceError
from hwallyu.directives.services.common import (
    department_people,
    directive_url,
    local,
    parse_choice,
    parse_final_state,
    parse_report_kind,
    quarter_of,
)
from hwallyu.directives.services.extensions import (
    directive_extension_request,
    directives_recompute_due,
    extension_approve,
    extension_return,
    extension_step_of,
)
from hwallyu.directives.services.lifecycle import (
    directive_acknowledge,
    directive_close_approve,
    directive_close_request,
    directive_close_return,
    directive_report,
    directive_share,
)
from hwallyu.directives.services.register import (
    DirectiveInput,
    directive_register,
    directive_register_many,
    validate_input,
)
from hwallyu.directives.services.scheme import scheme_for_year, scheme_update

__all__ = [
    "DirectiveInput",
    "ServiceError",
    "department_people",
    "directive_acknowledge",
    "directive_close_approve",
    "directive_close_request",
    "directive_close_return",
    "directive_extension_request",
    "directive_register",
    "directive_register_many",
    "directive_report",
    "directive_share",
    "directive_url",
    "directives_recompute_due",
    "extension_approve",
    "extension_return",
    "extension_step_of",
    "local",
    "parse_choice",
    "parse_final_state",
    "parse_report_kind",
    "quarter_of",
    "scheme_for_year",
    "scheme_update",
    "validate_input",
]
