"""Benchmark work plans: one plan per year, a goal and a few major tasks per department, ``scale.projects``
projects in all (spread over the years) with their monthly schedules, and the year's budget statement
(one or more lines per project, an imported header row "N건" whose totals match the lines).

Older plans are finished (most projects at 100%, budgets executed); this year's projects follow their
schedules as of ``ctx.today`` with some behind.  The generator hands the reviews module a summary of
the projects in ``ctx.shared["workplan.projects"]`` so it need not read 20,000 projects back."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from typing import Any

from hwallyu.core.benchdata import BenchContext, BenchPage
from hwallyu.core.calendar import SEOUL
from hwallyu.org import selectors as org
from hwallyu.workplan import schedule
from hwallyu.workplan.models import (
    BudgetLine,
    BudgetStatement,
    Goal,
    MajorTask,
    PlanStatus,
    Project,
    ScheduleMonth,
    WorkPlan,
)

M = 1_000_000  # won per 백만원

TOPICS = [
    "청년 일자리",
    "스마트 교통",
    "원도심 재생",
    "탄소중립",
    "어르신 돌봄",
    "아동 친화도시",
    "체류형 관광",
    "농산물 유통",
    "공공시설 안전",
    "주민 소통",
    "지역 축제",
    "생활 문화예술",
    "생활체육",
    "소하천 정비",
    "근린공원",
    "도로 확포장",
    "상하수도",
    "디지털 행정",
    "재난 대응",
    "감염병 예방",
    "소상공인",
    "귀농귀촌",
    "스마트팜",
    "국방산업",
    "평생학습",
    "공공도서관",
    "마을 공동체",
    "1인 가구",
    "장애인 자립",
    "반려동물",
    "자원 재활용",
    "미세먼지 저감",
    "에너지 자립",
    "공동주택 관리",
    "지적 재조사",
    "세외수입",
    "민원 서비스",
    "공유재산",
    "읍면동 복지",
    "딸기 산업",
]
ACTIONS = [
    "기반 조성",
    "지원 사업",
    "활성화",
    "시스템 구축",
    "정비 사업",
    "운영",
    "확대 추진",
    "개선",
    "기본계획 수립",
    "시범 사업",
    "교육 프로그램 운영",
    "공모사업 추진",
    "실태 조사",
    "홍보 강화",
    "시설 확충",
]
TASK_TEMPLATES = [
    "{t} 기반 강화로 시민 체감 행정 실현",
    "{t} 중심의 지속가능한 지역 발전",
    "{t} 내실화",
    "{t} 체계 구축 및 확산",
    "{t}로 여는 살기 좋은 도시",
    "{t} 경쟁력 제고",
]
GOAL_TEMPLATES = [
    "시민이 체감하는 {d} 행정 실현",
    "{d} 분야 혁신으로 지속가능한 성장",
    "안전하고 따뜻한 {d} 서비스 제공",
    "현장 중심의 {d} 업무 추진",
]
AIMS = [
    "시민 만족도 {n}% 이상 달성",
    "관련 예산 국·도비 {n}억원 확보",
    "사업 추진 일정 준수율 {n}% 이상",
    "수혜 시민 {n}천 명 이상",
]
EFFECTS = [
    "시민 생활 편의 증진",
    "지역 경제 활성화 및 일자리 창출",
    "행정 신뢰도 제고",
    "안전한 생활 환경 조성",
    "지역 공동체 회복",
]
MONTH_NOTES = ["계획 수립", "추진", "발주", "착공", "준공", "점검", "보고", "홍보", "완료", "정산"]
SCHEDULE_NOTES = ["연중 수시", "분기별 점검", "상반기 집중 추진", "하반기 준공 목표", ""]
PROGRESS_NOTES = {
    "done": ["계획대로 완료", "사업 완료 및 정산", "목표 달성"],
    "on_track": ["계획대로 추진 중", "세부 계획에 따라 정상 추진", "발주 완료, 공정 진행 중"],
    "behind": ["관계기관 협의 지연으로 일정 조정 중", "예산 교부 지연", "입찰 유찰로 재공고", "민원 조정 중"],
}
LINE_PARTS = ["시설비", "운영비", "용역비", "보조금"]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=SEOUL)


def _insert(ctx: BenchContext, model: Any, objects: list[Any], desc: str) -> list[Any]:
    """bulk_create in batches with a progress bar, keeping the objects (with their pks) for the caller."""
    with ctx.progress(desc, len(objects)) as bar:
        for batch in ctx.batches(objects):
            model.objects.bulk_create(batch, batch_size=ctx.batch_size)
            bar.update(len(batch))
    return objects


def _months(rng: random.Random) -> dict[int, str]:
    """A plausible monthly schedule: year-round, quarterly, a run of months, or a few scattered ones."""
    kind = rng.random()
    if kind < 0.35:
        notes = {3: "1분기 점검", 6: "상반기 보고", 9: "3분기 점검", 12: "연말 정산"}
        return {m: notes.get(m, "수시") if rng.random() < 0.5 else "" for m in schedule.MONTHS}
    if kind < 0.5:
        return {m: "분기 점검" for m in (3, 6, 9, 12)}
    if kind < 0.85:
        start = rng.randint(1, 9)
        length = rng.randint(2, 13 - start)
        months = list(range(start, start + length))
        notes = {months[0]: "계획 수립", months[-1]: "완료"}
        return {m: notes.get(m, rng.choice(MONTH_NOTES) if rng.random() < 0.3 else "") for m in months}
    picked = sorted(rng.sample(range(1, 13), rng.randint(2, 5)))
    return {m: rng.choice(MONTH_NOTES) for m in picked}


def _progress(rng: random.Random, months: Iterable[int], *, year: int, today: dt.date) -> int:
    """The project's progress on ``today``: older years mostly done, this year near its schedule."""
    if year < today.year:
        return 100 if rng.random() < 0.88 else rng.choice([60, 70, 80, 85, 90, 95])
    planned = schedule.planned_progress(months, year=year, as_of=today)
    if planned is None:
        return 0
    roll = rng.random()
    if roll < 0.18:  # behind schedule
        value = float(planned) - rng.uniform(15, 45)
    elif roll < 0.30 and planned >= 90:
        value = 100
    else:
        value = float(planned) + rng.uniform(-5, 12)
    return int(max(0, min(100, round(value / 5) * 5)))


def _amounts(rng: random.Random, *, multi_year: bool) -> dict[str, int | None]:
    """One budget line in whole won: 계 = 국비 + 도비 + 시비 + 기타, 총사업비 ≥ 계 + 이후."""
    this_year = int(rng.lognormvariate(5.0, 1.2)) + 5  # 백만원
    this_year = min(this_year, 30_000)
    national = provincial = other = 0
    if rng.random() < 0.3:
        national = int(this_year * rng.choice([0.3, 0.4, 0.5, 0.7]))
    if rng.random() < 0.45:
        provincial = int((this_year - national) * rng.choice([0.2, 0.3, 0.5]))
    if rng.random() < 0.1:
        other = int((this_year - national - provincial) * 0.2)
    city = this_year - national - provincial - other
    later = int(this_year * rng.uniform(0.5, 3.0)) if multi_year else 0
    before = int(this_year * rng.uniform(0, 2.0)) if multi_year else 0
    return {
        "total_cost": (this_year + later + before) * M,
        "this_year": this_year * M,
        "national": national * M or None,
        "provincial": provincial * M or None,
        "city": city * M or None,
        "other": other * M or None,
        "later": later * M or None,
    }


def generate(ctx: BenchContext) -> None:
    rng = ctx.rng("workplan")
    today = ctx.today
    departments = list(org.departments().order_by("order"))
    teams: dict[int, list[Any]] = {}
    for team in org.teams().order_by("department_id", "order"):
        teams.setdefault(team.department_id, []).append(team)
    planners = org.planning_office_users()
    planner = planners[0] if planners else None
    per_year = ctx.spread(ctx.scale.projects, ctx.years)

    plans = _insert(
        ctx,
        WorkPlan,
        [
            WorkPlan(
                year=year,
                title=f"{year}년 주요업무계획",
                context=f"{year}년 시정 여건: 인구 감소와 재정 여건 악화 속 시정 과제의 실행력 제고가 필요합니다.",
                status=PlanStatus.LOCKED,
                locked_at=_at(dt.date(year, 2, 14), 17),
                locked_by=planner,
            )
            for year in ctx.years
        ],
        "주요업무계획",
    )
    goals: list[Goal] = []
    for plan in plans:
        for i, d in enumerate(departments):
            goals.append(Goal(plan=plan, department=d, text=rng.choice(GOAL_TEMPLATES).format(d=d.name), order=i + 1))
    _insert(ctx, Goal, goals, "목표")
    goal_of = {(g.plan_id, g.department_id): g for g in goals}

    # major tasks: about 5–6 projects each, a department's projects over one or more tasks
    tasks: list[MajorTask] = []
    task_sizes: list[int] = []
    for plan, count in zip(plans, per_year, strict=True):
        number = 0
        for d, dept_count in zip(departments, ctx.spread(count, departments), strict=True):
            if not dept_count:
                continue
            n_tasks = max(1, round(dept_count / 5.5))
            for size in ctx.spread(dept_count, list(range(n_tasks))):
                number += 1
                topic = rng.choice(TOPICS)
                team_list = teams.get(d.pk, [])
                tasks.append(
                    MajorTask(
                        plan=plan,
                        goal=goal_of[(plan.pk, d.pk)],
                        number=number,
                        title=rng.choice(TASK_TEMPLATES).format(t=topic),
                        department=d,
                        team=rng.choice(team_list) if team_list else None,
                        aims="\n".join(
                            "❖ " + a.format(n=rng.randint(2, 9) * 10) for a in rng.sample(AIMS, rng.randint(1, 2))
                        ),
                        overview=f"❍ {topic} 관련 현황 분석 및 추진 전략 수립\n  - 관계 부서·기관 협업 체계 운영",
                        plan_text=f"상반기 계획 수립 및 예산 확보, 하반기 본격 추진 ({plan.year}. 12.까지)",
                        expected_effects="\n".join("❍ " + e for e in rng.sample(EFFECTS, 2)),
                    )
                )
                task_sizes.append(size)
    _insert(ctx, MajorTask, tasks, "주요업무")

    projects: list[Project] = []
    months_of: list[dict[int, str]] = []
    year_of = {plan.pk: plan.year for plan in plans}
    for task, size in zip(tasks, task_sizes, strict=True):
        year = year_of[task.plan_id]
        team_list = teams.get(task.department_id, [])
        for k in range(size):
            months = _months(rng)
            progress = _progress(rng, months, year=year, today=today)
            planned = schedule.planned_progress(months, year=year, as_of=min(today, dt.date(year, 12, 31)))
            state = "done" if progress >= 100 else ("behind" if planned and progress < planned else "on_track")
            updated = (
                dt.date(year, 12, rng.randint(20, 30))
                if year < today.year
                else today - dt.timedelta(days=rng.randint(0, 40))
            )
            projects.append(
                Project(
                    plan_id=task.plan_id,
                    task=task,
                    number=k + 1,
                    title=f"{rng.choice(TOPICS)} {rng.choice(ACTIONS)}",
                    department_id=task.department_id,
                    team=rng.choice(team_list) if team_list and rng.random() < 0.8 else None,
                    description=f"{rng.choice(TOPICS)} 여건 개선을 위한 세부 사업 추진",
                    schedule_note=rng.choice(SCHEDULE_NOTES),
                    progress=progress,
                    progress_note=rng.choice(PROGRESS_NOTES[state]),
                    progress_updated_at=_at(updated, rng.randint(9, 18)),
                )
            )
            months_of.append(months)
    _insert(ctx, Project, projects, "사업")
    ctx.bulk_create(
        ScheduleMonth,
        (
            ScheduleMonth(project_id=p.pk, month=m, note=note)
            for p, months in zip(projects, months_of, strict=True)
            for m, note in months.items()
        ),
        desc="월별 추진계획",
        total=sum(len(m) for m in months_of),
    )

    # the budget statement: lines in task order, an imported header row "N건" with the matching totals
    lines: list[BudgetLine] = []
    shared: dict[int, list[tuple[int, str, int, tuple[int, ...], int, int, int]]] = {}
    totals: dict[int, dict[str, int | None]] = {}
    counts: dict[int, int] = {}
    for project, months in zip(projects, months_of, strict=True):
        year = year_of[project.plan_id]
        n_lines = 1 if rng.random() < 0.75 else (2 if rng.random() < 0.8 else 3)
        multi_year = rng.random() < 0.35
        budget = executed_total = 0
        for j in range(n_lines):
            amounts = _amounts(rng, multi_year=multi_year)
            this_year = amounts["this_year"] or 0
            if year < today.year:
                executed = int(this_year * rng.uniform(0.85, 1.0) * (project.progress / 100)) // M * M
            else:
                executed = int(this_year * min(1.0, project.progress / 100 * rng.uniform(0.7, 1.05))) // M * M
            counts[project.plan_id] = counts.get(project.plan_id, 0) + 1
            order = counts[project.plan_id]
            lines.append(
                BudgetLine(
                    plan_id=project.plan_id,
                    project=project,
                    name=project.title if n_lines == 1 else f"{project.title}({LINE_PARTS[j]})",
                    executed=executed,
                    execution_note="불용액 반납" if year < today.year and executed < this_year * 0.9 else "",
                    source_row=order + 4,
                    order=order,
                    **amounts,
                )
            )
            total = totals.setdefault(project.plan_id, {})
            for name, value in amounts.items():
                if value is not None:
                    total[name] = (total.get(name) or 0) + value
            budget += this_year
            executed_total += executed
        shared.setdefault(year, []).append(
            (
                project.pk,
                project.title,
                project.department_id,
                tuple(sorted(months)),
                project.progress,
                budget,
                executed_total,
            )
        )
    _insert(ctx, BudgetLine, lines, "사업비 조서")
    _insert(
        ctx,
        BudgetStatement,
        [
            BudgetStatement(
                plan=plan,
                header_entered={
                    "count": counts.get(plan.pk, 0),
                    **{
                        name: totals.get(plan.pk, {}).get(name)
                        for name in ("total_cost", "this_year", "national", "provincial", "city", "other", "later")
                    },
                },
                header_row=4,
                source_name=f"{plan.year}년_사업비조서.xlsx",
                imported_at=_at(dt.date(plan.year, 1, 20), 15),
                imported_by=planner,
            )
            for plan in plans
        ],
        "사업비 조서 총계",
    )
    ctx.shared["workplan.projects"] = shared


def pages() -> list[BenchPage]:
    from django.urls import reverse

    year = WorkPlan.objects.order_by("-year").values_list("year", flat=True).first() or 2026
    plan = WorkPlan.objects.get(year=year)
    # the biggest task and a project with several budget lines: the heaviest detail pages
    task = MajorTask.objects.filter(plan=plan).order_by("-number").first()
    project = (
        Project.objects.filter(plan=plan, budget_lines__isnull=False).order_by("-pk").first()
        or Project.objects.filter(plan=plan).first()
    )
    dept = org.department_by_code("D002")
    dept_q = f"?department={dept.pk}" if dept else ""
    return [
        BenchPage("연도 계획 목록", reverse("workplan:index") + "?all=1"),
        BenchPage("연도 계획", reverse("workplan:plan", args=[year])),
        BenchPage("연도 계획(부서)", reverse("workplan:plan", args=[year]) + dept_q, role="manager"),
        BenchPage("사업 목록", reverse("workplan:projects", args=[year])),
        BenchPage("사업 목록(부서)", reverse("workplan:projects", args=[year]) + dept_q, role="staff"),
        BenchPage("주요업무", reverse("workplan:task", args=[task.pk]) if task else reverse("workplan:index")),
        BenchPage(
            "사업 상세", reverse("workplan:project", args=[project.pk]) if project else reverse("workplan:index")
        ),
        BenchPage("월별 추진계획", reverse("workplan:schedule", args=[year])),
        BenchPage("월별 추진계획(부서)", reverse("workplan:schedule", args=[year]) + dept_q, role="manager"),
        BenchPage("사업비 조서", reverse("workplan:budget", args=[year])),
        BenchPage("추진상황 보고", reverse("workplan:report", args=[year])),
        BenchPage("추진상황 보고(부서)", reverse("workplan:report", args=[year]) + dept_q, role="manager"),
    ]
