"""The rules of each part, through the services: what is refused, with which reason, and what is recorded."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from hwallyu.core.models import AuditEvent
from hwallyu.initiatives import selectors, services
from hwallyu.initiatives.models import (
    AgreementState,
    BudgetLine,
    Document,
    InstitutionState,
    Milestone,
    MilestoneState,
    Partner,
    Readiness,
)
from hwallyu.initiatives.services import InitiativeError
from hwallyu.initiatives.services import documents as document_services
from hwallyu.initiatives.tests.factories import M, hwpx, make_initiative, make_pipeline, pdf

pytestmark = pytest.mark.django_db
D = dt.date


# --- initiatives -----------------------------------------------------------------------------------


def test_initiative_period_and_reminders_are_checked(org):
    with pytest.raises(InitiativeError, match="종료일이 시작일보다"):
        make_initiative(org, starts_on=D(2025, 1, 1), ends_on=D(2024, 1, 1))
    with pytest.raises(InitiativeError, match="쉼표로 구분"):
        make_initiative(org, reminder_days="열흘 전")
    with pytest.raises(InitiativeError, match="사업명을"):
        make_initiative(org, name="  ")
    initiative = make_initiative(org, status="추진중", kind="공공기관 유치")  # Korean labels are accepted
    assert (initiative.status, initiative.kind) == ("active", "attraction")
    with pytest.raises(InitiativeError, match="같은 사업명"):
        make_initiative(org, name=initiative.name)


def test_only_the_planning_office_manages(org):
    initiative = make_initiative(org)
    for user in (org.manager, org.staff, org.executive, org.auditor, org.other_manager):
        with pytest.raises(PermissionDenied):
            services.milestone_create(initiative=initiative, actor=user, name="단계")
        with pytest.raises(PermissionDenied):
            services.initiative_update(initiative=initiative, actor=user, status="stopped")
    services.milestone_create(initiative=initiative, actor=org.admin, name="관리자도 관리")


def test_update_writes_an_audit_row_with_the_change(org):
    initiative = make_initiative(org)
    services.initiative_update(initiative=initiative, actor=org.planner, status="on_hold", departments=[])
    event = AuditEvent.objects.filter(action="initiatives.initiative.update").get()
    assert event.before == {"status": "active", "departments": ["미래전략과"]}
    assert event.after == {"status": "on_hold", "departments": []}
    assert event.actor == org.planner


# --- milestones ----------------------------------------------------------------------------------------


def test_month_precise_planned_dates_mean_the_end_of_the_month(org):
    pipe = make_pipeline(org)
    assert pipe.plan.planned_on == D(2024, 5, 31)
    assert pipe.province.planned_label() == "2024. 7."
    assert pipe.finance.planned_label() == "미정"


def test_actual_date_before_the_predecessor_needs_a_note(org):
    pipe = make_pipeline(org)
    services.milestone_complete(milestone=pipe.plan, actual_on=D(2024, 5, 29), actor=org.planner)
    with pytest.raises(InitiativeError) as caught:
        services.milestone_complete(milestone=pipe.province, actual_on=D(2024, 5, 20), actor=org.planner)
    assert "'충남도 검토'의 실제 일자(2024-05-20)가 앞 단계 '기본계획 제출'의 실제 일자(2024-05-29)보다" in str(
        caught.value
    )
    assert caught.value.field == "actual_on"
    pipe.province.refresh_from_db()
    assert pipe.province.state == MilestoneState.PLANNED and pipe.province.actual_on is None
    # with the reason written down it is accepted
    services.milestone_complete(
        milestone=pipe.province, actual_on=D(2024, 5, 20), note="도 사전검토가 제출 전에 진행됨", actor=org.planner
    )
    pipe.province.refresh_from_db()
    assert pipe.province.state == MilestoneState.DONE


def test_a_stage_moved_later_than_its_successor_is_refused(org):
    pipe = make_pipeline(org)
    services.milestone_complete(milestone=pipe.plan, actual_on=D(2024, 5, 29), actor=org.planner)
    services.milestone_complete(milestone=pipe.province, actual_on=D(2024, 7, 15), actor=org.planner)
    with pytest.raises(InitiativeError, match="'충남도 검토'의 실제 일자"):
        services.milestone_update(milestone=pipe.plan, actual_on=D(2024, 8, 1), actor=org.planner)


def test_done_needs_an_actual_date_and_an_actual_date_means_done(org):
    pipe = make_pipeline(org)
    with pytest.raises(InitiativeError, match="실제 일자를 입력"):
        services.milestone_update(milestone=pipe.plan, state="done", actor=org.planner)
    with pytest.raises(InitiativeError, match="'완료'여야"):
        services.milestone_update(milestone=pipe.plan, state="planned", actual_on=D(2024, 5, 1), actor=org.planner)
    services.milestone_update(milestone=pipe.plan, actual_on=D(2024, 5, 30), actor=org.planner)
    pipe.plan.refresh_from_db()
    assert pipe.plan.state == MilestoneState.DONE
    services.milestone_update(milestone=pipe.plan, actual_on=None, actor=org.planner)
    pipe.plan.refresh_from_db()
    assert (pipe.plan.state, pipe.plan.actual_on) == (MilestoneState.IN_PROGRESS, None)


def test_actual_dates_cannot_be_in_the_future(org):
    pipe = make_pipeline(org)
    with pytest.raises(InitiativeError, match="오늘 이후"):
        services.milestone_complete(
            milestone=pipe.plan, actual_on=dt.date.today() + dt.timedelta(days=3), actor=org.planner
        )


def test_completing_a_stage_keeps_its_evidence(org):
    pipe = make_pipeline(org)
    services.milestone_complete(
        milestone=pipe.plan,
        actual_on=D(2024, 5, 29),
        upload=pdf("기본계획.pdf"),
        document_title="기본계획(안)",
        document_kind="계획서",
        actor=org.planner,
    )
    document = Document.objects.get()
    assert (document.milestone, document.kind, document.title, document.filename) == (
        pipe.plan,
        "plan",
        "기본계획(안)",
        "기본계획.pdf",
    )
    assert document.file.read().startswith(b"%PDF-")


def test_a_bad_document_undoes_the_whole_completion(org):
    pipe = make_pipeline(org)
    fake = SimpleUploadedFile("기본계획.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(InitiativeError, match="pdf 형식이 아닙니다"):
        services.milestone_complete(milestone=pipe.plan, actual_on=D(2024, 5, 29), upload=fake, actor=org.planner)
    pipe.plan.refresh_from_db()
    assert pipe.plan.state != MilestoneState.DONE and not Document.objects.exists()


def test_late_stages_are_flagged(org):
    pipe = make_pipeline(org)
    services.milestone_complete(milestone=pipe.plan, actual_on=D(2024, 6, 10), actor=org.planner)
    on = D(2024, 8, 5)
    assert Milestone.objects.get(pk=pipe.plan.pk).late_state(on) == "late_done"  # planned May, done in June
    assert pipe.province.late_state(on) == "late"  # planned July, still open in August
    assert pipe.ministry.late_state(on) == ""
    assert pipe.finance.late_state(on) == ""  # no planned date
    with time_machine.travel(dt.datetime(2024, 8, 5, 10, tzinfo=dt.UTC)):
        counts = selectors.dashboard_counts(org.planner)
    assert counts["late"] == 1


def test_deleting_a_stage_that_holds_the_order_together_is_refused(org):
    pipe = make_pipeline(org)
    services.milestone_complete(milestone=pipe.plan, actual_on=D(2024, 5, 29), actor=org.planner)
    services.milestone_complete(milestone=pipe.province, actual_on=D(2024, 5, 10), note="사전 협의", actor=org.planner)
    services.milestone_complete(milestone=pipe.ministry, actual_on=D(2024, 5, 20), actor=org.planner)
    with pytest.raises(InitiativeError, match="'농식품부 적격심사'의 실제 일자"):
        services.milestone_delete(milestone=pipe.province, actor=org.planner)
    services.milestone_delete(milestone=pipe.finance, actor=org.planner)
    assert AuditEvent.objects.filter(action="initiatives.milestone.delete", target_repr__contains="기획재정부").exists()


# --- review readiness --------------------------------------------------------------------------------------


def test_ready_needs_evidence(org):
    initiative = make_initiative(org)
    criterion = services.criterion_create(
        initiative=initiative, actor=org.planner, review="기획재정부 국제행사 심사", name="경제성(B/C)"
    )
    with pytest.raises(InitiativeError, match="근거·증빙을 적거나"):
        services.criterion_update(criterion=criterion, state="준비 완료", actor=org.planner)
    services.criterion_update(criterion=criterion, state="ready", upload=pdf("BC분석.pdf"), actor=org.planner)
    criterion.refresh_from_db()
    assert criterion.state == Readiness.READY and criterion.documents.count() == 1
    with pytest.raises(InitiativeError, match="유일한 근거"):
        services.document_delete(document=criterion.documents.get(), actor=org.planner)
    groups = selectors.review_groups(initiative)
    assert [(g.review, g.ready, len(g.criteria), g.rate) for g in groups] == [("기획재정부 국제행사 심사", 1, 1, 100)]


# --- partners ------------------------------------------------------------------------------------------------


def test_signed_states_need_a_signed_document(org):
    initiative = make_initiative(org)
    spc = services.partner_create(initiative=initiative, actor=org.planner, name="SPC(파리바게뜨)", kind="기업")
    for state in ("loi", "참여의향서", "mou", "done"):
        with pytest.raises(InitiativeError) as caught:
            services.partner_set_state(partner=spc, state=state, actor=org.planner)
        assert "서명된 문서" in caught.value.message and caught.value.field == "state"
    spc.refresh_from_db()
    assert spc.state == AgreementState.NEGOTIATING and spc.state_on is None
    # a letter of intent proves 참여의향서, not 업무협약
    services.partner_set_state(
        partner=spc, state="loi", on=D(2024, 4, 25), upload=pdf(), document_kind="참여의향서", actor=org.planner
    )
    spc.refresh_from_db()
    assert (spc.state, spc.state_on) == ("loi", D(2024, 4, 25))
    assert spc.documents.get().kind == "loi"
    with pytest.raises(InitiativeError, match="업무협약서"):
        services.partner_set_state(partner=spc, state="mou", actor=org.planner)
    services.partner_set_state(partner=spc, state="mou", upload=hwpx(), actor=org.planner)  # kind follows the state
    assert set(spc.documents.values_list("kind", flat=True)) == {"loi", "mou"}


def test_a_refused_state_change_keeps_no_uploaded_document(org):
    initiative = make_initiative(org)
    partner = services.partner_create(initiative=initiative, actor=org.planner, name="성심당", kind="company")
    with pytest.raises(InitiativeError, match="업무협약서"):
        services.partner_set_state(partner=partner, state="mou", upload=pdf(), document_kind="loi", actor=org.planner)
    assert not Document.objects.exists()


def test_stopping_needs_a_reason_and_signed_partners_are_not_deleted(org):
    initiative = make_initiative(org)
    partner = services.partner_create(
        initiative=initiative, actor=org.planner, name="건양대학교", kind="대학", state="mou", upload=hwpx()
    )
    assert partner.state == "mou" and partner.state_on == dt.date.today()
    with pytest.raises(InitiativeError, match="서명된 협력 기관은 지울 수 없습니다"):
        services.partner_delete(partner=partner, actor=org.planner)
    with pytest.raises(InitiativeError, match="유일한 문서"):
        services.document_delete(document=partner.documents.get(), actor=org.planner)
    with pytest.raises(InitiativeError, match="사유를 비고에"):
        services.partner_set_state(partner=partner, state="중단", actor=org.planner)
    services.partner_set_state(partner=partner, state="stopped", note="시설 사용 불가", actor=org.planner)
    services.document_delete(document=partner.documents.get(), actor=org.planner)
    services.partner_delete(partner=partner, actor=org.planner)
    assert not Partner.objects.exists()


def test_contacts_and_meetings_are_logged(org):
    initiative = make_initiative(org)
    partner = services.partner_create(initiative=initiative, actor=org.planner, name="ISC", kind="학회")
    services.contact_create(partner=partner, actor=org.planner, name="사무국", email="office@isc.example")
    with pytest.raises(InitiativeError, match="전자우편"):
        services.contact_create(partner=partner, actor=org.planner, name="오류", email="not-an-address")
    meeting = services.meeting_create(
        partner=partner, actor=org.planner, held_on="2024-03-12", summary="공동 학술회의 사전 협의"
    )
    assert meeting.held_on == D(2024, 3, 12)
    with pytest.raises(InitiativeError, match="협의 내용을"):
        services.meeting_create(partner=partner, actor=org.planner, held_on=D(2024, 3, 12), summary="")


# --- targets and budget ------------------------------------------------------------------------------------------


def test_targets_and_achievement(org):
    initiative = make_initiative(org)
    target = services.target_create(
        initiative=initiative, actor=org.planner, name="방문객", value="1,500,000", unit="명", actual=375_000
    )
    assert target.achievement() == 25
    with pytest.raises(InitiativeError, match="0보다 커야"):
        services.target_create(initiative=initiative, actor=org.planner, name="외국인", value=0, unit="명")
    with pytest.raises(InitiativeError, match="숫자가 아닙니다"):
        services.target_update(target=target, actor=org.planner, value="많이")


def test_budget_sources_must_add_up(org):
    initiative = make_initiative(org)
    with pytest.raises(InitiativeError) as caught:
        services.budget_line_create(
            initiative=initiative,
            actor=org.planner,
            year=2027,
            name="엑스포 사업비",
            total=20_000 * M,
            national=6_000 * M,
            provincial=4_000 * M,
            city=4_000 * M,
            other=4_000 * M,
        )
    assert caught.value.message == (
        "계 20,000백만원이 재원 합계 18,000백만원(국비 6,000 + 도비 4,000 + 시비 4,000 + 기타(수익) 4,000)과 다릅니다."
    )
    assert caught.value.field == "total"
    line = services.budget_line_create(
        initiative=initiative,
        actor=org.planner,
        year=2027,
        name="엑스포 사업비",
        total=20_000 * M,
        national=6_000 * M,
        provincial=4_000 * M,
        city=4_000 * M,
        other=6_000 * M,
    )
    view = selectors.budget(initiative)
    assert (view.check, view.in_total) == ("ok", 20_000 * M)
    with pytest.raises(InitiativeError, match="재원 합계"):
        services.budget_line_update(line=line, actor=org.planner, other=5_000 * M)


def test_budget_total_against_the_lines_is_flagged(org):
    initiative = make_initiative(org, name="공공기관 유치", kind="attraction", budget_total=20 * M)
    services.budget_line_create(
        initiative=initiative, actor=org.planner, year=2024, name="영상제작", total=5 * M, city=5 * M
    )
    view = selectors.budget(initiative)
    assert view.check == "differs"
    assert view.message == "총사업비 20백만원과 항목 합계 5백만원이 다릅니다(차이 -15백만원)."
    services.budget_line_create(
        initiative=initiative, actor=org.planner, year=2024, name="광고비용", total=15 * M, city=15 * M
    )
    services.budget_line_create(
        initiative=initiative,
        actor=org.planner,
        year=2024,
        name="승인 준비",
        total=1 * M,
        city=1 * M,
        in_total=False,
    )
    view = selectors.budget(initiative)
    assert (view.check, view.in_total, view.outside) == ("ok", 20 * M, 1 * M)


def test_budget_links_to_the_work_plan_statement(org):
    from hwallyu.workplan.tests.factories import make_plan

    plan = make_plan(org)  # 2024 statement: "역점사업 심사분석 운영" 계 10 (시비 10)
    initiative = make_initiative(org)
    with pytest.raises(InitiativeError, match="2025년 사업비 조서에서"):
        services.budget_line_create(
            initiative=initiative,
            actor=org.planner,
            year=2025,
            name="승인 준비",
            total=10 * M,
            city=10 * M,
            workplan_line_id=plan.line.pk,
        )
    line = services.budget_line_create(
        initiative=initiative,
        actor=org.planner,
        year=2024,
        name="승인 준비",
        total=10 * M,
        city=10 * M,
        workplan_line_id=plan.line.pk,
        in_total=False,
    )
    view = selectors.budget(initiative)
    assert [(r.link, r.statement.name if r.statement else None) for r in view.rows] == [
        ("linked", "역점사업 심사분석 운영")
    ]
    services.budget_line_update(line=line, actor=org.planner, total=12 * M, city=12 * M)
    assert selectors.budget(initiative).rows[0].link == "differs"
    assert BudgetLine.objects.get().workplan_line_id == plan.line.pk  # a reference, not a foreign key


def test_without_the_workplan_app_there_is_no_link(org, monkeypatch):
    from hwallyu.initiatives import links

    monkeypatch.setattr(links, "workplan_installed", lambda: False)
    initiative = make_initiative(org)
    with pytest.raises(InitiativeError, match="업무계획 모듈이 없어"):
        services.budget_line_create(
            initiative=initiative, actor=org.planner, year=2024, name="x", total=1, city=1, workplan_line_id=1
        )
    services.budget_line_create(initiative=initiative, actor=org.planner, year=2024, name="x", total=1, city=1)
    assert selectors.budget(initiative).rows[0].link == "none"
    assert links.statement_lines(2024) == []


# --- events, institutions, trends ---------------------------------------------------------------------------------


def test_events_periods_and_states(org):
    initiative = make_initiative(org)
    with pytest.raises(InitiativeError, match="종료일이 시작일보다"):
        services.event_create(
            initiative=initiative,
            actor=org.planner,
            title="유치기원 퍼포먼스",
            kind="퍼포먼스",
            starts_on=D(2024, 6, 30),
            ends_on=D(2024, 5, 1),
        )
    with pytest.raises(InitiativeError, match="아직 열리지 않은"):
        services.event_create(
            initiative=initiative,
            actor=org.planner,
            title="엑스포 개막",
            kind="기타",
            starts_on=dt.date.today() + dt.timedelta(days=30),
            state="done",
        )
    with pytest.raises(InitiativeError, match="허용되지 않는 값"):
        services.event_create(
            initiative=initiative, actor=org.planner, title="x", kind="불꽃놀이", starts_on=D(2024, 3, 3)
        )
    event = services.event_create(
        initiative=initiative,
        actor=org.planner,
        title="수원KT 농구와 함께하는 논산딸기day",
        kind="스포츠 마케팅",
        starts_on=D(2024, 3, 3),
        tentative=True,
        place="수원KT소닉붐 농구 경기장",
    )
    assert event.period_label() == "2024-03-03 (미확정)"


def test_institutions_won_need_a_year_and_first_contact_moves_to_contact(org):
    initiative = make_initiative(org, name="공공기관 유치", kind="attraction")
    with pytest.raises(InitiativeError, match="확정 연도"):
        services.institution_create(
            initiative=initiative, actor=org.planner, name="국방대학교", type="이전", state="유치확정"
        )
    won = services.institution_create(
        initiative=initiative, actor=org.planner, name="국방대학교", type="이전", state="won", decided_year=2007
    )
    assert won.state_on == dt.date.today()
    target = services.institution_create(
        initiative=initiative, actor=org.planner, name="한국국방연구원", type="relocation", parent="국방부"
    )
    assert (target.state, target.state_on) == (InstitutionState.INTEREST, None)
    services.institution_contact_create(
        institution=target, actor=org.planner, contacted_on=D(2024, 2, 14), channel="방문", summary="유치 의향 설명"
    )
    target.refresh_from_db()
    assert (target.state, target.state_on) == (InstitutionState.CONTACT, D(2024, 2, 14))
    with pytest.raises(InitiativeError, match="사유를 비고에"):
        services.institution_update(institution=target, state="무산", actor=org.planner)


def test_trend_tags_and_filters(org):
    attraction = make_initiative(org, name="공공기관 유치", kind="attraction", departments=[])
    entry = services.trend_create(
        actor=org.planner,
        recorded_on=D(2024, 1, 2),
        title="충남도 중점 유치 공공기관 44개소로 확대 조정(기존 34개소)",
        source="충청남도",
        tags="공공기관 이전, 충남도, 공공기관 이전",
        initiatives=[attraction],
    )
    assert entry.tag_list() == ["공공기관 이전", "충남도"]
    assert list(selectors.trend_list(org.planner, tag="충남도")) == [entry]
    assert list(selectors.trend_list(org.planner, tag="충남")) == []
    assert list(selectors.trend_list(org.planner, initiative_id=attraction.pk)) == [entry]
    # department users see a trend only through an initiative they may see
    assert list(selectors.trend_list(org.staff)) == []
    services.initiative_update(initiative=attraction, actor=org.planner, departments=[org.dept])
    assert list(selectors.trend_list(org.staff)) == [entry]
    with pytest.raises(PermissionDenied):
        services.trend_create(actor=org.executive, recorded_on=D(2024, 1, 2), title="x")


# --- documents --------------------------------------------------------------------------------------------------------


def test_document_type_and_size_limits(org, monkeypatch):
    initiative = make_initiative(org)
    bad = [
        (SimpleUploadedFile("악성.exe", b"MZ\x90\x00"), "올릴 수 있는 형식"),
        (SimpleUploadedFile("보고서.hwpx", b"%PDF-1.7 fake"), "hwpx 형식이 아닙니다"),
        (SimpleUploadedFile("빈파일.pdf", b""), "빈 파일"),
    ]
    for upload, reason in bad:
        with pytest.raises(InitiativeError, match=reason):
            services.document_upload(initiative=initiative, upload=upload, actor=org.planner)
    monkeypatch.setattr(document_services, "MAX_DOCUMENT_BYTES", 10)
    with pytest.raises(InitiativeError, match="20MB 이하"):
        services.document_upload(initiative=initiative, upload=pdf(), actor=org.planner)
    assert not Document.objects.exists()


def test_documents_attach_only_to_parts_of_the_same_initiative(org):
    expo = make_initiative(org)
    other = make_initiative(org, name="다른 사업")
    partner = services.partner_create(initiative=other, actor=org.planner, name="충청남도", kind="province")
    with pytest.raises(InitiativeError, match="다른 전략사업"):
        services.document_upload(initiative=expo, upload=pdf(), partner=partner, actor=org.planner)
