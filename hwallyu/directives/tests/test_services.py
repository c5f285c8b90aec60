"""Each state change of a directive, through the services, with the working-time calendar."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from hwallyu.api.base import ServiceError
from hwallyu.core.audit import verify_chain
from hwallyu.core.models import AuditEvent
from hwallyu.directives import services
from hwallyu.directives.models import (
    CloseRequest,
    Directive,
    DirectiveEvent,
    DirectiveReport,
    EventKind,
    ExtensionRequest,
    RequestStatus,
    State,
)
from hwallyu.notifications.models import Notification, OutboxMessage

from .conftest import at, make_directive

pytestmark = pytest.mark.django_db


def test_register_numbers_the_year_and_sets_the_same_day_share_due(org, clock):
    clock(at(2024, 9, 13, 10))
    first = make_directive(org, given_at=at(2024, 9, 13, 9))
    second = make_directive(org, given_at=at(2024, 9, 13, 9), title="두 번째")
    assert (first.number, second.number) == ("2024-0001", "2024-0002")
    assert first.state == State.REGISTERED
    assert first.share_due_at == at(2024, 9, 13, 18)
    assert first.quarter == 3
    assert first.deadline_class == "단순·후속 보고" and first.report_days == 3
    assert [a.department for a in first.assignments.all()] == [org.dept]
    assert AuditEvent.objects.filter(action="directive.register", target_id=str(first.pk)).exists()
    assert DirectiveEvent.objects.filter(directive=first, kind=EventKind.REGISTERED).count() == 1


def test_given_after_close_of_day_is_shared_by_next_working_day(org, clock):
    clock(at(2024, 9, 13, 19))
    directive = make_directive(org, given_at=at(2024, 9, 13, 18, 30))
    # Chuseok 16–18 Sep: the next working day is Thu the 19th.
    assert directive.share_due_at == at(2024, 9, 19, 18)


def test_share_over_chuseok_first_report_due_2024_09_23_10_00(org, clock, django_capture_on_commit_callbacks):
    clock(at(2024, 9, 13, 10))
    directive = make_directive(org, given_at=at(2024, 9, 13, 9), supports=[org.other_dept])
    with django_capture_on_commit_callbacks(execute=True):
        directive = services.directive_share(directive=directive, actor=org.planner)
    assert directive.state == State.SHARED
    assert directive.shared_at == at(2024, 9, 13, 10)
    assert directive.first_report_due_at == at(2024, 9, 23, 10)
    directive.refresh_from_db()
    assert timezone.localtime(directive.first_report_due_at).isoformat() == "2024-09-23T10:00:00+09:00"
    assert directive.share_late is False
    assert {a.received_at for a in directive.assignments.all()} == {at(2024, 9, 13, 10)}
    # both departments' people got it in the app and by e-mail
    recipients = set(Notification.objects.filter(kind="directive.shared").values_list("recipient__username", flat=True))
    assert recipients == {"manager", "staff", "other_manager", "other_staff"}
    assert OutboxMessage.objects.filter(subject__contains=directive.number).count() == 4


def test_plan_class_counts_ten_working_days(org, clock):
    clock(at(2024, 9, 13, 10))
    directive = make_directive(org, deadline_class="계획 수립", share_at=at(2024, 9, 13, 10))
    assert directive.report_days == 10
    assert directive.first_report_due_at == at(2024, 10, 2, 18)


def test_late_share_is_marked(org, clock):
    clock(at(2024, 9, 19, 9, 30))
    directive = make_directive(org, given_at=at(2024, 9, 13, 9))
    directive = services.directive_share(directive=directive, actor=org.planner)
    assert directive.share_late is True
    assert directive.first_report_due_at == at(2024, 9, 24, 9, 30)
    assert "공유 기한 경과" in directive.events.get(kind=EventKind.SHARED).message


def test_double_share_is_refused_without_change(org, clock, django_capture_on_commit_callbacks):
    clock(at(2024, 9, 13, 10))
    directive = make_directive(org)
    with django_capture_on_commit_callbacks(execute=True):
        services.directive_share(directive=directive, actor=org.planner)
    clock(at(2024, 9, 13, 11))
    with pytest.raises(ServiceError) as exc, django_capture_on_commit_callbacks(execute=True):
        services.directive_share(directive=directive, actor=org.planner)
    assert exc.value.status == 409 and "이미 공유" in exc.value.message
    directive.refresh_from_db()
    assert directive.shared_at == at(2024, 9, 13, 10)
    assert Notification.objects.filter(kind="directive.shared", recipient=org.manager).count() == 1


def test_only_the_planning_office_registers_and_shares(org, clock):
    clock(at(2024, 9, 13, 10))
    directive = make_directive(org)
    for user in (org.manager, org.staff, org.executive, org.auditor):
        with pytest.raises(PermissionDenied):
            services.directive_share(directive=directive, actor=user)
    with pytest.raises(PermissionDenied):
        make_directive(org) if False else services.directive_register(
            data=services.DirectiveInput(
                title="x", given_at=at(2024, 9, 13, 9), source="간부회의", given_by="시장", lead_department=org.dept
            ),
            actor=org.manager,
        )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"source": "회식"}, "지시 출처"),
        ({"given_by": "이장"}, "지시자"),
        ({"deadline_class": "초특급"}, "기한 구분"),
        ({"title": "  "}, "제목"),
    ],
)
def test_register_refuses_values_outside_the_years_scheme(org, clock, change, message):
    clock(at(2024, 9, 13, 10))
    with pytest.raises(ServiceError) as exc:
        make_directive(org, **change)
    assert message in exc.value.message
    assert not Directive.objects.exists()


def test_register_refuses_lead_as_support_and_future_time(org, clock):
    clock(at(2024, 9, 13, 10))
    with pytest.raises(ServiceError, match="주관부서를 협조부서로"):
        make_directive(org, supports=[org.dept])
    with pytest.raises(ServiceError, match="현재보다 뒤"):
        services.directive_register(
            data=services.DirectiveInput(
                title="x", given_at=at(2024, 9, 14, 9), source="간부회의", given_by="시장", lead_department=org.dept
            ),
            actor=org.planner,
        )
    assert not Directive.objects.exists()


def test_acknowledge_and_first_report_on_time(org, clock, django_capture_on_commit_callbacks):
    clock(at(2024, 9, 13, 10))
    directive = make_directive(org, share_at=at(2024, 9, 13, 10))
    clock(at(2024, 9, 19, 9))
    assignment = services.directive_acknowledge(directive=directive, actor=org.staff)
    assert assignment.acknowledged_at == at(2024, 9, 19, 9) and assignment.acknowledged_by == org.staff
    with pytest.raises(ServiceError, match="이미 접수"):
        services.directive_acknowledge(directive=directive, actor=org.manager)
    clock(at(2024, 9, 23, 10))
    with django_capture_on_commit_callbacks(execute=True):
        report = services.directive_report(directive=directive, actor=org.staff, kind="우선보고", body="착수했습니다.")
    directive.refresh_from_db()
    assert report.kind == "first" and report.department == org.dept
    assert directive.state == State.REPORTED
    assert directive.first_reported_at == at(2024, 9, 23, 10)
    assert directive.first_report_on_time is True
    assert Notification.objects.filter(recipient=org.planner, kind="directive.report.first").count() == 1
    assert "기한 내" in directive.events.get(kind=EventKind.REPORTED).message


def test_first_report_twice_and_progress_before_first_are_refused(org, clock):
    clock(at(2024, 9, 13, 10))
    directive = make_directive(org, share_at=at(2024, 9, 13, 10))
    with pytest.raises(ServiceError, match="우선보고를 먼저"):
        services.directive_report(directive=directive, actor=org.staff, kind="progress", body="진행")
    services.directive_report(directive=directive, actor=org.staff, kind="first", body="착수")
    with pytest.raises(ServiceError, match="이미 제출"):
        services.directive_report(directive=directive, actor=org.staff, kind="first", body="또")
    assert DirectiveReport.objects.filter(directive=directive).count() == 1


def test_progress_and_result_move_to_in_progress(org, clock):
    clock(at(2024, 9, 13, 10))
    directive = make_directive(org, share_at=at(2024, 9, 13, 10), supports=[org.other_dept])
    services.directive_report(directive=directive, actor=org.staff, kind="first", body="착수")
    # a supporting department may report progress, not the result
    services.directive_report(directive=directive, actor=org.other_staff, kind="progress", body="협조 중")
    with pytest.raises(PermissionDenied):
        services.directive_report(directive=directive, actor=org.other_staff, kind="result", body="끝")
    clock(at(2024, 9, 20, 15))
    services.directive_report(directive=directive, actor=org.staff, kind="처리결과", body="완료했습니다.")
    directive.refresh_from_db()
    assert directive.state == State.IN_PROGRESS
    assert directive.result_reported_at == at(2024, 9, 20, 15)
    assert list(directive.reports.values_list("kind", "department__code")) == [
        ("first", "D001"),
        ("progress", "D002"),
        ("result", "D001"),
    ]


def _reported(org, clock, **kwargs):
    clock(at(2024, 9, 13, 10))
    directive = make_directive(org, share_at=at(2024, 9, 13, 10), **kwargs)
    services.directive_report(directive=directive, actor=org.staff, kind="first", body="착수")
    return directive


def test_close_completed_needs_a_result_report_then_approval(org, clock, django_capture_on_commit_callbacks):
    directive = _reported(org, clock)
    with pytest.raises(ServiceError, match="처리결과를 먼저"):
        services.directive_close_request(directive=directive, actor=org.manager, final_state="완료")
    with pytest.raises(PermissionDenied):  # staff write reports, the manager asks to close
        services.directive_close_request(directive=directive, actor=org.staff, final_state="완료")
    services.directive_report(directive=directive, actor=org.staff, kind="result", body="완료")
    clock(at(2024, 9, 20, 10))
    request = services.directive_close_request(directive=directive, actor=org.manager, final_state="완료")
    directive.refresh_from_db()
    assert directive.close_requested_at == at(2024, 9, 20, 10) and directive.state == State.IN_PROGRESS
    with pytest.raises(ServiceError, match="이미 종결 요청"):
        services.directive_close_request(directive=directive, actor=org.manager, final_state="완료")
    with pytest.raises(PermissionDenied):
        services.directive_close_approve(directive=directive, actor=org.manager)
    clock(at(2024, 9, 23, 11))
    with django_capture_on_commit_callbacks(execute=True):
        directive = services.directive_close_approve(directive=directive, actor=org.planner, comment="수고하셨습니다.")
    assert directive.state == State.COMPLETED and directive.closed_at == at(2024, 9, 23, 11)
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED and request.decided_by == org.planner
    assert Notification.objects.filter(recipient=org.manager, kind="directive.closed").exists()
    # closed: no more reports, no change
    with pytest.raises(ServiceError) as exc:
        services.directive_report(directive=directive, actor=org.staff, kind="progress", body="추가")
    assert exc.value.status == 409 and "종결" in exc.value.message
    assert directive.reports.count() == 2


def test_exhortation_closes_without_result_report(org, clock):
    directive = _reported(org, clock, kind="당부")
    services.directive_close_request(directive=directive, actor=org.manager, final_state="완료")
    directive = services.directive_close_approve(directive=directive, actor=org.planner)
    assert directive.state == State.COMPLETED and directive.result_reported_at is None


def test_infeasible_needs_a_reason_and_transfer_needs_a_body(org, clock):
    directive = _reported(org, clock)
    with pytest.raises(ServiceError, match="사유"):
        services.directive_close_request(directive=directive, actor=org.manager, final_state="추진불가", reason=" ")
    with pytest.raises(ServiceError, match="이첩할 기관"):
        services.directive_close_request(directive=directive, actor=org.manager, final_state="타기관 이첩")
    with pytest.raises(ServiceError, match="종결 상태"):
        services.directive_close_request(directive=directive, actor=org.manager, final_state="추진중")
    assert not CloseRequest.objects.exists()
    services.directive_close_request(
        directive=directive, actor=org.manager, final_state="타기관 이첩", reason="도 소관", transfer_to="충청남도"
    )
    directive = services.directive_close_approve(directive=directive, actor=org.planner)
    assert directive.state == State.TRANSFERRED and directive.transfer_to == "충청남도"


@pytest.mark.parametrize(("label", "state"), [("장기추진", State.LONG_TERM), ("추진불가", State.INFEASIBLE)])
def test_long_term_and_infeasible(org, clock, label, state):
    directive = _reported(org, clock)
    services.directive_close_request(directive=directive, actor=org.manager, final_state=label, reason="예산 부족")
    directive = services.directive_close_approve(directive=directive, actor=org.planner)
    assert directive.state == state and directive.close_reason == "예산 부족"


def test_close_return_needs_a_comment_and_keeps_the_directive_open(org, clock):
    directive = _reported(org, clock)
    services.directive_report(directive=directive, actor=org.staff, kind="result", body="완료")
    services.directive_close_request(directive=directive, actor=org.manager, final_state="완료")
    with pytest.raises(ServiceError, match="반려 의견"):
        services.directive_close_return(directive=directive, actor=org.planner, comment="")
    request = services.directive_close_return(directive=directive, actor=org.planner, comment="자료 보완 바랍니다.")
    directive.refresh_from_db()
    assert request.status == RequestStatus.RETURNED
    assert directive.state == State.IN_PROGRESS and directive.close_requested_at is None
    with pytest.raises(ServiceError, match="처리할 종결 요청이 없습니다"):
        services.directive_close_approve(directive=directive, actor=org.planner)
    # asking again is possible after a return
    services.directive_close_request(directive=directive, actor=org.manager, final_state="완료")


def test_extension_approval_recomputes_due_and_keeps_the_old_one(org, clock, django_capture_on_commit_callbacks):
    clock(at(2024, 9, 13, 10))
    directive = make_directive(org, share_at=at(2024, 9, 13, 10))
    with pytest.raises(ServiceError, match="사유"):
        services.directive_extension_request(directive=directive, actor=org.manager, days=2, reason="")
    with pytest.raises(PermissionDenied):
        services.directive_extension_request(directive=directive, actor=org.staff, days=2, reason="바쁨")
    extension = services.directive_extension_request(
        directive=directive, actor=org.manager, days=2, reason="현장 점검 일정"
    )
    with pytest.raises(ServiceError, match="이미 기한 연장"):
        services.directive_extension_request(directive=directive, actor=org.manager, days=1, reason="또")
    with django_capture_on_commit_callbacks(execute=True):
        extension = services.extension_approve(extension=extension, actor=org.planner)
    directive.refresh_from_db()
    # 2024-09-23 10:00 + 16 working hours → 2024-09-25 10:00
    assert extension.old_due_at == at(2024, 9, 23, 10)
    assert directive.first_report_due_at == extension.new_due_at == at(2024, 9, 25, 10)
    event = directive.events.get(kind=EventKind.EXTENSION_APPROVED)
    assert event.data["old_due_at"] == "2024-09-23T10:00:00+09:00"
    assert "2024-09-23 10:00 → 2024-09-25 10:00" in event.message
    assert Notification.objects.filter(recipient=org.manager, kind="directive.extension_approved").exists()
    with pytest.raises(ServiceError, match="이미 처리된"):
        services.extension_approve(extension=extension, actor=org.planner)


def test_extension_return(org, clock):
    clock(at(2024, 9, 13, 10))
    directive = make_directive(org, share_at=at(2024, 9, 13, 10))
    extension = services.directive_extension_request(directive=directive, actor=org.manager, days=3, reason="사유")
    extension = services.extension_return(extension=extension, actor=org.planner, comment="기한 내 보고 바랍니다.")
    directive.refresh_from_db()
    assert extension.status == RequestStatus.RETURNED
    assert directive.first_report_due_at == at(2024, 9, 23, 10)
    assert ExtensionRequest.objects.filter(status=RequestStatus.PENDING).count() == 0


def test_calendar_change_recomputes_due_times_not_yet_passed(org, clock):
    from hwallyu.core.services import closure_add

    clock(at(2024, 9, 13, 10))
    passed = make_directive(org, given_at=at(2024, 9, 2, 9), share_at=at(2024, 9, 2, 10))
    open_one = make_directive(org, share_at=at(2024, 9, 13, 10))
    reported = make_directive(org, share_at=at(2024, 9, 13, 10))
    services.directive_report(directive=reported, actor=org.staff, kind="first", body="착수")
    clock(at(2024, 9, 19, 9))
    # the city closes on Fri 20 Sep: the open first report moves one working day later
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        closure_add(date=dt.date(2024, 9, 20), name="임시 휴무", actor=org.admin)
    open_one.refresh_from_db()
    passed.refresh_from_db()
    reported.refresh_from_db()
    assert open_one.first_report_due_at == at(2024, 9, 24, 10)
    assert passed.first_report_due_at == at(2024, 9, 5, 10)  # already passed: unchanged
    assert reported.first_report_due_at == at(2024, 9, 23, 10)  # step done: unchanged
    event = open_one.events.get(kind=EventKind.DUE_RECOMPUTED)
    assert event.data["old"] == "2024-09-23T10:00:00+09:00"


def test_every_change_is_in_the_audit_chain(org, clock):
    directive = _reported(org, clock)
    actions = set(AuditEvent.objects.filter(target_id=str(directive.pk)).values_list("action", flat=True))
    assert {"directive.register", "directive.share", "directive.report.first"} <= actions
    assert verify_chain().ok


def test_scheme_is_per_year_and_editable(org):
    scheme = services.scheme_for_year(2025)
    assert [c["name"] for c in scheme.deadline_classes] == ["단순·후속 보고", "계획 수립"]
    assert "간부회의" in scheme.sources and "시장" in scheme.givers
    services.scheme_update(
        year=2025,
        deadline_classes=[{"name": "긴급", "days": 1}, {"name": "일반", "days": 5}],
        sources=["간부회의", "읍면동 순방"],
        givers=["시장"],
        actor=org.planner,
    )
    scheme.refresh_from_db()
    assert scheme.default_class == {"name": "긴급", "days": 1}
    assert services.scheme_for_year(2024).default_class["days"] == 3
    with pytest.raises(ServiceError, match="1~60"):
        services.scheme_update(
            year=2025, deadline_classes=[{"name": "x", "days": 0}], sources=["a"], givers=["b"], actor=org.planner
        )
    with pytest.raises(PermissionDenied):
        services.scheme_update(
            year=2025, deadline_classes=[{"name": "x", "days": 1}], sources=["a"], givers=["b"], actor=org.manager
        )
