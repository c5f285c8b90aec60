"""Who sees and does what: 404 outside the department's indicators, 403 for actions a role may not take."""

import pytest
from django.urls import reverse

from hwallyu.province.models import Actual

from .conftest import enter, make_indicator

pytestmark = pytest.mark.django_db

ROLES = ["admin", "planner", "auditor", "executive", "manager", "staff", "other_manager"]


@pytest.fixture
def setup(org, year):
    mine = make_indicator(org, year, code="B-01")  # 미래전략과 (manager, staff)
    qualitative = make_indicator(org, year, code="Q-01", kind="qualitative")
    actual = enter(org, mine, 5, 100)
    return {"mine": mine, "qualitative": qualitative, "actual": actual}


def status_for(client, org, role, url, method="get", data=None):
    client.force_login(getattr(org, role))
    response = getattr(client, method)(url, data or {})
    client.logout()
    return response.status_code


CASES = [
    # (url name, args, method, data, {role: status})
    ("province:indicator", [2024, "B-01"], "get", None, {"other_manager": 404}),
    ("province:indicator", [2024, "Q-01"], "get", None, {"other_manager": 404}),
    (
        "province:actual_enter",
        [2024, "B-01"],
        "post",
        {"month": 6, "value": 150},
        {
            "admin": 302,
            "planner": 302,
            "auditor": 403,
            "executive": 403,
            "manager": 302,
            "staff": 302,
            "other_manager": 404,
        },
    ),
    (
        "province:writeup_save",
        [2024, "Q-01"],
        "post",
        {"title": "t", "body": "b"},
        {
            "admin": 302,
            "planner": 302,
            "auditor": 403,
            "executive": 403,
            "manager": 302,
            "staff": 302,
            "other_manager": 404,
        },
    ),
    (
        "province:scheme",
        [2024],
        "get",
        None,
        {
            "admin": 200,
            "planner": 200,
            "auditor": 403,
            "executive": 403,
            "manager": 403,
            "staff": 403,
            "other_manager": 403,
        },
    ),
    (
        "province:import",
        [2024],
        "get",
        None,
        {
            "admin": 200,
            "planner": 200,
            "auditor": 403,
            "executive": 403,
            "manager": 403,
            "staff": 403,
            "other_manager": 403,
        },
    ),
    (
        "province:review",
        [2024],
        "get",
        None,
        {
            "admin": 200,
            "planner": 200,
            "auditor": 403,
            "executive": 403,
            "manager": 403,
            "staff": 403,
            "other_manager": 403,
        },
    ),
    (
        "province:pack",
        [2024],
        "get",
        None,
        {
            "admin": 200,
            "planner": 200,
            "auditor": 200,
            "executive": 200,
            "manager": 403,
            "staff": 403,
            "other_manager": 403,
        },
    ),
    (
        "province:what_if",
        [2024],
        "get",
        None,
        {
            "admin": 200,
            "planner": 200,
            "auditor": 200,
            "executive": 200,
            "manager": 403,
            "staff": 403,
            "other_manager": 403,
        },
    ),
    (
        "province:entry",
        [2024],
        "get",
        None,
        {
            "admin": 200,
            "planner": 200,
            "auditor": 403,
            "executive": 403,
            "manager": 200,
            "staff": 200,
            "other_manager": 200,
        },
    ),
    ("province:lagging", [2024], "get", None, {}),
    ("province:indicators", [2024], "get", None, {}),
    ("province:year", [2024], "get", None, {}),
    ("province:year", [2030], "get", None, dict.fromkeys(ROLES, 404)),
]


@pytest.mark.parametrize("name, args, method, data, expected", CASES, ids=[f"{c[0]} {c[1]}" for c in CASES])
def test_status_by_role(org, setup, client, name, args, method, data, expected):
    url = reverse(name, args=args)
    got = {role: status_for(client, org, role, url, method, data) for role in ROLES}
    default = 302 if method == "post" else 200
    assert got == {role: expected.get(role, default) for role in ROLES}


def test_department_sees_only_its_indicators_and_actuals(org, setup, client):
    client.force_login(org.other_manager)
    page = client.get(reverse("province:indicators", args=[2024]))
    assert [r.indicator.code for r in page.context["rows"]] == []
    review = reverse("province:actual_accept", args=[2024, setup["actual"].pk])
    assert client.post(review).status_code == 404
    client.force_login(org.manager)
    assert client.post(review).status_code == 403
    assert Actual.objects.get().status == "submitted"


def test_evidence_download_follows_the_indicator(org, year, client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    indicator = make_indicator(org, year)
    actual = enter(org, indicator, 5, 1, files=[SimpleUploadedFile("증빙.txt", b"evidence")])
    url = reverse("province:evidence", args=[actual.evidence.get().pk])
    client.force_login(org.staff)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"evidence"
    client.force_login(org.other_staff)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
