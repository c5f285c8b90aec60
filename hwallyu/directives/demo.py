"""Demo directives: about 40 directives of the mayor and deputy mayor through 2024, in every state.

The year is replayed in time order through the services with explicit times (``at``), so the
due times come from the working-time calendar and the Q1 and Q2 reviews are approved (frozen)
on 8 April and 8 July with the figures as they stood then.  Some items stay overdue.
Idempotent: nothing is added when 2024 already has directives.  Runs after the organisation
demo (order 10), whose departments and accounts it uses.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hwallyu.core.calendar import SEOUL, get_calendar
from hwallyu.directives import reviews, services
from hwallyu.directives.models import Directive, Kind
from hwallyu.org.models import Role
from hwallyu.org.selectors import departments, users_with_role

log = logging.getLogger(__name__)
YEAR = 2024

# given at | source | given by | kind | title | lead | supporting departments | deadline class (plan: 계획 수립,
# -: the default class) | outcome
SPECS_TEXT = """
01-08 09:00 | 간부회의 | 시장 | 지시 | 국방 관련 공공기관 유치 전략 보고 | 미래전략과 | 투자유치과 | plan | completed
01-08 09:00 | 간부회의 | 시장 | 지시 | 2024 논산딸기축제 준비상황 점검 | 관광진흥과 | 딸기산업과 | - | completed
01-08 09:00 | 간부회의 | 시장 | 지시 | 설 명절 민원 처리기간 단축 방안 마련 | 민원과 | - | - | completed
01-22 10:00 | 주간업무회의 | 부시장 | 당부 | 청렴도 향상에 전 부서가 함께 힘써 줄 것 | 행정지원과 | - | - | completed
01-22 10:00 | 주간업무회의 | 부시장 | 지시 | 겨울철 독감 예방접종 홍보 강화 | 보건소 | - | - | completed
02-05 09:00 | 간부회의 | 시장 | 지시 | 서울역 전광판 유치 홍보영상 제작 | 미래전략과 | 홍보협력실 | - | completed_late
02-05 09:00 | 간부회의 | 시장 | 지시 | 강경 젓갈시장 주차 불편 해소 방안 | 강경읍 | 교통과 | - | long_term
02-19 14:00 | 현장방문 | 시장 | 지시 | 딸기축제장 교통 혼잡 대책 마련 | 관광진흥과 | 교통과, 안전총괄과 | - | completed
02-19 14:00 | 현장방문 | 시장 | 지시 | 수원KT 농구 논산딸기day 홍보부스 운영 | 딸기산업과 | - | - | completed
03-04 09:00 | 간부회의 | 부시장 | 지시 | 행정만족도 조사 알림톡 발송 준비 | 민원과 | 정보통신과 | - | completed
03-04 09:00 | 간부회의 | 부시장 | 지시 | 신규 공직자 청렴길라잡이 제작·배부 | 행정지원과 | - | - | completed
03-18 10:00 | 주간업무회의 | 시장 | 당부 | 총선 기간 공직기강 확립 | 행정지원과 | - | - | completed
03-18 10:00 | 주간업무회의 | 시장 | 지시 | 봄철 산불 감시인력 추가 배치 | 강경읍 | 산림녹지과 | - | infeasible
04-01 09:00 | 간부회의 | 시장 | 지시 | 엑스포 기본계획 충청남도 제출 준비 | 딸기산업과 | 관광진흥과 | plan | completed
04-01 09:00 | 간부회의 | 시장 | 지시 | 공공기관 이전 동향 수시 보고 체계 마련 | 미래전략과 | - | - | long_term
04-15 15:00 | 현장방문 | 시장 | 지시 | 국방산단 진입도로 개설 건의 | 미래전략과 | 건설과 | - | transferred
04-15 15:00 | 현장방문 | 시장 | 지시 | 국방산단 입주기업 애로사항 청취 | 미래전략과 | 기업지원과 | - | completed
05-07 09:00 | 간부회의 | 부시장 | 당부 | 어버이날 경로당 방문 시 건강 상담 병행 | 보건소 | - | - | completed
05-07 09:00 | 간부회의 | 부시장 | 지시 | 탑정호 관광객 안전시설 점검 | 관광진흥과 | 안전총괄과 | - | extended
05-20 10:00 | 주간업무회의 | 시장 | 지시 | 민원실 무인민원발급기 추가 배치 | 민원과 | 회계과 | - | completed
05-20 10:00 | 주간업무회의 | 시장 | 지시 | 딸기 가공제품 판로 개척(성심당·SPC 협의) | 딸기산업과 | - | - | long_term
06-03 09:00 | 간부회의 | 시장 | 지시 | 여름철 폭염 취약계층 보호 대책 | 보건소 | 강경읍, 주민복지과 | - | completed
06-03 09:00 | 간부회의 | 시장 | 지시 | 엑스포 유치 기원 퍼포먼스 개최 | 관광진흥과 | 딸기산업과 | - | completed_late
06-17 10:00 | 주간업무회의 | 부시장 | 지시 | 하반기 인사 운영 방향 보고 | 행정지원과 | - | - | completed
07-01 09:00 | 간부회의 | 시장 | 지시 | 장마철 재해 취약지역 점검 | 강경읍 | 안전총괄과 | - | completed
07-01 09:00 | 간부회의 | 시장 | 지시 | 농식품부 엑스포 적격심사 대응 계획 | 딸기산업과 | - | plan | in_progress
07-15 10:00 | 주간업무회의 | 부시장 | 지시 | 민원 처리기간 준수율 점검 | 민원과 | - | - | returned
08-05 09:00 | 간부회의 | 부시장 | 지시 | 공공기관 유치 홍보 2차 캠페인 검토 | 미래전략과 | 홍보협력실 | - | infeasible
08-19 15:00 | 현장방문 | 시장 | 지시 | 강경 근대문화거리 야간 경관 개선 | 강경읍 | 관광진흥과 | - | long_term
09-02 09:00 | 간부회의 | 시장 | 지시 | 추석 연휴 비상진료 체계 점검 | 보건소 | - | - | completed
09-13 09:00 | 간부회의 | 시장 | 지시 | 추석 연휴 생활쓰레기 수거 대책 | 강경읍 | 자원순환센터 | - | completed
09-13 09:00 | 간부회의 | 시장 | 지시 | 국제딸기심포지엄 참가 계획 수립 | 딸기산업과 | - | - | reported
10-07 09:00 | 간부회의 | 시장 | 지시 | 시군평가 정성지표 실적 제출 점검 | 행정지원과 | - | - | close_pending
10-07 09:00 | 간부회의 | 시장 | 지시 | 가을 축제 안전관리 계획 보완 | 관광진흥과 | 안전총괄과 | - | in_progress
10-21 10:00 | 주간업무회의 | 부시장 | 지시 | 민원 응대 친절도 개선 교육 | 민원과 | - | - | reported
11-04 09:00 | 간부회의 | 시장 | 지시 | 2025년 주요업무계획 수립 | 미래전략과 | 행정지원과 | plan | result_overdue
11-04 09:00 | 간부회의 | 시장 | 지시 | 동절기 제설 대비 장비 점검 | 강경읍 | 건설과 | - | no_report
11-18 14:00 | 현장방문 | 시장 | 지시 | 보건소 민원 대기시간 단축 | 보건소 | - | - | no_report
12-02 09:00 | 간부회의 | 부시장 | 당부 | 연말 청렴 캠페인에 적극 참여할 것 | 행정지원과 | - | - | reported
12-02 09:00 | 간부회의 | 부시장 | 지시 | 딸기 수확기 농가 일손 지원 | 딸기산업과 | 강경읍 | - | extension_pending
12-16 10:00 | 주간업무회의 | 시장 | 지시 | 연말연시 공직기강 점검 | 행정지원과 | - | - | late_share
12-23 09:00 | 간부회의 | 시장 | 지시 | 2025년 시무식 준비 | 행정지원과 | - | - | registered
"""


Spec = tuple[str, str, str, str, str, str, list[str], str, str]


def _specs() -> list[Spec]:
    specs: list[Spec] = []
    for line in SPECS_TEXT.strip().splitlines():
        when, source, giver, kind, title, lead, supports, klass, outcome = (p.strip() for p in line.split("|"))
        specs.append(
            (
                when,
                source,
                giver,
                Kind.EXHORTATION if kind == "당부" else Kind.ORDER,
                title,
                lead,
                [s.strip() for s in supports.split(",")] if supports != "-" else [],
                {"-": "", "plan": "계획 수립"}[klass],
                outcome,
            )
        )
    return specs


SPECS = _specs()

REVIEW_APPROVALS = [
    (1, dt.datetime(YEAR, 4, 8, 10, 0, tzinfo=SEOUL)),
    (2, dt.datetime(YEAR, 7, 8, 10, 0, tzinfo=SEOUL)),
]


@dataclass(order=True)
class Step:
    at: dt.datetime
    order: int
    run: Callable[[dt.datetime], Any] = field(compare=False)


class Replay:
    """The year's actions, collected per directive and then run in time order."""

    def __init__(self, planner: Any, depts: dict[str, Any]) -> None:
        self.planner = planner
        self.depts = depts
        self.calendar = get_calendar()
        self.scheme = services.scheme_for_year(YEAR)
        self.steps: list[Step] = []

    def add(self, at: dt.datetime, run: Callable[[dt.datetime], Any]) -> None:
        self.steps.append(Step(at, len(self.steps), run))

    def working(self, moment: dt.datetime, days: int, hour: int) -> dt.datetime:
        """``hour`` o'clock on the ``days``-th working day after ``moment``."""
        day = moment.astimezone(SEOUL).date()
        for _ in range(days):
            day = self.calendar.next_working_day(day)
        return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=SEOUL)

    def people(self, department: Any) -> tuple[Any, Any]:
        managers = users_with_role(Role.MANAGER, department=department)
        staff = users_with_role(Role.STAFF, department=department)
        manager = managers[0] if managers else self.planner
        writer = staff[0] if staff else manager
        return manager, writer

    def plan(self, spec: tuple[str, str, str, str, str, str, list[str], str, str]) -> None:
        when, source, giver, kind, title, lead_name, support_names, klass, outcome = spec
        given_at = dt.datetime.strptime(f"{YEAR}-{when}", "%Y-%m-%d %H:%M").replace(tzinfo=SEOUL)
        lead = self.depts[lead_name]
        manager, writer = self.people(lead)
        planner = self.planner
        box: dict[str, Any] = {}
        data = services.DirectiveInput(
            title=title,
            content=f"{giver} {source} 지시: {title}. 추진 계획과 일정을 보고 바랍니다.",
            given_at=given_at,
            source=source,
            given_by=giver,
            kind=kind,
            lead_department=lead,
            support_departments=[self.depts[n] for n in support_names if n in self.depts],
            deadline_class=klass,
            result_due_on=(given_at + dt.timedelta(days=45)).date() if outcome == "result_overdue" else None,
        )

        def report(kind_: str, body: str) -> Callable[[dt.datetime], Any]:
            return lambda at: services.directive_report(directive=box["d"], actor=writer, kind=kind_, body=body, at=at)

        self.add(
            given_at + dt.timedelta(minutes=30),
            lambda at: box.update(d=services.directive_register(data=data, actor=planner, at=at)),
        )
        if outcome == "registered":
            return
        shared_at = self.working(given_at, 1, 10) if outcome == "late_share" else given_at + dt.timedelta(hours=1)
        self.add(shared_at, lambda at: services.directive_share(directive=box["d"], actor=planner, at=at))
        if outcome == "no_report":
            return
        if writer != planner:  # the department confirms receipt
            self.add(
                shared_at + dt.timedelta(minutes=40),
                lambda at: services.directive_acknowledge(directive=box["d"], actor=writer, at=at),
            )
        days = (self.scheme.find_class(klass) if klass else self.scheme.default_class)["days"]  # type: ignore[index]
        due = self.calendar.deadline(shared_at, days)
        if outcome == "extension_pending":
            self.add(
                self.working(shared_at, 1, 9),
                lambda at: services.directive_extension_request(
                    directive=box["d"],
                    actor=manager,
                    days=3,
                    reason="농가 수요 조사가 끝나지 않아 연장을 요청합니다.",
                    at=at,
                ),
            )
            return
        if outcome == "extended":
            ask_at = self.working(shared_at, 1, 9)
            self.add(
                ask_at,
                lambda at: box.update(
                    x=services.directive_extension_request(
                        directive=box["d"],
                        actor=manager,
                        days=2,
                        reason="현장 점검 일정이 겹쳐 연장을 요청합니다.",
                        at=at,
                    )
                ),
            )
            self.add(
                ask_at + dt.timedelta(hours=2),
                lambda at: services.extension_approve(extension=box["x"], actor=planner, comment="승인합니다.", at=at),
            )
            first_at = self.calendar.add_working_hours(due, dt.timedelta(hours=4))
        elif outcome in ("completed_late", "late_share"):
            first_at = self.calendar.add_working_hours(due, dt.timedelta(hours=6))
        else:
            first_at = self.calendar.add_working_hours(shared_at, dt.timedelta(hours=14))
        self.add(first_at, report("first", f"{title}: 담당 팀을 지정하고 세부 추진계획을 수립하고 있습니다."))
        if outcome in ("reported", "late_share"):
            return
        progress_at = self.working(first_at, 7, 14)
        self.add(progress_at, report("progress", "관계 부서 협의를 마치고 추진하고 있습니다."))
        if outcome in ("in_progress", "result_overdue"):
            return
        result_at = self.working(progress_at, 10, 15)
        if kind == Kind.ORDER and outcome in ("completed", "completed_late", "extended", "returned", "close_pending"):
            self.add(result_at, report("result", f"{title}을(를) 마쳤습니다. 세부 결과는 첨부 보고서와 같습니다."))
        final, reason, transfer_to = {
            "long_term": ("장기추진", "예산 확보와 관계기관 협의가 필요해 장기 과제로 관리합니다.", ""),
            "infeasible": ("추진불가", "관련 예산이 확보되지 않아 올해 추진이 어렵습니다.", ""),
            "transferred": ("타기관 이첩", "도로 개설은 충청남도 소관입니다.", "충청남도 도로정책과"),
        }.get(outcome, ("완료", "", ""))
        close_at = self.working(result_at, 1, 10)
        self.add(
            close_at,
            lambda at: services.directive_close_request(
                directive=box["d"], actor=manager, final_state=final, reason=reason, transfer_to=transfer_to, at=at
            ),
        )
        if outcome == "close_pending":
            return
        decide_at = self.working(close_at, 2, 11)
        if outcome == "returned":
            comment = "부서별 준수율 분석 자료를 보완해 다시 요청 바랍니다."
            self.add(
                decide_at,
                lambda at: services.directive_close_return(directive=box["d"], actor=planner, comment=comment, at=at),
            )
        else:
            self.add(decide_at, lambda at: services.directive_close_approve(directive=box["d"], actor=planner, at=at))

    def run(self) -> None:
        for step in sorted(self.steps):
            step.run(step.at)


def load() -> None:
    if Directive.objects.filter(year=YEAR).exists():
        return
    planners = users_with_role(Role.PLANNING)
    planner = next((u for u in planners if u.get_username() == "planner"), planners[0] if planners else None)
    names = {spec[5] for spec in SPECS} | {n for spec in SPECS for n in spec[6]}
    depts = {d.name: d for d in departments(active_only=True).filter(name__in=names)}
    missing = {spec[5] for spec in SPECS} - set(depts)
    if planner is None or missing:
        log.warning("지시사항 데모: 조직 데모(기획감사실 계정, 부서 %s)가 없어 건너뜁니다.", ", ".join(sorted(missing)))
        return
    replay = Replay(planner, depts)
    for spec in SPECS:
        replay.plan(spec)

    def approve(quarter: int) -> Callable[[dt.datetime], Any]:
        note = f"{YEAR}년 {quarter}분기 지시사항 점검 결과를 확정합니다."
        return lambda moment: reviews.review_approve(year=YEAR, quarter=quarter, actor=planner, note=note, at=moment)

    for quarter, at in REVIEW_APPROVALS:
        replay.add(at, approve(quarter))
    replay.run()
