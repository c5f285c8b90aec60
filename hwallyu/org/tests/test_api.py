"""The organisation API: reads for everyone signed in, writes for the office, the import's row report."""

import io

import pytest
from django.test import Client

from hwallyu.accounts.services import api_token_create
from hwallyu.org.models import Department, Person, Team


def api(user):
    _, raw = api_token_create(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_department_list_keeps_the_platform_fields(org):
    response = api(org.staff).get("/api/v1/departments")
    assert response.status_code == 200
    first = response.json()[0]
    assert {"code", "name", "kind", "group", "bureau"} <= set(first)
    assert first["code"] == "PLAN" and first["group"] == "본청 지원부서"


def test_department_list_needs_a_token():
    assert Client().get("/api/v1/departments").status_code == 401


def test_department_get_by_code_and_404(org):
    client = api(org.staff)
    assert client.get("/api/v1/departments/D001").json()["bureau"] == "자치행정국"
    assert client.get("/api/v1/departments/NOPE").status_code == 404


def test_department_create_update_deactivate(org):
    client = api(org.planner)
    response = client.post(
        "/api/v1/departments",
        {"code": "D100", "name": "재무과", "kind": "본청", "bureau": "자치행정국", "group": "본청 지원부서"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "main"
    response = client.patch(
        "/api/v1/departments/D100", {"name": "예산과", "bureau": None, "active": False}, content_type="application/json"
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["bureau"], body["active"]) == ("예산과", None, False)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"code": "D001", "name": "새부서", "kind": "main"}, "이미 쓰이고"),
        ({"code": "D100", "name": "새부서", "kind": "본청2"}, "허용되지 않는 값"),
        ({"code": "D100", "name": "새부서", "kind": "main", "bureau": "없는국"}, "없습니다"),
        ({"code": "D100"}, "값이 필요합니다"),
    ],
)
def test_department_create_bad_input_is_422_in_korean(org, payload, message):
    response = api(org.planner).post("/api/v1/departments", payload, content_type="application/json")
    assert response.status_code == 422
    assert message in response.json()["detail"]


@pytest.mark.parametrize("role", ["auditor", "manager", "staff", "executive"])
def test_writes_are_403_for_everyone_but_the_office(org, role):
    client = api(org.users_by_role()[role])
    assert (
        client.post(
            "/api/v1/departments", {"code": "X", "name": "X", "kind": "main"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert client.patch("/api/v1/departments/D001", {"name": "X"}, content_type="application/json").status_code == 403
    assert (
        client.post("/api/v1/teams", {"department": "D001", "name": "X"}, content_type="application/json").status_code
        == 403
    )
    assert (
        client.post(
            "/api/v1/people", {"username": "x", "name": "x", "department": "D001"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert client.post("/api/v1/org/import", {"file": io.BytesIO(b"x")}).status_code == 403
    assert Department.objects.get(code="D001").name == "미래전략과"


def test_teams(org):
    client = api(org.planner)
    response = client.post("/api/v1/teams", {"department": "D001", "name": "전략팀"}, content_type="application/json")
    assert response.status_code == 201
    team_id = response.json()["id"]
    assert (
        client.patch(f"/api/v1/teams/{team_id}", {"active": False}, content_type="application/json").json()["active"]
        is False
    )
    names = [t["name"] for t in api(org.staff).get("/api/v1/teams", {"department": "PLAN"}).json()]
    assert sorted(names) == ["감사팀", "혁신기획팀"]


def test_people_are_scoped(org):
    assert len(api(org.planner).get("/api/v1/people").json()) == Person.objects.count()
    assert {p["username"] for p in api(org.manager).get("/api/v1/people").json()} == {"manager", "staff"}
    assert [p["username"] for p in api(org.staff).get("/api/v1/people").json()] == ["staff"]
    other = org.other_staff.person.pk
    assert api(org.manager).get(f"/api/v1/people/{other}").status_code == 404


def test_people_create_and_deactivate(org):
    client = api(org.planner)
    team = Team.objects.get(name="혁신기획팀")
    response = client.post(
        "/api/v1/people",
        {"username": "hong", "name": "홍길동", "department": "PLAN", "team_id": team.pk, "email": "hong@city.test"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    person = response.json()
    assert (person["team"], person["role"], person["active"]) == ("혁신기획팀", "staff", True)
    response = client.patch(
        f"/api/v1/people/{person['id']}", {"active": False, "position": "주무관"}, content_type="application/json"
    )
    assert response.json()["active"] is False and response.json()["position"] == "주무관"


def test_import_endpoint_returns_the_row_report(org):
    client = api(org.planner)
    good = "부서코드,부서명,구분,국,평가군,팀,사용\nD100,재무과,본청,자치행정국,본청 지원부서,예산팀;경리팀,Y\n"
    upload = io.BytesIO(good.encode("cp949"))
    upload.name = "org.csv"
    response = client.post("/api/v1/org/import", {"file": upload})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["created"] == 1 and body["teams_created"] == 2
    assert body["rows"][0] == {
        "row": 2,
        "code": "D100",
        "name": "재무과",
        "outcome": "created",
        "outcome_label": "신규",
        "changes": ["팀 추가: 예산팀", "팀 추가: 경리팀"],
    }
    bad = io.BytesIO((good + "D101,세정과,본청2,,본청 지원부서,,Y\n").replace("D100", "D102").encode())
    bad.name = "org.csv"
    response = client.post("/api/v1/org/import", {"file": bad})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "row": 3,
            "column": "구분",
            "message": "3행 구분: '본청2'은(는) 허용되지 않는 값입니다 (본청/직속기관/사업소/읍면동)",
        }
    ]
    assert not Department.objects.filter(code="D102").exists()
