"""Services: years and deadlines, import (all or nothing), actuals rules, review, qualitative work."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from hwallyu.api.base import ServiceError
from hwallyu.core.audit import verify_chain
from hwallyu.core.models import AuditEvent
from hwallyu.notifications.models import Notification
from hwallyu.province import services
from hwallyu.province.importers import ImportFileError, parse_indicator_file
from hwallyu.province.models import Actual, ActualStatus, Deadline, Indicator

from .conftest import at, enter, make_indicator, make_year, xlsx

pytestmark = pytest.mark.django_db


def lookup(org):
    return {
        org.dept.code: org.dept,
        org.dept.name: org.dept,
        org.other_dept.code: org.other_dept,
        org.other_dept.name: org.other_dept,
    }


# --- years and deadlines ------------------------------------------------------------------------


def test_year_defaults_and_deadlines_from_the_working_time_calendar(org, year):
    assert (year.actuals_start_month, year.actuals_due_working_day, year.lagging_share_from_month) == (5, 5, 10)
    assert year.lagging_share == D("0.700") and year.lagging_forecast_rule
    due = {(d.kind, d.month): d.due_at for d in Deadline.objects.filter(evaluation_year=year)}
    assert sorted(m for k, m in due if k == "monthly") == list(range(5, 13))
    # September's actuals: Oct 1 (temporary holiday), 3 and 9 (holidays) skipped →
    # 2 Wed (1), 4 Fri (2), 7 Mon (3), 8 Tue (4), 10 Thu (5).
    assert due[("monthly", 9)] == at(2024, 10, 10, 18)
    assert due[("monthly", 10)] == at(2024, 11, 7, 18)  # Nov 1, 4, 5, 6, 7
    assert due[("monthly", 12)] == at(2025, 1, 8, 18)  # Jan 2, 3, 6, 7, 8 (Jan 1 is a holiday)
    assert due[("qualitative", 0)] == at(2024, 10, 31, 18)
    assert due[("quantitative", 0)] == at(2024, 12, 31, 18)


def test_scheme_update_moves_only_deadlines_that_have_not_passed(org, year, clock):
    clock(at(2024, 9, 20, 10))
    services.year_update(
        evaluation_year=year,
        scheme=services.SchemeInput(actuals_due_working_day=3, quantitative_deadline=dt.date(2024, 12, 28)),
        actor=org.planner,
    )
    due = {(d.kind, d.month): d.due_at for d in Deadline.objects.filter(evaluation_year=year)}
    assert due[("monthly", 7)] == at(2024, 8, 7, 18)  # passed: kept (5th working day of August)
    assert due[("monthly", 9)] == at(2024, 10, 7, 18)  # 3rd working day now
    assert due[("quantitative", 0)] == at(2024, 12, 27, 18)  # the 28th is a Saturday → Friday
    event = AuditEvent.objects.filter(action="province.scheme_update").get()
    assert event.after == {"actuals_due_working_day": 3, "quantitative_deadline": "2024-12-28"}


@pytest.mark.parametrize(
    "scheme, message",
    [
        ({"lagging_share": D("1.5")}, "부진 기준 비율"),
        ({"actuals_start_month": 13}, "1~12월"),
        ({"reminder_days": [40]}, "알림 시점"),
        ({"qualitative_checklist": ["a", "a"]}, "중복"),
        ({"qualitative_deadline": dt.date(2026, 1, 1)}, "정성 실적 제출 기한"),
        ({"city_group": "도부"}, "시부 또는 군부"),
    ],
)
def test_scheme_bad_input_is_refused(org, year, scheme, message):
    with pytest.raises(ServiceError, match=message):
        services.year_update(evaluation_year=year, scheme=services.SchemeInput(**scheme), actor=org.planner)


def test_only_the_office_manages_years(org, year):
    with pytest.raises(PermissionDenied):
        services.year_create(year=2025, actor=org.executive)
    with pytest.raises(ServiceError, match="이미 있습니다"):
        services.year_create(year=2024, actor=org.admin)


# --- import --------------------------------------------------------------------------------------

ROW = ["1-01", "지역경제", "일자리", "일자리 창출 인원", "정량", "명", "상향", "5200", "2", "미래전략과", "보고서"]


def test_import_all_or_nothing_and_update_by_code(org, year):
    good = xlsx([ROW, ["9-01", "정성평가", "", "협업 우수사례", "정성", "", "", "", "1.3", "D002;D001", ""]])
    rows = parse_indicator_file(good, "a.xlsx", lookup(org))
    summary = services.indicators_import(evaluation_year=year, rows=rows, actor=org.planner)
    assert summary.created == ["1-01", "9-01"] and summary.counts == {"quantitative": 1, "qualitative": 1}
    qualitative = Indicator.objects.get(code="9-01")
    assert {d.code for d in qualitative.departments.all()} == {"D001", "D002"}

    with pytest.raises(ImportFileError):
        parse_indicator_file(xlsx([ROW, ROW]), "dup.xlsx", lookup(org))
    assert Indicator.objects.count() == 2

    changed = [*ROW[:7], "6000", *ROW[8:]]
    rows = parse_indicator_file(xlsx([changed]), "b.xlsx", lookup(org))
    summary = services.indicators_import(evaluation_year=year, rows=rows, actor=org.planner)
    assert summary.updated == ["1-01"] and summary.created == []
    assert Indicator.objects.get(code="1-01").target == D("6000")
    assert Indicator.objects.count() == 2


def test_import_refuses_a_type_change_of_an_indicator_with_actuals(org, year):
    indicator = make_indicator(org, year, code="1-01")
    enter(org, indicator, 5, 100)
    rows = parse_indicator_file(
        xlsx([["1-01", "지역경제", "", "지표", "정성", "", "", "", "1", "D001", ""]]), "c.xlsx", lookup(org)
    )
    with pytest.raises(ImportFileError) as info:
        services.indicators_import(evaluation_year=year, rows=rows, actor=org.planner)
    assert "정량·정성 구분을 바꿀 수 없습니다" in str(info.value)
    assert Indicator.objects.get(code="1-01").kind == "quantitative"


def test_dry_run_saves_nothing(org, year):
    rows = parse_indicator_file(xlsx([ROW]), "a.xlsx", lookup(org))
    summary = services.indicators_import(evaluation_year=year, rows=rows, actor=org.planner, dry_run=True)
    assert summary.created == ["1-01"] and not Indicator.objects.exists()


def test_zero_target_on_a_falling_indicator_refused_by_the_service(org, year):
    with pytest.raises(ServiceError, match="하향 지표의 목표가 0이면"):
        make_indicator(org, year, direction="falling", target="0")
    with pytest.raises(ServiceError, match="이미 있습니다"):
        make_indicator(org, year)
        make_indicator(org, year)


# --- actuals -------------------------------------------------------------------------------------


def test_cumulative_actual_going_down_needs_a_note(org, year):
    indicator = make_indicator(org, year)
    enter(org, indicator, 5, 500)
    with pytest.raises(ServiceError) as info:
        enter(org, indicator, 6, 480)
    assert info.value.message == (
        "6월 누계 480이(가) 5월 누계 500보다 줄었습니다. 누계가 줄어든 사유(정정, 취소 등)를 비고에 적어 주세요."
    )
    actual = enter(org, indicator, 6, 480, note="5월 중복 집계 20명 정정")
    assert actual.value == D("480") and actual.note.startswith("5월 중복")
    # an earlier month above a later one is refused the same way
    with pytest.raises(ServiceError, match="이미 입력된 6월 누계 480보다 큽니다"):
        enter(org, indicator, 5, 490)


def test_actual_for_another_departments_indicator_is_refused_with_the_reason(org, year):
    indicator = make_indicator(org, year, owners=[org.other_dept], name="강경 관광객 수")
    with pytest.raises(ServiceError) as info:
        enter(org, indicator, 5, 100, actor=org.staff)
    assert info.value.status == 403
    assert info.value.message == (
        "B-01 강경 관광객 수은(는) 강경읍 담당 지표입니다. 미래전략과는 이 지표의 실적을 입력할 수 없습니다."
    )
    with pytest.raises(PermissionDenied):
        enter(org, indicator, 5, 100, actor=org.executive)
    assert enter(org, indicator, 5, 100, actor=org.other_staff).department == org.other_dept
    assert enter(org, indicator, 6, 150, actor=org.planner).status == ActualStatus.SUBMITTED  # on behalf


@pytest.mark.parametrize(
    "month, value, message",
    [(13, 1, "1~12"), (5, -1, "0 이상"), (5, "열", "숫자가 아닙니다"), (5, "1e20", "너무 큽니다")],
)
def test_actual_bad_input(org, year, month, value, message):
    indicator = make_indicator(org, year)
    with pytest.raises(ServiceError, match=message):
        services.actual_submit(indicator=indicator, month=month, value=value, actor=org.staff)


def test_future_months_and_qualitative_indicators_are_refused(org, clock):
    clock(at(2024, 9, 20, 10))
    year = make_year(org)
    indicator = make_indicator(org, year)
    with pytest.raises(ServiceError, match="아직 오지 않았습니다"):
        enter(org, indicator, 10, 1)
    assert enter(org, indicator, 9, 1).month == 9  # the current month may be entered
    qualitative = make_indicator(org, year, code="Q-01", kind="qualitative")
    with pytest.raises(ServiceError, match="정성 지표는 월별 실적을 입력하지 않습니다"):
        enter(org, qualitative, 5, 1)


def test_review_accept_return_and_resubmit(org, year, django_capture_on_commit_callbacks):
    indicator = make_indicator(org, year)
    upload = SimpleUploadedFile("증빙.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    actual = enter(org, indicator, 5, 500, files=[upload])
    assert actual.evidence.get().name == "증빙.pdf"
    with pytest.raises(PermissionDenied):
        services.actual_accept(actual=actual, actor=org.manager)
    with pytest.raises(ServiceError, match="의견"):
        services.actual_return(actual=actual, actor=org.planner, comment=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.actual_return(actual=actual, actor=org.planner, comment="증빙 공문을 붙여 주세요.")
    notice = Notification.objects.get(recipient=org.staff, kind="province.actual_returned")
    assert "증빙 공문을 붙여 주세요." in notice.body and notice.url == "/province/2024/indicators/B-01/"
    resubmitted = enter(org, indicator, 5, 510)
    assert resubmitted.pk == actual.pk and resubmitted.status == ActualStatus.SUBMITTED
    assert resubmitted.decision_comment == "" and resubmitted.evidence.count() == 1
    accepted = services.actual_accept(actual=resubmitted, actor=org.planner)
    assert accepted.status == ActualStatus.ACCEPTED and accepted.decided_by == org.planner
    with pytest.raises(ServiceError, match="이미 승인되었습니다"):
        enter(org, indicator, 5, 520)
    with pytest.raises(ServiceError, match="승인된 실적은 삭제할 수 없습니다"):
        services.actual_delete(actual=accepted, actor=org.staff)
    with pytest.raises(ServiceError, match="검토 대기 중인 실적만"):
        services.actual_accept(actual=accepted, actor=org.planner)
    assert verify_chain().ok
    actions = list(
        AuditEvent.objects.filter(action__startswith="province.actual").order_by("id").values_list("action", flat=True)
    )
    assert actions == [
        "province.actual_submit",
        "province.actual_return",
        "province.actual_submit",
        "province.actual_accept",
    ]


def test_returned_actuals_do_not_count_as_previous(org, year):
    indicator = make_indicator(org, year)
    may = enter(org, indicator, 5, 900)
    services.actual_return(actual=may, actor=org.planner, comment="오류")
    assert enter(org, indicator, 6, 600).value == D("600")


def test_delete_withdraws_an_actual(org, year):
    indicator = make_indicator(org, year)
    actual = enter(org, indicator, 5, 500)
    services.actual_delete(actual=actual, actor=org.manager)
    assert not Actual.objects.exists()
    assert AuditEvent.objects.get(action="province.actual_delete").before["value"] == "500.0000"


# --- qualitative ---------------------------------------------------------------------------------


def test_writeups_keep_versions_and_submission_needs_the_checklist(org, year):
    indicator = make_indicator(org, year, code="Q-01", kind="qualitative")
    first = services.writeup_save(indicator=indicator, title="초안", body="내용 1", actor=org.staff)
    second = services.writeup_save(indicator=indicator, title="수정안", body="내용 2", actor=org.manager)
    assert (first.version, second.version) == (1, 2)
    assert list(indicator.writeups.values_list("title", flat=True)) == ["수정안", "초안"]
    services.consulting_add(
        indicator=indicator, held_on=dt.date(2024, 6, 1), expert="충남연구원 박OO", advice="정량화", actor=org.staff
    )
    with pytest.raises(ServiceError, match="제출 점검 항목이 남았습니다: 우수사례 작성, 전문가 컨설팅 의견 반영"):
        services.qualitative_submit(indicator=indicator, actor=org.manager)
    for label in year.qualitative_checklist:
        services.checklist_set(indicator=indicator, label=label, checked=True, actor=org.staff)
    with pytest.raises(ServiceError, match="올해 제출 점검 항목이 아닙니다"):
        services.checklist_set(indicator=indicator, label="없는 항목", checked=True, actor=org.staff)
    submitted = services.qualitative_submit(indicator=indicator, actor=org.manager)
    assert submitted.submitted_at is not None and submitted.submitted_by == org.manager
    with pytest.raises(ServiceError, match="이미 도에 제출한 지표"):
        services.writeup_save(indicator=indicator, title="늦은 수정", body="x", actor=org.staff)


def test_qualitative_work_only_by_owners_and_office(org, year):
    indicator = make_indicator(org, year, code="Q-01", kind="qualitative")
    with pytest.raises(PermissionDenied):
        services.writeup_save(indicator=indicator, title="t", body="b", actor=org.other_staff)
    with pytest.raises(PermissionDenied):
        services.writeup_save(indicator=indicator, title="t", body="b", actor=org.executive)
    assert services.writeup_save(indicator=indicator, title="t", body="b", actor=org.planner).version == 1
    with pytest.raises(ServiceError, match="오늘 이후"):
        services.consulting_add(
            indicator=indicator, held_on=dt.date(2099, 1, 1), expert="e", advice="a", actor=org.staff
        )
