"""Demo initiatives from the seed's tasks 2 and 3: public-institution attraction (혁신기획팀) and the
2027 Nonsan World Strawberry Industry Expo (엑스포 TF팀).

Facts come from the 2024 work plan (approval pipeline, partners, 20,000 백만원 = 6,000 + 4,000 +
4,000 + 6,000, 1.5 M visitors and 90 k foreign, the eight institution targets and the two already
won, the PR campaign 5 + 15 백만원, the relocation trend log).  Actual dates of completed steps,
readiness states and the two signed partners (성심당 letter of intent, 건양대 MOU) are demo
values.  The province review stage and SPC's letter of intent are left open on purpose: they are
what a planner records in the walkthrough.

Idempotent: every row is looked up by a natural key (initiative name, stage order, partner
name, …) before it is made, so running it twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from hwallyu.core.audit import log_action
from hwallyu.core.documents import Paragraph, Report, render_hwpx
from hwallyu.initiatives import links
from hwallyu.initiatives.models import (
    AgreementState,
    BudgetLine,
    DatePrecision,
    Document,
    DocumentKind,
    Event,
    EventKind,
    EventState,
    Initiative,
    InitiativeKind,
    InitiativeStatus,
    InstitutionState,
    InstitutionTarget,
    InstitutionType,
    Milestone,
    MilestoneState,
    Partner,
    PartnerKind,
    PartnerMeeting,
    Readiness,
    ReviewCriterion,
    Target,
    TrendEntry,
)
from hwallyu.initiatives.services.initiatives import normalise_tags
from hwallyu.initiatives.services.pipeline import month_end
from hwallyu.org import selectors as org

M = 1_000_000
D = dt.date

ATTRACTION = "공공기관 유치전략 마련 및 홍보 강화"
EXPO = "2027 논산세계딸기산업엑스포"

ATTRACTION_AIMS = (
    "인구감소에 따른 소멸 위기 극복 및 지속가능한 지역발전 기반 구축\n"
    "지역 특성을 살린 ‘국방’ 관련 공공기관 유치(신설·이전)를 위한 홍보 강화"
)
ATTRACTION_SUMMARY = (
    "900만 장병을 양성한 안보 중심축. 육군훈련소를 비롯해 인근 3군본부, 방위사업청 등 국방 인프라가 풍부하고, "
    "논산 국방산단 조성과 군수기업 투자유치로 국방군수산업 메카로 도약 중.\n"
    "신설 및 2차 수도권 이전 예상 ‘국방’ 관련 공공기관 유치에 집중하고, 국방군수산업도시 논산의 인지도를 높이는 "
    "홍보(서울역 앞 옥외전광판, 충남도 제작영상 ′23.12. ‘국방수도 충남’과 연계)를 추진한다."
)
EXPO_AIMS = "2024년은 기획재정부 국제행사 승인 준비의 해! 평가 항목별 준비 및 대응 총력"
EXPO_SUMMARY = (
    "기간: 2027. 2월 ~ 3월 중(30일 이내)\n"
    "장소: 시민가족공원, 시민운동장, 딸기향테마공원 일원\n"
    "사업비: 20,000백만원(국 6,000, 도 4,000, 시 4,000, 수익사업 6,000)\n"
    "주요내용: 주제관, 글로벌관, 로컬‧체험관, 산업‧국제학술대회 등\n"
    "주최‧주관: 충청남도‧논산시 / (가칭)2027 논산세계딸기산업엑스포 조직위원회\n"
    "목표방문객: 약 150만 명 / 외국인 관람객 9만 명 이상"
)

# (order, name, deciding body, planned (year, month) or None, actual date or None, note)
EXPO_STAGES: list[tuple[int, str, str, tuple[int, int] | None, dt.date | None, str]] = [
    (1, "기본계획 제출", "충청남도", (2024, 5), D(2024, 5, 29), ""),
    (2, "충남도 검토", "충청남도", (2024, 7), None, ""),
    (3, "농식품부 적격심사", "농림축산식품부", (2024, 11), None, ""),
    (4, "기획재정부 국제행사 심사", "기획재정부 국제행사심사위원회", None, None, "KIEP 정책성등급 평가 포함"),
    (5, "국제행사 개최 승인", "기획재정부", (2025, 8), None, ""),
    (6, "엑스포 개최(30일 이내)", "(가칭)엑스포 조직위원회", (2027, 2), None, "2027. 2월 ~ 3월 중"),
]
ATTRACTION_STAGES: list[tuple[int, str, str, tuple[int, int] | None, dt.date | None, str]] = [
    (1, "홍보영상 제작", "혁신기획팀", (2024, 3), D(2024, 3, 29), "영상제작 2~3월"),
    (2, "광고 의뢰", "혁신기획팀", (2024, 4), D(2024, 4, 26), ""),
    (3, "광고 시행(서울역 옥외전광판)", "혁신기획팀", (2024, 5), D(2024, 5, 31), "1개월 송출"),
    (4, "공공기관 이전 기본계획 발표", "국토교통부", None, None, "총선(4. 10.) 이후로 연기"),
]

# (review, name, description, state, evidence)
CRITERIA: list[tuple[str, str, str, str, str]] = [
    ("기획재정부 국제행사 심사", "개최 필요성", "딸기산업 육성 당위성, 개최 목적의 타당성", Readiness.IN_PROGRESS, ""),
    (
        "기획재정부 국제행사 심사",
        "국제성",
        "외국인 관람객 9만 명 이상, 참가국·해외 기관 확보",
        Readiness.IN_PROGRESS,
        "",
    ),
    ("기획재정부 국제행사 심사", "경제성(B/C)", "비용편익 분석(타당성 조사)", Readiness.NOT_STARTED, ""),
    (
        "기획재정부 국제행사 심사",
        "재원조달계획",
        "국 6,000·도 4,000·시 4,000·수익 6,000백만원",
        Readiness.READY,
        "기본계획(′24.5. 제출본) 재원조달계획 표",
    ),
    ("기획재정부 국제행사 심사", "지역 균형발전 기여", "지역 농업·관광 파급효과", Readiness.NOT_STARTED, ""),
    ("기획재정부 국제행사 심사", "사후활용계획", "시설·콘텐츠의 행사 후 활용", Readiness.NOT_STARTED, ""),
    ("KIEP 정책성등급 평가", "정책 부합성", "국정과제·농식품 정책과의 연계", Readiness.IN_PROGRESS, ""),
    ("KIEP 정책성등급 평가", "추진 체계", "주최·주관, 조직위원회 구성, 충남도 협약", Readiness.NEEDS_WORK, ""),
    ("KIEP 정책성등급 평가", "경제적 파급효과", "생산·고용 유발효과", Readiness.NOT_STARTED, ""),
    (
        "KIEP 정책성등급 평가",
        "국제행사 개최 역량",
        "학술대회·국제 네트워크(ISC, 국제딸기심포지움)",
        Readiness.IN_PROGRESS,
        "",
    ),
]

# (name, kind, role, state, state date)
EXPO_PARTNERS: list[tuple[str, str, str, str, dt.date | None]] = [
    (
        "충청남도",
        PartnerKind.PROVINCE,
        "엑스포 개최 협력 공식화 ‘협약’(기본계획 제출 이후): 정부 승인 공동 대응, 공동 개최, 인력·예산 지원. "
        "지역 도의원 협조체계(도의회 특별위원회 구성 등)",
        AgreementState.NEGOTIATING,
        None,
    ),
    (
        "농림축산식품부",
        PartnerKind.MINISTRY,
        "적격심사 검토 대응, 수시 방문·딸기산업 육성 당위성 설명",
        AgreementState.NEGOTIATING,
        None,
    ),
    ("기획재정부", PartnerKind.MINISTRY, "국제행사 심사 대응", AgreementState.NEGOTIATING, None),
    (
        "대외경제정책연구원(KIEP)",
        PartnerKind.RESEARCH,
        "국제행사 정책성등급 평가 대응",
        AgreementState.NEGOTIATING,
        None,
    ),
    (
        "성심당",
        PartnerKind.COMPANY,
        "전시·체험관 및 이벤트 운영, 딸기 가공제품 개발 및 유통",
        AgreementState.LOI,
        D(2024, 4, 22),
    ),
    (
        "SPC(파리바게뜨)",
        PartnerKind.COMPANY,
        "전시·체험관 및 이벤트 운영, 딸기 가공제품 개발 및 유통",
        AgreementState.NEGOTIATING,
        None,
    ),
    (
        "신세계푸드",
        PartnerKind.COMPANY,
        "전시·체험관 및 이벤트 운영, 딸기 가공제품 개발 및 유통",
        AgreementState.NEGOTIATING,
        None,
    ),
    (
        "건양대학교",
        PartnerKind.UNIVERSITY,
        "콘서트홀 등 시설물 활용 ‘국제학술회의’ 개최(비용 절감)",
        AgreementState.MOU,
        D(2024, 4, 30),
    ),
    ("한국관광공사 대전지사", PartnerKind.TOURISM, "관광분야 협약 체결 추진", AgreementState.NEGOTIATING, None),
    ("대전관광공사", PartnerKind.TOURISM, "관광분야 협약 체결 추진", AgreementState.NEGOTIATING, None),
    (
        "ISC(International Strawberry Congress)",
        PartnerKind.ACADEMIC,
        "공동 학술회의 개최 사전 협의, 국제딸기심포지움(′25 베이징) 네트워크, ‘(가칭)아시아권 딸기 심포지움’ 협의",
        AgreementState.NEGOTIATING,
        None,
    ),
    (
        "한국원예학회",
        PartnerKind.ACADEMIC,
        "전체회의, 분야별(채소포럼, 생물환경조절학회 등) 회의 유치 협의",
        AgreementState.NEGOTIATING,
        None,
    ),
]

# (title, kind, start, end, tentative, place, audience, state, note)
EXPO_EVENTS: list[tuple[str, str, dt.date, dt.date | None, bool, str, str, str, str]] = [
    (
        "수원KT 농구와 함께하는 논산딸기day",
        EventKind.SPORTS,
        D(2024, 3, 3),
        None,
        True,
        "경기도 수원시 수원KT소닉붐 농구 경기장",
        "농구 관람객",
        EventState.DONE,
        "3. 3.(일) 또는 3. 9.(토), 2024 논산딸기축제 개최 전 — 겨울 스포츠 ‘농구’와 대표 과일 ‘딸기’ 연계 홍보",
    ),
    (
        "엑스포 성공 개최 세미나 및 설명회(2024 딸기축제 연계)",
        EventKind.SEMINAR,
        D(2024, 3, 14),
        D(2024, 3, 17),
        True,
        "논산시민가족공원 일원(2024 논산딸기축제)",
        "시민, 관계 기관, 전문가",
        EventState.DONE,
        "",
    ),
    (
        "찾아가는 시민 설명회(읍면동 회의)",
        EventKind.BRIEFING,
        D(2024, 4, 1),
        D(2024, 4, 30),
        True,
        "15개 읍면동 각종 회의",
        "읍면동 주민",
        EventState.DONE,
        "엑스포 필요성·효과 설명 후 ‘유치 기원’ 소규모 퍼포먼스",
    ),
    (
        "엑스포 유치기원 퍼포먼스",
        EventKind.PERFORMANCE,
        D(2024, 5, 1),
        D(2024, 6, 30),
        True,
        "시 단위 주요 행사장",
        "시민",
        EventState.DONE,
        "′24. 5~6월 중, 시 단위 주요 행사 병행",
    ),
    (
        "붐업 릴레이 응원(SNS 챌린지, 유치 기원기 전달 릴레이)",
        EventKind.SNS,
        D(2024, 5, 1),
        D(2024, 12, 31),
        True,
        "온라인(SNS)",
        "시민, 기관·단체",
        EventState.DONE,
        "",
    ),
    (
        "타 엑스포(박람회) 홍보부스 운영",
        EventKind.BOOTH,
        D(2024, 7, 1),
        D(2024, 12, 31),
        True,
        "타 엑스포·박람회 행사장",
        "박람회 관람객",
        EventState.DONE,
        "홍보영상 상영, 기념품 배부",
    ),
]

# (name, type, parent, state, decided year)
INSTITUTIONS: list[tuple[str, str, str, str, int | None]] = [
    ("국방대학교", InstitutionType.RELOCATION, "국방부", InstitutionState.WON, 2007),
    ("국방미래기술센터", InstitutionType.NEW, "", InstitutionState.WON, 2023),
    ("국방AI센터", InstitutionType.NEW, "국방부", InstitutionState.INTEREST, None),
    ("국방MRO산업육성센터", InstitutionType.NEW, "국방부", InstitutionState.INTEREST, None),
    ("한국국방연구원", InstitutionType.RELOCATION, "국방부", InstitutionState.INTEREST, None),
    ("국방전직교육원", InstitutionType.RELOCATION, "국방부", InstitutionState.INTEREST, None),
    ("전력지원체계연구센터", InstitutionType.RELOCATION, "방위사업청", InstitutionState.INTEREST, None),
    ("국방신속획득기술연구원", InstitutionType.RELOCATION, "방위사업청", InstitutionState.INTEREST, None),
    ("국방기술진흥연구소", InstitutionType.RELOCATION, "방위사업청", InstitutionState.INTEREST, None),
    ("방위사업교육원", InstitutionType.RELOCATION, "방위사업청", InstitutionState.INTEREST, None),
]

# (date, title, source, tags); the seed dates only the first, the others are recorded with the plan.
TRENDS: list[tuple[dt.date, str, str, str]] = [
    (D(2024, 1, 2), "충남도 중점 유치 공공기관 44개소로 확대 조정(기존 34개소)", "충청남도", "공공기관 이전, 충남도"),
    (
        D(2024, 1, 10),
        "공공기관 이전 관련 기본계획 발표 총선(4. 10.) 이후로 연기",
        "언론 보도",
        "공공기관 이전, 정부 기본계획",
    ),
    (
        D(2024, 1, 10),
        "이전대상 기관 300~최대 500개소 예상 — 수시로 변하는 동향 수집·분석",
        "언론 보도",
        "공공기관 이전",
    ),
]


def _team(name: str) -> Any:
    return org.active_teams().filter(department__is_planning_office=True, name=name).first()


def _user(*usernames: str) -> Any:
    User = get_user_model()
    return User.objects.filter(username__in=usernames).order_by("username").first()


def _departments(*names: str) -> list[Any]:
    return list(org.departments().filter(name__in=names))


def _hwpx(title: str, text: str) -> bytes:
    return render_hwpx(Report(title=title, issued_on=D(2024, 4, 22), org_label="데모 문서", blocks=[Paragraph(text)]))


def _document(initiative: Initiative, title: str, kind: str, actor: Any, **links_: Any) -> None:
    if Document.objects.filter(initiative=initiative, title=title).exists():
        return
    data = _hwpx(title, f"{title}\n(데모용 문서입니다.)")
    document = Document(
        initiative=initiative,
        title=title,
        kind=kind,
        filename=f"{title}.hwpx",
        size=len(data),
        content_type="application/hwp+zip",
        uploaded_by=actor,
        **links_,
    )
    document.file.save(f"{title}.hwpx", ContentFile(data), save=False)
    document.save()


def _initiative(name: str, team: Any, **defaults: Any) -> Initiative:
    initiative, _ = Initiative.objects.get_or_create(name=name, defaults={"team": team, **defaults})
    return initiative


def _stages(initiative: Initiative, stages: list) -> dict[int, Milestone]:
    result = {}
    for order, name, body, planned, actual, note in stages:
        planned_on = month_end(D(planned[0], planned[1], 1)) if planned else None
        if actual is not None:
            state = MilestoneState.DONE
        elif order == 2 and initiative.name == EXPO:
            state = MilestoneState.IN_PROGRESS
        else:
            state = MilestoneState.PLANNED
        milestone, _ = Milestone.objects.get_or_create(
            initiative=initiative,
            order=order,
            defaults={
                "name": name,
                "deciding_body": body,
                "planned_on": planned_on,
                "planned_precision": DatePrecision.MONTH,
                "actual_on": actual,
                "state": state,
                "note": note,
            },
        )
        result[order] = milestone
    return result


def _budget(initiative: Initiative, rows: list[tuple]) -> None:
    for order, (year, name, national, provincial, city, other, in_total, note, link_name) in enumerate(rows, start=1):
        line_id = None
        if link_name:
            line_id = next((ln.id for ln in links.statement_lines(year) if link_name in ln.name), None)
        BudgetLine.objects.get_or_create(
            initiative=initiative,
            year=year,
            name=name,
            defaults={
                "total": (national + provincial + city + other) * M,
                "national": national * M,
                "provincial": provincial * M,
                "city": city * M,
                "other": other * M,
                "in_total": in_total,
                "note": note,
                "order": order,
                "workplan_line_id": line_id,
            },
        )


def load() -> None:
    innovation, expo_team = _team("혁신기획팀"), _team("엑스포 TF팀")
    if innovation is None or expo_team is None:
        return  # the organisation demo has not been loaded
    planner = _user("planner", "admin")
    expo_user = _user("expo") or planner

    attraction = _initiative(
        ATTRACTION,
        innovation,
        kind=InitiativeKind.ATTRACTION,
        starts_on=D(2024, 1, 1),
        ends_on=D(2026, 12, 31),
        aims=ATTRACTION_AIMS,
        summary=ATTRACTION_SUMMARY,
        status=InitiativeStatus.ACTIVE,
        budget_total=20 * M,
    )
    attraction.departments.add(*_departments("미래전략과", "국방산업과"))
    expo = _initiative(
        EXPO,
        expo_team,
        kind=InitiativeKind.EVENT,
        starts_on=D(2024, 1, 1),
        ends_on=D(2027, 3, 31),
        aims=EXPO_AIMS,
        summary=EXPO_SUMMARY,
        status=InitiativeStatus.ACTIVE,
        budget_total=20_000 * M,
    )
    expo.departments.add(*_departments("딸기산업과", "관광진흥과", "농업기술센터"))

    # --- the expo -----------------------------------------------------------------------------
    stages = _stages(expo, EXPO_STAGES)
    _document(expo, "2027 논산세계딸기산업엑스포 기본계획(안)", DocumentKind.PLAN, expo_user, milestone=stages[1])
    for order, (review, name, description, state, evidence) in enumerate(CRITERIA, start=1):
        ReviewCriterion.objects.get_or_create(
            initiative=expo,
            review=review,
            name=name,
            defaults={
                "order": order,
                "description": description,
                "state": state,
                "evidence": evidence,
                "owner": expo_user,
                "due_on": D(2024, 11, 30),
            },
        )
    for order, (name, kind, role, state, state_on) in enumerate(EXPO_PARTNERS, start=1):
        partner, _ = Partner.objects.get_or_create(
            initiative=expo,
            name=name,
            defaults={"kind": kind, "role": role, "state": state, "state_on": state_on, "order": order},
        )
        if state == AgreementState.LOI:
            _document(expo, f"{name} 참여의향서", DocumentKind.LOI, expo_user, partner=partner)
        elif state == AgreementState.MOU:
            _document(expo, f"{name} 업무협약서", DocumentKind.MOU, expo_user, partner=partner)
        if name == "성심당":
            PartnerMeeting.objects.get_or_create(
                partner=partner,
                held_on=D(2024, 4, 15),
                defaults={
                    "place": "성심당 본사",
                    "attendees": "엑스포 TF팀, 성심당 관계자",
                    "summary": "엑스포 전시·체험관 참여와 딸기 가공제품 개발 협의, 참여의향서 작성 합의",
                    "follow_up": "참여의향서를 기본계획 제출 시 증빙자료로 첨부",
                },
            )
    Target.objects.get_or_create(
        initiative=expo, name="방문객", defaults={"order": 1, "value": 1_500_000, "unit": "명", "note": "약 150만 명"}
    )
    Target.objects.get_or_create(
        initiative=expo,
        name="외국인 관람객",
        defaults={"order": 2, "value": 90_000, "unit": "명", "note": "9만 명 이상"},
    )
    _budget(
        expo,
        [
            (2027, "엑스포 사업비", 6_000, 4_000, 4_000, 6_000, True, "기타는 수익사업", ""),
            (2024, "국제행사 승인 준비(세미나 개최 및 대외 홍보)", 0, 0, 92, 0, False, "승인 준비비", "엑스포"),
        ],
    )
    for title, kind, start, end, tentative, place, audience, state, note in EXPO_EVENTS:
        Event.objects.get_or_create(
            initiative=expo,
            title=title,
            defaults={
                "kind": kind,
                "starts_on": start,
                "ends_on": end,
                "tentative": tentative,
                "place": place,
                "audience": audience,
                "state": state,
                "note": note,
            },
        )

    # --- public-institution attraction ----------------------------------------------------------
    stages = _stages(attraction, ATTRACTION_STAGES)
    _document(attraction, "국방 공공기관 유치 홍보영상 기획안", DocumentKind.PRESS, planner, milestone=stages[1])
    _budget(
        attraction,
        [
            (2024, "홍보영상 제작", 0, 0, 5, 0, True, "영상제작 2~3월", ""),
            (2024, "옥외전광판 광고(서울역 앞, 1개월)", 0, 0, 15, 0, True, "광고시행 5월", ""),
        ],
    )
    Event.objects.get_or_create(
        initiative=attraction,
        title="서울역 앞 옥외전광판 공공(국방)기관 유치 홍보영상 송출",
        defaults={
            "kind": EventKind.AD,
            "starts_on": D(2024, 5, 1),
            "ends_on": D(2024, 5, 31),
            "place": "서울역 앞 옥외전광판",
            "audience": "서울역 이용객",
            "state": EventState.DONE,
            "note": "충남도 제작영상(′23. 12. 국방수도 충남)과 연계",
        },
    )
    Partner.objects.get_or_create(
        initiative=attraction,
        name="충청남도",
        defaults={
            "kind": PartnerKind.PROVINCE,
            "role": "중점 유치 공공기관(44개소) 공동 대응, ‘국방수도 충남’ 영상 연계",
            "state": AgreementState.NEGOTIATING,
            "order": 1,
        },
    )
    for order, (name, type_, parent, state, year) in enumerate(INSTITUTIONS, start=1):
        InstitutionTarget.objects.get_or_create(
            initiative=attraction,
            name=name,
            defaults={"type": type_, "parent": parent, "state": state, "decided_year": year, "order": order},
        )
    for day, title, source, tags in TRENDS:
        entry, created = TrendEntry.objects.get_or_create(
            recorded_on=day, title=title, defaults={"source": source, "tags": normalise_tags(tags), "author": planner}
        )
        if created:
            entry.initiatives.add(attraction)

    log_action(
        actor=None,
        action="initiatives.demo_load",
        target_type="initiatives.demo",
        target_repr="데모 전략사업",
        after={"initiatives": [ATTRACTION, EXPO]},
    )
