"""Demo data of the department evaluation: indicators and actuals for every demo department, a
finished and frozen 2024 evaluation, and 2025 under way (copied from 2024, a few items waiting).

Idempotent: each year is made only when its scheme does not exist yet, and the 2024 run is frozen
only when it is not frozen already.  Numbers come from a random generator seeded by the
department code, so every load gives the same demo."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from hwallyu.core.audit import log_action
from hwallyu.org.models import Role
from hwallyu.org.selectors import users_with_role
from hwallyu.performance import links, scoring, services
from hwallyu.performance.models import (
    Actual,
    ActualStatus,
    CommonTask,
    CommonTaskScore,
    CustomerScore,
    CustomerSource,
    Direction,
    EvaluationRun,
    Indicator,
    IndicatorSet,
    Kind,
    LinkKind,
    RunStatus,
    Scheme,
    SetStatus,
)

COMMON_TASKS = [("적극행정 추진", Decimal(4)), ("청렴도 향상 노력", Decimal(3)), ("규제·제도 개선", Decimal(3))]
LEVELS = ["탁월", "우수", "우수", "보통", "보통", "미흡"]
ADJUSTMENTS = [
    ("딸기산업과", "bonus", Decimal("1.5"), "정부합동평가 우수사례 선정"),
    ("민원과", "bonus", Decimal(1), "국민권익위 민원서비스 평가 우수"),
    ("건축과", "penalty", Decimal(1), "자체감사 지적(인허가 처리 지연)"),
    ("강경읍", "bonus", Decimal("0.5"), "주민자치 우수 공모 선정"),
]
# departments left for the people who try the demo in 2025: a draft and a set waiting for approval
DRAFT_2025 = "미래전략과"
SUBMITTED_2025 = "딸기산업과"
Q1_WAITING_2025 = ("관광진흥과", "보건소", "강경읍", "민원과")


def _actor() -> Any:
    planners = users_with_role(Role.PLANNING)
    return next((u for u in planners if u.username == "perf"), planners[0] if planners else None)


def _decimal(value: float) -> Decimal:
    return scoring.q2(Decimal(str(value)))


def _link(kind: str, department: Any, year: int) -> tuple[str, str, str]:
    """A plausible (kind, ref, label) link of the department's pledge or project, when the app is there."""
    if kind == LinkKind.PLEDGE and apps.is_installed("hwallyu.pledges"):
        from hwallyu.pledges.selectors import pledge_choices

        pledge = pledge_choices().filter(department=department).first()
        if pledge is not None:
            return kind, pledge.code, links.resolve(kind, pledge.code, year=year)
    if kind == LinkKind.PROJECT and apps.is_installed("hwallyu.workplan"):
        from hwallyu.workplan.selectors import project_choices

        project = project_choices(year).filter(department=department).first()
        if project is not None:
            return kind, str(project.pk), links.resolve(kind, str(project.pk), year=year)
    return "", "", ""


def _indicators(indicator_set: IndicatorSet, rng: random.Random, year: int) -> list[Indicator]:
    department = indicator_set.department
    local = department.kind == "local"
    pledge = _link(LinkKind.PLEDGE, department, year)
    project = _link(LinkKind.PROJECT, department, year)
    first_link = pledge if pledge[0] else project
    rows: list[dict[str, Any]] = [
        {
            "name": "주민자치 프로그램 운영 실적" if local else "주요업무 추진율",
            "kind": Kind.QUANTITATIVE,
            "direction": Direction.RISING,
            "unit": "건" if local else "%",
            "baseline": Decimal(10) if local else Decimal(90),
            "target": Decimal(12) if local else Decimal(100),
            "weight": Decimal(40),
            "data_source": "부서 자체 집계" if local else "주요업무계획 추진상황 보고",
            "link": first_link,
        },
        {
            "name": "민원 평균 처리기간",
            "kind": Kind.QUANTITATIVE,
            "direction": Direction.FALLING,
            "unit": "일",
            "baseline": _decimal(rng.uniform(5, 7)),
            "target": _decimal(rng.choice([3, 3.5, 4, 4.5, 5])),
            "weight": Decimal(30),
            "data_source": "새올 민원사무처리부",
            "link": ("", "", ""),
        },
        {
            "name": "안전사고 발생 건수" if department.name == "안전총괄과" else "시책 홍보·참여 건수",
            "kind": Kind.QUANTITATIVE,
            "direction": Direction.FALLING if department.name == "안전총괄과" else Direction.RISING,
            "unit": "건",
            "baseline": Decimal(4) if department.name == "안전총괄과" else Decimal(20),
            "target": Decimal(2) if department.name == "안전총괄과" else Decimal(24),
            "weight": Decimal(20),
            "data_source": "부서 자체 집계",
            "link": project if pledge[0] and project[0] else ("", "", ""),
        },
        {
            "name": "적극행정 우수사례 발굴",
            "kind": Kind.QUALITATIVE,
            "direction": Direction.RISING,
            "unit": "",
            "baseline": None,
            "target": None,
            "weight": Decimal(10),
            "data_source": "성과평가위원회 정성평가",
            "link": ("", "", ""),
        },
    ]
    made = []
    for order, row in enumerate(rows, start=1):
        kind, ref, label = row.pop("link")
        made.append(
            Indicator(indicator_set=indicator_set, order=order, link_kind=kind, link_ref=ref, link_label=label, **row)
        )
    return made


def _final_actual(indicator: Indicator, rng: random.Random, department_name: str) -> Decimal:
    assert indicator.target is not None
    if indicator.direction == Direction.FALLING:
        if department_name == "안전총괄과":
            return Decimal(0)  # a falling indicator at 0: the cap applies (stated rule)
        return _decimal(float(indicator.target) * rng.uniform(0.85, 1.35))
    return _decimal(float(indicator.target) * rng.uniform(0.78, 1.18))


def _actuals(
    indicators: list[Indicator], rng: random.Random, department_name: str, *, quarters: int, actor: Any, status: str
) -> list[Actual]:
    now = timezone.now()
    made = []
    for indicator in indicators:
        final = _final_actual(indicator, rng, department_name) if indicator.kind == Kind.QUANTITATIVE else None
        level = rng.choice(LEVELS) if indicator.kind == Kind.QUALITATIVE else ""
        for quarter in range(1, quarters + 1):
            if final is None:
                value = None
            elif indicator.direction == Direction.FALLING:
                value = final  # a period average: the latest quarter stands for the year
            else:
                value = _decimal(float(final) * quarter / 4)
            accepted = status == ActualStatus.ACCEPTED
            made.append(
                Actual(
                    indicator=indicator,
                    quarter=quarter,
                    value=value,
                    level=level if accepted else "",
                    note=f"{quarter}분기 추진 실적: 계획대로 추진" if indicator.kind == Kind.QUALITATIVE else "",
                    status=status,
                    entered_at=now,
                    entered_by=actor,
                    decided_at=now if accepted else None,
                    decided_by=actor if accepted else None,
                )
            )
    return made


def _fill_year(scheme: Scheme, actor: Any, *, quarters: int, finished: bool) -> None:
    """Indicators, actuals, customer scores, common-task points and adjustments of a year."""
    sets = list(
        IndicatorSet.objects.filter(scheme=scheme, group__isnull=False)
        .select_related("department")
        .order_by("department__code")
    )
    if not scheme.common_tasks.exists():
        CommonTask.objects.bulk_create(
            CommonTask(scheme=scheme, name=name, max_points=points, order=i)
            for i, (name, points) in enumerate(COMMON_TASKS, start=1)
        )
    tasks = list(scheme.common_tasks.all())
    existing = set(Indicator.objects.filter(indicator_set__scheme=scheme).values_list("indicator_set_id", flat=True))
    indicators: list[Indicator] = []
    for s in sets:
        if s.pk not in existing:
            indicators += _indicators(s, random.Random(f"{scheme.year}-{s.department.code}-ind"), scheme.year)
    Indicator.objects.bulk_create(indicators)

    now = timezone.now()
    approved = [s for s in sets if finished or s.department.name not in (DRAFT_2025, SUBMITTED_2025)]
    IndicatorSet.objects.filter(pk__in=[s.pk for s in approved]).update(
        status=SetStatus.APPROVED, submitted_at=now, submitted_by=actor, decided_at=now, decided_by=actor
    )
    if not finished:
        IndicatorSet.objects.filter(scheme=scheme, department__name=SUBMITTED_2025).update(
            status=SetStatus.SUBMITTED, submitted_at=now
        )

    by_set: dict[int, list[Indicator]] = {}
    for indicator in Indicator.objects.filter(indicator_set__in=[s.pk for s in approved]).order_by("order"):
        by_set.setdefault(indicator.indicator_set_id, []).append(indicator)
    actuals: list[Actual] = []
    for s in approved:
        rng = random.Random(f"{scheme.year}-{s.department.code}-act")
        waiting = not finished and s.department.name in Q1_WAITING_2025
        actuals += _actuals(
            by_set.get(s.pk, []),
            rng,
            s.department.name,
            quarters=quarters,
            actor=actor,
            status=ActualStatus.SUBMITTED if waiting else ActualStatus.ACCEPTED,
        )
    Actual.objects.bulk_create(actuals, ignore_conflicts=True)

    if finished:
        scores = []
        for s in sets:
            rng = random.Random(f"{scheme.year}-{s.department.code}-cus")
            scores.append(
                CustomerScore(
                    scheme=scheme,
                    department=s.department,
                    score=_decimal(rng.uniform(68, 96)),
                    source=CustomerSource.ENTERED,
                )
            )
        CustomerScore.objects.bulk_create(scores, ignore_conflicts=True)
        points = []
        for s in sets:
            rng = random.Random(f"{scheme.year}-{s.department.code}-com")
            for task in tasks:
                share = Decimal(rng.choice([50, 60, 70, 80, 90, 100])) / 100
                points.append(
                    CommonTaskScore(task=task, department=s.department, points=scoring.q2(task.max_points * share))
                )
        CommonTaskScore.objects.bulk_create(points, ignore_conflicts=True)
        by_name = {s.department.name: s.department for s in sets}
        for name, kind, value, reason in ADJUSTMENTS:
            department = by_name.get(name)
            if department is not None and not scheme.adjustments.filter(department=department, reason=reason).exists():
                services.adjustment_create(
                    scheme=scheme, department=department, kind=kind, points=value, reason=reason, actor=actor
                )


def load() -> None:
    actor = _actor()
    if actor is None:
        return
    with transaction.atomic():
        made = []
        scheme_2024 = Scheme.objects.filter(year=2024).first()
        if scheme_2024 is None:
            scheme_2024 = services.scheme_create(year=2024, actor=actor)
            _fill_year(scheme_2024, actor, quarters=4, finished=True)
            made.append(2024)
        if not EvaluationRun.objects.filter(scheme=scheme_2024, status=RunStatus.FROZEN).exists():
            services.run_freeze(scheme=scheme_2024, actor=actor)
        if not Scheme.objects.filter(year=2025).exists():
            scheme_2025 = services.scheme_create(year=2025, copy_from=scheme_2024, copy_indicators=True, actor=actor)
            _fill_year(scheme_2025, actor, quarters=1, finished=False)
            made.append(2025)
        if made:
            log_action(
                actor=None,
                action="performance.demo_load",
                target_type="performance.demo",
                target_repr="부서 성과관리 데모",
                after={"years": made},
            )
