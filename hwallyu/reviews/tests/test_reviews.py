"""Review analysis (심사분석): the proposal and its thresholds, the submission flow, reminders,
alternatives turned into directives, permissions, the round report and the API."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hwallyu.accounts.services import api_token_create
from hwallyu.core.calendar import SEOUL
from hwallyu.notifications.models import Notification
from hwallyu.reviews import reminders, selectors, services
from hwallyu.reviews.models import AssessmentState, ReviewRound, ReviewScheme, Rule, Submission, SubmissionStatus
from hwallyu.reviews.tests.factories import make_review
from hwallyu.workplan.tests.factories import M

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def _states(year=2024):
    return list(services.scheme_ensure(year).states.all())


@pytest.mark.parametrize(
    ("planned", "actual", "long_term", "expected", "gap"),
    [
        (Decimal("62.5"), 55, False, "정상추진", Decimal("7.5")),
        (Decimal("60.0"), 50, False, "정상추진", Decimal("10.0")),  # exactly N points behind: not "more than"
        (Decimal("62.5"), 50, False, "지연", Decimal("12.5")),
        (Decimal("60.0"), 30, False, "지연", Decimal("30.0")),
        (Decimal("62.5"), 30, False, "부진", Decimal("32.5")),
        (Decimal("50.0"), 100, False, "완료", Decimal("-50.0")),
        (Decimal("80.0"), 10, True, "장기추진", Decimal("70.0")),
        (None, 40, False, "정상추진", None),
    ],
)
def test_proposal_thresholds_default_scheme(org, planned, actual, long_term, expected, gap):
    state, got_gap = selectors.propose(_states(), planned=planned, actual=actual, long_term=long_term)
    assert (state.label, got_gap) == (expected, gap)


def test_thresholds_are_data_per_year(org):
    scheme = services.scheme_ensure(2024)
    delayed = scheme.states.get(code="delayed")
    services.state_save(
        scheme=scheme,
        state=delayed,
        code="delayed",
        label="지연",
        rule=Rule.GAP,
        gap_threshold=Decimal("5"),
        actor=org.planner,
    )
    services.state_save(
        scheme=scheme,
        code="serious",
        label="심각",
        rule=Rule.GAP,
        gap_threshold=Decimal("50"),
        tone="danger",
        actor=org.planner,
    )
    states = list(scheme.states.all())
    assert selectors.propose(states, planned=Decimal(60), actual=54, long_term=False)[0].label == "지연"
    assert selectors.propose(states, planned=Decimal(90), actual=30, long_term=False)[0].label == "심각"
    # 2025 copies 2024's scheme when first used; 2024 changes stay in 2024
    copied = services.scheme_ensure(2025)
    assert copied.states.get(code="delayed").gap_threshold == Decimal("5.0")
    with pytest.raises(ValidationError):
        services.state_save(
            scheme=scheme, code="x", label="중복", rule=Rule.GAP, gap_threshold=Decimal("50"), actor=org.planner
        )
    with pytest.raises(ValidationError):
        services.state_save(scheme=scheme, code="y", label="두 번째 기본", rule=Rule.DEFAULT, actor=org.planner)
    with pytest.raises(PermissionDenied):
        services.state_save(scheme=scheme, code="z", label="부서", rule=Rule.MANUAL, actor=org.manager)


def test_round_defaults_and_due_time_from_the_working_calendar(org):
    f = make_review(org, open_round=False)
    assert (f.round.as_of, f.round.opens_on, f.round.closes_on) == (
        dt.date(2024, 6, 30),
        dt.date(2024, 7, 1),
        dt.date(2024, 7, 12),
    )
    assert f.round.due_at == dt.datetime(2024, 7, 12, 18, 0, tzinfo=SEOUL)
    with pytest.raises(ValidationError):
        services.round_create(year=2024, kind="quarterly", quarter=2, actor=org.planner)
    adhoc = services.round_create(
        year=2024,
        kind="adhoc",
        title="추석 전 점검",
        as_of=dt.date(2024, 9, 10),
        opens_on=dt.date(2024, 9, 14),
        closes_on=dt.date(2024, 9, 16),
        actor=org.planner,
    )
    # 14–18 Sep 2024 is Chuseok: the due time moves to the close of the next working day
    assert adhoc.due_at == dt.datetime(2024, 9, 19, 18, 0, tzinfo=SEOUL)
    with pytest.raises(ValidationError):
        services.round_create(
            year=2024,
            kind="adhoc",
            opens_on=dt.date(2024, 9, 2),
            closes_on=dt.date(2024, 9, 1),
            as_of=dt.date(2024, 9, 1),
            actor=org.planner,
        )


def test_opening_a_round_creates_drafts_and_asks_departments(org, django_capture_on_commit_callbacks):
    f = make_review(org, open_round=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.round_open(round_=f.round, actor=org.planner)
    assert Submission.objects.filter(round=f.round, status="draft").count() == 2
    assert Notification.objects.filter(recipient=org.staff, kind="reviews.round_open").count() == 1
    with pytest.raises(ValidationError):
        services.round_open(round_=ReviewRound.objects.get(pk=f.round.pk), actor=org.planner)


def test_staff_draft_manager_approves_system_proposes_planner_assesses(org, django_capture_on_commit_callbacks):
    f = make_review(org)
    sub = f.submission
    services.submission_save(
        submission=sub,
        progress=30,
        work_done="2분기 심사분석 일부 실시",
        budget=10 * M,
        budget_executed=4 * M,
        actor=org.staff,
    )
    # 50 % planned (months 3, 6, 9, 12 on 30 June), 30 % done: 20 points behind → 지연, so a reason is needed
    with pytest.raises(ValidationError) as exc:
        services.submission_submit(submission=sub, actor=org.staff)
    assert "지연" in " ".join(exc.value.messages) and "부진 사유" in " ".join(exc.value.messages)
    category = selectors.delay_categories(2024).get(label="관계기관 협의 지연")
    services.submission_save(submission=sub, delay_category=category, delay_reason="부서 일정 지연", actor=org.staff)
    with django_capture_on_commit_callbacks(execute=True):
        sub = services.submission_submit(submission=sub, actor=org.staff)
    assert sub.status == SubmissionStatus.SUBMITTED and sub.planned_progress == Decimal("50.0")
    assert Notification.objects.filter(recipient=org.manager, kind="reviews.submitted").exists()
    with pytest.raises(PermissionDenied):
        services.submission_approve(submission=sub, actor=org.staff)
    with pytest.raises(PermissionDenied):
        services.submission_approve(submission=sub, actor=org.other_manager)
    with django_capture_on_commit_callbacks(execute=True):
        sub = services.submission_approve(submission=sub, actor=org.manager)
    assert sub.status == SubmissionStatus.APPROVED
    assert sub.assessment.proposed_state.label == "지연" and sub.assessment.gap == Decimal("20.0")
    assert Notification.objects.filter(recipient=org.planner, kind="reviews.approved").exists()
    poor = AssessmentState.objects.get(scheme__year=2024, code="poor")
    with pytest.raises(PermissionDenied):
        services.submission_assess(submission=sub, final_state=poor, actor=org.manager)
    assessment = services.submission_assess(
        submission=sub, final_state=poor, comment="대안 마련 필요", actor=org.planner
    )
    assert (assessment.proposed_state.label, assessment.final_state.label) == ("지연", "부진")
    assert Submission.objects.get(pk=sub.pk).status == SubmissionStatus.ASSESSED


def test_manager_submitting_approves_at_once_and_system_proposes_delayed(org):
    f = make_review(org)
    category = selectors.delay_categories(2024).first()
    services.submission_save(
        submission=f.submission,
        progress=35,
        work_done="착수",
        delay_category=category,
        delay_reason="예산 배정 지연",
        actor=org.manager,
    )
    sub = services.submission_submit(submission=f.submission, actor=org.manager)
    assert sub.status == SubmissionStatus.APPROVED and sub.approved_by == org.manager
    assert Submission.objects.get(pk=sub.pk).assessment.proposed_state.label == "지연"


@pytest.mark.parametrize("progress", [-5, 101, 150])
def test_progress_outside_0_to_100_is_refused(org, progress):
    f = make_review(org)
    with pytest.raises(ValidationError) as exc:
        services.submission_save(submission=f.submission, progress=progress, actor=org.staff)
    assert "0–100" in " ".join(exc.value.messages)
    assert Submission.objects.get(pk=f.submission.pk).progress is None


def test_execution_above_budget_without_a_note_is_refused(org):
    f = make_review(org)
    with pytest.raises(ValidationError) as exc:
        services.submission_save(submission=f.submission, budget=10 * M, budget_executed=12 * M, actor=org.staff)
    assert "사유" in exc.value.message_dict["budget_note"][0]
    services.submission_save(
        submission=f.submission, budget=10 * M, budget_executed=12 * M, budget_note="추경 반영", actor=org.staff
    )
    response = client_for(org.staff).post(
        reverse("reviews:submission_edit", args=[f.other_submission.pk]), {"budget": "10", "budget_executed": "12"}
    )
    assert response.status_code == 404  # another department's submission is not found
    response = client_for(org.staff).post(
        reverse("reviews:submission_edit", args=[f.submission.pk]),
        {"progress": "10", "budget": "10", "budget_executed": "13"},
    )
    assert response.status_code == 200 and "사유" in response.content.decode()
    assert Submission.objects.get(pk=f.submission.pk).budget_executed == 12 * M


def test_alternative_becomes_a_directive_linked_both_ways(org):
    from hwallyu.directives.models import Directive

    f = make_review(org)
    services.submission_save(submission=f.submission, progress=50, work_done="계획대로", actor=org.manager)
    sub = services.submission_submit(submission=f.submission, actor=org.manager)
    with pytest.raises(PermissionDenied):
        services.alternative_add(submission=sub, text="x", actor=org.manager)
    alternative = services.alternative_add(
        submission=sub, text="관계기관 협의를 월 1회 정례화", due_on=dt.date(2026, 12, 31), actor=org.planner
    )
    with pytest.raises(PermissionDenied):
        services.alternative_to_directive(alternative=alternative, actor=org.manager)
    alternative = services.alternative_to_directive(alternative=alternative, actor=org.planner)
    directive = Directive.objects.get(number=alternative.directive_number)
    assert directive.lead_department == org.dept and "관계기관 협의를 월 1회 정례화" in directive.content
    assert directive.shared_at is not None
    assert selectors.alternative_for_directive(directive.number).pk == alternative.pk
    with pytest.raises(ValidationError):
        services.alternative_to_directive(alternative=alternative, actor=org.planner)
    page = client_for(org.planner).get(reverse("reviews:submission", args=[sub.pk])).content.decode()
    assert reverse("directives:detail", args=[directive.number]) in page
    back = client_for(org.planner).get(reverse("directives:detail", args=[directive.number])).content.decode()
    assert selectors.alternative_url(alternative) in back


def test_alternative_conversion_from_the_page(org):
    f = make_review(org)
    services.submission_save(submission=f.submission, progress=50, work_done="계획대로", actor=org.manager)
    services.submission_submit(submission=f.submission, actor=org.manager)
    client = client_for(org.planner)
    client.post(reverse("reviews:alternative_add", args=[f.submission.pk]), {"text": "조기 발주"})
    alternative = f.submission.alternatives.get()
    page = client.get(reverse("reviews:submission", args=[f.submission.pk])).content.decode()
    assert "지시사항으로 등록" in page
    response = client.post(
        reverse("reviews:alternative_convert", args=[alternative.pk]), {"source": "기타", "given_by": "시장"}
    )
    assert response.status_code == 302
    alternative.refresh_from_db()
    assert alternative.directive_number.startswith(f"{dt.date.today().year}-") or alternative.directive_number


def test_scope_and_roles(org):
    f = make_review(org)
    assert client_for(org.other_manager).get(reverse("reviews:submission", args=[f.submission.pk])).status_code == 404
    assert client_for(org.executive).get(reverse("reviews:submission", args=[f.submission.pk])).status_code == 200
    assert client_for(org.executive).get(reverse("reviews:submission_edit", args=[f.submission.pk])).status_code == 403
    assert client_for(org.manager).get(reverse("reviews:round_report", args=[f.round.pk])).status_code == 403
    assert client_for(org.manager).get(reverse("reviews:target", args=[f.other_target.pk])).status_code == 404
    html = client_for(org.manager).get(reverse("reviews:round", args=[f.round.pk])).content.decode()
    assert "역점사업 심사분석" in html and "찾아가는 민원실" not in html
    with pytest.raises(PermissionDenied):
        services.submission_save(submission=f.other_submission, progress=10, actor=org.staff)


def test_reminders_follow_the_working_calendar_and_stop_after_submitting(org):
    f = make_review(org)
    at = lambda *a: dt.datetime(*a, tzinfo=SEOUL)  # noqa: E731
    assert reminders.sweep(at(2024, 7, 10, 10)) == 0
    assert reminders.sweep(at(2024, 7, 11, 18, 30)) == 2  # D-1 working day, both departments
    assert reminders.sweep(at(2024, 7, 11, 18, 45)) == 0  # sent once
    assert reminders.sweep(at(2024, 7, 12, 9, 30)) == 2  # due day
    assert reminders.sweep(at(2024, 7, 13, 10)) == 0  # Saturday
    assert reminders.sweep(at(2024, 7, 15, 10)) == 2  # overdue, Monday
    assert reminders.sweep(at(2024, 7, 15, 16)) == 0
    services.submission_save(submission=f.submission, progress=50, work_done="완료", actor=org.manager)
    services.submission_submit(submission=f.submission, actor=org.manager)
    assert reminders.sweep(at(2024, 7, 16, 10)) == 1  # only the department that has not submitted
    notice = Notification.objects.filter(recipient=org.other_manager, kind="reviews.reminder").first()
    assert "찾아가는 민원실" in notice.body
    scheme = ReviewScheme.objects.get(year=2024)
    services.scheme_settings_update(scheme=scheme, reminder_before=True, remind_overdue=False, actor=org.planner)
    assert reminders.sweep(at(2024, 7, 17, 10)) == 0


def _reopen(fmt, content):
    if fmt == "xlsx":
        from openpyxl import load_workbook

        ws = load_workbook(io.BytesIO(content)).active
        return "\n".join(" ".join(str(v) for v in row if v is not None) for row in ws.iter_rows(values_only=True))
    from hwpx import HwpxDocument

    doc = HwpxDocument.open(content)
    try:
        return doc.text.plain()
    finally:
        doc.close()


@pytest.mark.parametrize("fmt", ["hwpx", "xlsx"])
def test_round_report_downloads_and_reopens(org, fmt):
    f = make_review(org)
    category = selectors.delay_categories(2024).first()
    services.submission_save(
        submission=f.submission,
        progress=30,
        work_done="일부 실시",
        delay_category=category,
        delay_reason="지연 사유",
        actor=org.manager,
    )
    sub = services.submission_submit(submission=f.submission, actor=org.manager)
    services.alternative_add(submission=sub, text="추진 일정 재조정", actor=org.planner)
    services.submission_assess(
        submission=sub, final_state=AssessmentState.objects.get(scheme__year=2024, code="delayed"), actor=org.planner
    )
    response = client_for(org.executive).get(reverse("reviews:round_report", args=[f.round.pk]) + f"?format={fmt}")
    assert response.status_code == 200 and f".{fmt}" in response["Content-Disposition"]
    text = _reopen(fmt, response.content)
    for piece in (
        "2024년 2분기 역점사업 심사분석 결과 보고",
        "부서별 심사 결과",
        "미래전략과",
        "역점사업 심사분석",
        "찾아가는 민원실",
        "지연",
        "추진 일정 재조정",
    ):
        assert piece in text, piece


def test_trend_across_rounds(org):
    f = make_review(org)
    services.submission_save(
        submission=f.submission,
        progress=40,
        work_done="2분기",
        delay_category=selectors.delay_categories(2024).first(),
        delay_reason="사유",
        actor=org.manager,
    )
    services.submission_submit(submission=f.submission, actor=org.manager)
    q3 = services.round_open(
        round_=services.round_create(year=2024, kind="quarterly", quarter=3, actor=org.planner), actor=org.planner
    )
    sub3 = Submission.objects.get(round=q3, target=f.target)
    services.submission_save(submission=sub3, progress=75, work_done="3분기", actor=org.manager)
    services.submission_submit(submission=sub3, actor=org.manager)
    points = selectors.trend(f.target)
    assert [(p.planned, p.actual) for p in points] == [(Decimal("50.0"), 40), (Decimal("75.0"), 75)]
    assert points[0].state_label == "정상추진(제안)" and points[1].state_label == "정상추진(제안)"
    html = client_for(org.manager).get(reverse("reviews:target", args=[f.target.pk])).content.decode()
    assert "2024년 3분기 역점사업 심사분석" in html


def test_round_pages_query_count_is_constant(org):
    from hwallyu.reviews.models import ReviewTarget
    from hwallyu.workplan import services as plan_services

    f = make_review(org)
    f.other_submission.delete()
    ReviewTarget.objects.filter(pk=f.other_target.pk).delete()

    def counts():
        client = client_for(org.planner)
        result = []
        for url in (
            reverse("reviews:rounds"),
            reverse("reviews:targets") + "?year=2024",
            reverse("reviews:round", args=[f.round.pk]),
        ):
            client.get(url)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            result.append(len(ctx.captured_queries))
        return result

    few = counts()
    for i in range(49):
        project = plan_services.project_create(task=f.plan.task, title=f"역점 {i}", months={6: ""}, actor=org.planner)
        target = services.target_create(year=2024, project=project, actor=org.planner)
        Submission.objects.create(round=f.round, target=target)
    for q in (1, 3, 4):
        services.round_create(year=2024, kind="quarterly", quarter=q, actor=org.planner)
    for sub in Submission.objects.filter(round=f.round)[:10]:
        services.submission_save(
            submission=sub,
            progress=20,
            work_done="x",
            delay_category=selectors.delay_categories(2024).first(),
            delay_reason="y",
            actor=org.planner,
        )
        sub = services.submission_submit(submission=sub, actor=org.planner)
        services.alternative_add(submission=sub, text="대안", actor=org.planner)
    assert Submission.objects.filter(round=f.round).count() == 50
    assert few == counts()


def test_api_flow_and_bad_input(org):
    make_review(org, open_round=False)
    _, raw = api_token_create(user=org.planner, name="t")
    planner = Client(headers={"Authorization": f"Bearer {raw}"})
    _, raw = api_token_create(user=org.manager, name="t")
    manager = Client(headers={"Authorization": f"Bearer {raw}"})
    rounds = planner.get("/api/v1/reviews/rounds", {"year": 2024}).json()
    round_id = rounds[0]["id"]
    assert planner.post(f"/api/v1/reviews/rounds/{round_id}/open").json()["status"] == "open"
    detail = manager.get(f"/api/v1/reviews/rounds/{round_id}").json()
    assert len(detail["submissions"]) == 1
    sub_id = detail["submissions"][0]["id"]
    bad = manager.patch(f"/api/v1/reviews/submissions/{sub_id}", {"progress": 120}, content_type="application/json")
    assert bad.status_code == 422 and "0–100" in bad.json()["detail"]
    bad = manager.patch(
        f"/api/v1/reviews/submissions/{sub_id}",
        {"budget": 1000, "budget_executed": 2000},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "사유" in bad.json()["detail"]
    bad = manager.patch(
        f"/api/v1/reviews/submissions/{sub_id}", {"delay_category": "없는 사유"}, content_type="application/json"
    )
    assert bad.status_code == 422
    ok = manager.patch(
        f"/api/v1/reviews/submissions/{sub_id}",
        {"progress": 35, "work_done": "착수", "delay_category": "예산 미확보·지연", "delay_reason": "예산 배정 지연"},
        content_type="application/json",
    )
    assert ok.status_code == 200
    submitted = manager.post(f"/api/v1/reviews/submissions/{sub_id}/submit").json()
    assert submitted["status"] == "approved" and submitted["proposed"] == "지연"
    assert (
        manager.post(
            f"/api/v1/reviews/submissions/{sub_id}/assess", {"final_state": "지연"}, content_type="application/json"
        ).status_code
        == 403
    )
    assessed = planner.post(
        f"/api/v1/reviews/submissions/{sub_id}/assess",
        {"final_state": "delayed", "comment": "분발"},
        content_type="application/json",
    )
    assert assessed.json()["final"] == "지연"
    alt = planner.post(
        f"/api/v1/reviews/submissions/{sub_id}/alternatives", {"text": "일정 재조정"}, content_type="application/json"
    )
    assert alt.status_code == 201
    converted = planner.post(
        f"/api/v1/reviews/alternatives/{alt.json()['id']}/directive", {}, content_type="application/json"
    )
    assert converted.status_code == 200 and converted.json()["directive_number"]
    again = planner.post(
        f"/api/v1/reviews/alternatives/{alt.json()['id']}/directive", {}, content_type="application/json"
    )
    assert again.status_code == 422
    _, raw = api_token_create(user=org.other_manager, name="t")
    other = Client(headers={"Authorization": f"Bearer {raw}"})
    assert other.get(f"/api/v1/reviews/submissions/{sub_id}").status_code == 404
    trend = manager.get(f"/api/v1/reviews/targets/{detail['submissions'][0]['target']['id']}/trend").json()
    assert trend["points"][0]["state"] == "지연"
    report = planner.get(f"/api/v1/reviews/rounds/{round_id}/report", {"format": "xlsx"})
    assert report.status_code == 200
    assert (
        planner.post(
            "/api/v1/reviews/rounds", {"year": 2024, "kind": "quarterly", "quarter": 7}, content_type="application/json"
        ).status_code
        == 422
    )
