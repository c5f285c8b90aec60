"""Benchmark pledges: the mayor's pledges of the 민선8기 term (two per department: a few hundred in a
large city) in a handful of fields, each with a yearly target for every year of the term within the
dataset, half-yearly progress notes, and the pledge's current state and progress taken from its latest
note.  Every year of the dataset has the default scheme of states; the public page is switched on.

The reviews module reads the pledges' yearly schedules from ``ctx.shared["pledges.targets"]``."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from hwallyu.core.benchdata import BenchContext, BenchPage
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
TERM = "민선8기"
TERM_YEARS = (2022, 2026)  # July 2022 – June 2026; the last half-year's notes go on until the year ends
CATEGORIES = ["국방·경제", "농업·딸기", "복지·교육", "문화·관광", "안전·환경", "소통·행정"]
SUBJECTS = {
    "국방·경제": ["국방산업단지", "방산기업 유치", "청년 창업", "전통시장", "일자리 센터", "투자 유치"],
    "농업·딸기": ["딸기 수출", "스마트팜 단지", "청년 농업인", "농산물 가공", "로컬푸드", "농기계 임대"],
    "복지·교육": ["출산 장려", "공공 산후조리원", "어르신 일자리", "장학 재단", "돌봄 센터", "청소년 공간"],
    "문화·관광": ["탑정호 관광", "역사 문화 거리", "체육 시설", "축제 브랜드", "야간 관광", "문화 도시"],
    "안전·환경": ["생활 안전", "하천 정비", "미세먼지 저감", "공원 조성", "재난 대응", "자원 순환"],
    "소통·행정": ["시민 참여 예산", "찾아가는 민원", "디지털 행정", "공약 이행 공개", "열린 시장실", "주민 자치"],
}
VERBS = ["조성", "확대", "지원", "육성", "추진", "구축", "활성화"]
# the states pledges end in, as shares: most on track or kept, a few on hold or dropped
STATE_WEIGHTS = {"completed": 30, "continuing": 15, "normal": 40, "partial": 8, "on_hold": 4, "dropped": 3}
NOTE_TEXTS = [
    "관계기관 협의 및 세부 추진계획 수립",
    "국·도비 확보 및 실시설계 추진",
    "사업 착공 및 공정 관리",
    "시범 운영 및 시민 의견 수렴",
    "사업 완료 및 성과 점검",
    "예산 확보 지연으로 일정 조정",
]


def _progress_path(rng: random.Random, final_state: str, final_progress: int, points: int) -> list[tuple[str, int]]:
    """States and progress of the notes, rising to the final ones."""
    path = []
    for i in range(points):
        share = (i + 1) / points
        progress = int(round(final_progress * share / 5) * 5)
        if i == points - 1:
            path.append((final_state, final_progress))
        elif progress >= 100:
            path.append(("continuing" if final_state == "continuing" else "normal", 95))
        else:
            path.append(("normal" if rng.random() < 0.9 else "partial", progress))
    return path


def generate(ctx: BenchContext) -> None:
    rng = ctx.rng("pledges")
    today = ctx.today
    departments = [d for d in org.departments().order_by("order") if d.kind in ("main", "affiliated", "business")]
    departments = departments or list(org.departments().order_by("order"))
    count = ctx.scale.departments * 2
    years = [y for y in ctx.years if TERM_YEARS[0] <= y <= TERM_YEARS[1]]
    planners = org.planning_office_users()
    author_ids = [u.pk for u in planners] or [None]

    schemes = PledgeScheme.objects.bulk_create([PledgeScheme(year=y) for y in ctx.years])
    PledgeState.objects.bulk_create(
        [
            PledgeState(scheme=s, code=code, label=label, counts_as_complete=complete, tone=tone, order=i)
            for s in schemes
            for i, (code, label, complete, tone) in enumerate(DEFAULT_STATES, start=1)
        ]
    )
    categories = PledgeCategory.objects.bulk_create(
        [PledgeCategory(name=name, order=i) for i, name in enumerate(CATEGORIES, start=1)]
    )
    states = list(STATE_WEIGHTS)
    weights = list(STATE_WEIGHTS.values())
    pledges: list[Pledge] = []
    plans: list[tuple[str, int]] = []
    numbers: dict[int, int] = {}
    for i in range(count):
        category = categories[i % len(categories)]
        numbers[category.pk] = numbers.get(category.pk, 0) + 1
        state = rng.choices(states, weights)[0]
        progress = {"completed": 100, "continuing": 100, "dropped": 0}.get(state, rng.randint(3, 19) * 5)
        if state == "on_hold":
            progress = rng.randint(1, 8) * 5
        needed = rng.choice([300, 1_000, 5_000, 12_000, 30_000, 80_000, 150_000]) * rng.randint(1, 3)
        secured = needed if progress >= 100 else int(needed * min(1.0, progress / 100 + rng.uniform(0, 0.3)))
        subject = rng.choice(SUBJECTS[category.name])
        pledges.append(
            Pledge(
                code=f"{category.order}-{numbers[category.pk]:02d}",
                title=f"{subject} {rng.choice(VERBS)}",
                category=category,
                department=departments[(i * 7) % len(departments)],
                term=TERM,
                summary=f"{subject} {rng.choice(VERBS)}으로 시민 삶의 질 향상 ({TERM} 공약)",
                state_code=state,
                progress=progress,
                budget_needed=needed * M,
                budget_secured=secured * M,
                published=state != "dropped" or rng.random() < 0.5,
            )
        )
        plans.append((state, progress))
    Pledge.objects.bulk_create(pledges, batch_size=ctx.batch_size)

    targets: list[PledgeYearTarget] = []
    notes: list[PledgeNote] = []
    shared: dict[int, list[tuple[int, str, int, tuple[int, ...], int]]] = {}
    for pledge, (state, progress) in zip(pledges, plans, strict=True):
        # half-yearly notes on June 30 and December 31 (this year: June 30 and the end of last month)
        dates = []
        for y in years:
            dates.append(dt.date(y, 6, 30))
            dates.append(dt.date(y, 12, 31) if y < today.year else today.replace(day=1) - dt.timedelta(days=1))
        path = _progress_path(rng, state, progress, len(dates))
        for (note_state, note_progress), day in zip(path, dates, strict=True):
            notes.append(
                PledgeNote(
                    pledge=pledge,
                    written_on=day,
                    text=f"{day.year}년 {'상' if day.month <= 6 else '하'}반기: {rng.choice(NOTE_TEXTS)}",
                    state_code=note_state,
                    progress=note_progress,
                    author_id=rng.choice(author_ids),
                )
            )
        for j, y in enumerate(years):
            months = sorted(rng.sample(range(1, 13), rng.randint(2, 6)))
            budget = pledge.budget_needed // max(1, len(years)) // M * M
            targets.append(
                PledgeYearTarget(
                    pledge=pledge,
                    year=y,
                    target=f"{y}년 {pledge.title} 단계별 목표 달성",
                    planned_months=months,
                    budget_planned=budget,
                )
            )
            year_progress = path[min(len(path) - 1, 2 * j + 1)][1]
            shared.setdefault(y, []).append(
                (pledge.pk, pledge.title, pledge.department_id, tuple(months), year_progress)
            )
    ctx.bulk_create(PledgeYearTarget, targets, desc="공약 연도 목표", total=len(targets))
    ctx.bulk_create(PledgeNote, notes, desc="공약 추진 실적", total=len(notes))
    page = PublicPage.load()
    page.enabled = True
    page.title = f"{TERM} 공약 이행 현황"
    page.intro = "시장 공약의 추진 상황을 시민 여러분께 알려 드립니다. 반기마다 갱신합니다."
    page.save(update_fields=["enabled", "title", "intro", "updated_at"])
    ctx.shared["pledges.targets"] = shared


def pages() -> list[BenchPage]:
    from django.db.models import Count
    from django.urls import reverse

    pledge: Any = Pledge.objects.annotate(n=Count("notes")).order_by("-n", "code").first()
    detail = reverse("pledges:detail", args=[pledge.pk]) if pledge else reverse("pledges:list")
    return [
        BenchPage("공약 목록", reverse("pledges:list")),
        BenchPage("이행률", reverse("pledges:stats")),
        BenchPage("공약 상세", detail),
        BenchPage("공개 페이지", reverse("pledges:public")),
        BenchPage("공약 분야", reverse("pledges:categories")),
        BenchPage("상태 체계", reverse("pledges:scheme")),
    ]
