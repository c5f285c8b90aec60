"""Who may see and do what in the review analysis (심사분석).

- The planning office and system admins run everything: the year's scheme, targets, rounds,
  assessments, alternatives and turning an alternative into a directive.
- Executives read everything and download reports; they change nothing.
- Department staff and managers see their own department's targets and submissions (others'
  answer 404); they write and submit drafts while the round is open.  The department manager
  approves the department's submissions before they reach the planning office.
- Every signed-in user sees the list of rounds.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet

from hwallyu.core.policies import Policy
from hwallyu.org import selectors as org
from hwallyu.org.models import Role
from hwallyu.reviews.models import (
    Alternative,
    ReviewRound,
    ReviewTarget,
    RoundStatus,
    Submission,
    SubmissionStatus,
)

VIEW = "view"
MANAGE = "manage"  # scheme, targets, rounds
VIEW_ALL = "view_all"  # round report, trend of every target
EDIT = "edit"
SUBMIT = "submit"
APPROVE = "approve"
RETURN = "return"
ASSESS = "assess"
ALTERNATIVE = "alternative"
CONVERT = "convert"

WRITERS = (Role.MANAGER, Role.STAFF)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", False))


def reads_all(user: Any) -> bool:
    return org.is_office(user) or org.has_role(user, Role.EXECUTIVE)


def _own_department_id(user: Any) -> int | None:
    department = org.department_of(user)
    return department.pk if department else None


def _department_of(obj: Model | None) -> int | None:
    if isinstance(obj, Submission):
        return obj.target.department_id
    if isinstance(obj, ReviewTarget):
        return obj.department_id
    if isinstance(obj, Alternative):
        return obj.submission.target.department_id
    return None


class ReviewPolicy(Policy[Submission]):
    model = Submission

    def scope(self, user: Any, queryset: QuerySet[Submission] | None = None) -> QuerySet[Submission]:
        qs = queryset if queryset is not None else Submission.objects.all()
        if not _signed_in(user):
            return qs.none()
        if reads_all(user):
            return qs
        own = _own_department_id(user)
        return qs.filter(target__department_id=own) if own else qs.none()

    def target_scope(self, user: Any, queryset: QuerySet[ReviewTarget] | None = None) -> QuerySet[ReviewTarget]:
        qs = queryset if queryset is not None else ReviewTarget.objects.all()
        if not _signed_in(user):
            return qs.none()
        if reads_all(user):
            return qs
        own = _own_department_id(user)
        return qs.filter(department_id=own) if own else qs.none()

    def round_scope(self, user: Any, queryset: QuerySet[ReviewRound] | None = None) -> QuerySet[ReviewRound]:
        qs = queryset if queryset is not None else ReviewRound.objects.all()
        return qs if _signed_in(user) else qs.none()

    def check(self, user: Any, action: str, obj: Model | None = None) -> None:  # type: ignore[override]
        if not self.can(user, action, obj):
            raise PermissionDenied("이 작업을 할 권한이 없습니다.")

    def can(self, user: Any, action: str, obj: Model | None = None) -> bool:  # type: ignore[override]
        if not _signed_in(user):
            return False
        office = org.is_office(user)
        if action == VIEW:
            return True
        if action == VIEW_ALL:
            return reads_all(user)
        if action in (MANAGE, ASSESS, ALTERNATIVE, CONVERT):
            return office
        own = _own_department_id(user) == _department_of(obj) and _department_of(obj) is not None
        if action in (EDIT, SUBMIT):
            if not isinstance(obj, Submission) or obj.status not in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
                return False
            if obj.round.status != RoundStatus.OPEN:
                return False
            return office or (own and org.has_role(user, *WRITERS))
        if action == APPROVE:
            if not isinstance(obj, Submission) or obj.status != SubmissionStatus.SUBMITTED:
                return False
            return office or (own and org.has_role(user, Role.MANAGER))
        if action == RETURN:
            if not isinstance(obj, Submission):
                return False
            if obj.status == SubmissionStatus.SUBMITTED:
                return office or (own and org.has_role(user, Role.MANAGER))
            return office and obj.status in (SubmissionStatus.APPROVED, SubmissionStatus.ASSESSED)
        return False

    def approves_on_submit(self, user: Any, submission: Submission) -> bool:
        """A manager (or the office) submitting their own department's report approves it at once."""
        if org.is_office(user):
            return True
        return org.has_role(user, Role.MANAGER) and _own_department_id(user) == submission.target.department_id


reviews = ReviewPolicy()
