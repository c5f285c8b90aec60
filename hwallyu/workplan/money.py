"""Money: stored as whole won, shown in 백만원 (million won) the way the office writes it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

WON_PER_MILLION = 1_000_000
MAX_WON = 10**15  # one quadrillion won: far beyond any city budget, well inside BigIntegerField


def to_million(won: int | None) -> Decimal | None:
    """Whole won → 백만원 as an exact Decimal without trailing zeros (92000000 → 92, 500000 → 0.5)."""
    if won is None:
        return None
    value = Decimal(won) / WON_PER_MILLION
    normalized = value.normalize()
    # normalize() turns 20000 into 2E+4; quantize back to a plain integer when whole
    if normalized == normalized.to_integral_value():
        return normalized.quantize(Decimal(1))
    return normalized


def million_text(won: int | None) -> str:
    """Text of a sum in 백만원: "-" when none was entered, thousands separators otherwise."""
    value = to_million(won)
    if value is None:
        return "-"
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return f"{value:,.{places}f}"


def from_million(value: Decimal | int | str) -> int:
    """백만원 → whole won; raises ValueError when the amount is not a whole number of won."""
    amount = Decimal(str(value)) * WON_PER_MILLION
    if amount != amount.to_integral_value():
        raise ValueError("원 단위 미만의 금액은 입력할 수 없습니다.")
    return int(amount)


def percent(part: int | Decimal, whole: int | Decimal, places: int = 1) -> Decimal | None:
    """``part`` ÷ ``whole`` × 100, rounded half up; None when ``whole`` is 0."""
    if not whole:
        return None
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(quantum, rounding=ROUND_HALF_UP)
