"""Objects the work plan, pledge and review tests need, made through the apps' services."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from hwallyu.core.testing import TestOrg

M = 1_000_000


@dataclass
class PlanFixture:
    plan: Any
    goal: Any
    task: Any
    project: Any
    other_task: Any
    other_project: Any
    line: Any


def make_plan(org: TestOrg, *, year: int = 2024, months: tuple[int, ...] = (3, 6, 9, 12)) -> PlanFixture:
    """A plan with a task and project of org.dept (미래전략과) and one of org.other_dept (강경읍)."""
    from hwallyu.workplan import services

    plan = services.plan_create(year=year, actor=org.planner)
    goal = services.goal_save(
        plan=plan, text="민선8기 정책 실행력 제고 및 성과 창출", department=org.planning, actor=org.planner
    )
    task = services.task_create(
        plan=plan,
        goal=goal,
        title="‘일 잘하는 논산’ 만드는 시정환류 체계 내실화",
        department=org.dept,
        aims="환류체계 구축\n정책 실행력 제고",
        actor=org.planner,
    )
    project = services.project_create(
        task=task,
        title="역점사업 심사분석",
        months={m: "분기 심사분석" for m in months},
        actor=org.planner,
    )
    other_task = services.task_create(
        plan=plan, goal=goal, title="읍면동 현장 행정 강화", department=org.other_dept, actor=org.planner
    )
    other_project = services.project_create(
        task=other_task, title="찾아가는 민원실", months={5: "", 6: ""}, actor=org.planner
    )
    line = services.budget_line_create(
        plan=plan,
        name="역점사업 심사분석 운영",
        project=project,
        total_cost=10 * M,
        this_year=10 * M,
        city=10 * M,
        actor=org.planner,
    )
    return PlanFixture(plan, goal, task, project, other_task, other_project, line)


def workbook_bytes(rows: list[list[Any]], merges: list[str] | None = None) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "사업비 조서"
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    for rng in merges or []:
        ws.merge_cells(rng)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


SEED_HEADER: list[list[Any]] = [
    ["Ⅲ 사업비 조서"],
    [None, None, None, None, None, None, None, "(단위 : 백만원)"],
    ["사 업 명", "총\n사업비", "‘24년도 투자계획", None, None, None, None, "‘25년\n이후"],
    [None, None, "계", "국비", "도비", "시비", "기타", None],
]
SEED_MERGES = ["A1:H1", "A3:A4", "B3:B4", "C3:G3", "H3:H4"]
SEED_ROWS: list[list[Any]] = [
    ["2건", 99, 92, "-", "-", 99, "-", "-"],
    ["2027 논산세계딸기산업엑스포 승인 준비\n(세미나 개최 및 대외 홍보)", 92, 92, "-", "-", 92, "-", "-"],
    ["행정만족도 조사 참여자\n인센티브 지급", 7, "-", "-", "-", 7, "-", "-"],
]


def seed_budget_xlsx(rows: list[list[Any]] | None = None, merges: list[str] | None = None) -> bytes:
    """The seed's part III table (사업비 조서) as an XLSX, values in 백만원, exactly as printed."""
    return workbook_bytes(SEED_HEADER + (SEED_ROWS if rows is None else rows), SEED_MERGES + (merges or []))
