"""Who sees and does what: 404 outside the scope, 403 for an action the role may not take."""

import pytest
from django.urls import reverse

from hwallyu.directives import services
from hwallyu.directives.models import Directive
from hwallyu.directives.policies import directive_policy

from .conftest import at, make_directive

pytestmark = pytest.mark.django_db

ROLES = ["admin", "planner", "auditor", "executive", "manager", "staff", "other_manager", "other_staff"]


@pytest.fixture
def shared(org, clock):
    clock(at(2024, 9, 13, 11))
    directive = make_directive(org, share_at=at(2024, 9, 13, 10))
    return directive


def test_scope(org, shared):
    unshared = make_directive(org, title="미공유")
    for role in ["admin", "planner", "auditor", "executive"]:
        assert set(directive_policy.scope(getattr(org, role))) == {shared, unshared}
    for role in ["manager", "staff"]:
        assert list(directive_policy.scope(getattr(org, role))) == [shared]
    for role in ["other_manager", "other_staff"]:
        assert not directive_policy.scope(getattr(org, role)).exists()


def _status(client, user, method, url, data=None):
    client.force_login(user)
    response = getattr(client, method)(url, data or {})
    client.logout()
    return response.status_code


@pytest.mark.parametrize(
    ("name", "method", "data", "expected"),
    [
        (
            "detail",
            "get",
            None,
            {
                "admin": 200,
                "planner": 200,
                "auditor": 200,
                "executive": 200,
                "manager": 200,
                "staff": 200,
                "other_manager": 404,
                "other_staff": 404,
            },
        ),
        (
            "share",
            "post",
            None,
            {
                "admin": 302,
                "planner": 302,
                "auditor": 403,
                "executive": 403,
                "manager": 403,
                "staff": 403,
                "other_manager": 404,
                "other_staff": 404,
            },
        ),
        (
            "acknowledge",
            "post",
            None,
            {
                "admin": 302,
                "planner": 302,
                "auditor": 403,
                "executive": 403,
                "manager": 302,
                "staff": 302,
                "other_manager": 404,
                "other_staff": 404,
            },
        ),
        (
            "report",
            "post",
            {"kind": "first", "body": "착수"},
            {
                "admin": 302,
                "planner": 302,
                "auditor": 403,
                "executive": 403,
                "manager": 302,
                "staff": 302,
                "other_manager": 404,
                "other_staff": 404,
            },
        ),
        (
            "extension_request",
            "post",
            {"days": 2, "reason": "사유"},
            {
                "admin": 302,
                "planner": 302,
                "auditor": 403,
                "executive": 403,
                "manager": 302,
                "staff": 403,
                "other_manager": 404,
                "other_staff": 404,
            },
        ),
    ],
)
def test_directive_actions_per_role(org, shared, client, name, method, data, expected):
    from django.db import transaction

    url = reverse(f"directives:{name}", args=[shared.number])
    got = {}
    for role in ROLES:
        with transaction.atomic():
            got[role] = _status(client, getattr(org, role), method, url, data)
            transaction.set_rollback(True)
    assert got == expected


def test_close_request_and_decision_per_role(org, shared, client):
    services.directive_report(directive=shared, actor=org.staff, kind="first", body="착수")
    request_url = reverse("directives:close_request", args=[shared.number])
    data = {"final_state": "long_term", "reason": "장기 과제"}
    assert _status(client, org.staff, "post", request_url, data) == 403
    assert _status(client, org.executive, "post", request_url, data) == 403
    assert _status(client, org.other_manager, "post", request_url, data) == 404
    assert _status(client, org.manager, "post", request_url, data) == 302
    approve_url = reverse("directives:close_approve", args=[shared.number])
    assert _status(client, org.manager, "post", approve_url) == 403
    assert _status(client, org.auditor, "post", approve_url) == 403
    assert _status(client, org.planner, "post", approve_url) == 302
    assert Directive.objects.get(pk=shared.pk).state == "long_term"


def test_unshared_directive_is_not_found_for_the_department(org, shared, client):
    unshared = make_directive(org, title="미공유")
    assert _status(client, org.manager, "get", reverse("directives:detail", args=[unshared.number])) == 404
    assert _status(client, org.planner, "get", reverse("directives:detail", args=[unshared.number])) == 200


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("list", [], {"planner": 200, "executive": 200, "auditor": 200, "manager": 200, "staff": 200}),
        ("inbox", [], {"planner": 403, "executive": 403, "auditor": 403, "manager": 200, "staff": 200}),
        ("create", [], {"planner": 200, "executive": 403, "auditor": 403, "manager": 403, "staff": 403}),
        ("bulk", [], {"planner": 200, "executive": 403, "auditor": 403, "manager": 403, "staff": 403}),
        ("scheme", [], {"planner": 200, "executive": 403, "auditor": 403, "manager": 403, "staff": 403}),
        ("reviews", [], {"planner": 200, "executive": 200, "auditor": 200, "manager": 403, "staff": 403}),
        ("review", [2024, 3], {"planner": 200, "executive": 200, "auditor": 200, "manager": 403, "staff": 403}),
        (
            "review_download",
            [2024, 3, "xlsx"],
            {"planner": 200, "executive": 200, "auditor": 200, "manager": 403, "staff": 403},
        ),
    ],
)
def test_pages_per_role(org, shared, client, name, args, expected):
    url = reverse(f"directives:{name}", args=args)
    assert {role: _status(client, getattr(org, role), "get", url) for role in expected} == expected
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page


def test_review_approval_is_for_the_planning_office_only(org, shared, client):
    url = reverse("directives:review", args=[2024, 3])
    assert _status(client, org.executive, "post", url, {"note": ""}) == 403
    assert _status(client, org.auditor, "post", url, {"note": ""}) == 403


def test_attachment_follows_the_directive_scope(org, shared, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = services.directive_report(
        directive=shared, actor=org.staff, kind="first", body="첨부", files=[SimpleUploadedFile("a.txt", b"x")]
    )
    url = reverse("directives:attachment", args=[report.attachments.get().pk])
    assert _status(client, org.manager, "get", url) == 200
    assert _status(client, org.other_manager, "get", url) == 404
    assert _status(client, org.executive, "get", url) == 200
