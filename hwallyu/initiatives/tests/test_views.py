"""The pages: the planner's walkthrough, who sees what (404/403), bad input and constant query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from hwallyu.initiatives import services
from hwallyu.initiatives.models import AgreementState, Document, Event, Milestone, MilestoneState, Partner
from hwallyu.initiatives.tests.factories import M, hwpx_text, make_initiative, make_pipeline, pdf, workbook_text

pytestmark = pytest.mark.django_db
D = dt.date


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_planner_walkthrough(org):
    """The expo: mark the province stage done with a document, record SPC's letter of intent, add an event,
    download the status report and open it."""
    pipe = make_pipeline(org)
    expo = pipe.initiative
    services.milestone_complete(milestone=pipe.plan, actual_on=D(2024, 5, 29), actor=org.planner)
    spc = services.partner_create(initiative=expo, actor=org.planner, name="SPC(파리바게뜨)", kind="company")
    planner = client_for(org.planner)

    page = planner.get(reverse("initiatives:detail", args=[expo.pk]))
    assert page.status_code == 200
    assert "2027 논산세계딸기산업엑스포" in page.content.decode()
    tab = planner.get(reverse("initiatives:milestones", args=[expo.pk])).content.decode()
    assert "충남도 검토" in tab and "hw-tl-bar" in tab and "<caption>추진 단계(계획 대비 실적)</caption>" in tab

    response = planner.post(
        reverse("initiatives:milestone_complete", args=[expo.pk, pipe.province.pk]),
        {
            "actual_on": "2024-07-24",
            "note": "",
            "upload": pdf("충남도_검토결과.pdf"),
            "document_title": "충남도 검토 결과 통보",
            "document_kind": "official",
        },
    )
    assert response.status_code == 302
    province = Milestone.objects.get(pk=pipe.province.pk)
    assert (province.state, province.actual_on) == (MilestoneState.DONE, D(2024, 7, 24))
    assert province.documents.get().title == "충남도 검토 결과 통보"

    response = planner.post(
        reverse("initiatives:partner_state", args=[expo.pk, spc.pk]),
        {"state": "loi", "on": "2024-04-25", "note": "", "upload": pdf("SPC_참여의향서.pdf"), "document_kind": ""},
    )
    assert response.status_code == 302
    spc.refresh_from_db()
    assert (spc.state, spc.state_on, spc.documents.get().kind) == (AgreementState.LOI, D(2024, 4, 25), "loi")

    response = planner.post(
        reverse("initiatives:event_create", args=[expo.pk]),
        {
            "title": "수원KT 농구와 함께하는 논산딸기day",
            "kind": "sports",
            "starts_on": "2024-03-03",
            "tentative": "on",
            "place": "수원KT소닉붐 농구 경기장",
            "audience": "농구 관람객",
            "state": "planned",
        },
    )
    assert response.status_code == 302
    assert Event.objects.get().tentative

    calendar = planner.get(reverse("initiatives:event_calendar", args=[expo.pk]), {"month": "2024-03"})
    assert "논산딸기day" in calendar.content.decode() and "2024년 3월" in calendar.content.decode()

    report = planner.get(reverse("initiatives:report", args=[expo.pk, "hwpx"]))
    assert report.status_code == 200 and report["Content-Type"] == "application/hwp+zip"
    text = hwpx_text(report.content)
    assert "2027 논산세계딸기산업엑스포 추진상황" in text
    assert "충남도 검토" in text and "SPC(파리바게뜨)" in text and "참여의향서" in text
    xlsx = planner.get(reverse("initiatives:report", args=[expo.pk, "xlsx"]))
    values = workbook_text(xlsx.content)
    assert "2027 논산세계딸기산업엑스포 추진상황" in values and "SPC(파리바게뜨)" in values


def test_bad_input_re_renders_the_form_with_the_reason(org):
    pipe = make_pipeline(org)
    expo = pipe.initiative
    services.milestone_complete(milestone=pipe.plan, actual_on=D(2024, 5, 29), actor=org.planner)
    planner = client_for(org.planner)
    response = planner.post(
        reverse("initiatives:milestone_complete", args=[expo.pk, pipe.province.pk]), {"actual_on": "2024-05-01"}
    )
    assert response.status_code == 200
    assert "앞 단계 &#x27;기본계획 제출&#x27;의 실제 일자(2024-05-29)보다 이릅니다" in response.content.decode()

    spc = services.partner_create(initiative=expo, actor=org.planner, name="SPC", kind="company")
    response = planner.post(
        reverse("initiatives:partner_state", args=[expo.pk, spc.pk]), {"state": "loi", "on": "2024-04-25"}
    )
    assert response.status_code == 200
    assert "서명된 문서(참여의향서·업무협약서)" in response.content.decode()
    assert Partner.objects.get(pk=spc.pk).state == AgreementState.NEGOTIATING

    response = planner.post(
        reverse("initiatives:budget_create", args=[expo.pk]),
        {
            "year": 2027,
            "name": "엑스포 사업비",
            "total": "20000",
            "national": "6000",
            "provincial": "4000",
            "city": "4000",
            "other": "4000",
            "in_total": "on",
        },
    )
    assert response.status_code == 200
    assert "계 20,000백만원이 재원 합계 18,000백만원" in response.content.decode()
    response = planner.post(
        reverse("initiatives:budget_create", args=[expo.pk]),
        {
            "year": 2027,
            "name": "엑스포 사업비",
            "total": "20000",
            "national": "6000",
            "provincial": "4000",
            "city": "4000",
            "other": "6000",
            "in_total": "on",
        },
    )
    assert response.status_code == 302
    budget = planner.get(reverse("initiatives:budget", args=[expo.pk])).content.decode()
    assert "총사업비 20,000백만원 = 항목 합계 20,000백만원" in budget


def test_who_sees_and_who_changes(org):
    expo = make_initiative(org)  # 미래전략과 (org.dept) collaborates; 강경읍 (other_dept) does not
    detail = reverse("initiatives:detail", args=[expo.pk])
    create = reverse("initiatives:milestone_create", args=[expo.pk])
    expected = {
        org.admin: (200, 200),
        org.planner: (200, 200),
        org.auditor: (200, 403),
        org.executive: (200, 403),
        org.manager: (200, 403),
        org.staff: (200, 403),
        org.other_manager: (404, 404),
        org.other_staff: (404, 404),
    }
    for user, (read, write) in expected.items():
        client = client_for(user)
        assert client.get(detail).status_code == read, user
        assert client.get(create).status_code == write, user
    other = client_for(org.other_manager).get(reverse("initiatives:portfolio")).content.decode()
    assert "볼 수 있는 전략사업이 없습니다." in other
    anonymous = Client().get(detail)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_parts_of_another_initiative_are_not_found(org):
    expo = make_pipeline(org)
    other = make_initiative(org, name="공공기관 유치", kind="attraction")
    planner = client_for(org.planner)
    url = reverse("initiatives:milestone_edit", args=[other.pk, expo.plan.pk])
    assert planner.get(url).status_code == 404
    document = services.document_upload(initiative=expo.initiative, upload=pdf(), actor=org.planner)
    assert planner.get(reverse("initiatives:document_download", args=[other.pk, document.pk])).status_code == 404
    response = planner.get(reverse("initiatives:document_download", args=[expo.initiative.pk, document.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    assert (
        client_for(org.other_manager)
        .get(reverse("initiatives:document_download", args=[expo.initiative.pk, document.pk]))
        .status_code
        == 404
    )


def test_delete_is_post_only_and_leaves_an_audit_row(org):
    expo = make_initiative(org)
    target = services.target_create(initiative=expo, actor=org.planner, name="방문객", value=1_500_000, unit="명")
    url = reverse("initiatives:target_delete", args=[expo.pk, target.pk])
    planner = client_for(org.planner)
    assert planner.get(url).status_code == 405
    assert client_for(org.executive).post(url).status_code == 403
    assert planner.post(url).status_code == 302
    from hwallyu.core.models import AuditEvent

    row = AuditEvent.objects.get(action="initiatives.target.delete")
    assert row.before["name"] == "방문객"


def _populate(org, n: int) -> None:
    for i in range(n):
        initiative = make_initiative(org, name=f"전략사업 {i:02d}")
        stage = services.milestone_create(
            initiative=initiative, actor=org.planner, name="기본계획 제출", planned_on=D(2024, 5, 31)
        )
        services.milestone_create(initiative=initiative, actor=org.planner, name="승인", planned_on=D(2030, 1, 1))
        services.milestone_complete(milestone=stage, actual_on=D(2024, 5, 20), actor=org.planner)
        services.partner_create(
            initiative=initiative, actor=org.planner, name="성심당", kind="company", state="loi", upload=pdf()
        )
        services.event_create(
            initiative=initiative,
            actor=org.planner,
            title="설명회",
            kind="briefing",
            starts_on=dt.date.today() + dt.timedelta(days=3),
        )
        services.trend_create(
            actor=org.planner,
            recorded_on=D(2024, 1, 2),
            title=f"동향 {i}",
            tags="공공기관 이전",
            initiatives=[initiative],
        )


@pytest.mark.parametrize("url_name", ["initiatives:portfolio", "initiatives:trends"])
def test_list_pages_use_the_same_queries_for_1_and_50(org, django_assert_num_queries, url_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    planner = client_for(org.planner)
    _populate(org, 1)
    planner.get(reverse(url_name))  # warm the session and calendar caches
    with CaptureQueriesContext(connection) as one:
        assert planner.get(reverse(url_name)).status_code == 200
    for i in range(49):
        initiative = make_initiative(org, name=f"추가 사업 {i:02d}")
        services.milestone_create(initiative=initiative, actor=org.planner, name="단계", planned_on=D(2030, 1, 1))
        services.partner_create(
            initiative=initiative, actor=org.planner, name="대학", kind="university", state="mou", upload=pdf()
        )
        services.trend_create(
            actor=org.planner, recorded_on=D(2024, 1, 3), title=f"추가 동향 {i}", initiatives=[initiative]
        )
    with django_assert_num_queries(len(one.captured_queries)):
        response = planner.get(reverse(url_name))
    assert response.status_code == 200
    if url_name == "initiatives:portfolio":
        assert response.content.decode().count('href="/initiatives/') >= 50


def test_tabs_render_for_a_department_reader_without_manage_buttons(org):
    pipe = make_pipeline(org)
    expo = pipe.initiative
    services.partner_create(initiative=expo, actor=org.planner, name="충청남도", kind="province")
    services.budget_line_create(
        initiative=expo, actor=org.planner, year=2027, name="사업비", total=20_000 * M, national=20_000 * M
    )
    staff = client_for(org.staff)
    for name in (
        "detail",
        "milestones",
        "readiness",
        "partners",
        "targets",
        "budget",
        "events",
        "event_calendar",
        "institutions",
        "initiative_trends",
        "documents",
    ):
        response = staff.get(reverse(f"initiatives:{name}", args=[expo.pk]))
        assert response.status_code == 200, name
        body = response.content.decode()
        assert "단계 추가" not in body and "사업 정보 수정" not in body, name
    assert staff.get(reverse("initiatives:report", args=[expo.pk, "pdf"])).status_code == 404


def test_document_upload_page_links_to_the_part(org):
    pipe = make_pipeline(org)
    expo = pipe.initiative
    planner = client_for(org.planner)
    url = reverse("initiatives:document_upload", args=[expo.pk])
    assert planner.get(url, {"milestone": pipe.plan.pk}).status_code == 200
    response = planner.post(
        url, {"upload": pdf("기본계획.pdf"), "title": "", "kind": "plan", "milestone": pipe.plan.pk}
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.title, document.milestone_id) == ("기본계획", pipe.plan.pk)
    response = planner.post(url, {"upload": pdf("x.exe"), "kind": "plan"})
    assert response.status_code == 200 and "올릴 수 있는 형식" in response.content.decode()


def test_home_dashboard_counts(org):
    import time_machine

    pipe = make_pipeline(org)
    services.partner_create(
        initiative=pipe.initiative, actor=org.planner, name="성심당", kind="company", state="loi", upload=pdf()
    )
    block = reverse("core:dashboard_block", args=["initiatives"])
    htmx = {"HX-Request": "true"}
    with time_machine.travel(dt.datetime(2024, 8, 5, 10, tzinfo=dt.UTC)):
        home = client_for(org.planner).get(reverse("core:home")).content.decode()
        cards = client_for(org.planner).get(block, headers=htmx).content.decode()
    assert "전략사업" in home and f'hx-get="{block}"' in home
    assert "추진 중 전략사업" in cards and "지연 단계" in cards and "서명 협력 기관" in cards
    other = client_for(org.other_manager).get(block, headers=htmx)
    assert other.status_code == 200 and other.content.decode().strip() == ""  # none of theirs: no block
    from hwallyu.initiatives import selectors

    with time_machine.travel(dt.datetime(2024, 8, 5, 10, tzinfo=dt.UTC)):
        # 기본계획 (May) and 충남도 검토 (July) are both past and open
        assert selectors.dashboard_counts(org.planner) == {"open": 1, "due": 0, "late": 2, "signed": 1}
    with time_machine.travel(dt.datetime(2024, 11, 5, 10, tzinfo=dt.UTC)):
        # 농식품부 (planned for the end of November) is within 30 days
        assert selectors.dashboard_counts(org.executive)["due"] == 1


def test_long_event_lists_open_on_the_page_with_todays_events(org):
    today = dt.date.today()
    expo = make_initiative(org, starts_on=today - dt.timedelta(days=400), ends_on=today + dt.timedelta(days=400))
    Event.objects.bulk_create(
        Event(initiative=expo, title=f"지난 설명회 {n}", kind="briefing", starts_on=today - dt.timedelta(days=300 - n))
        for n in range(60)
    )
    services.event_create(
        initiative=expo, actor=org.planner, title="다음 주 설명회", kind="briefing", starts_on=today + dt.timedelta(7)
    )
    planner = client_for(org.planner)
    url = reverse("initiatives:events", args=[expo.pk])
    opened = planner.get(url)
    assert opened.context["page"].number == 2 and "다음 주 설명회" in opened.content.decode()
    first = planner.get(url, {"page": 1}).content.decode()
    assert "지난 설명회 0" in first and "다음 주 설명회" not in first and "총 61건" in first


def test_an_initiatives_trend_tab_shows_thirty_entries_a_page(org):
    from hwallyu.initiatives.models import TrendEntry

    expo = make_initiative(org)
    entries = TrendEntry.objects.bulk_create(
        TrendEntry(recorded_on=D(2024, 1, 1) + dt.timedelta(days=n), title=f"동향 {n:02d}") for n in range(31)
    )
    expo.trends.add(*entries)
    planner = client_for(org.planner)
    page = planner.get(reverse("initiatives:initiative_trends", args=[expo.pk])).content.decode()
    assert "동향 30" in page and "동향 00" not in page and "page=2" in page
    older = planner.get(reverse("initiatives:initiative_trends", args=[expo.pk]), {"page": 2}).content.decode()
    assert "동향 00" in older
