"""The /org/ pages: what each role can open, forms that re-render with errors, htmx fragments."""

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hwallyu.org.models import Bureau, Department, DepartmentKind, EvaluationGroup, Person, Team


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def team_of(org):
    return Team.objects.get(name="혁신기획팀")


# (url name, kwargs factory, method, {role: status}); anonymous is sent to sign in everywhere.
ALL = ("admin", "planner", "auditor", "manager", "staff", "executive", "other_manager")
OFFICE = ("admin", "planner")


def only(roles, status=200, others=403):
    return {r: status if r in roles else others for r in ALL}


CASES = [
    ("org:departments", lambda o: {}, "get", only(ALL)),
    ("org:department", lambda o: {"pk": o.dept.pk}, "get", only(ALL)),
    ("org:department_create", lambda o: {}, "get", only(OFFICE)),
    ("org:department_edit", lambda o: {"pk": o.dept.pk}, "get", only(OFFICE)),
    ("org:department_deactivate", lambda o: {"pk": o.dept.pk}, "post", only(OFFICE, 302)),
    ("org:department_activate", lambda o: {"pk": o.dept.pk}, "post", only(OFFICE, 302)),
    ("org:department_delete", lambda o: {"pk": o.dept.pk}, "post", only(OFFICE, 302)),
    ("org:department_deactivate", lambda o: {"pk": o.dept.pk}, "get", only(ALL, 405)),
    ("org:team_create", lambda o: {"pk": o.dept.pk}, "post", only(OFFICE, 200)),
    ("org:team_edit", lambda o: {"pk": team_of(o).pk}, "get", only(OFFICE)),
    ("org:people", lambda o: {}, "get", only((*OFFICE, "manager", "other_manager"))),
    ("org:person_create", lambda o: {}, "get", only(OFFICE)),
    # A manager may see the staff of their own department (403: may not edit); others do not find them.
    (
        "org:person_edit",
        lambda o: {"pk": o.staff.person.pk},
        "get",
        {**only(OFFICE, others=404), "manager": 403, "staff": 403},
    ),
    (
        "org:person_deactivate",
        lambda o: {"pk": o.staff.person.pk},
        "post",
        {**only(OFFICE, 302, others=404), "manager": 403, "staff": 403},
    ),
    (
        "org:person_activate",
        lambda o: {"pk": o.staff.person.pk},
        "post",
        {**only(OFFICE, 302, others=404), "manager": 403, "staff": 403},
    ),
    (
        "org:person_password",
        lambda o: {"pk": o.staff.person.pk},
        "post",
        {**only(OFFICE, 200, others=404), "manager": 403, "staff": 403},
    ),
    ("org:bureaus", lambda o: {}, "get", only(OFFICE)),
    ("org:bureau_edit", lambda o: {"pk": Bureau.objects.first().pk}, "get", only(OFFICE)),
    ("org:groups", lambda o: {}, "get", only(OFFICE)),
    ("org:group_edit", lambda o: {"pk": EvaluationGroup.objects.first().pk}, "get", only(OFFICE)),
    ("org:city", lambda o: {}, "get", only(OFFICE)),
    ("org:import", lambda o: {}, "get", only(OFFICE)),
    ("org:import_template", lambda o: {}, "get", only(OFFICE)),
    ("org:department_export", lambda o: {"fmt": "xlsx"}, "get", only(ALL)),
    ("org:department_export", lambda o: {"fmt": "hwpx"}, "get", only(ALL)),
    ("org:department_export", lambda o: {"fmt": "pdf"}, "get", only(ALL, 404)),
]


def test_every_org_url_for_every_role(org):
    from django.db import transaction

    failures = []
    for name, kwargs, method, expect in CASES:
        url = reverse(name, kwargs=kwargs(org))
        anonymous = getattr(Client(), method)(url)
        if anonymous.status_code != 302 or "/accounts/login/" not in anonymous["Location"]:
            failures.append(f"{method} {name} anonymous: {anonymous.status_code}")
        for role, status in expect.items():
            with transaction.atomic():
                response = getattr(client_for(org.users_by_role()[role]), method)(url)
                transaction.set_rollback(True)
            if response.status_code != status:
                failures.append(f"{method} {name} {role}: expected {status}, got {response.status_code}")
    assert not failures, "\n".join(failures)


def test_department_outside_anyone_is_404(org):
    assert client_for(org.staff).get(reverse("org:department", args=[99999])).status_code == 404


# --- list ---------------------------------------------------------------------------------------


def test_department_list_shows_counts_per_kind_and_filters(org):
    client = client_for(org.staff)
    page = client.get(reverse("org:departments")).content.decode()
    assert "본청 2" in page and "읍면동 1" in page and "직속기관 0" in page
    filtered = client.get(reverse("org:departments"), {"kind": DepartmentKind.LOCAL}).content.decode()
    assert "강경읍" in filtered and "미래전략과" not in filtered
    by_bureau = client.get(reverse("org:departments"), {"bureau": Bureau.objects.get().pk}).content.decode()
    assert "미래전략과" in by_bureau and "강경읍" not in by_bureau


def test_inactive_departments_are_hidden_until_asked_for(org):
    Department.objects.filter(pk=org.other_dept.pk).update(active=False)
    client = client_for(org.planner)
    assert "강경읍" not in client.get(reverse("org:departments")).content.decode()
    assert "강경읍" in client.get(reverse("org:departments"), {"active": "0"}).content.decode()
    assert "강경읍" in client.get(reverse("org:departments"), {"active": ""}).content.decode()


def test_a_nonsense_filter_is_ignored_not_an_error(org):
    response = client_for(org.staff).get(reverse("org:departments"), {"bureau": "abc", "kind": "x", "active": "?"})
    assert response.status_code == 200


def test_htmx_filter_answers_the_results_fragment_only(org):
    response = client_for(org.staff).get(
        reverse("org:departments"), {"kind": "local"}, headers={"HX-Request": "true", "HX-Target": "dept-results"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="dept-results">')
    assert "<html" not in body and "강경읍" in body


def test_department_list_query_count_does_not_grow_with_rows(org):
    client = client_for(org.planner)
    url = reverse("org:departments")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    group = EvaluationGroup.objects.first()
    for i in range(50):
        d = Department.objects.create(
            code=f"Q{i:03d}", name=f"부서{i}", kind=DepartmentKind.MAIN, evaluation_group=group
        )
        Team.objects.create(department=d, name="팀")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert "부서49" in response.content.decode()
    assert len(many) == len(few)


def test_people_list_query_count_does_not_grow_with_rows(org):
    from hwallyu.core.testing import make_user
    from hwallyu.org.models import Role

    client = client_for(org.planner)
    url = reverse("org:people")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(40):
        make_user(f"user{i}", department=org.dept, role=Role.STAFF)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


# --- detail -------------------------------------------------------------------------------------


def test_detail_shows_people_to_its_manager_but_not_to_staff(org):
    url = reverse("org:department", args=[org.dept.pk])
    manager_page = client_for(org.manager).get(url).content.decode()
    assert "(staff)" in manager_page
    staff_page = client_for(org.staff).get(url).content.decode()
    assert "(staff)" not in staff_page and "부서장만 볼 수 있습니다" in staff_page
    other_page = client_for(org.other_manager).get(url).content.decode()
    assert "(staff)" not in other_page


def test_inline_team_add_with_htmx_returns_the_teams_section(org):
    client = client_for(org.planner)
    url = reverse("org:team_create", args=[org.dept.pk])
    response = client.post(url, {"name": "전략기획팀"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="teams"')
    assert "'전략기획팀'을(를) 추가했습니다." in body
    assert Team.objects.filter(department=org.dept, name="전략기획팀").exists()
    again = client.post(url, {"name": "전략기획팀"}, headers={"HX-Request": "true"})
    assert again.status_code == 200
    assert "이미 있습니다" in again.content.decode() and 'aria-invalid="true"' in again.content.decode()


def test_team_add_without_htmx_redirects(org):
    response = client_for(org.planner).post(reverse("org:team_create", args=[org.dept.pk]), {"name": "새팀"})
    assert response.status_code == 302


# --- forms --------------------------------------------------------------------------------------


def test_department_create_form_errors_rerender_with_200_and_summary(org):
    client = client_for(org.planner)
    response = client.post(reverse("org:department_create"), {"code": "D001", "name": "", "kind": "main"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "입력한 내용을 확인해 주세요" in body
    assert 'href="#id_name"' in body
    response = client.post(reverse("org:department_create"), {"code": "D001", "name": "새부서", "kind": "main"})
    assert response.status_code == 200
    assert "이미 쓰이고 있습니다" in response.content.decode()


def test_department_create_and_edit(org):
    client = client_for(org.planner)
    group = EvaluationGroup.objects.first()
    response = client.post(
        reverse("org:department_create"),
        {"code": "D100", "name": "관광진흥과", "kind": "main", "evaluation_group": group.pk, "order": ""},
    )
    department = Department.objects.get(code="D100")
    assert response.status_code == 302 and response["Location"] == reverse("org:department", args=[department.pk])
    response = client.post(
        reverse("org:department_edit", args=[department.pk]),
        {"code": "D100", "name": "관광과", "kind": "main", "evaluation_group": group.pk, "order": "7"},
    )
    assert response.status_code == 302
    department.refresh_from_db()
    assert (department.name, department.order) == ("관광과", 7)


def test_deleting_a_department_in_use_says_deactivate_instead(org):
    client = client_for(org.planner)
    response = client.post(reverse("org:department_delete", args=[org.dept.pk]), follow=True)
    assert "사용 중인 부서는 삭제할 수 없습니다. 대신 &#x27;사용 중지&#x27;하세요." in response.content.decode()
    assert Department.objects.filter(pk=org.dept.pk).exists()


def test_person_create_form(org):
    client = client_for(org.planner)
    response = client.post(
        reverse("org:person_create"),
        {
            "username": "hong",
            "name": "홍길동",
            "email": "hong@city.test",
            "department": org.dept.pk,
            "team": "",
            "position": "주무관",
            "role": "staff",
            "password1": "",
            "password2": "",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(user__username="hong")
    assert not person.user.has_usable_password()


def test_person_create_form_errors(org):
    client = client_for(org.planner)
    team = Team.objects.get(name="감사팀")  # belongs to 기획감사실, not 미래전략과
    response = client.post(
        reverse("org:person_create"),
        {
            "username": "staff",
            "name": "중복",
            "department": org.dept.pk,
            "team": team.pk,
            "role": "staff",
            "password1": "short",
            "password2": "other",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "비밀번호 확인이 일치하지 않습니다." in body


def test_planner_is_not_offered_the_admin_role(org):
    body = client_for(org.planner).get(reverse("org:person_create")).content.decode()
    assert 'value="admin"' not in body
    body = client_for(org.admin).get(reverse("org:person_create")).content.decode()
    assert 'value="admin"' in body


def test_person_edit_and_deactivate(org):
    client = client_for(org.planner)
    person = org.staff.person
    response = client.post(
        reverse("org:person_edit", args=[person.pk]),
        {
            "name": "최담당",
            "email": "staff@city.test",
            "department": org.dept.pk,
            "team": "",
            "position": "팀장",
            "role": "staff",
            "phone": "041-746-0000",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.position, person.phone, person.user.first_name) == ("팀장", "041-746-0000", "최담당")
    client.post(reverse("org:person_deactivate", args=[person.pk]))
    person.user.refresh_from_db()
    assert not person.user.is_active


def test_person_password_form(org):
    client = client_for(org.planner)
    url = reverse("org:person_password", args=[org.staff.person.pk])
    response = client.post(url, {"password1": "a-Strong-passphrase-42", "password2": "different"})
    assert response.status_code == 200
    assert "비밀번호 확인이 일치하지 않습니다." in response.content.decode()
    response = client.post(url, {"password1": "a-Strong-passphrase-42", "password2": "a-Strong-passphrase-42"})
    assert response.status_code == 302
    org.staff.refresh_from_db()
    assert org.staff.check_password("a-Strong-passphrase-42")


def test_bureau_and_city_forms(org):
    client = client_for(org.admin)
    response = client.post(reverse("org:bureaus"), {"name": "", "code": "", "order": ""})
    assert response.status_code == 200 and "입력한 내용을 확인해 주세요" in response.content.decode()
    response = client.post(reverse("org:bureaus"), {"name": "경제산업국", "code": "", "order": ""})
    assert response.status_code == 302 and Bureau.objects.filter(name="경제산업국").exists()
    response = client.post(reverse("org:city"), {"name": "논산시", "province": ""})
    assert response.status_code == 200
    response = client.post(reverse("org:city"), {"name": "논산시", "province": "충청남도"})
    assert response.status_code == 302


# --- import page --------------------------------------------------------------------------------


def upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_import_page_reports_rows_in_korean_and_saves_nothing(org):
    data = (
        "부서코드,부서명,구분,국,평가군,팀,사용\n"
        "D100,재무과,본청,,본청 지원부서,,Y\n"
        "D101,세정과,본청2,,본청 지원부서,,Y\n"
    )
    response = client_for(org.planner).post(reverse("org:import"), {"file": upload("조직도.csv", data.encode("cp949"))})
    assert response.status_code == 200
    body = response.content.decode()
    assert "3행 구분: &#x27;본청2&#x27;은(는) 허용되지 않는 값입니다 (본청/직속기관/사업소/읍면동)" in body
    assert not Department.objects.filter(code="D100").exists()


def test_import_page_success_and_template_roundtrip(org):
    client = client_for(org.planner)
    template = client.get(reverse("org:import_template"))
    assert template["Content-Type"].startswith("text/csv")
    assert template.content.startswith(b"\xef\xbb\xbf")
    text = template.content.decode("utf-8-sig").replace("미래전략과", "미래전략담당관")
    response = client.post(reverse("org:import"), {"file": upload("org.csv", text.encode("utf-8"))})
    body = response.content.decode()
    assert response.status_code == 200 and "가져오기를 마쳤습니다" in body
    assert Department.objects.get(code="D001").name == "미래전략담당관"


def test_import_page_empty_upload(org):
    response = client_for(org.planner).post(reverse("org:import"), {"file": upload("a.csv", b"")})
    assert response.status_code == 200
    assert "파일" in response.content.decode()


def test_import_page_xlsx(org):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["부서코드", "부서명", "구분", "국", "평가군", "팀", "사용"])
    workbook.active.append(["D200", "보건소", "직속기관", None, "직속기관·사업소", "보건행정팀", "Y"])
    out = io.BytesIO()
    workbook.save(out)
    response = client_for(org.planner).post(reverse("org:import"), {"file": upload("org.xlsx", out.getvalue())})
    assert "가져오기를 마쳤습니다" in response.content.decode()
    assert Department.objects.get(code="D200").teams.get().name == "보건행정팀"


# --- shell -------------------------------------------------------------------------------------


def test_navigation_and_dashboard(org):
    block = reverse("core:dashboard_block", args=["org"])
    planner = client_for(org.planner)
    planner_home = planner.get("/").content.decode()
    assert "조직 관리" in planner_home and "조직도 가져오기" in planner_home
    assert f'hx-get="{block}"' in planner_home  # the organisation's cards load by their own request
    assert (
        "본청 2 · 직속기관 0 · 사업소 0 · 읍면동 1"
        in planner.get(block, headers={"HX-Request": "true"}).content.decode()
    )
    staff = client_for(org.staff)
    staff_home = staff.get("/").content.decode()
    assert "부서 목록" in staff_home and "조직도 가져오기" not in staff_home
    assert f'hx-get="{block}"' not in staff_home
    assert staff.get(block, headers={"HX-Request": "true"}).status_code == 403


@pytest.mark.parametrize("role", ["planner", "staff"])
def test_department_list_renders_for_roles(org, role):
    assert client_for(org.users_by_role()[role]).get(reverse("org:departments")).status_code == 200
