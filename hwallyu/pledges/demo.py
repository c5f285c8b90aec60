"""Demo pledges: a few plausible 민선8기 pledges of the demo city with states, targets and notes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hwallyu.core.audit import log_action
from hwallyu.org import selectors as org
from hwallyu.pledges.models import (
    Pledge,
    PledgeCategory,
    PledgeNote,
    PledgeScheme,
    PledgeState,
    PledgeYearTarget,
    PublicPage,
)
from hwallyu.pledges.selectors import DEFAULT_STATES

M = 1_000_000
CATEGORIES = ["국방·경제", "농업·딸기", "복지·교육", "문화·관광", "소통·행정"]

# code, title, category, department, state, progress, needed (백만원), secured, months of 2024, target of 2024
PLEDGES: list[tuple[str, str, str, str, str, int, int, int, list[int], str]] = [
    (
        "1-1",
        "국방국가산업단지 조기 완공 및 국방군수기업 유치",
        "국방·경제",
        "국방산업과",
        "normal",
        60,
        150000,
        98000,
        [3, 6, 9, 12],
        "국방산단 부지조성 공정률 60%, 군수기업 3개 유치",
    ),
    (
        "1-2",
        "국방 관련 공공기관 유치",
        "국방·경제",
        "미래전략과",
        "normal",
        45,
        300,
        120,
        [2, 3, 4, 5, 6, 9, 10, 11],
        "유치 대상 기관 건의 및 홍보(서울역 전광판), 유치 동향 분기 보고",
    ),
    (
        "1-3",
        "청년 일자리 1만 개 창출",
        "국방·경제",
        "일자리경제과",
        "partial",
        40,
        12000,
        5000,
        [3, 6, 9, 12],
        "청년 일자리 2,500개",
    ),
    (
        "2-1",
        "2027 논산세계딸기산업엑스포 개최",
        "농업·딸기",
        "딸기산업과",
        "normal",
        35,
        20000,
        4000,
        [5, 7, 11],
        "국제행사 승인 신청(기본계획 제출 5월, 충남도 7월, 농식품부 11월)",
    ),
    (
        "2-2",
        "딸기 스마트팜 혁신단지 조성",
        "농업·딸기",
        "딸기산업과",
        "continuing",
        100,
        8000,
        8000,
        [4, 10],
        "스마트팜 단지 운영 및 입주 농가 확대",
    ),
    ("3-1", "출산·양육 지원금 확대", "복지·교육", "아동보육과", "completed", 100, 3000, 3000, [1], "지원 조례 시행"),
    (
        "3-2",
        "어르신 공공일자리 확대",
        "복지·교육",
        "노인장애인과",
        "continuing",
        100,
        6000,
        6000,
        [1, 7],
        "공공일자리 3,000개 유지",
    ),
    (
        "4-1",
        "탑정호 관광 명소화",
        "문화·관광",
        "관광진흥과",
        "normal",
        70,
        25000,
        15000,
        [3, 5, 8, 11],
        "출렁다리 연계 수변 관광시설 착공",
    ),
    (
        "4-2",
        "강경 근대문화유산 관광벨트 조성",
        "문화·관광",
        "관광진흥과",
        "on_hold",
        20,
        9000,
        1000,
        [6, 12],
        "국비 공모 재신청",
    ),
    ("5-1", "시민 소통 플랫폼 구축", "소통·행정", "기획감사실", "completed", 100, 500, 500, [2, 4], "플랫폼 개통"),
    (
        "5-2",
        "시청사 이전 검토",
        "소통·행정",
        "기획감사실",
        "dropped",
        0,
        0,
        0,
        [],
        "시민 의견 수렴 결과 추진하지 않기로 함",
    ),
]


def _department(name: str) -> Any:
    return (
        org.departments().filter(name=name).first()
        or org.departments().filter(is_planning_office=True).first()
        or org.departments().first()
    )


def load() -> None:
    if Pledge.objects.exists():
        return
    if org.departments().first() is None:
        return
    scheme, created = PledgeScheme.objects.get_or_create(year=2024)
    if created:
        PledgeState.objects.bulk_create(
            [
                PledgeState(scheme=scheme, code=code, label=label, counts_as_complete=complete, tone=tone, order=i)
                for i, (code, label, complete, tone) in enumerate(DEFAULT_STATES, start=1)
            ]
        )
    categories = {}
    for order, name in enumerate(CATEGORIES, start=1):
        categories[name], _ = PledgeCategory.objects.get_or_create(name=name, defaults={"order": order})
    for code, title, category, department, state, progress, needed, secured, months, target in PLEDGES:
        pledge = Pledge.objects.create(
            code=code,
            title=title,
            category=categories[category],
            department=_department(department),
            state_code=state,
            progress=progress,
            budget_needed=needed * M,
            budget_secured=secured * M,
            summary=f"{title} (민선8기 공약)",
        )
        PledgeYearTarget.objects.create(pledge=pledge, year=2024, target=target, planned_months=months)
        PledgeNote.objects.create(
            pledge=pledge,
            written_on=dt.date(2024, 6, 30),
            text=f"2024년 상반기 추진 실적: {target}",
            state_code=state,
            progress=progress,
        )
    page = PublicPage.load()
    page.enabled = True
    page.intro = "민선8기 시장 공약의 추진 상황을 시민 여러분께 알려 드립니다. 매 분기 갱신합니다."
    page.save(update_fields=["enabled", "intro", "updated_at"])
    log_action(
        actor=None,
        action="pledges.demo_load",
        target_type="pledges.demo",
        target_repr="데모 공약",
        after={"pledges": len(PLEDGES)},
    )
