"""Test helpers: a small organisation with one named user per role (owner, member, outsider)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

from hwallyu.org.models import Bureau, City, Department, DepartmentKind, EvaluationGroup, Person, Role, Team

PASSWORD = "test-pass-1234!"


@dataclass
class TestOrg:
    __test__ = False  # a fixture's value, not a test class
    city: City
    planning: Department
    dept: Department
    other_dept: Department
    admin: Any
    planner: Any
    auditor: Any
    manager: Any
    staff: Any
    executive: Any
    other_manager: Any
    other_staff: Any

    def users_by_role(self) -> dict[str, Any]:
        return {
            "anonymous": None,
            "admin": self.admin,
            "planner": self.planner,
            "auditor": self.auditor,
            "manager": self.manager,
            "staff": self.staff,
            "executive": self.executive,
            "other_manager": self.other_manager,
        }


def make_user(
    username: str, *, department: Department, role: str, team: Team | None = None, superuser: bool = False
) -> Any:
    User = get_user_model()
    user = User.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@city.test", first_name=username, is_superuser=superuser
    )
    Person.objects.create(user=user, department=department, team=team, role=role, position="주무관")
    return user


def build_test_org() -> TestOrg:
    city = City.objects.create(name="논산시", province="충청남도")
    group_support = EvaluationGroup.objects.create(code="G1", name="본청 지원부서", order=1)
    group_business = EvaluationGroup.objects.create(code="G2", name="본청 사업부서", order=2)
    bureau = Bureau.objects.create(code="B01", name="자치행정국", order=1)
    planning = Department.objects.create(
        code="PLAN",
        name="기획감사실",
        kind=DepartmentKind.MAIN,
        evaluation_group=group_support,
        is_planning_office=True,
    )
    dept = Department.objects.create(
        code="D001",
        name="미래전략과",
        kind=DepartmentKind.MAIN,
        evaluation_group=group_business,
        bureau=bureau,
        order=2,
    )
    other = Department.objects.create(
        code="D002", name="강경읍", kind=DepartmentKind.LOCAL, evaluation_group=group_business, order=3
    )
    innovation = Team.objects.create(department=planning, name="혁신기획팀")
    audit_team = Team.objects.create(department=planning, name="감사팀")
    return TestOrg(
        city=city,
        planning=planning,
        dept=dept,
        other_dept=other,
        admin=make_user("admin", department=planning, role=Role.ADMIN, superuser=True),
        planner=make_user("planner", department=planning, role=Role.PLANNING, team=innovation),
        auditor=make_user("auditor", department=planning, role=Role.AUDIT, team=audit_team),
        manager=make_user("manager", department=dept, role=Role.MANAGER),
        staff=make_user("staff", department=dept, role=Role.STAFF),
        executive=make_user("exec", department=planning, role=Role.EXECUTIVE),
        other_manager=make_user("other_manager", department=other, role=Role.MANAGER),
        other_staff=make_user("other_staff", department=other, role=Role.STAFF),
    )
