"""Who sees and manages the organisation: office manages, everyone views departments,
managers see their own department's people."""

import pytest
from django.contrib.auth.models import AnonymousUser

from hwallyu.org.models import Department, Person
from hwallyu.org.policies import ASSIGN_ADMIN, MANAGE, VIEW, VIEW_PEOPLE, org_policy


@pytest.mark.parametrize(
    ("role", "manage"),
    [
        ("admin", True),
        ("planner", True),
        ("auditor", False),
        ("manager", False),
        ("staff", False),
        ("executive", False),
        ("other_manager", False),
    ],
)
def test_only_planning_office_and_admin_manage(org, role, manage):
    user = org.users_by_role()[role]
    assert org_policy.can(user, MANAGE) is manage
    assert org_policy.can(user, VIEW) is True


def test_only_admin_may_assign_admin(org):
    assert org_policy.can(org.admin, ASSIGN_ADMIN)
    assert not org_policy.can(org.planner, ASSIGN_ADMIN)


def test_everyone_signed_in_sees_all_departments_anonymous_none(org):
    total = Department.objects.count()
    for role, user in org.users_by_role().items():
        if user is None:
            continue
        assert org_policy.scope(user).count() == total, role
    assert org_policy.scope(AnonymousUser()).count() == 0


def test_inactive_user_sees_nothing(org):
    org.staff.is_active = False
    assert org_policy.scope(org.staff).count() == 0
    assert not org_policy.can(org.staff, VIEW)


def test_people_scope_owner_member_outsider(org):
    dept_people = set(Person.objects.filter(department=org.dept).values_list("pk", flat=True))
    everyone = set(Person.objects.values_list("pk", flat=True))
    assert set(org_policy.people_scope(org.planner).values_list("pk", flat=True)) == everyone
    assert set(org_policy.people_scope(org.admin).values_list("pk", flat=True)) == everyone
    assert set(org_policy.people_scope(org.manager).values_list("pk", flat=True)) == dept_people
    assert list(org_policy.people_scope(org.staff).values_list("user__username", flat=True)) == ["staff"]
    assert list(org_policy.people_scope(org.executive).values_list("user__username", flat=True)) == ["exec"]
    assert org_policy.people_scope(AnonymousUser()).count() == 0


def test_view_people_of_a_department(org):
    assert org_policy.can(org.manager, VIEW_PEOPLE, org.dept)
    assert not org_policy.can(org.manager, VIEW_PEOPLE, org.other_dept)
    assert not org_policy.can(org.staff, VIEW_PEOPLE, org.dept)
    assert not org_policy.can(org.auditor, VIEW_PEOPLE, org.dept)
    assert org_policy.can(org.planner, VIEW_PEOPLE, org.other_dept)
