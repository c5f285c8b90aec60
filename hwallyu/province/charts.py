"""Pictures of the figures: an inline SVG sparkline per indicator (no script needed) and Chart.js
definitions that app.js draws from ``<canvas data-chart='{json}'>``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from hwallyu.province import forecast
from hwallyu.province.selectors import RankLine, Row

SPARK_WIDTH = 120
SPARK_HEIGHT = 28
MONTH_LABELS = [f"{m}월" for m in range(1, 13)]
# Canvas text does not use the page's CSS: name the Korean web font the pages load.
FONT = {"family": "'Pretendard GOV', 'Noto Sans KR', sans-serif", "size": 13}


@dataclass(frozen=True)
class Sparkline:
    points: str  # the cumulative actuals
    target_path: str  # the pro-rated target from 0 to the year's target
    last_x: float
    last_y: float
    label: str


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def sparkline(row: Row) -> Sparkline | None:
    """The cumulative actuals month by month against the straight target path."""
    indicator = row.indicator
    values = [(m, v) for m, v in enumerate(row.series, start=1) if v is not None]
    if not values or indicator.target is None:
        return None
    top = max([float(v) for _, v in values] + [float(indicator.target)]) or 1.0
    pad = 2.0

    def x(month: float) -> float:
        return round(pad + (SPARK_WIDTH - 2 * pad) * month / 12, 1)

    def y(value: float) -> float:
        return round(SPARK_HEIGHT - pad - (SPARK_HEIGHT - 2 * pad) * value / top, 1)

    points = " ".join(f"{x(m)},{y(float(v))}" for m, v in values)
    target_path = f"{x(0)},{y(0)} {x(12)},{y(float(indicator.target))}"
    last_month, last_value = values[-1]
    label = (
        f"{indicator.code} 월별 누계 추이: {last_month}월 {float(last_value):,.1f} "
        f"/ 목표 {float(indicator.target):,.1f}"
    )
    return Sparkline(points, target_path, x(last_month), y(float(last_value)), label)


def _dump(definition: dict[str, Any]) -> str:
    return json.dumps(definition, ensure_ascii=False)


def indicator_chart(row: Row) -> str:
    """Actual vs target path: cumulative actuals, the pro-rated target, and the forecast to December."""
    indicator = row.indicator
    target = indicator.target or Decimal(0)
    profile = row.profile or None
    path = [float(forecast.prorated_target(target, m, profile)) for m in range(1, 13)]
    actuals = [_number(v) for v in row.series]
    outlook: list[float | None] = [None] * 12
    if row.actual is not None and row.actual_month is not None and row.forecast is not None and row.actual_month < 12:
        start, end = float(row.actual), float(row.forecast)
        span = 12 - row.actual_month
        for m in range(row.actual_month, 13):
            outlook[m - 1] = round(start + (end - start) * (m - row.actual_month) / span, 4)
    return _dump(
        {
            "type": "line",
            "data": {
                "labels": MONTH_LABELS,
                "datasets": [
                    {
                        "label": "누계 실적",
                        "data": actuals,
                        "borderColor": "#0b50d0",
                        "backgroundColor": "#0b50d0",
                        "spanGaps": True,
                    },
                    {
                        "label": "목표 경로(안분)",
                        "data": path,
                        "borderColor": "#8a8f98",
                        "backgroundColor": "#8a8f98",
                        "borderDash": [6, 4],
                        "pointRadius": 0,
                    },
                    {
                        "label": "연말 전망",
                        "data": outlook,
                        "borderColor": "#d6311f" if row.is_lagging else "#1c8a3b",
                        "backgroundColor": "#d6311f" if row.is_lagging else "#1c8a3b",
                        "borderDash": [2, 3],
                    },
                ],
            },
            "options": {
                "responsive": True,
                "maintainAspectRatio": False,
                "scales": {
                    "y": {"beginAtZero": True, "title": {"display": bool(indicator.unit), "text": indicator.unit}}
                },
            },
        }
    )


def rank_chart(history: list[RankLine]) -> str:
    """The city's rank in its group by year (1st at the top)."""
    size = max([h.group_size for h in history] + [1])
    return _dump(
        {
            "type": "line",
            "data": {
                "labels": [f"{h.year}년" for h in history],
                "datasets": [
                    {
                        "label": "평가군 내 순위",
                        "data": [h.rank for h in history],
                        "borderColor": "#063a74",
                        "backgroundColor": "#063a74",
                    }
                ],
            },
            "options": {
                "responsive": True,
                "maintainAspectRatio": False,
                "scales": {
                    "x": {"ticks": {"font": FONT}},
                    "y": {"reverse": True, "min": 1, "max": size, "ticks": {"stepSize": 1, "font": FONT}},
                },
                "plugins": {"legend": {"display": False}},
            },
        }
    )
