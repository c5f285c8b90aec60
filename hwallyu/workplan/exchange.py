"""A whole year's plan as one JSON or YAML file: export, and import with every problem named.

Format ``hwallyu.workplan/1``: the plan's year, title and context; goals (by department code)
with their major tasks and projects (monthly schedule as ``[{month, note}]``); the budget
statement's lines in whole won and its header row as entered.  Departments are referred to
by code and teams by name, so a file moves between installations.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from hwallyu.core.audit import log_action
from hwallyu.org import selectors as org
from hwallyu.workplan import policies as p
from hwallyu.workplan import selectors
from hwallyu.workplan.models import (
    MONEY_FIELDS,
    BudgetLine,
    BudgetStatement,
    Goal,
    MajorTask,
    Project,
    ScheduleMonth,
    WorkPlan,
)
from hwallyu.workplan.money import MAX_WON
from hwallyu.workplan.policies import workplans

FORMAT = "hwallyu.workplan/1"
MAX_BYTES = 5 * 1024 * 1024


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def plan_document(plan: WorkPlan) -> dict[str, Any]:
    goals: dict[int, dict[str, Any]] = {}
    for goal in plan.goals.select_related("department").order_by("order", "id"):
        goals[goal.pk] = {"department": goal.department.code, "text": goal.text, "tasks": []}
    for task in selectors.plan_tree(plan):
        goals[task.goal_id]["tasks"].append(
            {
                "number": task.number,
                "title": task.title,
                "department": task.department.code,
                "team": task.team.name if task.team else None,
                "aims": task.aim_lines(),
                "overview": task.overview,
                "plan": task.plan_text,
                "expected_effects": task.effect_lines(),
                "projects": [
                    {
                        "number": pr.number,
                        "title": pr.title,
                        "department": pr.department.code,
                        "team": pr.team.name if pr.team else None,
                        "description": pr.description,
                        "schedule_note": pr.schedule_note,
                        "progress": pr.progress,
                        "schedule": [{"month": m.month, "note": m.note} for m in pr.months.all()],
                    }
                    for pr in task.projects.all()
                ],
            }
        )
    statement = BudgetStatement.objects.filter(plan=plan).first()
    return {
        "format": FORMAT,
        "year": plan.year,
        "title": plan.title,
        "context": plan.context,
        "goals": list(goals.values()),
        "budget": {
            "unit": "원",
            "header": statement.header_entered if statement else None,
            "lines": [
                {
                    "name": line.name,
                    "project": line.project.title if line.project else None,
                    **{name: getattr(line, name) for name in MONEY_FIELDS},
                    "executed": line.executed,
                }
                for line in selectors.budget_lines(plan)
            ],
        },
    }


def export_plan(plan: WorkPlan, fmt: str) -> tuple[bytes, str]:
    """The file body and its content type."""
    document = plan_document(plan)
    if fmt == "yaml":
        text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=120)
        return text.encode("utf-8"), "application/yaml; charset=utf-8"
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"), "application/json; charset=utf-8"
    raise ValidationError("형식은 json 또는 yaml이어야 합니다.")


# --- import --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanProblem:
    path: str
    message: str

    def text(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}


class PlanImportError(ValidationError):
    def __init__(self, problems: list[PlanProblem]) -> None:
        super().__init__([pr.text() for pr in problems])
        self.problems = problems


def load_document(data: bytes, filename: str = "") -> dict[str, Any]:
    if len(data) > MAX_BYTES:
        raise PlanImportError([PlanProblem("", "파일이 너무 큽니다(최대 5MB).")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PlanImportError([PlanProblem("", "UTF-8로 저장된 JSON 또는 YAML 파일이 아닙니다.")])
    try:
        if filename.lower().endswith(".json") or text.lstrip().startswith("{"):
            document = json.loads(text)
        else:
            document = yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise PlanImportError([PlanProblem(f"{exc.lineno}행", f"JSON 문법 오류: {exc.msg}")])
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{mark.line + 1}행" if mark is not None else ""
        raise PlanImportError([PlanProblem(where, "YAML 문법 오류입니다.")])
    if not isinstance(document, dict):
        raise PlanImportError([PlanProblem("", "계획 파일의 최상위는 객체(키: 값)여야 합니다.")])
    return document


class _Checker:
    def __init__(self) -> None:
        self.problems: list[PlanProblem] = []
        self._departments: dict[str, Any] = {}
        self._teams: dict[tuple[int, str], Any] = {}

    def add(self, path: str, message: str) -> None:
        self.problems.append(PlanProblem(path, message))

    def text(self, obj: dict[str, Any], key: str, path: str, *, required: bool = False, limit: int = 0) -> str:
        value = obj.get(key)
        if value is None:
            if required:
                self.add(f"{path}.{key}", "값이 필요합니다.")
            return ""
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = "\n".join(value)
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.add(f"{path}.{key}", "글자여야 합니다.")
            return ""
        text = str(value).strip()
        if required and not text:
            self.add(f"{path}.{key}", "값이 필요합니다.")
        if limit and len(text) > limit:
            self.add(f"{path}.{key}", f"{limit}자 이하여야 합니다.")
        return text

    def integer(
        self, obj: dict[str, Any], key: str, path: str, *, low: int, high: int, default: int | None
    ) -> int | None:
        value = obj.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(f"{path}.{key}", "정수여야 합니다.")
            return None
        if not low <= value <= high:
            self.add(f"{path}.{key}", f"{low}–{high} 사이여야 합니다.")
            return None
        return value

    def department(self, obj: dict[str, Any], key: str, path: str) -> Any:
        code = obj.get(key)
        if not isinstance(code, str) or not code.strip():
            self.add(f"{path}.{key}", "부서 코드가 필요합니다.")
            return None
        if code not in self._departments:
            self._departments[code] = org.department_by_code(code)
        department = self._departments[code]
        if department is None:
            self.add(f"{path}.{key}", f"부서 코드 {code!r}을(를) 찾을 수 없습니다.")
        return department

    def team(self, obj: dict[str, Any], department: Any, path: str) -> Any:
        name = obj.get("team")
        if name in (None, "") or department is None:
            return None
        if not isinstance(name, str):
            self.add(f"{path}.team", "팀 이름은 글자여야 합니다.")
            return None
        key = (department.pk, name)
        if key not in self._teams:
            self._teams[key] = org.teams(department).filter(name=name).first()
        if self._teams[key] is None:
            self.add(f"{path}.team", f"{department.name}에 {name!r} 팀이 없습니다.")
        return self._teams[key]

    def items(self, obj: dict[str, Any], key: str, path: str) -> list[dict[str, Any]]:
        value = obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(f"{path}.{key}", "목록이어야 합니다.")
            return []
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                self.add(f"{path}.{key}[{i}]", "객체(키: 값)여야 합니다.")
            else:
                out.append(item)
        return out


def _money(checker: _Checker, obj: dict[str, Any], key: str, path: str) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        checker.add(f"{path}.{key}", "금액은 원 단위 정수여야 합니다.")
        return None
    if not 0 <= value <= MAX_WON:
        checker.add(f"{path}.{key}", "금액은 0 이상, 1000조 원 이하여야 합니다.")
        return None
    return value


def _build(document: dict[str, Any], year_override: int | None) -> tuple[int, dict[str, Any], list[PlanProblem]]:
    """Check the whole document; returns the cleaned plan (nothing saved) and its problems."""
    c = _Checker()
    if document.get("format") not in (None, FORMAT):
        c.add("format", f"지원하지 않는 형식입니다(지원: {FORMAT}).")
    year = year_override or c.integer(document, "year", "", low=2000, high=2100, default=None)
    if year is None:
        c.add("year", "연도(2000–2100)가 필요합니다.")
        year = 0
    plan: dict[str, Any] = {
        "title": c.text(document, "title", "", limit=100),
        "context": c.text(document, "context", ""),
        "goals": [],
        "lines": [],
        "header": None,
    }
    numbers: set[int] = set()
    for gi, goal in enumerate(c.items(document, "goals", "")):
        gpath = f"goals[{gi}]"
        g: dict[str, Any] = {
            "department": c.department(goal, "department", gpath),
            "text": c.text(goal, "text", gpath, required=True, limit=200),
            "tasks": [],
        }
        for ti, task in enumerate(c.items(goal, "tasks", gpath)):
            tpath = f"{gpath}.tasks[{ti}]"
            department = c.department(task, "department", tpath)
            number = c.integer(task, "number", tpath, low=1, high=999, default=None)
            if number is not None and number in numbers:
                c.add(f"{tpath}.number", f"주요업무 번호 {number}이(가) 겹칩니다.")
            if number is not None:
                numbers.add(number)
            t: dict[str, Any] = {
                "number": number,
                "title": c.text(task, "title", tpath, required=True, limit=200),
                "department": department,
                "team": c.team(task, department, tpath),
                "aims": c.text(task, "aims", tpath),
                "overview": c.text(task, "overview", tpath),
                "plan_text": c.text(task, "plan", tpath),
                "expected_effects": c.text(task, "expected_effects", tpath),
                "projects": [],
            }
            pnumbers: set[int] = set()
            for pi, project in enumerate(c.items(task, "projects", tpath)):
                ppath = f"{tpath}.projects[{pi}]"
                pdept = c.department(project, "department", ppath) if project.get("department") else department
                pnumber = c.integer(project, "number", ppath, low=1, high=999, default=None)
                if pnumber is not None and pnumber in pnumbers:
                    c.add(f"{ppath}.number", f"연번 {pnumber}이(가) 겹칩니다.")
                if pnumber is not None:
                    pnumbers.add(pnumber)
                months: dict[int, str] = {}
                for mi, month in enumerate(c.items(project, "schedule", ppath)):
                    mpath = f"{ppath}.schedule[{mi}]"
                    m = c.integer(month, "month", mpath, low=1, high=12, default=None)
                    if m is None:
                        if "month" not in month:
                            c.add(f"{mpath}.month", "월(1–12)이 필요합니다.")
                        continue
                    if m in months:
                        c.add(f"{mpath}.month", f"{m}월이 두 번 있습니다.")
                    months[m] = c.text(month, "note", mpath, limit=100)
                t["projects"].append(
                    {
                        "number": pnumber,
                        "title": c.text(project, "title", ppath, required=True, limit=200),
                        "department": pdept,
                        "team": c.team(project, pdept, ppath),
                        "description": c.text(project, "description", ppath),
                        "schedule_note": c.text(project, "schedule_note", ppath, limit=200),
                        "progress": c.integer(project, "progress", ppath, low=0, high=100, default=0) or 0,
                        "months": months,
                    }
                )
            g["tasks"].append(t)
        plan["goals"].append(g)
    budget = document.get("budget")
    if budget is not None and not isinstance(budget, dict):
        c.add("budget", "객체(키: 값)여야 합니다.")
    elif isinstance(budget, dict):
        if budget.get("unit", "원") != "원":
            c.add("budget.unit", "금액 단위는 '원'이어야 합니다.")
        header = budget.get("header")
        if header is not None:
            if not isinstance(header, dict):
                c.add("budget.header", "객체(키: 값)여야 합니다.")
            else:
                count = c.integer(header, "count", "budget.header", low=0, high=10000, default=None)
                plan["header"] = {"count": count, **{n: _money(c, header, n, "budget.header") for n in MONEY_FIELDS}}
        for li, line in enumerate(c.items(budget, "lines", "budget")):
            lpath = f"budget.lines[{li}]"
            plan["lines"].append(
                {
                    "name": c.text(line, "name", lpath, required=True, limit=300),
                    "project": c.text(line, "project", lpath),
                    "executed": _money(c, line, "executed", lpath) or 0,
                    **{n: _money(c, line, n, lpath) for n in MONEY_FIELDS},
                }
            )
    return year, plan, c.problems


def import_plan(*, data: bytes, filename: str, actor: Any, year: int | None = None, replace: bool = False) -> WorkPlan:
    """Create (or, with ``replace``, overwrite an open) year's plan from a file; all or nothing."""
    workplans.check(actor, p.CREATE_PLAN)
    document = load_document(data, filename)
    return create_from_document(document, actor=actor, filename=filename, year=year, replace=replace)


def create_from_document(
    document: dict[str, Any], *, actor: Any, filename: str, year: int | None = None, replace: bool = False
) -> WorkPlan:
    """The import without the permission check: for :func:`import_plan` and the demo loader."""
    year_value, cleaned, problems = _build(document, year)
    if problems:
        raise PlanImportError(problems)
    with transaction.atomic():
        plan = WorkPlan.objects.select_for_update(of=("self",)).filter(year=year_value).first()
        if plan is not None:
            if not replace:
                raise PlanImportError(
                    [PlanProblem("year", f"{year_value}년 계획이 이미 있습니다. 덮어쓰기를 선택하세요.")]
                )
            if not plan.is_open:
                raise PlanImportError(
                    [PlanProblem("year", f"{year_value}년 계획은 확정(잠금)되어 덮어쓸 수 없습니다.")]
                )
            try:
                plan.budget_lines.all().delete()
                Project.objects.filter(plan=plan).delete()
                plan.tasks.all().delete()
                plan.goals.all().delete()
            except ProtectedError:
                raise PlanImportError(
                    [PlanProblem("year", "심사분석 대상으로 지정된 사업이 있어 계획을 덮어쓸 수 없습니다.")]
                )
            plan.title = cleaned["title"] or plan.title
            plan.context = cleaned["context"]
            plan.save(update_fields=["title", "context", "updated_at"])
        else:
            plan = WorkPlan.objects.create(
                year=year_value, title=cleaned["title"] or f"{year_value}년 주요업무계획", context=cleaned["context"]
            )
        projects_by_title: dict[str, Project] = {}
        next_number = 1
        for gi, g in enumerate(cleaned["goals"], start=1):
            goal = Goal.objects.create(plan=plan, department=g["department"], text=g["text"], order=gi)
            for t in g["tasks"]:
                number = t["number"] or next_number
                next_number = max(next_number, number) + 1
                task = MajorTask.objects.create(
                    plan=plan,
                    goal=goal,
                    number=number,
                    title=t["title"],
                    department=t["department"],
                    team=t["team"],
                    aims=t["aims"],
                    overview=t["overview"],
                    plan_text=t["plan_text"],
                    expected_effects=t["expected_effects"],
                )
                for pi, pr in enumerate(t["projects"], start=1):
                    project = Project.objects.create(
                        plan=plan,
                        task=task,
                        number=pr["number"] or pi,
                        title=pr["title"],
                        department=pr["department"],
                        team=pr["team"],
                        description=pr["description"],
                        schedule_note=pr["schedule_note"],
                        progress=pr["progress"],
                    )
                    ScheduleMonth.objects.bulk_create(
                        [ScheduleMonth(project=project, month=m, note=note) for m, note in sorted(pr["months"].items())]
                    )
                    projects_by_title["".join(project.title.split())] = project
        BudgetLine.objects.bulk_create(
            [
                BudgetLine(
                    plan=plan,
                    order=i,
                    name=line["name"],
                    project=projects_by_title.get("".join(line["project"].split())) if line["project"] else None,
                    executed=line["executed"],
                    **{n: line[n] for n in MONEY_FIELDS},
                )
                for i, line in enumerate(cleaned["lines"], start=1)
            ]
        )
        statement, _ = BudgetStatement.objects.get_or_create(plan=plan)
        statement.header_entered = cleaned["header"]
        statement.header_row = None
        statement.source_name = filename[:200]
        statement.save(update_fields=["header_entered", "header_row", "source_name"])
        log_action(
            actor=actor,
            action="workplan.plan_import",
            target=plan,
            after={
                "file": filename,
                "replace": replace,
                "goals": len(cleaned["goals"]),
                "lines": len(cleaned["lines"]),
            },
        )
    return plan
