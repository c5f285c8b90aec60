"""Who sees and does what with directives.

* planning office and admin: everything;
* executive and audit team: read everything, change nothing;
* department manager and staff: the directives shared with their department (404 for others);
  staff write reports and acknowledge receipt, the manager also asks to close and for extensions.
"""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, F, Func, QuerySet, Subquery

from hwallyu.core.policies import Policy
from hwallyu.directives.models import Directive, DirectiveAssignment
from hwallyu.org.models import Role
from hwallyu.org.selectors import department_of, role_of

OFFICE_ROLES = frozenset({Role.ADMIN, Role.PLANNING})
READ_ALL_ROLES = frozenset({Role.ADMIN, Role.PLANNING, Role.EXECUTIVE, Role.AUDIT})
DEPARTMENT_ROLES = frozenset({Role.MANAGER, Role.STAFF})

# Actions only the planning office takes (no object needed).
OFFICE_ACTIONS = frozenset(
    {"register", "share", "close_decide", "extension_decide", "scheme_edit", "review_approve", "import_past"}
)
READ_ACTIONS = frozenset({"view", "review_view"})


class _IdInSubquery(Func):
    """``id IN (subquery)``, on PostgreSQL ``id = ANY(ARRAY(subquery))``.

    Both are read from the subquery's index first.  PostgreSQL plans ``IN`` as a join and, with its default
    costs, prefers reading every directive of every year to a thousand primary-key lookups; the array form
    is looked up through the primary key.  A correlated EXISTS made SQLite test every directive."""

    output_field = BooleanField()

    def __init__(self, subquery: QuerySet[Any]) -> None:
        super().__init__(F("pk"), Subquery(subquery))

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:  # type: ignore[override]
        (lhs, lhs_params), (rhs, rhs_params) = (compiler.compile(e) for e in self.get_source_expressions())
        return f"{lhs} IN {rhs}", (*lhs_params, *rhs_params)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple[Any, ...]]:
        (lhs, lhs_params), (rhs, rhs_params) = (compiler.compile(e) for e in self.get_source_expressions())
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


def assigned_to(department: Any) -> _IdInSubquery:
    """Directives assigned to ``department`` (lead or support), as a filter condition."""
    return _IdInSubquery(DirectiveAssignment.objects.filter(department=department).order_by().values("directive_id"))


class DirectivePolicy(Policy[Directive]):
    model = Directive

    def scope(self, user: Any, queryset: QuerySet[Directive] | None = None) -> QuerySet[Directive]:
        qs = queryset if queryset is not None else Directive.objects.all()
        role = role_of(user)
        if role in READ_ALL_ROLES:
            return qs
        if role in DEPARTMENT_ROLES:
            department = department_of(user)
            if department is None:
                return qs.none()
            return qs.filter(assigned_to(department), shared_at__isnull=False)
        return qs.none()

    def _department_role(self, user: Any, directive: Directive | None) -> str | None:
        """The user's department's part in the directive: "lead", "support" or None.

        Only the assignments decide this, never the directive's state: whether it is shared or
        closed is for the services to check on the locked row (409)."""
        if directive is None or role_of(user) not in DEPARTMENT_ROLES:
            return None
        department = department_of(user)
        if department is None:
            return None
        if directive.lead_department_id == department.pk:
            return "lead"
        cached = getattr(directive, "_prefetched_objects_cache", {}).get("assignments")
        if cached is not None:
            return "support" if any(a.department_id == department.pk for a in cached) else None
        exists = DirectiveAssignment.objects.filter(directive=directive, department=department).exists()
        return "support" if exists else None

    def can(self, user: Any, action: str, obj: Directive | None = None) -> bool:
        role = role_of(user)
        if role is None:
            return False
        if role in OFFICE_ROLES:
            return True
        if action == "review_view":
            return role in READ_ALL_ROLES
        if action == "view":
            return obj is None or self.scope(user, Directive.objects.filter(pk=obj.pk)).exists()
        if action in OFFICE_ACTIONS or role not in DEPARTMENT_ROLES:
            return False
        if action == "list_department":
            return True
        department_role = self._department_role(user, obj)
        if action in ("acknowledge", "report_progress"):
            return department_role is not None
        if action == "report":
            return department_role == "lead"
        if action in ("close_request", "extension_request"):
            return department_role == "lead" and role == Role.MANAGER
        return False


directive_policy = DirectivePolicy()


def is_office_user(user: Any) -> bool:
    return role_of(user) in OFFICE_ROLES


def reads_all(user: Any) -> bool:
    return role_of(user) in READ_ALL_ROLES
