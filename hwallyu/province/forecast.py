"""Achievement, year-end forecast, status and the what-if, on plain values (no database).

Every function takes numbers (``Decimal``) and the year's rules as values, so the rules can be
checked on hand-worked examples.  The office's conventions (DOMAIN.md §3–4):

* **Achievement** of a quantitative indicator: rising (상향) = actual ÷ target × 100; falling
  (하향) = target ÷ actual × 100; capped at the year's cap (default 120 %).  A falling indicator
  with an actual of 0 has met its target and gets the cap.
* **Year-end forecast** from the cumulative actual through month *m*:
  linear = cumulative ÷ m × 12; when last year's monthly profile (twelve cumulative values) is
  known, shaped by it = cumulative ÷ (last year's cumulative at *m* ÷ last year's total).
  A December cumulative is its own forecast.
* **Pro-rated target** for month *m*: target × m ÷ 12, or target × last year's share at *m*.
* **Status** (달성 / 달성 가능 / 부진), in this order:

  1. 달성 — rising: the cumulative actual reached the target; falling: the year is over
     (December) and the actual is at or below the target.
  2. 부진 — the year is over and the target was missed.
  3. 부진 — forecast rule (on by default): the forecast misses the target.
  4. 부진 — share rule: from the configured month (default October) the achievement against the
     pro-rated target is below the configured share (default 70 %).
  5. 달성 가능 — otherwise.

* **What-if**: assuming chosen indicators met, the projected score is the base score plus, per
  indicator, its points × (1 − its current achievement share, between 0 and 1); the rank in the
  group is 1 + the number of peers with a higher score (ties share the better rank).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

RISING = "rising"
FALLING = "falling"

ACHIEVED = "달성"
ON_TRACK = "달성 가능"
LAGGING = "부진"
NO_DATA = "실적 없음"
STATUSES = (ACHIEVED, ON_TRACK, LAGGING, NO_DATA)

LINEAR = "linear"
PROFILE = "profile"
METHOD_LABELS = {LINEAR: "선형(누계 ÷ 경과 월 × 12)", PROFILE: "전년 월별 추이 반영"}

HUNDRED = Decimal(100)
TWELVE = Decimal(12)


@dataclass(frozen=True)
class Rules:
    """The status rules of one evaluation year (the scheme's values)."""

    forecast_rule: bool = True
    share_from_month: int = 10
    share: Decimal = Decimal("0.70")
    achievement_cap: Decimal = Decimal("120")


@dataclass(frozen=True)
class Evaluation:
    achievement: Decimal | None
    forecast: Decimal | None
    forecast_achievement: Decimal | None
    prorated_target: Decimal | None
    status: str
    method: str
    reason: str


def achievement(
    actual: Decimal | None, target: Decimal | None, direction: str, cap: Decimal | None = None
) -> Decimal | None:
    """Achievement in % (None when it cannot be computed)."""
    if actual is None or target is None or target <= 0:
        return None
    if direction == FALLING:
        if actual <= 0:
            return cap
        value = target / actual * HUNDRED
    else:
        value = actual / target * HUNDRED
    if cap is not None and value > cap:
        return cap
    return value


def profile_share(profile: Sequence[Decimal | None] | None, month: int) -> Decimal | None:
    """Last year's share of its year-end total reached by ``month`` (None when unknown)."""
    if not profile or len(profile) != 12 or not 1 <= month <= 12:
        return None
    total, so_far = profile[11], profile[month - 1]
    if total is None or so_far is None or total <= 0 or so_far <= 0:
        return None
    return min(so_far / total, Decimal(1))


def forecast_year_end(
    cumulative: Decimal, month: int, profile: Sequence[Decimal | None] | None = None
) -> tuple[Decimal, str]:
    """The year-end forecast from the cumulative actual through ``month``, and the method used."""
    if not 1 <= month <= 12:
        raise ValueError("월은 1~12 사이여야 합니다.")
    if month == 12:
        return cumulative, LINEAR
    share = profile_share(profile, month)
    if share is not None:
        return cumulative / share, PROFILE
    return cumulative / Decimal(month) * TWELVE, LINEAR


def prorated_target(target: Decimal, month: int, profile: Sequence[Decimal | None] | None = None) -> Decimal:
    share = profile_share(profile, month)
    if share is None:
        share = Decimal(month) / TWELVE
    return target * share


def _fmt(value: Decimal) -> str:
    return f"{value:,.1f}"


def evaluate(
    *,
    direction: str,
    target: Decimal,
    actual: Decimal | None,
    month: int | None,
    rules: Rules,
    profile: Sequence[Decimal | None] | None = None,
) -> Evaluation:
    """Achievement, forecast and status of a quantitative indicator whose cumulative through
    ``month`` is ``actual``."""
    if actual is None or month is None:
        return Evaluation(None, None, None, None, NO_DATA, "", "이번 달까지 입력된 실적이 없습니다.")
    now = achievement(actual, target, direction, rules.achievement_cap)
    forecast, method = forecast_year_end(actual, month, profile)
    forecast_achievement = achievement(forecast, target, direction, rules.achievement_cap)
    prorated = prorated_target(target, month, profile)

    def result(status: str, reason: str) -> Evaluation:
        return Evaluation(now, forecast, forecast_achievement, prorated, status, method, reason)

    rising = direction != FALLING
    if rising and actual >= target:
        return result(ACHIEVED, "누계 실적이 목표에 도달했습니다.")
    if not rising and month >= 12 and actual <= target:
        return result(ACHIEVED, "연간 실적이 목표 이내입니다.")
    if month >= 12:
        return result(LAGGING, "연간 실적이 목표에 미달했습니다.")
    misses = forecast < target if rising else forecast > target
    if rules.forecast_rule and misses:
        return result(LAGGING, f"연말 전망 {_fmt(forecast)}이(가) 목표 {_fmt(target)}에 미달합니다.")
    if month >= rules.share_from_month:
        against_prorated = achievement(actual, prorated, direction)
        floor = rules.share * HUNDRED
        if against_prorated is not None and against_prorated < floor:
            return result(
                LAGGING,
                f"{month}월 누계가 안분 목표 {_fmt(prorated)}의 {_fmt(against_prorated)}%로 "
                f"기준 {_fmt(floor)}%에 못 미칩니다.",
            )
    return result(ON_TRACK, "연말 전망이 목표를 충족합니다.")


# --- what-if ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WhatIf:
    base_score: Decimal
    recovered: Decimal
    score: Decimal
    rank_before: int
    rank: int
    group_size: int


def recovered_points(points: Decimal, achievement_pct: Decimal | None) -> Decimal:
    """Points regained when an indicator is assumed met: points × (1 − achievement share in [0, 1])."""
    share = Decimal(0) if achievement_pct is None else achievement_pct / HUNDRED
    share = min(max(share, Decimal(0)), Decimal(1))
    return points * (Decimal(1) - share)


def rank_in_group(score: Decimal, peer_scores: Iterable[Decimal]) -> int:
    """1 + the number of peers (the city left out) with a strictly higher score."""
    return 1 + sum(1 for other in peer_scores if other > score)


def what_if(
    *, base_score: Decimal, assumed: Iterable[tuple[Decimal, Decimal | None]], peer_scores: Sequence[Decimal]
) -> WhatIf:
    """``assumed``: (points, current achievement %) of each indicator assumed met."""
    recovered = sum((recovered_points(points, pct) for points, pct in assumed), Decimal(0))
    score = base_score + recovered
    return WhatIf(
        base_score=base_score,
        recovered=recovered,
        score=score,
        rank_before=rank_in_group(base_score, peer_scores),
        rank=rank_in_group(score, peer_scores),
        group_size=len(peer_scores) + 1,
    )
