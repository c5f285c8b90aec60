"""Who may see and change the work plan.

- Every signed-in user may read the plan (it is the city's published 주요업무계획).
- The planning office and system admins create plans, edit everything while a plan is
  open, lock and unlock it, and keep the budget statement.
- Department staff, managers and the audit team edit their own department's major tasks and
  projects while the plan is open; a locked plan is read-only for everyone.
- Progress (추진률) and budget execution are execution data: the owning department and the
  office update them even after the plan is locked.
- Executives read only.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet

from hwallyu.core.policies import Policy
from hwallyu.org import selectors as org
from hwallyu.org.models import Role
from hwallyu.workplan.models import BudgetLine, MajorTask, Project, WorkPlan

VIEW = "view"
CREATE_PLAN = "create_plan"
MANAGE = "manage"  # plan fields, lock/unlock, budget statement, import
LOCK = "lock"
UNLOCK = "unlock"
ADD_TASK = "add_task"
EDIT_TASK = "edit_task"
ADD_PROJECT = "add_project"
EDIT_PROJECT = "edit_project"
UPDATE_PROGRESS = "update_progress"
EDIT_BUDGET = "edit_budget"
UPDATE_EXECUTION = "update_execution"

DEPARTMENT_WRITERS = (Role.MANAGER, Role.STAFF, Role.AUDIT)


def signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", False))


def _member_of(user: Any, department_id: int | None) -> bool:
    if department_id is None or not org.has_role(user, *DEPARTMENT_WRITERS):
        return False
    department = org.department_of(user)
    return department is not None and department.pk == department_id


def _plan_of(obj: Model | None) -> WorkPlan | None:
    if isinstance(obj, WorkPlan):
        return obj
    if isinstance(obj, MajorTask | Project | BudgetLine):
        return obj.plan
    return None


class WorkPlanPolicy(Policy[WorkPlan]):
    model = WorkPlan

    def scope(self, user: Any, queryset: QuerySet[WorkPlan] | None = None) -> QuerySet[WorkPlan]:
        qs = queryset if queryset is not None else WorkPlan.objects.all()
        return qs if signed_in(user) else qs.none()

    def project_scope(self, user: Any, queryset: QuerySet[Project] | None = None) -> QuerySet[Project]:
        qs = queryset if queryset is not None else Project.objects.all()
        return qs if signed_in(user) else qs.none()

    def task_scope(self, user: Any, queryset: QuerySet[MajorTask] | None = None) -> QuerySet[MajorTask]:
        qs = queryset if queryset is not None else MajorTask.objects.all()
        return qs if signed_in(user) else qs.none()

    def line_scope(self, user: Any, queryset: QuerySet[BudgetLine] | None = None) -> QuerySet[BudgetLine]:
        qs = queryset if queryset is not None else BudgetLine.objects.all()
        return qs if signed_in(user) else qs.none()

    def check(self, user: Any, action: str, obj: Model | None = None) -> None:  # type: ignore[override]
        if not self.can(user, action, obj):
            raise PermissionDenied("이 작업을 할 권한이 없습니다.")

    def can(self, user: Any, action: str, obj: Model | None = None) -> bool:  # type: ignore[override]
        if not signed_in(user):
            return False
        if action == VIEW:
            return True
        office = org.is_office(user)
        plan = _plan_of(obj)
        if action == CREATE_PLAN:
            return office
        if action == UNLOCK:
            return office and plan is not None and not plan.is_open
        if action == LOCK:
            return office and plan is not None and plan.is_open
        if action == UPDATE_PROGRESS:
            return isinstance(obj, Project) and (office or _member_of(user, obj.department_id))
        if action == UPDATE_EXECUTION:
            if not isinstance(obj, BudgetLine):
                return False
            owner = obj.project.department_id if obj.project_id and obj.project else None
            return office or _member_of(user, owner)
        if plan is None or not plan.is_open:
            return False
        if action in (MANAGE, EDIT_BUDGET):
            return office
        if action == ADD_TASK:
            # departments add their own tasks (the form limits the department to theirs)
            return office or org.has_role(user, *DEPARTMENT_WRITERS)
        if action == EDIT_TASK:
            return isinstance(obj, MajorTask) and (office or _member_of(user, obj.department_id))
        if action == ADD_PROJECT:
            return isinstance(obj, MajorTask) and (office or _member_of(user, obj.department_id))
        if action == EDIT_PROJECT:
            return isinstance(obj, Project) and (office or _member_of(user, obj.department_id))
        return False

    def own_department_only(self, user: Any) -> bool:
        """True when the user may only choose their own department in forms."""
        return not org.is_office(user)


workplans = WorkPlanPolicy()
