"""Who sees and does what: the policy itself, and the evidence files per role (not in the shared
URL table because they need a stored file)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from hwallyu.performance import services
from hwallyu.performance.models import Evidence, IndicatorSet
from hwallyu.performance.policies import EDIT, MANAGE, SUBMIT, VIEW, VIEW_RESULTS, performance_policy

from .conftest import add_indicator, approve, make_scheme, set_of

pytestmark = pytest.mark.django_db


def test_policy_answers(org):
    scheme = make_scheme(org)
    own, other = set_of(scheme, org.dept), set_of(scheme, org.other_dept)
    can = performance_policy.can
    for user in (org.admin, org.planner):
        assert all(can(user, a, other) for a in (MANAGE, VIEW_RESULTS, VIEW, EDIT, SUBMIT))
    for user in (org.executive, org.auditor):
        assert can(user, VIEW_RESULTS) and can(user, VIEW, other)
        assert not any(can(user, a, other) for a in (MANAGE, EDIT, SUBMIT))
    assert can(org.manager, EDIT, own) and can(org.manager, SUBMIT, own) and not can(org.manager, EDIT, other)
    assert can(org.staff, EDIT, own) and not can(org.staff, SUBMIT, own)
    assert not can(org.manager, VIEW_RESULTS) and not can(org.manager, MANAGE)
    scoped = performance_policy.scope(org.staff, IndicatorSet.objects.filter(scheme=scheme))
    assert list(scoped) == [own]
    assert performance_policy.scope(org.executive, IndicatorSet.objects.filter(scheme=scheme)).count() == 3


def _evidence(org):
    scheme = make_scheme(org)
    indicator = add_indicator(org, scheme, org.dept)
    approve(org, scheme, org.dept)
    upload = SimpleUploadedFile("증빙.pdf", b"%PDF evidence", content_type="application/pdf")
    services.actual_submit(indicator=indicator, quarter=1, value=D(3), files=[upload], actor=org.staff)
    return Evidence.objects.get()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", 200),
        ("planner", 200),
        ("auditor", 200),
        ("executive", 200),
        ("manager", 200),
        ("staff", 200),
        ("other_manager", 404),
        ("anonymous", 302),
    ],
)
def test_evidence_download_per_role(org, role, expected):
    evidence = _evidence(org)
    client = Client()
    user = org.users_by_role()[role]
    if user is not None:
        client.force_login(user)
    assert client.get(reverse("performance:evidence", args=[evidence.pk])).status_code == expected


@pytest.mark.parametrize(
    ("role", "expected", "kept"),
    [
        ("staff", 302, False),
        ("planner", 302, False),
        ("executive", 403, True),
        ("other_manager", 404, True),
    ],
)
def test_evidence_delete_per_role(org, role, expected, kept):
    evidence = _evidence(org)
    client = Client()
    client.force_login(org.users_by_role()[role])
    assert client.post(reverse("performance:evidence_delete", args=[evidence.pk])).status_code == expected
    assert Evidence.objects.filter(pk=evidence.pk).exists() == kept


def test_accepted_actual_keeps_its_evidence(org):
    evidence = _evidence(org)
    services.actual_accept(actual=evidence.actual, actor=org.planner)
    client = Client()
    client.force_login(org.staff)
    client.post(reverse("performance:evidence_delete", args=[evidence.pk]))
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_other_department_pages_answer_404_and_reads_answer_403(org):
    scheme = make_scheme(org)
    indicator = add_indicator(org, scheme, org.dept)
    client = Client()
    client.force_login(org.other_manager)
    assert client.get(reverse("performance:department", args=[2024, "D001"])).status_code == 404
    assert client.get(reverse("performance:indicator_edit", args=[indicator.pk])).status_code == 404
    assert client.get(reverse("performance:department", args=[2024, "D002"])).status_code == 200
    client.force_login(org.executive)
    assert client.get(reverse("performance:department", args=[2024, "D001"])).status_code == 200
    assert client.get(reverse("performance:indicator_edit", args=[indicator.pk])).status_code == 403
    assert client.post(reverse("performance:indicator_delete", args=[indicator.pk])).status_code == 403
    assert client.get(reverse("performance:department", args=[2099, "D001"])).status_code == 404
