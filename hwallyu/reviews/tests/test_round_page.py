"""The round page of a large city: 50 submissions a page, the department summary counted in the database
with the same numbers as the round report's."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hwallyu.reviews import selectors, services
from hwallyu.reviews.models import Submission
from hwallyu.reviews.tests.factories import make_review
from hwallyu.workplan import services as plan_services

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def _assessed(org, sub, progress: int, final_code: str) -> None:
    services.submission_save(
        submission=sub,
        progress=progress,
        work_done="실적",
        delay_category=selectors.delay_categories(2024).first(),
        delay_reason="사유",
        actor=org.planner,
    )
    sub = services.submission_submit(submission=sub, actor=org.planner)
    state = next(s for s in selectors.states_of(selectors.scheme_for(2024)) if s.code == final_code)
    services.submission_assess(submission=sub, final_state=state, comment="", actor=org.planner)


def test_round_summary_counted_in_the_database_matches_the_report(org):
    f = make_review(org)
    _assessed(org, f.submission, 10, "poor")
    services.submission_save(
        submission=f.other_submission,
        progress=50,
        work_done="실적",
        delay_category=selectors.delay_categories(2024).first(),
        delay_reason="사유",
        actor=org.planner,
    )
    services.submission_submit(submission=f.other_submission, actor=org.planner)
    for i in range(3):
        project = plan_services.project_create(task=f.plan.task, title=f"역점 {i}", months={6: ""}, actor=org.planner)
        target = services.target_create(year=2024, project=project, actor=org.planner)
        sub = Submission.objects.create(round=f.round, target=target)
        if i == 0:
            _assessed(org, sub, 100, "completed")
    items = list(selectors.submissions(f.round))
    expected = selectors.round_summary(f.round, items)
    counted = selectors.round_summary_counts(f.round, Submission.objects.filter(round=f.round))
    assert counted.columns == expected.columns
    assert [(r.label, r.counts, r.total) for r in counted.by_department] == [
        (r.label, r.counts, r.total) for r in expected.by_department
    ]
    assert counted.overall == expected.overall
    assert sorted(counted.status_counts.items()) == sorted(expected.status_counts.items())
    # a department sees its own part
    html = client_for(org.manager).get(reverse("reviews:round", args=[f.round.pk])).content.decode()
    assert org.dept.name in html and org.other_dept.name not in html


def test_round_page_lists_fifty_submissions_a_page(org):
    f = make_review(org)
    for i in range(50):
        project = plan_services.project_create(
            task=f.plan.task, title=f"역점 {i:02d}", months={6: ""}, actor=org.planner
        )
        target = services.target_create(year=2024, project=project, actor=org.planner)
        Submission.objects.create(round=f.round, target=target)
    client = client_for(org.planner)
    first = client.get(reverse("reviews:round", args=[f.round.pk])).content.decode()
    second = client.get(reverse("reviews:round", args=[f.round.pk]) + "?page=2").content.decode()
    assert "총 52건" in first
    assert first.count('href="/reviews/submissions/') == 50 and second.count('href="/reviews/submissions/') == 2
    assert all(f"역점 {i:02d}" in first + second for i in range(50))
    # the summary counts every submission of the round on every page
    assert ">52</td>" in second
