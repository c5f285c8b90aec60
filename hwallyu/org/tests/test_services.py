"""Writes to the organisation: policy-checked, validated in Korean, audit-logged with diffs."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from hwallyu.core.models import AuditEvent
from hwallyu.org import services
from hwallyu.org.models import Bureau, Department, DepartmentKind, EvaluationGroup, Person, Role, Team


def last_event(action):
    return AuditEvent.objects.filter(action=action).order_by("-id").first()


def test_city_update_logs_the_change(org):
    services.city_update(city=org.city, actor=org.planner, name="계룡시", province="충청남도")
    org.city.refresh_from_db()
    assert org.city.name == "계룡시"
    event = last_event("org.city.update")
    assert event.before == {"name": "논산시"} and event.after == {"name": "계룡시"}
    assert event.actor == org.planner


def test_city_update_refused_for_staff_and_blank_name(org):
    with pytest.raises(PermissionDenied):
        services.city_update(city=org.city, actor=org.staff, name="X", province="Y")
    with pytest.raises(ValidationError) as exc:
        services.city_update(city=org.city, actor=org.planner, name=" ", province="충청남도")
    assert "시·군 이름" in exc.value.message_dict["name"][0]


def test_bureau_create_generates_code_and_refuses_duplicates(org):
    bureau = services.bureau_create(actor=org.planner, name="경제산업국")
    assert bureau.code.startswith("B") and Bureau.objects.filter(code=bureau.code).count() == 1
    with pytest.raises(ValidationError) as exc:
        services.bureau_create(actor=org.planner, name="경제산업국")
    assert "이미 있습니다" in exc.value.message_dict["name"][0]
    services.bureau_update(bureau=bureau, actor=org.planner, name="경제국", active=False)
    bureau.refresh_from_db()
    assert (bureau.name, bureau.active) == ("경제국", False)
    assert last_event("org.bureau.update").after == {"name": "경제국", "active": False}


def test_evaluation_group_create_and_update(org):
    group = services.evaluation_group_create(actor=org.admin, name="읍면동")
    assert EvaluationGroup.objects.filter(name="읍면동").exists()
    services.evaluation_group_update(group=group, actor=org.admin, name="읍·면·동")
    group.refresh_from_db()
    assert group.name == "읍·면·동"
    with pytest.raises(PermissionDenied):
        services.evaluation_group_create(actor=org.manager, name="기타")


def test_department_create_and_update_with_diff(org):
    bureau = Bureau.objects.get(code="B01")
    department = services.department_create(
        actor=org.planner, code="D100", name="재무과", kind=DepartmentKind.MAIN, bureau=bureau
    )
    assert department.active and department.order > 0
    created = last_event("org.department.create")
    assert created.after["code"] == "D100" and created.department_id == department.pk
    services.department_update(department=department, actor=org.planner, name="예산재무과", bureau=None)
    department.refresh_from_db()
    assert department.name == "예산재무과" and department.bureau is None
    event = last_event("org.department.update")
    assert event.before["name"] == "재무과" and event.after["name"] == "예산재무과"
    assert event.before["bureau"]["repr"] == "자치행정국" and event.after["bureau"] is None
    assert set(event.after) == {"name", "bureau"}


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"code": "D001", "name": "새부서"}, "code", "이미 쓰이고"),
        ({"code": "D100", "name": "미래전략과"}, "name", "이미 있습니다"),
        ({"code": "D 1", "name": "새부서"}, "code", "영문, 숫자"),
        ({"code": "D100", "name": ""}, "name", "입력하세요"),
        ({"code": "D100", "name": "새부서", "kind": "city"}, "kind", "본청/직속기관/사업소/읍면동"),
        ({"code": "D100", "name": "새부서", "is_planning_office": True}, "is_planning_office", "하나뿐"),
    ],
)
def test_department_create_validation(org, fields, field, message):
    data = {"kind": DepartmentKind.MAIN, **fields}
    with pytest.raises(ValidationError) as exc:
        services.department_create(actor=org.planner, **data)
    assert message in exc.value.message_dict[field][0]
    assert not Department.objects.filter(code="D100").exists()


def test_department_create_refused_for_department_manager(org):
    with pytest.raises(PermissionDenied):
        services.department_create(actor=org.manager, code="D100", name="새부서", kind=DepartmentKind.MAIN)


def test_department_deactivate_and_activate_keep_history(org):
    services.department_deactivate(department=org.dept, actor=org.planner)
    org.dept.refresh_from_db()
    assert not org.dept.active
    assert Person.objects.filter(department=org.dept).exists()
    assert last_event("org.department.deactivate").after == {"active": False}
    services.department_activate(department=org.dept, actor=org.planner)
    org.dept.refresh_from_db()
    assert org.dept.active


def test_planning_office_cannot_be_deactivated(org):
    with pytest.raises(ValidationError):
        services.department_deactivate(department=org.planning, actor=org.admin)


def test_department_in_use_is_not_deleted(org):
    with pytest.raises(ValidationError) as exc:
        services.department_delete(department=org.dept, actor=org.planner)
    assert "사용 중지" in exc.value.messages[0]
    assert Department.objects.filter(pk=org.dept.pk).exists()


def test_unused_department_registered_by_mistake_is_deleted(org):
    mistake = services.department_create(actor=org.planner, code="X1", name="잘못 만든 부서", kind=DepartmentKind.MAIN)
    services.department_delete(department=mistake, actor=org.planner)
    assert not Department.objects.filter(code="X1").exists()
    event = last_event("org.department.delete")
    assert event.before["name"] == "잘못 만든 부서"


def test_team_create_update_and_deactivation_rule(org):
    team = services.team_create(department=org.dept, actor=org.planner, name="전략기획팀")
    assert team.order == 1
    with pytest.raises(ValidationError) as exc:
        services.team_create(department=org.dept, actor=org.planner, name="전략기획팀")
    assert "이미 있습니다" in exc.value.message_dict["name"][0]
    services.person_update(person=org.staff.person, actor=org.planner, team=team)
    with pytest.raises(ValidationError) as exc:
        services.team_update(team=team, actor=org.planner, active=False)
    assert "소속 직원" in exc.value.message_dict["active"][0]
    services.team_update(team=team, actor=org.planner, name="전략팀")
    team.refresh_from_db()
    assert team.name == "전략팀"
    assert last_event("org.team.update").after == {"name": "전략팀"}


def test_team_create_refused_for_inactive_department(org):
    services.department_deactivate(department=org.dept, actor=org.planner)
    with pytest.raises(ValidationError):
        services.team_create(department=org.dept, actor=org.planner, name="새팀")


def test_person_create_with_password_can_sign_in(org, client):
    person = services.person_create(
        actor=org.planner,
        username="hong",
        name="홍길동",
        department=org.dept,
        email="hong@city.test",
        position="주무관",
        password="a-Strong-passphrase-42",
    )
    assert person.user.check_password("a-Strong-passphrase-42")
    assert person.user.first_name == "홍길동"
    event = last_event("org.person.create")
    assert event.after["username"] == "hong" and event.after["password"] == "설정됨"
    assert "a-Strong-passphrase-42" not in str(event.after)


def test_person_create_without_password_cannot_sign_in(org):
    person = services.person_create(actor=org.planner, username="kim", name="김철수", department=org.dept)
    assert not person.user.has_usable_password()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"username": "STAFF"}, "username", "이미 쓰이고"),
        ({"username": "has space"}, "username", "글자, 숫자"),
        ({"email": "not-an-email"}, "email", "형식"),
        ({"password": "1234"}, "password", ""),
        ({"name": ""}, "name", "입력하세요"),
    ],
)
def test_person_create_validation(org, fields, field, message):
    data = {"username": "newbie", "name": "새직원", "department": org.dept, **fields}
    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=org.planner, **data)
    assert message in exc.value.message_dict[field][0]
    assert not get_user_model().objects.filter(username="newbie").exists()


def test_person_team_must_belong_to_department(org):
    other_team = Team.objects.create(department=org.other_dept, name="행정팀")
    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=org.planner, username="x1", name="갑", department=org.dept, team=other_team)
    assert "부서의 팀" in exc.value.message_dict["team"][0]


def test_planner_cannot_create_or_touch_an_admin(org):
    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=org.planner, username="root2", name="관리", department=org.dept, role=Role.ADMIN)
    assert "시스템 관리자" in exc.value.message_dict["role"][0]
    with pytest.raises(ValidationError):
        services.person_update(person=org.admin.person, actor=org.planner, email="evil@x.test")
    with pytest.raises(ValidationError):
        services.person_update(person=org.staff.person, actor=org.planner, role=Role.ADMIN)
    services.person_update(person=org.staff.person, actor=org.admin, role=Role.ADMIN)
    assert Person.objects.get(user=org.staff).role == Role.ADMIN


def test_person_update_moves_department_and_clears_old_team(org):
    team = Team.objects.get(name="혁신기획팀")
    person = org.planner.person
    assert person.team == team
    services.person_update(person=person, actor=org.admin, department=org.dept, position="팀장")
    person.refresh_from_db()
    assert (person.department, person.team, person.position) == (org.dept, None, "팀장")
    event = last_event("org.person.update")
    assert event.before["team"]["repr"].endswith("혁신기획팀") and event.after["team"] is None


def test_person_deactivate_keeps_the_user_and_blocks_sign_in(org, client):
    services.person_deactivate(person=org.staff.person, actor=org.planner)
    user = get_user_model().objects.get(username="staff")
    assert not user.is_active
    assert last_event("org.person.deactivate").after == {"is_active": False}
    response = client.post("/accounts/login/", {"username": "staff", "password": "test-pass-1234!"})
    assert response.status_code == 200  # the form again, not a redirect
    services.person_activate(person=org.staff.person, actor=org.planner)
    assert get_user_model().objects.get(username="staff").is_active


def test_nobody_deactivates_themselves(org):
    with pytest.raises(ValidationError):
        services.person_deactivate(person=org.planner.person, actor=org.planner)


def test_person_writes_refused_for_managers(org):
    with pytest.raises(PermissionDenied):
        services.person_update(person=org.staff.person, actor=org.manager, position="팀장")
    with pytest.raises(PermissionDenied):
        services.person_deactivate(person=org.staff.person, actor=org.manager)


def test_person_set_password_lets_an_account_without_one_sign_in(org):
    person = services.person_create(actor=org.planner, username="kim", name="김철수", department=org.dept)
    with pytest.raises(ValidationError) as exc:
        services.person_set_password(person=person, actor=org.planner, password="123")
    assert exc.value.message_dict["password1"]
    services.person_set_password(person=person, actor=org.planner, password="a-Strong-passphrase-42")
    person.user.refresh_from_db()
    assert person.user.check_password("a-Strong-passphrase-42")
    event = last_event("org.person.set_password")
    assert event.before == {"password": "없음(로그인 불가)"} and "a-Strong" not in str(event.after)
    with pytest.raises(PermissionDenied):
        services.person_set_password(person=person, actor=org.manager, password="a-Strong-passphrase-43")
    with pytest.raises(ValidationError):
        services.person_set_password(person=org.admin.person, actor=org.planner, password="a-Strong-passphrase-44")
