"""The pages: lists with a fixed query count, the browser flow of the issue, bulk entry, the scheme."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hwpx import HwpxDocument

from hwallyu.directives import services
from hwallyu.directives.models import Directive, ReportAttachment, State
from hwallyu.notifications.models import Notification

from .conftest import at, make_directive

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def _make_many(org, count):
    for n in range(count):
        make_directive(
            org,
            title=f"지시 {n}",
            given_at=at(2024, 9, 2, 9),
            share_at=at(2024, 9, 2, 10),
            supports=[org.other_dept] if n % 2 else [],
        )


@pytest.mark.parametrize("user_name", ["planner", "manager"])
def test_list_query_count_does_not_grow_with_rows(org, clock, as_user, django_assert_num_queries, user_name):
    clock(at(2024, 9, 13, 10))
    client = as_user(getattr(org, user_name))
    url = reverse("directives:list") + "?year=2024&overdue=on&q=지시"
    _make_many(org, 1)
    client.get(url)  # warm up caches (calendar, security policy)
    response = client.get(url)
    assert response.status_code == 200
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _make_many(org, 49)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 50
    assert len(response.context["page"].object_list) == 30


def test_list_filters(org, clock, as_user):
    clock(at(2024, 9, 23, 11))
    overdue = make_directive(org, title="제설 대책", given_at=at(2024, 9, 13, 9), share_at=at(2024, 9, 13, 10))
    other = make_directive(org, title="관광 안내", given_at=at(2024, 9, 13, 9), lead=org.other_dept)
    q1 = make_directive(org, title="봄철 산불", given_at=at(2024, 3, 4, 9), share_at=at(2024, 3, 4, 10))
    services.directive_report(directive=q1, actor=org.staff, kind="first", body="착수", at=at(2024, 3, 5, 10))
    client = as_user(org.planner)

    def numbers(**params):
        response = client.get(reverse("directives:list"), params)
        assert response.status_code == 200
        return sorted(d.number for d in response.context["page"].object_list)

    assert numbers() == sorted([overdue.number, other.number, q1.number])
    assert numbers(quarter=1) == [q1.number]
    assert numbers(department="D002") == [other.number]
    assert numbers(state="reported") == [q1.number]
    assert numbers(overdue="on") == sorted([overdue.number, other.number])
    assert numbers(q="제설") == [overdue.number]
    assert numbers(q=q1.number) == [q1.number]
    assert numbers(q=q1.number.lower()) == [q1.number]
    partial = client.get(reverse("directives:list"), {"q": "제설"}, headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and overdue.title.encode() in partial.content


def test_department_users_see_only_their_shared_directives(org, clock, as_user):
    clock(at(2024, 9, 13, 11))
    mine = make_directive(org, title="우리 부서 건", share_at=at(2024, 9, 13, 10))
    supporting = make_directive(
        org, title="협조 건", lead=org.other_dept, supports=[org.dept], share_at=at(2024, 9, 13, 10)
    )
    make_directive(org, title="아직 공유 전")
    make_directive(org, title="다른 부서 건", lead=org.other_dept, share_at=at(2024, 9, 13, 10))
    client = as_user(org.staff)
    listed = {d.number for d in client.get(reverse("directives:list")).context["page"].object_list}
    assert listed == {mine.number, supporting.number}
    inbox = client.get(reverse("directives:inbox"))
    assert inbox.status_code == 200
    assert [(d.number, d.own.get_role_display()) for d in inbox.context["page"].object_list] == [
        (supporting.number, "협조"),
        (mine.number, "주관"),
    ]
    assert "우리 부서 지시사항" in inbox.content.decode()


def test_the_browser_flow_of_the_issue(org, clock, as_user, django_capture_on_commit_callbacks):
    """planner registers three directives of one meeting and shares them; manager reports first and asks
    to close; planner approves; the quarterly review shows the figures and the HWPX opens."""
    clock(at(2024, 9, 2, 11))
    planner = as_user(org.planner)
    form = {
        "given_at": "2024-09-02T09:00",
        "source": "간부회의",
        "given_by": "시장",
        "kind": "order",
        "deadline_class": "단순·후속 보고",
        "lines": "추석 연휴 비상진료 점검 | D001\n제설 장비 점검 | 강경읍 | D001\n공공기관 유치 동향 보고 | 미래전략과",
    }
    preview = planner.post(reverse("directives:bulk"), form)
    assert preview.status_code == 200 and preview.context["all_ok"]
    assert not Directive.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = planner.post(reverse("directives:bulk"), {**form, "confirm": "1"})
    assert done.status_code == 302
    numbers = list(Directive.objects.order_by("seq").values_list("number", flat=True))
    assert numbers == ["2024-0001", "2024-0002", "2024-0003"]
    for number in numbers:
        with django_capture_on_commit_callbacks(execute=True):
            assert planner.post(reverse("directives:share", args=[number])).status_code == 302
    assert Directive.objects.filter(state=State.SHARED).count() == 3
    assert Notification.objects.filter(recipient=org.manager, kind="directive.shared").count() == 3

    clock(at(2024, 9, 3, 10))
    manager = as_user(org.manager)
    inbox = manager.get(reverse("directives:inbox"))
    assert {d.number for d in inbox.context["page"].object_list} == set(numbers)
    number = numbers[0]
    page = manager.get(reverse("directives:detail", args=[number]))
    assert page.status_code == 200 and page.context["report_form"] is not None
    upload = SimpleUploadedFile("점검계획.txt", "비상진료 점검 계획".encode(), content_type="text/plain")
    response = manager.post(
        reverse("directives:report", args=[number]),
        {"kind": "first", "body": "점검 계획 수립", "attachments": [upload]},
    )
    assert response.status_code == 302
    attachment = ReportAttachment.objects.get()
    download = manager.get(reverse("directives:attachment", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == "비상진료 점검 계획".encode()
    assert (
        manager.post(reverse("directives:report", args=[number]), {"kind": "result", "body": "점검 완료"}).status_code
        == 302
    )
    response = manager.post(reverse("directives:close_request", args=[number]), {"final_state": "completed"})
    assert response.status_code == 302
    assert Directive.objects.get(number=number).close_requested_at is not None

    clock(at(2024, 9, 4, 10))
    planner = as_user(org.planner)
    assert planner.post(reverse("directives:close_approve", args=[number]), {"comment": ""}).status_code == 302
    directive = Directive.objects.get(number=number)
    assert directive.state == State.COMPLETED
    timeline = planner.get(reverse("directives:detail", args=[number])).content.decode()
    for label in ("등록", "공유", "보고", "종결 요청", "종결 승인"):
        assert label in timeline

    clock(at(2024, 10, 7, 10))
    planner = as_user(org.planner)  # a month later: a new session
    review = planner.get(reverse("directives:review", args=[2024, 3]))
    assert review.status_code == 200
    assert review.context["data"]["total"]["total"] == 3
    assert review.context["data"]["total"]["completed"] == 1
    assert review.context["data"]["total"]["completion_rate"] == "33.3"
    assert planner.post(reverse("directives:review", args=[2024, 3]), {"note": "확정"}).status_code == 302
    hwpx = planner.get(reverse("directives:review_download", args=[2024, 3, "hwpx"]))
    assert hwpx.status_code == 200 and hwpx["Content-Type"] == "application/hwp+zip"
    document = HwpxDocument.open(io.BytesIO(hwpx.content).getvalue())
    assert document.paragraphs[0].text == "2024년 3분기 지시사항 추진상황 총괄보고"
    xlsx = planner.get(reverse("directives:review_download", args=[2024, 3, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_form_errors_rerender_with_status_200(org, clock, as_user):
    clock(at(2024, 9, 13, 11))
    directive = make_directive(org, share_at=at(2024, 9, 13, 10))
    services.directive_report(directive=directive, actor=org.staff, kind="first", body="착수")
    manager = as_user(org.manager)
    response = manager.post(reverse("directives:close_request", args=[directive.number]), {"final_state": "infeasible"})
    assert response.status_code == 200
    assert "추진불가로 종결하려면 사유를 입력하세요." in response.content.decode()
    directive.refresh_from_db()
    assert directive.close_requested_at is None
    # a double click on share answers with a message, not an error page
    planner = as_user(org.planner)
    response = planner.post(reverse("directives:share", args=[directive.number]), follow=True)
    assert response.status_code == 200 and "이미 공유한 지시사항입니다." in response.content.decode()


def test_bulk_preview_shows_row_errors_and_registers_nothing(org, clock, as_user):
    clock(at(2024, 9, 2, 11))
    planner = as_user(org.planner)
    form = {
        "given_at": "2024-09-02T09:00",
        "source": "간부회의",
        "given_by": "시장",
        "kind": "order",
        "deadline_class": "단순·후속 보고",
        "lines": "좋은 줄 | D001\n부서 없는 줄\n모르는 부서 | X999\n겹침 | D001 | 미래전략과",
        "confirm": "1",
    }
    response = planner.post(reverse("directives:bulk"), form)
    assert response.status_code == 200 and not response.context["all_ok"]
    errors = {r.line: r.errors for r in response.context["rows"]}
    assert errors[1] == []
    assert "주관부서가 없습니다" in errors[2][0]
    assert "X999" in errors[3][0]
    assert "주관부서이므로" in errors[4][0]
    assert not Directive.objects.exists()


def test_register_form_and_scheme_page(org, clock, as_user):
    clock(at(2024, 9, 13, 11))
    planner = as_user(org.planner)
    assert planner.get(reverse("directives:create")).status_code == 200
    response = planner.post(
        reverse("directives:create"),
        {
            "given_at": "2024-09-13T09:00",
            "source": "현장방문",
            "given_by": "부시장",
            "kind": "exhortation",
            "title": "탑정호 안전 점검",
            "content": "",
            "lead_department": org.dept.pk,
            "support_departments": [org.other_dept.pk],
            "deadline_class": "계획 수립",
            "result_due_on": "",
        },
    )
    assert response.status_code == 302
    directive = Directive.objects.get()
    assert (directive.kind, directive.report_days, directive.given_by) == ("exhortation", 10, "부시장")
    assert list(directive.assignments.values_list("department__code", "role")) == [
        ("D001", "lead"),
        ("D002", "support"),
    ]

    response = planner.post(
        reverse("directives:scheme") + "?year=2025",
        {"deadline_classes": "긴급 보고 | 1\n단순·후속 보고 | 3", "sources": "간부회의\n읍면동 순방", "givers": "시장"},
    )
    assert response.status_code == 302
    scheme = services.scheme_for_year(2025)
    assert scheme.deadline_classes == [{"name": "긴급 보고", "days": 1}, {"name": "단순·후속 보고", "days": 3}]
    bad = planner.post(reverse("directives:scheme"), {"deadline_classes": "긴급", "sources": "a", "givers": "b"})
    assert bad.status_code == 200
    assert "'이름 | 일수' 형식" in bad.context["form"].errors["deadline_classes"][0]


def test_home_dashboard_cards(org, clock):
    from hwallyu.directives.views import dashboard_cards

    clock(at(2024, 9, 23, 9))
    make_directive(org, share_at=at(2024, 9, 13, 10))  # first report due today 10:00
    make_directive(org, given_at=at(2024, 9, 13, 9), lead=org.other_dept, share_at=at(2024, 9, 13, 10))
    make_directive(org, given_at=at(2024, 9, 2, 9), share_at=at(2024, 9, 2, 10))  # due 2024-09-05: overdue
    cards = {c.label: c.value for c in dashboard_cards(org.planner)}
    assert cards == {"미종결 지시사항": 3, "기한 경과": 1, "오늘 기한": 2}
    cards = {c.label: c.value for c in dashboard_cards(org.manager)}
    assert cards == {"우리 부서 미종결 지시사항": 2, "우리 부서 기한 경과": 1, "오늘 기한": 1}
    assert dashboard_cards(org.other_staff)[0].value == 1


def test_extension_through_the_pages(org, clock, as_user):
    clock(at(2024, 9, 13, 11))
    directive = make_directive(org, share_at=at(2024, 9, 13, 10))
    manager = as_user(org.manager)
    page = manager.get(reverse("directives:detail", args=[directive.number]))
    assert page.context["extension_form"] is not None
    assert (
        manager.post(
            reverse("directives:extension_request", args=[directive.number]), {"days": 2, "reason": "점검 일정"}
        ).status_code
        == 302
    )
    extension = directive.extensions.get()
    planner = as_user(org.planner)
    returned = planner.post(
        reverse("directives:extension_return", args=[directive.number, extension.pk]), {"comment": ""}
    )
    assert returned.status_code == 200
    assert "반려 의견을 입력하세요." in returned.content.decode()
    approved = planner.post(
        reverse("directives:extension_approve", args=[directive.number, extension.pk]), {"comment": ""}
    )
    assert approved.status_code == 302
    directive.refresh_from_db()
    assert directive.first_report_due_at == at(2024, 9, 25, 10)
    assert "기한 연장 승인" in planner.get(reverse("directives:detail", args=[directive.number])).content.decode()


def test_search_ignores_case_and_matches_korean_as_typed(org, clock, as_user):
    clock(at(2024, 9, 23, 11))
    ai = make_directive(org, title="AI 민원 안내 도입", given_at=at(2024, 9, 13, 9))
    strawberry = make_directive(org, title="딸기 축제 준비", given_at=at(2024, 9, 13, 9))
    client = as_user(org.planner)

    def numbers(q):
        response = client.get(reverse("directives:list"), {"q": q})
        assert response.status_code == 200
        return [d.number for d in response.context["page"].object_list]

    assert numbers("ai 민원") == [ai.number]
    assert numbers("Ai") == [ai.number]
    assert numbers("딸기") == [strawberry.number]
    assert numbers("세부 내용") == sorted([ai.number, strawberry.number], reverse=True)  # the content


def test_text_q_folds_case_only_for_cased_text():
    from hwallyu.directives.selectors import text_q

    assert text_q("딸기 2024", "title", "content").children == [
        ("title__contains", "딸기 2024"),
        ("content__contains", "딸기 2024"),
    ]
    assert text_q("AI", "title").children == [("title__icontains", "AI")]
