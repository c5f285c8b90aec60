"""Demo review analysis of 2024: key projects from the seed plan and pledges, a closed Q1
round, an open Q2 round with submissions at every step, and a Q3 round in preparation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from hwallyu.core.audit import log_action
from hwallyu.core.calendar import SEOUL
from hwallyu.org import selectors as org
from hwallyu.pledges.models import Pledge
from hwallyu.reviews import selectors
from hwallyu.reviews.models import (
    Alternative,
    Assessment,
    ReviewRound,
    ReviewTarget,
    RoundKind,
    RoundStatus,
    Submission,
    SubmissionStatus,
)
from hwallyu.reviews.services import _due_at, scheme_ensure
from hwallyu.workplan.models import Project

YEAR = 2024
M = 1_000_000

PROJECT_TARGETS = [
    "국방 공공기관 유치 홍보(서울역 옥외전광판 영상 송출)",
    "국제행사 승인 준비(기본계획 수립·제출)",
    "엑스포 개최 협업체계 구축",
    "행정만족도 조사 실시",
    "위임사무 시군평가 대응",
]
PLEDGE_TARGETS = ["1-2", "2-1", "4-1"]

# target key → (progress, budget, executed, work done, delay category, delay reason, status, final state code)
Q1 = {
    "국방 공공기관 유치 홍보(서울역 옥외전광판 영상 송출)": (
        50,
        20,
        5,
        "홍보영상 제작 완료(3월)",
        None,
        "",
        "assessed",
        "normal",
    ),
    "국제행사 승인 준비(기본계획 수립·제출)": (10, 92, 5, "기본계획 수립 용역 착수", None, "", "assessed", "normal"),
    "엑스포 개최 협업체계 구축": (15, 0, 0, "성심당·SPC 참여 협의 시작", None, "", "assessed", "normal"),
    "행정만족도 조사 실시": (25, 7, 1, "알림톡 설문 1분기 발송", None, "", "assessed", "normal"),
    "위임사무 시군평가 대응": (10, 0, 0, "시군평가 대응계획 수립(2월)", None, "", "assessed", "normal"),
    "1-2": (20, 300, 40, "유치 대상 기관 건의문 작성", None, "", "assessed", "normal"),
    "2-1": (5, 20000, 0, "엑스포 추진 TF 구성", None, "", "assessed", "normal"),
    "4-1": (
        10,
        25000,
        1500,
        "수변 관광시설 기본설계",
        "관계기관 협의 지연",
        "농어촌공사와 부지 사용 협의 지연",
        "assessed",
        "delayed",
    ),
}
Q2 = {
    "국방 공공기관 유치 홍보(서울역 옥외전광판 영상 송출)": (
        100,
        20,
        20,
        "서울역 옥외전광판 광고 시행(5월) 완료",
        None,
        "",
        "assessed",
        "completed",
    ),
    "국제행사 승인 준비(기본계획 수립·제출)": (30, 92, 40, "기본계획 충남도 제출(5월)", None, "", "assessed", "normal"),
    "엑스포 개최 협업체계 구축": (
        45,
        0,
        0,
        "민간기업 참여의향서 2건 접수",
        "관계기관 협의 지연",
        "충남도 협약이 기본계획 제출 이후로 미뤄짐",
        "approved",
        None,
    ),
    "행정만족도 조사 실시": (50, 7, 3, "상반기 설문 1,240건 응답", None, "", "approved", None),
    "위임사무 시군평가 대응": (40, 0, 0, "준비상황 보고회(4월), 부진지표 보고회 매월", None, "", "assessed", "normal"),
    "1-2": None,  # left for the department (미래전략과) to write and submit
    "2-1": (30, 20000, 500, "국제행사 승인 신청 준비, 세미나 개최", None, "", "submitted", None),
    "4-1": (30, 25000, 6000, "출렁다리 연계 관광시설 실시설계", None, "", "draft", None),
}


def _targets() -> dict[str, ReviewTarget]:
    found: dict[str, ReviewTarget] = {}
    for title in PROJECT_TARGETS:
        project = Project.objects.filter(plan__year=YEAR, title=title).select_related("department").first()
        if project is not None:
            found[title] = ReviewTarget.objects.create(
                year=YEAR, project=project, title=project.title, department=project.department
            )
    for code in PLEDGE_TARGETS:
        pledge = Pledge.objects.filter(code=code).select_related("department").first()
        if pledge is not None:
            found[code] = ReviewTarget.objects.create(
                year=YEAR, pledge=pledge, title=pledge.title, department=pledge.department, long_term=False
            )
    return found


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=SEOUL)


def _fill(round_: ReviewRound, targets: dict[str, ReviewTarget], data: dict[str, Any], day: dt.date) -> None:
    scheme = scheme_ensure(YEAR)
    states = {s.code: s for s in scheme.states.all()}
    categories = {c.label: c for c in scheme.delay_categories.all()}
    office = org.planning_office_users()
    planner = office[0] if office else None
    for key, target in targets.items():
        values = data.get(key)
        sub = Submission.objects.create(round=round_, target=target)
        if values is None:
            continue
        progress, budget, executed, work, category, reason, status, final = values
        managers = org.department_managers(target.department)
        manager = managers[0] if managers else None
        planned = selectors.planned_progress(target, round_.as_of)
        sub.progress, sub.budget, sub.budget_executed = progress, budget * M, executed * M
        sub.work_done, sub.delay_reason = work, reason
        sub.delay_category = categories.get(category) if category else None
        sub.next_plan = "다음 분기 계획대로 추진"
        sub.planned_progress = planned
        sub.status = status
        if status != SubmissionStatus.DRAFT:
            sub.submitted_by, sub.submitted_at = manager, _at(day)
        if status in (SubmissionStatus.APPROVED, SubmissionStatus.ASSESSED):
            sub.approved_by, sub.approved_at = manager, _at(day, 14)
        sub.save()
        if status in (SubmissionStatus.APPROVED, SubmissionStatus.ASSESSED):
            proposed, gap = selectors.propose(
                states.values(), planned=planned, actual=progress, long_term=target.long_term
            )
            assessment = Assessment.objects.create(submission=sub, proposed_state=proposed, gap=gap)
            if status == SubmissionStatus.ASSESSED and final:
                assessment.final_state = states.get(final)
                assessment.comment = (
                    "계획대로 추진 중" if final in ("normal", "completed") else "부진 사유 해소 방안 마련 필요"
                )
                assessment.assessed_by, assessment.assessed_at = planner, _at(day + dt.timedelta(days=7))
                assessment.save()


def load() -> None:
    if ReviewRound.objects.filter(year=YEAR).exists() or ReviewTarget.objects.filter(year=YEAR).exists():
        return
    if not Project.objects.filter(plan__year=YEAR).exists():
        return
    scheme_ensure(YEAR)
    targets = _targets()
    if not targets:
        return
    planner_list = org.planning_office_users()
    planner = planner_list[0] if planner_list else None
    q1 = ReviewRound.objects.create(
        year=YEAR,
        kind=RoundKind.QUARTERLY,
        quarter=1,
        title="2024년 1분기 역점사업 심사분석",
        as_of=dt.date(2024, 3, 31),
        opens_on=dt.date(2024, 4, 1),
        closes_on=dt.date(2024, 4, 12),
        due_at=_due_at(dt.date(2024, 4, 12)),
        status=RoundStatus.CLOSED,
        opened_at=_at(dt.date(2024, 4, 1), 9),
        closed_at=_at(dt.date(2024, 4, 26), 18),
        created_by=planner,
    )
    _fill(q1, targets, Q1, dt.date(2024, 4, 10))
    q2 = ReviewRound.objects.create(
        year=YEAR,
        kind=RoundKind.QUARTERLY,
        quarter=2,
        title="2024년 2분기 역점사업 심사분석",
        as_of=dt.date(2024, 6, 30),
        opens_on=dt.date(2024, 7, 1),
        closes_on=dt.date(2024, 7, 12),
        due_at=_due_at(dt.date(2024, 7, 12)),
        status=RoundStatus.OPEN,
        opened_at=_at(dt.date(2024, 7, 1), 9),
        created_by=planner,
    )
    _fill(q2, targets, Q2, dt.date(2024, 7, 10))
    ReviewRound.objects.create(
        year=YEAR,
        kind=RoundKind.QUARTERLY,
        quarter=3,
        title="2024년 3분기 역점사업 심사분석",
        as_of=dt.date(2024, 9, 30),
        opens_on=dt.date(2024, 10, 2),
        closes_on=dt.date(2024, 10, 15),
        due_at=_due_at(dt.date(2024, 10, 15)),
        status=RoundStatus.DRAFT,
        created_by=planner,
    )
    q1_tour = (
        Submission.objects.filter(round=q1, target__pledge__code="4-1").select_related("target__department").first()
    )
    if q1_tour is not None:
        Alternative.objects.create(
            submission=q1_tour,
            text="농어촌공사와 부지 사용 협의를 월 1회 정례화하고 실시설계를 조기 발주",
            department=q1_tour.target.department,
            due_on=dt.date(2024, 6, 28),
            created_by=planner,
        )
    q2_expo = (
        Submission.objects.filter(round=q2, target__title="엑스포 개최 협업체계 구축")
        .select_related("target__department")
        .first()
    )
    if q2_expo is not None:
        Alternative.objects.create(
            submission=q2_expo,
            text="충남도 협약 체결 일정을 8월 중으로 확정하고 민간기업 참여의향서를 추가 확보(목표 5건)",
            department=q2_expo.target.department,
            due_on=dt.date(2024, 8, 30),
            created_by=planner,
        )
    log_action(
        actor=None,
        action="reviews.demo_load",
        target_type="reviews.demo",
        target_repr="데모 심사분석(2024)",
        after={"targets": len(targets), "rounds": 3, "at": timezone.now()},
    )
