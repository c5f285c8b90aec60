"""The demo plan is the seed's 2024 plan of the planning office."""

from __future__ import annotations

import pytest

from hwallyu.org import demo as org_demo
from hwallyu.pledges import demo as pledge_demo
from hwallyu.reviews import demo as review_demo
from hwallyu.reviews.models import ReviewRound, Submission
from hwallyu.workplan import demo, selectors
from hwallyu.workplan.models import MajorTask, Project, WorkPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_city(db):
    org_demo.load()
    demo.load()
    pledge_demo.load()
    review_demo.load()


def test_seed_plan_goal_tasks_teams_and_schedules(demo_city):
    plan = WorkPlan.objects.get(year=2024)
    assert list(plan.goals.values_list("text", flat=True)) == ["민선8기 정책 실행력 제고 및 성과 창출"]
    tasks = list(MajorTask.objects.filter(plan=plan).select_related("team").order_by("number"))
    assert [(t.title, t.team.name) for t in tasks] == [
        ("‘일 잘하는 논산’ 만드는 시정환류 체계 내실화", "혁신기획팀"),
        ("공공기관 유치전략 마련 및 홍보 강화", "혁신기획팀"),
        ("2027 논산세계딸기산업엑스포 추진", "엑스포 TF팀"),
        ("시민 신뢰 회복을 위한 청렴도 향상", "감사팀"),
        ("내실있는 성과관리 운영으로 외부평가 대응력 강화", "성과관리팀"),
    ]
    assert tasks[0].aim_lines()[0] == "지시사항 및 역점사업 추진현황을 빈틈없이 파악할 수 있는 환류체계 구축"
    assert "체계화된 시정환류 시스템 확립" in tasks[0].expected_effects

    def months(title):
        return Project.objects.get(plan=plan, title=title).planned_months()

    assert months("지시사항 관리") == list(range(1, 13))
    assert months("역점사업 심사분석") == [3, 6, 9, 12]
    assert len(months("주요업무 계획·추진상황 보고")) == 2
    assert Project.objects.filter(plan=plan, task__number=3).count() >= 4


def test_demo_budget_statement_shows_the_seed_and_its_two_errors(demo_city):
    statement = selectors.budget_statement(WorkPlan.objects.get(year=2024))
    assert statement.header.label == "2건"
    assert [c["text"] for c in statement.header.cells()] == ["99", "92", "-", "-", "99", "-", "-"]
    assert [r.label for r in statement.rows] == [
        "2027 논산세계딸기산업엑스포 승인 준비 (세미나 개최 및 대외 홍보)",
        "행정만족도 조사 참여자 인센티브 지급",
    ]
    assert [v.label for v in statement.violations] == ["2건", "행정만족도 조사 참여자 인센티브 지급"]


def test_demo_is_idempotent_and_has_a_q2_round_with_submissions(demo_city):
    demo.load()
    review_demo.load()
    assert WorkPlan.objects.count() == 1
    q2 = ReviewRound.objects.get(year=2024, quarter=2)
    assert q2.status == "open"
    statuses = set(Submission.objects.filter(round=q2).values_list("status", flat=True))
    assert {"draft", "submitted", "approved", "assessed"} <= statuses
    left = Submission.objects.get(round=q2, target__department__name="미래전략과")
    assert left.status == "draft" and left.progress is None
