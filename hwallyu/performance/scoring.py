"""Scoring of the department evaluation (부서 성과평가) on plain values.

Nothing here touches the database: the pages, the API, the what-if mode and the tests build
:class:`Rules` and :class:`DepartmentInput` values and call :func:`evaluate`.  The rules are
written out for people in ``docs/performance-grading.md``; in short:

* Decimal arithmetic; every achievement, mean, item score and total is rounded to two decimals
  with ROUND_HALF_UP (``q2``) at the step where it is shown, and later steps use the rounded value.
* Achievement of a quantitative indicator: rising (상향) = actual ÷ target × 100; falling (하향) =
  target ÷ actual × 100; never below 0, capped at the scheme's cap (default 120 %).
  Missing actual → 0 and flagged; falling indicator with actual 0 → the cap (the best result);
  a missing or non-positive target → 0 and flagged (indicator approval refuses it, so this only
  happens for data entered around the services).  Qualitative indicators take the points of the
  committee's grade on the scheme's scale (missing → 0 and flagged), capped the same way.
* Indicator item = item weight × (Σ indicator weight × achievement ÷ Σ indicator weight) ÷ 100.
  Customer item = weight × score ÷ 100.  Common-task item = weight × points ÷ maximum points.
  Bonus and penalty are each capped at the scheme's range.  Total = items + bonus − penalty.
* Rank within the group: 1 + the number of departments with a strictly higher total
  (equal totals share a rank).
* Grades by quota with the largest-remainder (Hamilton) method: grade g gets ⌊n × q_g ÷ 100⌋
  seats, the seats left over go one each to the grades with the largest fractional parts (equal
  fractions: the better grade first).  Departments are taken in the order total ↓, indicator
  achievement ↓, department code ↑ and fill the seats from the best grade down, so equal totals
  share the better grade only while its quota allows.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

QUANTITATIVE, QUALITATIVE = "quantitative", "qualitative"
RISING, FALLING = "rising", "falling"

ZERO = Decimal(0)
HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")

ITEM_INDICATOR, ITEM_CUSTOMER, ITEM_COMMON = "indicator", "customer", "common"

FLAG_NO_ACTUAL = "실적 없음(0% 처리)"
FLAG_NO_TARGET = "목표값 없음(0% 처리)"
FLAG_NO_GRADE = "정성 평가 등급 없음(0% 처리)"
FLAG_ZERO_FALLING = "하향지표 실적 0: 상한 적용"
FLAG_CAPPED = "상한 적용"
FLAG_NO_INDICATORS = "승인된 지표 없음(0점)"
FLAG_NO_CUSTOMER = "고객인식도 점수 없음(0점)"
FLAG_NO_COMMON = "공통과제 없음(0점)"


def q2(value: Decimal) -> Decimal:
    """Two decimals, half up (the one rounding rule of the evaluation)."""
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def fmt(value: Decimal | None) -> str:
    """A decimal as it is shown: two places, no exponent."""
    return "" if value is None else f"{q2(value):f}"


# --- inputs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeRule:
    code: str
    quota: Decimal  # percent of the group
    pay_rate: Decimal  # performance-pay rate, percent of the base amount


@dataclass(frozen=True)
class Rules:
    """One year's scheme as plain values."""

    weight_indicator: Decimal = Decimal(70)
    weight_customer: Decimal = Decimal(20)
    weight_common: Decimal = Decimal(10)
    cap: Decimal = Decimal(120)
    bonus_max: Decimal = Decimal(3)
    penalty_max: Decimal = Decimal(3)
    grades: tuple[GradeRule, ...] = (
        GradeRule("S", Decimal(20), Decimal("172.5")),
        GradeRule("A", Decimal(40), Decimal(125)),
        GradeRule("B", Decimal(30), Decimal(85)),
        GradeRule("C", Decimal(10), Decimal(0)),
    )
    labels: tuple[tuple[str, str], ...] = (
        (ITEM_INDICATOR, "지표달성도"),
        (ITEM_CUSTOMER, "고객인식도"),
        (ITEM_COMMON, "공통과제"),
    )

    def label(self, key: str) -> str:
        return dict(self.labels).get(key, key)

    def pay_rate(self, grade: str) -> Decimal | None:
        return next((g.pay_rate for g in self.grades if g.code == grade), None)


@dataclass(frozen=True)
class IndicatorInput:
    id: int
    name: str
    weight: Decimal
    kind: str = QUANTITATIVE
    direction: str = RISING
    target: Decimal | None = None
    actual: Decimal | None = None
    actual_quarter: int | None = None
    unit: str = ""
    level: str = ""  # qualitative: the committee's grade label
    level_points: Decimal | None = None


@dataclass(frozen=True)
class DepartmentInput:
    id: int
    code: str
    name: str
    group: str
    group_name: str = ""
    group_order: int = 0
    indicators: tuple[IndicatorInput, ...] = ()
    indicators_approved: bool = True
    customer: Decimal | None = None
    customer_source: str = ""
    common_points: Decimal = ZERO
    common_max: Decimal = ZERO
    bonus: Decimal = ZERO
    penalty: Decimal = ZERO


def _canonical(value: Any) -> str:
    """Equal numbers, equal text: Decimal("70") and Decimal("70.00") hash the same."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value else "0"
    return str(value)


def _as_dict(obj: Any) -> dict[str, Any]:
    """``dataclasses.asdict`` for the flat input classes, without its deep copies (same JSON)."""
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def _department_dict(department: DepartmentInput) -> dict[str, Any]:
    values = _as_dict(department)
    values["indicators"] = [_as_dict(i) for i in department.indicators]
    return values


def input_fingerprint(rules: Rules, departments: Iterable[DepartmentInput]) -> str:
    """A hash of everything the evaluation reads: equal inputs, equal fingerprint.

    The text hashed is the JSON of ``dataclasses.asdict`` of the rules and the departments (so the
    fingerprints of runs frozen earlier stay comparable); it is built field by field because a city's
    hundreds of departments made the deep copies of ``asdict`` the slowest part of the results page."""
    rules_dict = _as_dict(rules)
    rules_dict["grades"] = [_as_dict(g) for g in rules.grades]
    payload = {
        "rules": rules_dict,
        "departments": sorted((_department_dict(d) for d in departments), key=lambda d: d["code"]),
    }
    text = json.dumps(payload, sort_keys=True, default=_canonical, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- achievement --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Achievement:
    value: Decimal  # after the floor at 0 and the cap, two decimals
    raw: Decimal | None  # before the cap (two decimals); None when it could not be computed
    capped: bool
    flag: str
    formula: str


def _direction_label(direction: str) -> str:
    return "하향" if direction == FALLING else "상향"


def achievement(indicator: IndicatorInput, cap: Decimal) -> Achievement:
    """The indicator's achievement in percent under the stated zero/missing rules; never raises."""
    if indicator.kind == QUALITATIVE:
        if indicator.level_points is None:
            return Achievement(ZERO, None, False, FLAG_NO_GRADE, "정성 평가 등급이 없습니다.")
        raw = q2(max(indicator.level_points, ZERO))
        value = min(raw, cap)
        formula = f"정성 등급 '{indicator.level}' = {fmt(raw)}점"
        return Achievement(value, raw, raw > cap, FLAG_CAPPED if raw > cap else "", formula)
    target, actual = indicator.target, indicator.actual
    if target is None or target <= 0:
        return Achievement(ZERO, None, False, FLAG_NO_TARGET, "목표값이 없어 달성률을 계산할 수 없습니다.")
    if actual is None:
        return Achievement(ZERO, None, False, FLAG_NO_ACTUAL, "확인된 실적이 없습니다.")
    if indicator.direction == FALLING:
        if actual <= 0:
            return Achievement(cap, None, True, FLAG_ZERO_FALLING, f"하향지표 실적 {actual}: 상한 {fmt(cap)}%")
        raw = q2(target / actual * HUNDRED)
        formula = f"목표 {_plain(target)} ÷ 실적 {_plain(actual)} × 100 = {fmt(raw)}%"
    else:
        raw = q2(max(actual, ZERO) / target * HUNDRED)
        formula = f"실적 {_plain(actual)} ÷ 목표 {_plain(target)} × 100 = {fmt(raw)}%"
    capped = raw > cap
    return Achievement(min(raw, cap), raw, capped, FLAG_CAPPED if capped else "", formula)


def _plain(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- results ------------------------------------------------------------------------------------


@dataclass
class IndicatorScore:
    indicator: IndicatorInput
    achievement: Achievement
    contribution: Decimal  # points this indicator adds to the indicator item (for reading; two decimals)


@dataclass
class ItemScore:
    key: str
    label: str
    weight: Decimal
    basis: Decimal  # the item's value on 100 (mean achievement, customer score, common-task percent)
    score: Decimal
    flag: str = ""
    formula: str = ""
    source: str = ""


@dataclass
class DepartmentResult:
    department: DepartmentInput
    items: list[ItemScore]
    indicators: list[IndicatorScore]
    bonus: Decimal
    penalty: Decimal
    adjustment_notes: list[str]
    total: Decimal
    rank: int = 0
    group_size: int = 0
    grade: str = ""
    pay_rate: Decimal | None = None
    tie_note: str = ""

    def item(self, key: str) -> ItemScore:
        return next(i for i in self.items if i.key == key)

    @property
    def flags(self) -> list[str]:
        flags = [f"{i.label}: {i.flag}" for i in self.items if i.flag]
        flags += [f"{s.indicator.name}: {s.achievement.flag}" for s in self.indicators if s.achievement.flag]
        return flags

    def to_row(self) -> dict[str, Any]:
        """The JSON form (API answer, frozen snapshot, drill-down page): decimals as strings."""
        d = self.department
        items: dict[str, Any] = {}
        for item in self.items:
            items[item.key] = {
                "label": item.label,
                "weight": fmt(item.weight),
                "basis": fmt(item.basis),
                "score": fmt(item.score),
                "flag": item.flag,
                "formula": item.formula,
                "source": item.source,
            }
        items[ITEM_INDICATOR]["indicators"] = [
            {
                "id": s.indicator.id,
                "name": s.indicator.name,
                "kind": s.indicator.kind,
                "direction": s.indicator.direction,
                "unit": s.indicator.unit,
                "weight": fmt(s.indicator.weight),
                "target": _plain(s.indicator.target) if s.indicator.target is not None else None,
                "actual": _plain(s.indicator.actual) if s.indicator.actual is not None else None,
                "quarter": s.indicator.actual_quarter,
                "level": s.indicator.level,
                "level_points": fmt(s.indicator.level_points) if s.indicator.level_points is not None else None,
                "raw": fmt(s.achievement.raw) if s.achievement.raw is not None else None,
                "achievement": fmt(s.achievement.value),
                "capped": s.achievement.capped,
                "flag": s.achievement.flag,
                "formula": s.achievement.formula,
                "contribution": fmt(s.contribution),
            }
            for s in self.indicators
        ]
        items[ITEM_INDICATOR]["approved"] = d.indicators_approved
        items[ITEM_CUSTOMER]["value"] = fmt(d.customer) if d.customer is not None else None
        items[ITEM_COMMON]["points"] = fmt(d.common_points)
        items[ITEM_COMMON]["max"] = fmt(d.common_max)
        items["bonus"] = {"label": "가점", "score": fmt(self.bonus), "entered": fmt(d.bonus)}
        items["penalty"] = {"label": "감점", "score": fmt(self.penalty), "entered": fmt(d.penalty)}
        return {
            "department": d.code,
            "department_id": d.id,
            "department_name": d.name,
            "group": d.group,
            "group_name": d.group_name,
            "group_order": d.group_order,
            "group_size": self.group_size,
            "score": fmt(self.total),
            "rank": self.rank,
            "grade": self.grade,
            "pay_rate": fmt(self.pay_rate) if self.pay_rate is not None else None,
            "items": items,
            "adjustments": list(self.adjustment_notes),
            "flags": self.flags,
            "tie_note": self.tie_note,
        }


def score_department(department: DepartmentInput, rules: Rules) -> DepartmentResult:
    """Item scores and total of one department (rank and grade come from :func:`rank_and_grade`)."""
    items: list[ItemScore] = []
    scored: list[IndicatorScore] = []

    # indicator achievement
    indicators = department.indicators if department.indicators_approved else ()
    total_weight = sum((i.weight for i in indicators if i.weight > 0), ZERO)
    if not indicators or total_weight <= 0:
        flag = FLAG_NO_INDICATORS if department.indicators_approved else "지표 미승인(0점)"
        items.append(
            ItemScore(ITEM_INDICATOR, rules.label(ITEM_INDICATOR), rules.weight_indicator, ZERO, ZERO, flag, flag)
        )
    else:
        weighted = ZERO
        for indicator in indicators:
            result = achievement(indicator, rules.cap)
            weight = max(indicator.weight, ZERO)
            weighted += weight * result.value
            contribution = q2(rules.weight_indicator * weight / total_weight * result.value / HUNDRED)
            scored.append(IndicatorScore(indicator, result, contribution))
        mean = q2(weighted / total_weight)
        score = q2(rules.weight_indicator * mean / HUNDRED)
        formula = (
            f"가중평균 달성률 Σ(가중치×달성률) ÷ Σ가중치({_plain(total_weight)}) = {fmt(mean)}%; "
            f"{_plain(rules.weight_indicator)} × {fmt(mean)}% = {fmt(score)}점"
        )
        items.append(
            ItemScore(ITEM_INDICATOR, rules.label(ITEM_INDICATOR), rules.weight_indicator, mean, score, "", formula)
        )

    # customer perception
    if department.customer is None:
        items.append(
            ItemScore(
                ITEM_CUSTOMER,
                rules.label(ITEM_CUSTOMER),
                rules.weight_customer,
                ZERO,
                ZERO,
                FLAG_NO_CUSTOMER,
                FLAG_NO_CUSTOMER,
            )
        )
    else:
        basis = q2(min(max(department.customer, ZERO), HUNDRED))
        score = q2(rules.weight_customer * basis / HUNDRED)
        formula = f"{_plain(rules.weight_customer)} × {fmt(basis)}점 ÷ 100 = {fmt(score)}점"
        items.append(
            ItemScore(
                ITEM_CUSTOMER,
                rules.label(ITEM_CUSTOMER),
                rules.weight_customer,
                basis,
                score,
                "",
                formula,
                department.customer_source,
            )
        )

    # common tasks
    if department.common_max <= 0:
        items.append(
            ItemScore(
                ITEM_COMMON, rules.label(ITEM_COMMON), rules.weight_common, ZERO, ZERO, FLAG_NO_COMMON, FLAG_NO_COMMON
            )
        )
    else:
        points = min(max(department.common_points, ZERO), department.common_max)
        basis = q2(points / department.common_max * HUNDRED)
        score = q2(rules.weight_common * points / department.common_max)
        formula = (
            f"{_plain(rules.weight_common)} × {_plain(points)}점 ÷ 만점 {_plain(department.common_max)}점"
            f" = {fmt(score)}점"
        )
        items.append(ItemScore(ITEM_COMMON, rules.label(ITEM_COMMON), rules.weight_common, basis, score, "", formula))

    # bonus and penalty, each within the scheme's range
    notes = []
    bonus = min(max(department.bonus, ZERO), rules.bonus_max)
    penalty = min(max(department.penalty, ZERO), rules.penalty_max)
    if bonus < department.bonus:
        notes.append(f"가점 {_plain(department.bonus)}점 → 한도 {_plain(rules.bonus_max)}점 적용")
    if penalty < department.penalty:
        notes.append(f"감점 {_plain(department.penalty)}점 → 한도 {_plain(rules.penalty_max)}점 적용")
    total = q2(sum((i.score for i in items), ZERO) + bonus - penalty)
    return DepartmentResult(department, items, scored, q2(bonus), q2(penalty), notes, total)


# --- quotas, ranks and grades --------------------------------------------------------------------


def check_quotas(grades: Sequence[GradeRule]) -> None:
    if not grades:
        raise ValueError("등급이 하나 이상 있어야 합니다.")
    if any(g.quota < 0 for g in grades):
        raise ValueError("등급 비율은 0 이상이어야 합니다.")
    if sum((g.quota for g in grades), ZERO) != HUNDRED:
        raise ValueError("등급 비율의 합은 100%여야 합니다.")


def quota_counts(n: int, grades: Sequence[GradeRule]) -> dict[str, int]:
    """Seats per grade for a group of ``n`` by the largest-remainder (Hamilton) method.

    Each grade gets ⌊n × quota ÷ 100⌋; the seats left over go one each to the grades with the
    largest fractional parts, the better grade first among equal fractions.  The counts add up to
    ``n`` and each is the floor or the ceiling of the exact share."""
    check_quotas(grades)
    exact = [Decimal(n) * g.quota / HUNDRED for g in grades]
    counts = [int(e) for e in exact]  # exact ≥ 0, so int() is the floor
    left = n - sum(counts)
    by_remainder = sorted(range(len(grades)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in by_remainder[:left]:
        counts[i] += 1
    return {g.code: c for g, c in zip(grades, counts, strict=True)}


def _order_key(result: DepartmentResult) -> tuple[Decimal, Decimal, str]:
    return (-result.total, -result.item(ITEM_INDICATOR).basis, result.department.code)


def rank_and_grade(results: Sequence[DepartmentResult], rules: Rules) -> list[DepartmentResult]:
    """Rank and grade every result within its group; returns them in group order, best first."""
    groups: dict[str, list[DepartmentResult]] = defaultdict(list)
    for result in results:
        groups[result.department.group].append(result)
    ordered: list[DepartmentResult] = []
    for code in sorted(groups, key=lambda c: (groups[c][0].department.group_order, c)):
        members = sorted(groups[code], key=_order_key)
        counts = quota_counts(len(members), rules.grades)
        seats = [g.code for g in rules.grades for _ in range(counts[g.code])]
        for position, result in enumerate(members):
            result.group_size = len(members)
            result.rank = 1 + sum(1 for other in members if other.total > result.total)
            result.grade = seats[position]
            result.pay_rate = rules.pay_rate(result.grade)
        _note_split_ties(members)
        ordered.extend(members)
    return ordered


def _note_split_ties(members: list[DepartmentResult]) -> None:
    """Explain, on the rows concerned, equal totals that the quota split across grades."""
    by_total: dict[Decimal, list[DepartmentResult]] = defaultdict(list)
    for result in members:
        by_total[result.total].append(result)
    for total, tied in by_total.items():
        if len(tied) > 1 and len({r.grade for r in tied}) > 1:
            for result in tied:
                result.tie_note = (
                    f"총점 {fmt(total)}점 동점 {len(tied)}개 부서가 등급 경계에 걸려, 등급 비율 안에서 "
                    "지표달성도가 높은 순(같으면 부서 코드 순)으로 등급을 정했습니다."
                )


def evaluate(departments: Iterable[DepartmentInput], rules: Rules) -> list[DepartmentResult]:
    """Score, rank and grade every department; the same inputs always give the same answer."""
    results = [score_department(d, rules) for d in sorted(departments, key=lambda d: d.code)]
    return rank_and_grade(results, rules)


def evaluate_rows(departments: Iterable[DepartmentInput], rules: Rules) -> list[dict[str, Any]]:
    return [r.to_row() for r in evaluate(departments, rules)]


# --- back from a frozen snapshot ---------------------------------------------------------------


def _dec(text: Any) -> Decimal | None:
    return None if text in (None, "") else Decimal(str(text))


def rules_from_json(data: dict[str, Any]) -> Rules:
    """The rules stored with a frozen run (``selectors.rules_to_json``)."""
    weights = data["weights"]
    return Rules(
        weight_indicator=Decimal(weights[ITEM_INDICATOR]),
        weight_customer=Decimal(weights[ITEM_CUSTOMER]),
        weight_common=Decimal(weights[ITEM_COMMON]),
        cap=Decimal(data["cap"]),
        bonus_max=Decimal(data["bonus_max"]),
        penalty_max=Decimal(data["penalty_max"]),
        grades=tuple(GradeRule(g["code"], Decimal(g["quota"]), Decimal(g["pay_rate"])) for g in data["grades"]),
        labels=tuple((k, v) for k, v in data["labels"].items()),
    )


def inputs_from_rows(rows: Iterable[dict[str, Any]]) -> list[DepartmentInput]:
    """The inputs a frozen run was computed from, rebuilt from its rows (for what-if on a frozen run)."""
    inputs = []
    for row in rows:
        items = row["items"]
        indicators = tuple(
            IndicatorInput(
                id=int(i["id"]),
                name=i["name"],
                weight=Decimal(i["weight"]),
                kind=i["kind"],
                direction=i["direction"],
                target=_dec(i["target"]),
                actual=_dec(i["actual"]),
                actual_quarter=i["quarter"],
                unit=i["unit"],
                level=i["level"],
                level_points=_dec(i.get("level_points")),
            )
            for i in items[ITEM_INDICATOR]["indicators"]
        )
        inputs.append(
            DepartmentInput(
                id=int(row["department_id"]),
                code=row["department"],
                name=row["department_name"],
                group=row["group"],
                group_name=row["group_name"],
                group_order=int(row["group_order"]),
                indicators=indicators,
                indicators_approved=bool(items[ITEM_INDICATOR].get("approved", True)),
                customer=_dec(items[ITEM_CUSTOMER].get("value")),
                customer_source=items[ITEM_CUSTOMER].get("source", ""),
                common_points=Decimal(items[ITEM_COMMON].get("points") or 0),
                common_max=Decimal(items[ITEM_COMMON].get("max") or 0),
                bonus=Decimal(items["bonus"]["entered"]),
                penalty=Decimal(items["penalty"]["entered"]),
            )
        )
    return inputs


# --- what-if ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One what-if change: a new actual (or qualitative level) and/or weight for an indicator."""

    indicator_id: int
    actual: Decimal | None = None
    level: str = ""
    level_points: Decimal | None = None
    weight: Decimal | None = None


@dataclass
class WhatIfRow:
    department: str
    department_name: str
    group_name: str
    before: dict[str, Any] | None
    after: dict[str, Any]
    changed: bool = field(default=False)


def apply_changes(departments: Sequence[DepartmentInput], changes: Sequence[Change]) -> list[DepartmentInput]:
    """The departments with the changes applied (new values; the inputs are not modified)."""
    by_indicator = {c.indicator_id: c for c in changes}
    changed: list[DepartmentInput] = []
    for department in departments:
        indicators = []
        for indicator in department.indicators:
            change = by_indicator.get(indicator.id)
            if change is not None:
                if change.actual is not None:
                    indicator = replace(indicator, actual=change.actual)
                if change.level:
                    indicator = replace(indicator, level=change.level, level_points=change.level_points)
                if change.weight is not None:
                    indicator = replace(indicator, weight=change.weight)
            indicators.append(indicator)
        changed.append(replace(department, indicators=tuple(indicators)))
    return changed


def compare(before: Sequence[dict[str, Any]], after: Sequence[dict[str, Any]]) -> list[WhatIfRow]:
    """Rows side by side (by department code), in the order of ``after``."""
    old = {row["department"]: row for row in before}
    rows = []
    for row in after:
        prior = old.get(row["department"])
        changed = prior is None or any(prior[k] != row[k] for k in ("score", "rank", "grade"))
        rows.append(WhatIfRow(row["department"], row["department_name"], row["group_name"], prior, row, changed))
    return rows
