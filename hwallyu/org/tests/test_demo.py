"""The demo city: 59 departments of 논산시, the planning office's teams, one account per role."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from hwallyu.core.registry import demo_loaders
from hwallyu.org import demo, selectors
from hwallyu.org.models import Bureau, Department, DepartmentKind, EvaluationGroup, Person, Role, Team

LOCAL_OFFICES = [
    "강경읍", "연무읍", "성동면", "광석면", "노성면", "상월면", "부적면", "연산면",
    "벌곡면", "양촌면", "가야곡면", "은진면", "채운면", "취암동", "부창동",
]  # fmt: skip


def counts():
    return (
        Department.objects.count(),
        Team.objects.count(),
        Bureau.objects.count(),
        EvaluationGroup.objects.count(),
        get_user_model().objects.count(),
        Person.objects.count(),
    )


@pytest.fixture
def demo_city(db):
    demo.load()


def test_loading_twice_creates_nothing_new(demo_city):
    first = counts()
    demo.load()
    assert counts() == first
    assert first[0] == 59


def test_the_loader_is_registered_first_for_load_demo():
    loaders = demo_loaders()
    assert loaders[0] == ("조직", demo.load)


def test_department_counts_per_kind(demo_city):
    per_kind = {kind: n for kind, _, n in selectors.department_counts_by_kind()}
    assert per_kind == {
        DepartmentKind.MAIN: 36,
        DepartmentKind.AFFILIATED: 7,
        DepartmentKind.BUSINESS: 1,
        DepartmentKind.LOCAL: 15,
    }
    assert selectors.department_summary() == "본청 36 · 직속기관 7 · 사업소 1 · 읍면동 15"
    local = Department.objects.filter(kind=DepartmentKind.LOCAL).order_by("order").values_list("name", flat=True)
    assert list(local) == LOCAL_OFFICES


def test_city_codes_and_planning_office(demo_city):
    city = selectors.city()
    assert (city.name, city.province) == ("논산시", "충청남도")
    office = Department.objects.get(is_planning_office=True)
    assert (office.code, office.name) == ("D001", "기획감사실")
    assert list(office.teams.values_list("name", flat=True)) == ["혁신기획팀", "엑스포 TF팀", "감사팀", "성과관리팀"]
    assert Department.objects.get(code="D059").name == "부창동"
    assert set(EvaluationGroup.objects.values_list("name", flat=True)) == {
        "본청 지원부서",
        "본청 사업부서",
        "직속기관·사업소",
        "읍면동",
    }


@pytest.mark.parametrize(
    ("username", "role", "department", "team"),
    [
        ("admin", Role.ADMIN, None, None),
        ("planner", Role.PLANNING, "기획감사실", "혁신기획팀"),
        ("auditor", Role.AUDIT, "기획감사실", "감사팀"),
        ("manager", Role.MANAGER, "미래전략과", None),
        ("staff", Role.STAFF, "미래전략과", "전략기획팀"),
        ("exec", Role.EXECUTIVE, None, None),
    ],
)
def test_each_demo_account_signs_in_with_the_demo_password(demo_city, username, role, department, team):
    user = get_user_model().objects.get(username=username)
    assert selectors.role_of(user) == role
    person = selectors.person_of(user)
    if department:
        assert person.department.name == department
    if team:
        assert person.team.name == team
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": "hwallyu-demo"})
    assert response.status_code == 302, username
    assert client.get("/").status_code in (200, 302)


def test_admin_is_superuser_and_exec_is_deputy_mayor(demo_city):
    assert get_user_model().objects.get(username="admin").is_superuser
    assert Person.objects.get(user__username="exec").position == "부시장"


def test_notices_have_recipients_with_email(demo_city):
    managers = Person.objects.filter(role=Role.MANAGER).select_related("department")
    assert managers.count() >= 5
    for person in managers:
        assert selectors.department_managers(person.department)
        assert person.user.email.endswith("@nonsan.example")
    assert len(selectors.planning_office_users()) >= 3


def test_a_changed_password_survives_a_reload(demo_city):
    user = get_user_model().objects.get(username="planner")
    user.set_password("changed-by-planner-1")
    user.save()
    demo.load()
    user.refresh_from_db()
    assert user.check_password("changed-by-planner-1")
