"""The services: the scheme and its copy, indicators and their approval, actuals, the other items,
freezing (the snapshot never changes afterwards) and the audit trail."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from hwallyu.api.base import ServiceError
from hwallyu.core.models import AuditEvent
from hwallyu.notifications.models import Notification
from hwallyu.performance import selectors, services
from hwallyu.performance.models import (
    Actual,
    ActualStatus,
    CommonTask,
    EvaluationRun,
    Indicator,
    IndicatorSet,
    RunStatus,
    SetStatus,
)

from .conftest import accepted_actual, add_indicator, approve, make_scheme, ready_year, set_of

pytestmark = pytest.mark.django_db


def scheme_input(scheme, **changes):
    values = dict(
        weight_indicator=scheme.weight_indicator,
        weight_customer=scheme.weight_customer,
        weight_common=scheme.weight_common,
        achievement_cap=scheme.achievement_cap,
        bonus_max=scheme.bonus_max,
        penalty_max=scheme.penalty_max,
        grades=scheme.grades,
        levels=scheme.levels,
    )
    values.update(changes)
    return services.SchemeInput(**values)


def test_new_scheme_takes_the_defaults_and_the_organisation_groups(org):
    scheme = make_scheme(org)
    assert (scheme.weight_indicator, scheme.weight_customer, scheme.weight_common) == (70, 20, 10)
    assert scheme.achievement_cap == 120
    assert [(g["code"], g["quota"], g["pay_rate"]) for g in scheme.grades] == [
        ("S", "20.00", "172.50"),
        ("A", "40.00", "125.00"),
        ("B", "30.00", "85.00"),
        ("C", "10.00", "0.00"),
    ]
    assert "시스템 기본값" in scheme.origin
    groups = {s.department.code: s.group.code for s in scheme.sets.select_related("department", "group")}
    assert groups == {"PLAN": "G1", "D001": "G2", "D002": "G2"}
    assert AuditEvent.objects.filter(action="performance.scheme_create").count() == 1
    with pytest.raises(ServiceError) as exc:
        make_scheme(org)
    assert exc.value.status == 409


def test_only_the_performance_team_creates_schemes(org):
    for user in (org.manager, org.staff, org.executive, org.auditor):
        with pytest.raises(PermissionDenied):
            services.scheme_create(year=2024, actor=user)


def test_scheme_update_validates_sums_and_keeps_an_audit_diff(org):
    scheme = make_scheme(org)
    with pytest.raises(ServiceError, match="합이 100점"):
        services.scheme_update(scheme=scheme, data=scheme_input(scheme, weight_common=D(20)), actor=org.planner)
    bad_quota = [dict(g) for g in scheme.grades]
    bad_quota[0]["quota"] = "25"
    with pytest.raises(ServiceError, match="등급 비율의 합"):
        services.scheme_update(scheme=scheme, data=scheme_input(scheme, grades=bad_quota), actor=org.planner)
    with pytest.raises(ServiceError, match="상한"):
        services.scheme_update(scheme=scheme, data=scheme_input(scheme, achievement_cap=D(90)), actor=org.planner)
    services.scheme_update(
        scheme=scheme,
        data=scheme_input(scheme, weight_indicator=D(40), weight_customer=D(40), weight_common=D(20)),
        actor=org.planner,
    )
    scheme.refresh_from_db()
    assert (scheme.weight_indicator, scheme.weight_customer, scheme.weight_common) == (40, 40, 20)
    event = AuditEvent.objects.get(action="performance.scheme_update")
    assert event.before["weight_indicator"] == "70.00" and event.after["weight_indicator"] == "40.00"


def test_copy_to_next_year_keeps_the_scheme_groups_tasks_and_optionally_indicators(org):
    scheme, _ = ready_year(org)
    services.scheme_update(
        scheme=scheme,
        data=scheme_input(scheme, weight_indicator=D(80), weight_customer=D(10), weight_common=D(10)),
        actor=org.planner,
    )
    services.membership_update(scheme=scheme, assignments={org.other_dept.pk: None}, actor=org.planner)
    scheme.refresh_from_db()
    copy = services.scheme_create(year=2025, copy_from=scheme, copy_indicators=True, actor=org.planner)
    assert copy.weight_indicator == 80 and copy.grades == scheme.grades and copy.levels == scheme.levels
    assert copy.origin.startswith("2024년 체계에서 복사")
    assert set_of(copy, org.other_dept).group is None  # membership as in 2024, not the organisation default
    assert list(CommonTask.objects.filter(scheme=copy).values_list("name", flat=True)) == ["적극행정"]
    copied = Indicator.objects.filter(indicator_set__scheme=copy)
    assert copied.count() == 3 and not Actual.objects.filter(indicator__in=copied).exists()
    assert set(IndicatorSet.objects.filter(scheme=copy).values_list("status", flat=True)) == {SetStatus.DRAFT}


def test_indicator_set_approval_refuses_bad_weights_and_zero_targets(org, django_capture_on_commit_callbacks):
    scheme = make_scheme(org)
    indicator_set = set_of(scheme, org.dept)
    with pytest.raises(ServiceError, match="하나도 없습니다"):
        services.set_submit(indicator_set=indicator_set, actor=org.manager)
    add_indicator(org, scheme, org.dept, weight=60, actor=org.staff)
    add_indicator(org, scheme, org.dept, name="안전사고 0건", weight=40, target=0, direction="falling", actor=org.staff)
    with pytest.raises(ServiceError) as exc:
        services.set_submit(indicator_set=indicator_set, actor=org.manager)
    assert "목표값은 0보다 커야" in exc.value.message
    with pytest.raises(PermissionDenied):  # staff enter, only the manager asks for approval
        services.set_submit(indicator_set=indicator_set, actor=org.staff)
    zero = Indicator.objects.get(name="안전사고 0건")
    services.indicator_update(
        indicator=zero,
        data=services.IndicatorData(name="안전사고 건수", weight=D(40), target=D(2), direction="falling"),
        actor=org.staff,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.set_submit(indicator_set=indicator_set, actor=org.manager)
    assert Notification.objects.filter(recipient=org.planner, title__contains="승인 요청").exists()
    with pytest.raises(ServiceError) as exc:  # submitted: the department cannot change it any more
        add_indicator(org, scheme, org.dept, actor=org.staff)
    assert exc.value.status == 409
    with django_capture_on_commit_callbacks(execute=True):
        services.set_return(indicator_set=indicator_set, comment="목표를 높이세요", actor=org.planner)
    assert set_of(scheme, org.dept).status == SetStatus.RETURNED
    assert Notification.objects.filter(recipient=org.manager, body="목표를 높이세요").exists()
    services.set_approve(indicator_set=indicator_set, actor=org.planner)
    assert set_of(scheme, org.dept).status == SetStatus.APPROVED


def test_department_roles_touch_only_their_own_department(org):
    scheme = make_scheme(org)
    with pytest.raises(PermissionDenied):
        add_indicator(org, scheme, org.other_dept, actor=org.staff)
    with pytest.raises(PermissionDenied):
        add_indicator(org, scheme, org.dept, actor=org.executive)


def test_links_are_checked_through_the_other_app_when_installed(org):
    from hwallyu.pledges.models import Pledge, PledgeCategory

    scheme = make_scheme(org)
    category = PledgeCategory.objects.create(name="국방·경제")
    Pledge.objects.create(
        code="1-2", title="국방 공공기관 유치", category=category, department=org.dept, state_code="normal"
    )
    indicator = add_indicator(org, scheme, org.dept, link_kind="pledge", link_ref="1-2")
    assert indicator.link_label == "1-2 국방 공공기관 유치"
    with pytest.raises(ServiceError, match="찾을 수 없습니다"):
        add_indicator(org, scheme, org.dept, link_kind="pledge", link_ref="9-9")
    with pytest.raises(ServiceError, match="코드"):
        add_indicator(org, scheme, org.dept, link_kind="project", link_ref="")


def test_actuals_need_an_approved_set_and_the_team_checks_them(org, django_capture_on_commit_callbacks):
    scheme = make_scheme(org)
    indicator = add_indicator(org, scheme, org.dept, actor=org.staff)
    with pytest.raises(ServiceError, match="승인된 뒤"):
        services.actual_submit(indicator=indicator, quarter=1, value=D(20), actor=org.staff)
    approve(org, scheme, org.dept)
    upload = SimpleUploadedFile("증빙.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    actual = services.actual_submit(indicator=indicator, quarter=1, value=D(20), files=[upload], actor=org.staff)
    assert actual.status == ActualStatus.SUBMITTED and actual.evidence.count() == 1
    with pytest.raises(ServiceError, match="분기"):
        services.actual_submit(indicator=indicator, quarter=5, value=D(20), actor=org.staff)
    with pytest.raises(PermissionDenied):
        services.actual_accept(actual=actual, actor=org.manager)
    with django_capture_on_commit_callbacks(execute=True):
        services.actual_return(actual=actual, comment="증빙 보완", actor=org.planner)
    assert Notification.objects.filter(recipient=org.staff, body="증빙 보완").exists()
    services.actual_submit(indicator=indicator, quarter=1, value=D(25), actor=org.staff)
    services.actual_accept(actual=actual, actor=org.planner)
    with pytest.raises(ServiceError) as exc:
        services.actual_submit(indicator=indicator, quarter=1, value=D(30), actor=org.staff)
    assert exc.value.status == 409
    actual.refresh_from_db()
    assert actual.value == D(25) and actual.status == ActualStatus.ACCEPTED


def test_qualitative_actual_gets_a_grade_on_acceptance(org):
    scheme = make_scheme(org)
    indicator = add_indicator(org, scheme, org.dept, kind="qualitative", target=None)
    approve(org, scheme, org.dept)
    with pytest.raises(ServiceError, match="추진 실적"):
        services.actual_submit(indicator=indicator, quarter=4, actor=org.staff)
    actual = services.actual_submit(indicator=indicator, quarter=4, note="우수사례 2건", actor=org.staff)
    with pytest.raises(ServiceError, match="등급"):
        services.actual_accept(actual=actual, actor=org.planner)
    with pytest.raises(ServiceError, match="척도에 없는"):
        services.actual_accept(actual=actual, level="최고", actor=org.planner)
    services.actual_accept(actual=actual, level="우수", actor=org.planner)
    inputs = {d.code: d for d in selectors.evaluation_inputs(scheme)}
    assert inputs["D001"].indicators[0].level_points == D(90)


def test_adjustments_stay_within_the_range(org):
    scheme = make_scheme(org)
    services.adjustment_create(
        scheme=scheme, department=org.dept, kind="bonus", points=D(2), reason="우수기관", actor=org.planner
    )
    with pytest.raises(ServiceError, match=r"한도 3\.00점"):
        services.adjustment_create(
            scheme=scheme, department=org.dept, kind="bonus", points=D("1.5"), reason="또 우수", actor=org.planner
        )
    with pytest.raises(ServiceError, match="사유"):
        services.adjustment_create(
            scheme=scheme, department=org.dept, kind="penalty", points=D(1), reason="", actor=org.planner
        )
    services.adjustment_create(
        scheme=scheme, department=org.dept, kind="penalty", points=D(1), reason="감사 지적", actor=org.planner
    )
    inputs = {d.code: d for d in selectors.evaluation_inputs(scheme)}
    assert (inputs["D001"].bonus, inputs["D001"].penalty) == (D(2), D(1))


def test_scores_out_of_range_are_refused(org):
    scheme = make_scheme(org)
    with pytest.raises(ServiceError, match="0~100"):
        services.customer_scores_save(scheme=scheme, scores={org.dept.pk: "101"}, actor=org.planner)
    with pytest.raises(ServiceError, match="숫자"):
        services.customer_scores_save(scheme=scheme, scores={org.dept.pk: "abc"}, actor=org.planner)
    task = services.common_task_create(scheme=scheme, name="청렴", max_points=D(3), actor=org.planner)
    with pytest.raises(ServiceError, match=r"0~3\.00점"):
        services.common_scores_save(task=task, points={org.dept.pk: D(4)}, actor=org.planner)


def test_evaluation_uses_the_latest_accepted_quarter(org):
    scheme = make_scheme(org)
    indicator = add_indicator(org, scheme, org.dept)
    approve(org, scheme, org.dept)
    accepted_actual(org, indicator, 40, quarter=2)
    services.actual_submit(indicator=indicator, quarter=3, value=D(70), actor=org.staff)  # not accepted yet
    row = selectors.department_row(selectors.live_result(scheme).rows, "D001")
    first = row["items"]["indicator"]["indicators"][0]
    assert (first["actual"], first["quarter"], first["achievement"]) == ("40", 2, "40.00")


def test_freeze_keeps_the_snapshot_and_later_edits_do_not_change_it(org):
    scheme, indicators = ready_year(org)
    live = selectors.live_result(scheme)
    with pytest.raises(ServiceError) as exc:
        services.run_freeze(scheme=scheme, expected_fingerprint="0" * 64, actor=org.planner)
    assert exc.value.status == 409
    run = services.run_freeze(scheme=scheme, expected_fingerprint=live.fingerprint, actor=org.planner)
    frozen_rows = list(run.rows)
    # D001: 110 % → 70 × 110 ÷ 100 = 77.00; customer 16.00; common 8.00 → 101.00
    assert selectors.department_row(frozen_rows, "D001")["score"] == "101.00"
    # later edits: a returned and re-entered actual, new weights
    actual = Actual.objects.get(indicator=indicators["D001"])
    services.actual_return(actual=actual, comment="재확인", actor=org.planner)
    services.actual_submit(indicator=indicators["D001"], quarter=4, value=D(50), actor=org.staff)
    services.actual_accept(actual=actual, actor=org.planner)
    services.scheme_update(
        scheme=scheme,
        data=scheme_input(scheme, weight_indicator=D(40), weight_customer=D(40), weight_common=D(20)),
        actor=org.planner,
    )
    found = selectors.results(scheme)
    assert found.frozen and found.rows == frozen_rows
    assert selectors.live_result(scheme).fingerprint != run.input_hash
    run.refresh_from_db()
    assert run.rows == frozen_rows
    with pytest.raises(ServiceError) as exc:
        services.run_freeze(scheme=scheme, actor=org.planner)
    assert exc.value.status == 409
    services.run_reopen(scheme=scheme, reason="실적 정정 반영", actor=org.planner)
    run.refresh_from_db()
    assert run.status == RunStatus.REOPENED and run.rows == frozen_rows
    second = services.run_freeze(scheme=scheme, actor=org.planner)
    assert selectors.department_row(second.rows, "D001")["score"] != "101.00"
    assert EvaluationRun.objects.filter(scheme=scheme).count() == 2
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"performance.run_freeze", "performance.run_reopen", "performance.actual_return"} <= actions


def test_unused_scheme_may_be_deleted_a_used_one_not(org):
    scheme = make_scheme(org)
    add_indicator(org, scheme, org.dept)
    with pytest.raises(ServiceError):
        services.scheme_delete(scheme=scheme, actor=org.planner)
    empty = make_scheme(org, 2030)
    services.scheme_delete(scheme=empty, actor=org.planner)
    assert selectors.scheme_for(2030) is None


def test_group_membership_and_groups(org):
    scheme = make_scheme(org)
    group = services.group_create(scheme=scheme, code="G9", name="특수 부서", actor=org.planner)
    services.membership_update(scheme=scheme, assignments={org.dept.pk: group.pk}, actor=org.planner)
    assert set_of(scheme, org.dept).group == group
    with pytest.raises(ServiceError, match="부서가 속한"):
        services.group_delete(group=group, actor=org.planner)
    services.membership_update(scheme=scheme, assignments={org.dept.pk: None}, actor=org.planner)
    services.group_delete(group=group, actor=org.planner)
    assert {d.code for d in selectors.evaluation_inputs(scheme)} == {"PLAN", "D002"}


def test_customer_scores_come_from_the_satisfaction_survey_when_it_has_one(org, monkeypatch):
    import hwallyu.surveys.selectors as surveys

    scheme = make_scheme(org)
    services.customer_scores_save(scheme=scheme, scores={org.other_dept.pk: D(70)}, actor=org.planner)
    survey = {org.dept.pk: D("87.456"), org.other_dept.pk: None, org.planning.pk: D(90)}
    monkeypatch.setattr(surveys, "customer_perception_scores", lambda ids, year: {d: survey[d] for d in ids})
    filled, missing = services.customer_scores_import(scheme=scheme, actor=org.planner)
    assert (filled, missing) == (2, 1)
    inputs = {d.code: d for d in selectors.evaluation_inputs(scheme)}
    assert inputs["D001"].customer == D("87.46") and inputs["D001"].customer_source == "행정만족도 조사"
    assert inputs["D002"].customer == D(70) and inputs["D002"].customer_source == "직접 입력"  # kept


def test_province_links_go_through_the_province_selectors(org, monkeypatch):
    from types import SimpleNamespace

    import hwallyu.province.selectors as province

    known = {"B-01": SimpleNamespace(code="B-01", name="일자리 창출 인원")}
    monkeypatch.setattr(province, "indicator_by_code", lambda year, code: known.get(code))
    scheme = make_scheme(org)
    indicator = add_indicator(org, scheme, org.dept, link_kind="province", link_ref="B-01")
    assert indicator.link_label == "B-01 일자리 창출 인원"
    with pytest.raises(ServiceError, match="2024년 시군평가 지표 'Z-99'"):
        add_indicator(org, scheme, org.dept, link_kind="province", link_ref="Z-99")
