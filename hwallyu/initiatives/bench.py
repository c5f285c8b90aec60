"""Benchmark data of strategic initiatives: the two campaigns of the work plan (public-institution
attraction, the 2027 strawberry expo) and a handful more, each with its approval pipeline, review
criteria, partners (with contacts and meetings), targets, budget lines by year, events and PR,
institution targets (attraction) with their contact log, evidence documents and the trend log
(several thousand entries at ``large``).

The parts of the two campaigns grow with the scale (a large city's expo has dozens of partners and
hundreds of events); dates run over the benchmark years and states follow them: stages planned
before ``ctx.today`` are mostly done (a few are late), past events are done or cancelled, future ones
planned.  Documents are metadata with a tiny stored file each.  Bench department D002 (the bench
manager's) collaborates on the two campaigns, so its people see them and nothing else.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from hwallyu.core.benchdata import BENCH_ACCOUNTS, BenchContext, BenchPage
from hwallyu.core.calendar import SEOUL
from hwallyu.initiatives.demo import (
    ATTRACTION,
    ATTRACTION_AIMS,
    ATTRACTION_SUMMARY,
    CRITERIA,
    EXPO,
    EXPO_AIMS,
    EXPO_PARTNERS,
    EXPO_SUMMARY,
    INSTITUTIONS,
)
from hwallyu.initiatives.models import (
    AgreementState,
    BudgetLine,
    ContactChannel,
    DatePrecision,
    Document,
    DocumentKind,
    Event,
    EventKind,
    EventState,
    Initiative,
    InitiativeKind,
    InitiativeStatus,
    InstitutionContact,
    InstitutionState,
    InstitutionTarget,
    InstitutionType,
    Milestone,
    MilestoneState,
    Partner,
    PartnerContact,
    PartnerKind,
    PartnerMeeting,
    Readiness,
    ReviewCriterion,
    Target,
    TrendEntry,
)
from hwallyu.initiatives.services.pipeline import month_end

M = 1_000_000
# (name, kind, status, start offset in years from the first year, length in years, budget 백만원, aims)
OTHERS: list[tuple[str, str, str, int, int, int, str]] = [
    (
        "논산 국방국가산업단지 조성",
        InitiativeKind.GENERAL,
        InitiativeStatus.ACTIVE,
        2,
        8,
        180_000,
        "국방 군수기업 집적",
    ),
    ("탑정호 관광 명소화", InitiativeKind.GENERAL, InitiativeStatus.ACTIVE, 4, 6, 42_000, "체류형 관광 거점 조성"),
    ("국립 국방과학관 유치", InitiativeKind.ATTRACTION, InitiativeStatus.PREPARING, 7, 4, 300, "국립 과학관 유치"),
    ("KTX 논산역 정차 확대", InitiativeKind.GENERAL, InitiativeStatus.ON_HOLD, 3, 5, 150, "광역 교통망 확충"),
    ("2023 전국생활체육대축전 개최", InitiativeKind.EVENT, InitiativeStatus.COMPLETED, 0, 3, 6_500, "생활체육 축제"),
    ("청년 창업 허브 조성", InitiativeKind.GENERAL, InitiativeStatus.STOPPED, 1, 3, 9_000, "청년 창업 공간"),
]
STAGE_NAMES = [
    ("기본구상 수립", "시"),
    ("타당성 조사 용역", "시"),
    ("시의회 보고", "논산시의회"),
    ("충남도 협의", "충청남도"),
    ("중앙부처 건의", "관계 부처"),
    ("공모 신청", "관계 부처"),
    ("현장 실사 대응", "관계 부처"),
    ("심사·평가", "심사위원회"),
    ("기본계획 수립", "시"),
    ("실시설계", "시"),
    ("예산 확보", "기획재정부"),
    ("사업 착수", "시"),
    ("중간 점검", "시"),
    ("준공·개최", "시"),
]
PARTNER_NAMES = [
    ("충청남도", PartnerKind.PROVINCE),
    ("농림축산식품부", PartnerKind.MINISTRY),
    ("국토교통부", PartnerKind.MINISTRY),
    ("국방부", PartnerKind.MINISTRY),
    ("방위사업청", PartnerKind.MINISTRY),
    ("건양대학교", PartnerKind.UNIVERSITY),
    ("충남대학교", PartnerKind.UNIVERSITY),
    ("한국관광공사", PartnerKind.TOURISM),
    ("충남연구원", PartnerKind.RESEARCH),
    ("한국원예학회", PartnerKind.ACADEMIC),
    ("논산계룡농협", PartnerKind.OTHER),
    ("한화에어로스페이스", PartnerKind.COMPANY),
    ("풍산", PartnerKind.COMPANY),
    ("성심당", PartnerKind.COMPANY),
    ("CJ제일제당", PartnerKind.COMPANY),
]
SURNAMES = "김이박최정강조윤장임한오서신권"
GIVEN = ["민준", "서연", "도윤", "지우", "하은", "현우", "수빈", "지민", "예준", "채원"]
POSITIONS = ["과장", "팀장", "주무관", "사무관", "연구위원", "대리", "부장", "교수"]
EVENT_TITLES = {
    EventKind.BRIEFING: "찾아가는 시민 설명회",
    EventKind.PERFORMANCE: "유치 기원 퍼포먼스",
    EventKind.SEMINAR: "성공 개최 세미나",
    EventKind.FORUM: "국제 학술 포럼",
    EventKind.BOOTH: "박람회 홍보부스 운영",
    EventKind.SPORTS: "스포츠 경기 연계 홍보",
    EventKind.SNS: "SNS 응원 챌린지",
    EventKind.AD: "옥외전광판 광고",
    EventKind.MEDIA: "방송·언론 홍보",
    EventKind.OTHER: "기관 방문 홍보",
}
PLACES = ["논산시민가족공원", "서울역 광장", "대전컨벤션센터", "건양대학교 콘서트홀", "읍면동 행정복지센터", "온라인"]
TREND_TAGS = [
    "공공기관 이전",
    "충남도",
    "정부 기본계획",
    "국방",
    "딸기",
    "엑스포",
    "국제행사",
    "관광",
    "예산",
    "교통",
    "산업단지",
    "청년",
]
TREND_SOURCES = [
    "충청남도",
    "언론 보도",
    "국토교통부 보도자료",
    "농림축산식품부",
    "기획재정부",
    "지역 신문",
    "연구원 보고서",
]
TREND_SUBJECTS = [
    "공공기관 2차 이전 발표 일정",
    "국제행사 심사 기준 개정",
    "딸기 수출 동향",
    "국방산업 투자 동향",
    "관광객 방문 통계",
    "지방소멸대응기금 배분",
    "타 시군 유치 경쟁 현황",
    "국비 공모사업 공고",
    "도의회 특별위원회 논의",
    "중앙부처 인사 동향",
]
DOCUMENT_BYTES = b"PK\x03\x04 bench document\n"


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=SEOUL)


def _clamp(day: dt.date, low: dt.date, high: dt.date) -> dt.date:
    return max(low, min(day, high))


class _Builder:
    """Rows of one initiative; everything random from one generator per initiative."""

    def __init__(self, ctx: BenchContext, initiative: Initiative, factor: float, users: list[int]) -> None:
        self.ctx = ctx
        self.initiative = initiative
        self.factor = factor
        self.users: Sequence[int | None] = users or [None]
        self.rng = random.Random(f"{ctx.seed}:{ctx.scale.name}:initiatives:{initiative.name}")
        self.today = ctx.today

    def n(self, large: int, least: int = 1) -> int:
        return max(least, round(large * self.factor))

    def day_between(self, start: dt.date, end: dt.date) -> dt.date:
        span = max((end - start).days, 0)
        return start + dt.timedelta(days=self.rng.randint(0, span))

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def milestones(self, count: int) -> list[Milestone]:
        start, end = self.initiative.starts_on, self.initiative.ends_on
        span = (end - start).days
        rows = []
        for order in range(1, count + 1):
            name, body = STAGE_NAMES[(order - 1) % len(STAGE_NAMES)]
            if order > len(STAGE_NAMES):
                name = f"{name}({(order - 1) // len(STAGE_NAMES) + 1}차)"
            planned = start + dt.timedelta(days=span * order // (count + 1))
            by_month = self.rng.random() < 0.4
            if by_month:
                planned = month_end(planned)
            state, actual = MilestoneState.PLANNED, None
            stopped = self.initiative.status in (InitiativeStatus.STOPPED, InitiativeStatus.ON_HOLD)
            if planned < self.today:
                roll = self.rng.random()
                if stopped and roll < 0.5:
                    state = MilestoneState.ON_HOLD
                elif roll < 0.85 or self.initiative.status == InitiativeStatus.COMPLETED:
                    state = MilestoneState.DONE
                    actual = _clamp(planned + dt.timedelta(days=self.rng.randint(-10, 25)), start, self.today)
                else:
                    state = MilestoneState.IN_PROGRESS  # late
            elif planned < self.today + dt.timedelta(days=60) and self.rng.random() < 0.5:
                state = MilestoneState.IN_PROGRESS
            rows.append(
                Milestone(
                    initiative=self.initiative,
                    order=order,
                    name=name,
                    deciding_body=body,
                    planned_on=planned,
                    planned_precision=DatePrecision.MONTH if by_month else DatePrecision.DAY,
                    actual_on=actual,
                    state=state,
                    note="",
                )
            )
        # Actual dates in stage order (the pipeline's rule): a later stage never finishes before an earlier one.
        latest: dt.date | None = None
        for row in rows:
            if row.actual_on is not None:
                if latest is not None and row.actual_on < latest:
                    row.actual_on = latest
                latest = row.actual_on
        return rows

    def criteria(self, count: int) -> list[ReviewCriterion]:
        rows = []
        states = [Readiness.READY, Readiness.IN_PROGRESS, Readiness.NEEDS_WORK, Readiness.NOT_STARTED]
        for order in range(1, count + 1):
            review, name, description, _, evidence = CRITERIA[(order - 1) % len(CRITERIA)]
            round_ = (order - 1) // len(CRITERIA)
            rows.append(
                ReviewCriterion(
                    initiative=self.initiative,
                    review=review if round_ == 0 else f"{review} {round_ + 1}차",
                    order=order,
                    name=name,
                    description=description,
                    owner_id=self.rng.choice(self.users),
                    state=self.rng.choice(states),
                    evidence=evidence,
                    due_on=self.day_between(self.today - dt.timedelta(days=90), self.today + dt.timedelta(days=180)),
                )
            )
        return rows

    def partners(self, count: int) -> list[Partner]:
        rows = []
        seeds = [(n, k, role) for n, k, role, _, _ in EXPO_PARTNERS] if self.initiative.name == EXPO else []
        seeds += [(n, k, "협력 사업 공동 추진") for n, k in PARTNER_NAMES if n not in {s[0] for s in seeds}]
        for order in range(1, count + 1):
            name, kind, role = seeds[(order - 1) % len(seeds)]
            round_ = (order - 1) // len(seeds)
            if round_:
                name = f"{name} {round_ + 1}"
            roll = self.rng.random()
            state = (
                AgreementState.MOU
                if roll < 0.2
                else AgreementState.LOI
                if roll < 0.35
                else AgreementState.DONE
                if roll < 0.4
                else AgreementState.STOPPED
                if roll < 0.45
                else AgreementState.NEGOTIATING
            )
            state_on = (
                self.day_between(self.initiative.starts_on, min(self.today, self.initiative.ends_on))
                if state != AgreementState.NEGOTIATING
                else None
            )
            rows.append(
                Partner(
                    initiative=self.initiative,
                    name=name[:200],
                    kind=kind,
                    role=role,
                    state=state,
                    state_on=state_on,
                    note="",
                    order=order,
                )
            )
        return rows

    def contacts(self, partner_id: int) -> Iterator[PartnerContact]:
        for k in range(self.rng.randint(1, 3)):
            yield PartnerContact(
                partner_id=partner_id,
                name=self.person(),
                position=self.rng.choice(POSITIONS),
                phone=f"0{self.rng.randint(2, 70)}-{self.rng.randint(200, 999)}-{self.rng.randint(1000, 9999)}",
                email=f"contact{partner_id}-{k}@partner.example",
            )

    def meetings(self, partner_id: int, most: int) -> Iterator[PartnerMeeting]:
        for _ in range(self.rng.randint(0, most)):
            held = self.day_between(self.initiative.starts_on, min(self.today, self.initiative.ends_on))
            yield PartnerMeeting(
                partner_id=partner_id,
                held_on=held,
                place=self.rng.choice(PLACES),
                attendees="담당 팀, 협력 기관 관계자",
                summary="협력 범위와 일정 협의, 참여 의사 확인",
                follow_up="협약서(안) 검토" if self.rng.random() < 0.5 else "",
            )

    def events(self, count: int) -> list[Event]:
        rows = []
        kinds = list(EventKind)
        start, end = self.initiative.starts_on, self.initiative.ends_on
        for n in range(count):
            kind = kinds[n % len(kinds)]
            day = self.day_between(start, end)
            long = self.rng.random() < 0.25
            last = day + dt.timedelta(days=self.rng.randint(1, 45)) if long else None
            if day > self.today:
                state = EventState.PLANNED
            else:
                state = EventState.CANCELLED if self.rng.random() < 0.05 else EventState.DONE
            rows.append(
                Event(
                    initiative=self.initiative,
                    title=f"{EVENT_TITLES[kind]} {n // len(kinds) + 1}회",
                    kind=kind,
                    starts_on=day,
                    ends_on=last,
                    tentative=state == EventState.PLANNED and self.rng.random() < 0.3,
                    place=self.rng.choice(PLACES),
                    audience="시민, 관계 기관",
                    outcome="참여 인원 목표 달성" if state == EventState.DONE else "",
                    state=state,
                    note="",
                )
            )
        return rows

    def institutions(self, count: int) -> list[InstitutionTarget]:
        rows = []
        states = [InstitutionState.INTEREST, InstitutionState.CONTACT, InstitutionState.PROPOSAL]
        for order in range(1, count + 1):
            name, type_, parent, state, year = INSTITUTIONS[(order - 1) % len(INSTITUTIONS)]
            round_ = (order - 1) // len(INSTITUTIONS)
            if round_:
                name, state, year = f"{name} 분원 {round_}", self.rng.choice(states), None
                if self.rng.random() < 0.08:
                    state, year = InstitutionState.LOST, None
            rows.append(
                InstitutionTarget(
                    initiative=self.initiative,
                    name=name,
                    type=type_ or InstitutionType.NEW,
                    parent=parent,
                    state=state,
                    state_on=self.day_between(self.initiative.starts_on, self.today)
                    if state != InstitutionState.INTEREST
                    else None,
                    decided_year=year,
                    note="",
                    order=order,
                )
            )
        return rows

    def institution_contacts(self, institution_id: int, most: int) -> Iterator[InstitutionContact]:
        channels = list(ContactChannel)
        for _ in range(self.rng.randint(0, most)):
            yield InstitutionContact(
                institution_id=institution_id,
                contacted_on=self.day_between(self.initiative.starts_on, self.today),
                channel=self.rng.choice(channels),
                counterpart=f"{self.rng.choice(POSITIONS)} {self.person()}",
                summary="이전 계획과 입지 여건 설명, 후속 자료 요청 받음",
                author_id=self.rng.choice(self.users),
            )

    def budget(self, total_million: int) -> list[BudgetLine]:
        rows = []
        years = list(range(self.initiative.starts_on.year, self.initiative.ends_on.year + 1))
        names = ["기본계획 수립 용역", "홍보·마케팅", "시설 조성", "행사 운영", "인건비·운영비"]
        per_year = max(1, total_million // max(1, len(years) * len(names)))
        order = 0
        for year in years:
            for name in names:
                order += 1
                national = per_year * self.rng.choice([0, 0, 3, 4]) // 10
                provincial = per_year * self.rng.choice([0, 2, 2]) // 10
                other = per_year * self.rng.choice([0, 0, 1]) // 10
                city = per_year - national - provincial - other
                rows.append(
                    BudgetLine(
                        initiative=self.initiative,
                        year=year,
                        name=name,
                        total=per_year * M,
                        national=national * M,
                        provincial=provincial * M,
                        city=city * M,
                        other=other * M,
                        in_total=True,
                        note="",
                        order=order,
                    )
                )
        return rows


def _scale_factor(ctx: BenchContext) -> float:
    return min(1.0, ctx.scale.departments / 120)


def generate(ctx: BenchContext) -> None:
    from django.contrib.auth import get_user_model

    from hwallyu.org.selectors import active_teams, department_by_code, planning_office_users

    factor = _scale_factor(ctx)
    first, last = ctx.years[0], ctx.years[-1]
    teams = list(active_teams().order_by("department__order", "order"))
    office_teams = [t for t in teams if t.department.is_planning_office] or teams
    other_teams = [t for t in teams if not t.department.is_planning_office] or teams
    planners = [u.pk for u in planning_office_users()]
    bench_planner = (
        get_user_model().objects.filter(username=BENCH_ACCOUNTS["planning"]).values_list("pk", flat=True).first()
    )
    users = [bench_planner, *planners] if bench_planner else planners
    dept2 = department_by_code("D002")

    # --- the initiatives ----------------------------------------------------------------------
    specs: list[dict[str, Any]] = [
        {
            "name": ATTRACTION,
            "kind": InitiativeKind.ATTRACTION,
            "team": office_teams[0],
            "starts_on": dt.date(first, 1, 1),
            "ends_on": dt.date(last + 1, 12, 31),
            "aims": ATTRACTION_AIMS,
            "summary": ATTRACTION_SUMMARY,
            "status": InitiativeStatus.ACTIVE,
            "budget": 2_000,
        },
        {
            "name": EXPO,
            "kind": InitiativeKind.EVENT,
            "team": office_teams[min(2, len(office_teams) - 1)],
            "starts_on": dt.date(max(first, last - 3), 1, 1),
            "ends_on": dt.date(last + 1, 3, 31),
            "aims": EXPO_AIMS,
            "summary": EXPO_SUMMARY,
            "status": InitiativeStatus.ACTIVE,
            "budget": 20_000,
        },
    ]
    for n, (name, kind, status, offset, length, budget_total, aim) in enumerate(OTHERS):
        start_year = min(first + offset, last)
        specs.append(
            {
                "name": name,
                "kind": kind,
                "team": other_teams[(n * 5 + 3) % len(other_teams)],
                "starts_on": dt.date(start_year, 3, 1),
                "ends_on": dt.date(start_year + length, 12, 31)
                if status != InitiativeStatus.COMPLETED
                else min(dt.date(start_year + length, 10, 31), ctx.today - dt.timedelta(days=30)),
                "aims": aim,
                "summary": f"{name}: {aim}을(를) 위한 다년도 전략사업.",
                "status": status,
                "budget": budget_total,
            }
        )
    Initiative.objects.bulk_create(
        [
            Initiative(
                name=s["name"],
                kind=s["kind"],
                team=s["team"],
                starts_on=s["starts_on"],
                ends_on=max(s["ends_on"], s["starts_on"]),
                aims=s["aims"],
                summary=s["summary"],
                status=s["status"],
                budget_total=None,
            )
            for s in specs
        ]
    )
    initiatives = {i.name: i for i in Initiative.objects.all()}
    Through = Initiative.departments.through
    links = []
    for n, initiative in enumerate(initiatives.values()):
        partner_departments = {other_teams[(n * 7 + k) % len(other_teams)].department_id for k in (1, 4)}
        if initiative.name in (ATTRACTION, EXPO) and dept2 is not None:
            partner_departments.add(dept2.pk)
        elif dept2 is not None:
            partner_departments.discard(dept2.pk)
        partner_departments.discard(initiative.team.department_id)
        links += [Through(initiative_id=initiative.pk, department_id=d) for d in sorted(partner_departments)]
    Through.objects.bulk_create(links)

    # --- the parts of each initiative ---------------------------------------------------------
    big = {ATTRACTION, EXPO}
    builders = {
        name: _Builder(ctx, initiative, factor if name in big else factor * 0.25, users)
        for name, initiative in initiatives.items()
    }
    milestones: list[Milestone] = []
    criteria: list[ReviewCriterion] = []
    partners: list[Partner] = []
    events: list[Event] = []
    institutions: list[InstitutionTarget] = []
    budget: list[BudgetLine] = []
    targets: list[Target] = []
    for name, b in builders.items():
        milestones += b.milestones(b.n(24, 3))
        criteria += b.criteria(b.n(40, 2))
        partners += b.partners(b.n(80, 2))
        events += b.events(b.n(400, 3))
        if b.initiative.kind == InitiativeKind.ATTRACTION:
            institutions += b.institutions(b.n(60, 4))
        budget += b.budget(next(s["budget"] for s in specs if s["name"] == name))
        for order, (label, value, unit) in enumerate(
            [("방문객", 1_500_000, "명"), ("협약 체결 기관", 30, "곳"), ("언론 보도", 400, "건")], start=1
        ):
            progress = b.rng.uniform(0.2, 1.1)
            targets.append(
                Target(
                    initiative=b.initiative,
                    order=order,
                    name=label,
                    value=value,
                    unit=unit,
                    actual=round(value * progress),
                    actual_on=ctx.today - dt.timedelta(days=b.rng.randint(1, 60)),
                )
            )
    Milestone.objects.bulk_create(milestones, batch_size=ctx.batch_size)
    ReviewCriterion.objects.bulk_create(criteria, batch_size=ctx.batch_size)
    Partner.objects.bulk_create(partners, batch_size=ctx.batch_size)
    ctx.bulk_create(Event, events, desc="전략사업 행사", total=len(events))
    InstitutionTarget.objects.bulk_create(institutions, batch_size=ctx.batch_size)
    BudgetLine.objects.bulk_create(budget, batch_size=ctx.batch_size)
    Target.objects.bulk_create(targets, batch_size=ctx.batch_size)
    # The declared total equals the lines' sum, except for one initiative whose budget was revised.
    for n, initiative in enumerate(initiatives.values()):
        total = sum(line.total for line in budget if line.initiative is initiative and line.in_total)
        Initiative.objects.filter(pk=initiative.pk).update(budget_total=total + (500 * M if n == 3 else 0))

    by_id = {i.pk: builders[i.name] for i in initiatives.values()}
    partner_rows = list(Partner.objects.order_by("pk").values_list("pk", "initiative_id"))
    PartnerContact.objects.bulk_create(
        [c for pk, initiative_id in partner_rows for c in by_id[initiative_id].contacts(pk)],
        batch_size=ctx.batch_size,
    )
    PartnerMeeting.objects.bulk_create(
        [m for pk, initiative_id in partner_rows for m in by_id[initiative_id].meetings(pk, 6)],
        batch_size=ctx.batch_size,
    )
    institution_rows = list(InstitutionTarget.objects.order_by("pk").values_list("pk", "initiative_id"))
    InstitutionContact.objects.bulk_create(
        [c for pk, initiative_id in institution_rows for c in by_id[initiative_id].institution_contacts(pk, 8)],
        batch_size=ctx.batch_size,
    )

    # --- documents: evidence of stages, agreements, criteria, events and institutions ------------
    documents: list[Document] = []
    dates: list[dt.datetime] = []
    attachable = {
        "milestone": dict(Milestone.objects.filter(state=MilestoneState.DONE).values_list("pk", "initiative_id")),
        "partner": dict(
            Partner.objects.filter(state__in=(AgreementState.LOI, AgreementState.MOU, AgreementState.DONE)).values_list(
                "pk", "initiative_id"
            )
        ),
        "criterion": dict(ReviewCriterion.objects.filter(state=Readiness.READY).values_list("pk", "initiative_id")),
        "event": dict(
            Event.objects.filter(state=EventState.DONE, kind=EventKind.SEMINAR).values_list("pk", "initiative_id")
        ),
        "institution": dict(InstitutionTarget.objects.values_list("pk", "initiative_id")),
    }
    kinds = {
        "milestone": (DocumentKind.PLAN, "추진 단계 결과 보고"),
        "partner": (DocumentKind.MOU, "업무협약서"),
        "criterion": (DocumentKind.EVIDENCE, "심사 대비 증빙"),
        "event": (DocumentKind.PRESS, "행사 결과 보도자료"),
        "institution": (DocumentKind.OFFICIAL, "유치 건의 공문"),
    }
    rng = ctx.rng("initiatives:documents")
    for link, items in attachable.items():
        kind, title = kinds[link]
        for pk, initiative_id in sorted(items.items()):
            initiative = next(i for i in initiatives.values() if i.pk == initiative_id)
            filename = f"{title}_{link}{pk}.hwpx"
            stored = default_storage.save(
                f"initiatives/{initiative_id}/bench_{link}{pk}.hwpx", ContentFile(DOCUMENT_BYTES)
            )
            documents.append(
                Document(
                    initiative_id=initiative_id,
                    title=f"{title} {pk}",
                    kind=kind,
                    file=stored,
                    filename=filename,
                    size=len(DOCUMENT_BYTES),
                    content_type="application/hwp+zip",
                    uploaded_by_id=rng.choice(users) if users else None,
                    **{f"{link}_id": pk},
                )
            )
            span = max((min(ctx.today, initiative.ends_on) - initiative.starts_on).days, 0)
            dates.append(_at(initiative.starts_on + dt.timedelta(days=rng.randint(0, span)), 9 + rng.randrange(8)))
    Document.objects.bulk_create(documents, batch_size=ctx.batch_size)
    made = list(Document.objects.order_by("pk"))
    for document, when in zip(made, dates, strict=True):
        document.uploaded_at = when
    Document.objects.bulk_update(made, ["uploaded_at"], batch_size=ctx.batch_size)

    # --- the trend log ---------------------------------------------------------------------------
    count = max(50, ctx.scale.directives // 25)
    ids = sorted(i.pk for i in initiatives.values())
    main_ids = [initiatives[ATTRACTION].pk, initiatives[EXPO].pk]
    rng = ctx.rng("initiatives:trends")
    start = dt.date(first, 1, 1)
    span = (ctx.today - start).days

    def trend_rows() -> Iterator[TrendEntry]:
        for n in range(count):
            day = start + dt.timedelta(days=span * n // count + rng.randint(0, 2))
            subject = TREND_SUBJECTS[rng.randrange(len(TREND_SUBJECTS))]
            tags = rng.sample(TREND_TAGS, rng.randint(1, 3))
            yield TrendEntry(
                recorded_on=min(day, ctx.today),
                title=f"{subject} ({day:%Y. %m.})",
                body="관련 동향을 수집해 정리했습니다. 후속 대응 필요 여부를 검토합니다.",
                source=rng.choice(TREND_SOURCES),
                url="",
                tags="|" + "|".join(tags) + "|",
                author_id=rng.choice(users) if users else None,
            )

    ctx.bulk_create(TrendEntry, trend_rows(), desc="동향 기록", total=count)
    TrendThrough = TrendEntry.initiatives.through

    def trend_links() -> Iterator[Any]:
        for entry_id in TrendEntry.objects.order_by("pk").values_list("pk", flat=True).iterator(ctx.batch_size):
            chosen = {main_ids[entry_id % 2]}
            if rng.random() < 0.3:
                chosen.add(ids[rng.randrange(len(ids))])
            for initiative_id in sorted(chosen):
                yield TrendThrough(trendentry_id=entry_id, initiative_id=initiative_id)

    ctx.bulk_create(TrendThrough, trend_links(), desc="동향-사업 연결", total=round(count * 1.3))


def pages() -> list[BenchPage]:
    from django.db.models import Count
    from django.urls import reverse

    expo = Initiative.objects.filter(name=EXPO).first()
    attraction = Initiative.objects.filter(name=ATTRACTION).first()
    out = [
        BenchPage("전략사업 현황", reverse("initiatives:portfolio")),
        BenchPage("전략사업 현황(부서장)", reverse("initiatives:portfolio"), role="manager"),
        BenchPage("동향 기록", reverse("initiatives:trends")),
        BenchPage("동향 기록(부서장)", reverse("initiatives:trends"), role="manager"),
    ]
    if expo is not None:
        pk = expo.pk
        partner = (
            Partner.objects.filter(initiative=expo)
            .annotate(n=Count("meetings", distinct=True) + Count("contacts", distinct=True))
            .order_by("-n", "pk")
            .first()
        )
        out += [
            BenchPage("사업 개요", reverse("initiatives:detail", args=[pk])),
            BenchPage("사업 개요(부서장)", reverse("initiatives:detail", args=[pk]), role="manager"),
            BenchPage("추진 단계", reverse("initiatives:milestones", args=[pk])),
            BenchPage("심사 대비", reverse("initiatives:readiness", args=[pk])),
            BenchPage("협력 기관", reverse("initiatives:partners", args=[pk])),
            BenchPage("목표", reverse("initiatives:targets", args=[pk])),
            BenchPage("예산", reverse("initiatives:budget", args=[pk])),
            BenchPage("행사·홍보", reverse("initiatives:events", args=[pk])),
            BenchPage("행사 달력", reverse("initiatives:event_calendar", args=[pk])),
            BenchPage("사업 동향", reverse("initiatives:initiative_trends", args=[pk])),
            BenchPage("문서", reverse("initiatives:documents", args=[pk])),
        ]
        if partner is not None:
            out.insert(9, BenchPage("협력 기관 상세", reverse("initiatives:partner", args=[pk, partner.pk])))
    if attraction is not None:
        institution = (
            InstitutionTarget.objects.filter(initiative=attraction)
            .annotate(n=Count("contacts"))
            .order_by("-n", "pk")
            .first()
        )
        out.append(BenchPage("유치 대상", reverse("initiatives:institutions", args=[attraction.pk])))
        if institution is not None:
            out.append(
                BenchPage("유치 대상 상세", reverse("initiatives:institution", args=[attraction.pk, institution.pk]))
            )
    return out
