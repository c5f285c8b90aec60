"""Money of the initiatives: stored as whole won, shown and typed in 백만원 as the office writes it."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

WON_PER_MILLION = 1_000_000


def to_million(won: int | None) -> Decimal | None:
    """Whole won → 백만원 without trailing zeros (20_000_000_000 → 20000, 500_000 → 0.5)."""
    if won is None:
        return None
    value = (Decimal(won) / WON_PER_MILLION).normalize()
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value


def million_text(won: int | None) -> str:
    """ "20,000" for 20,000 백만원; "-" when there is no amount."""
    value = to_million(won)
    if value is None:
        return "-"
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return f"{value:,.{places}f}"


def from_million(value: Decimal | int | str) -> int:
    """백만원 → whole won; ValueError for a non-number or an amount below one won."""
    try:
        amount = Decimal(str(value).replace(",", "").strip()) * WON_PER_MILLION
    except InvalidOperation as exc:
        raise ValueError("금액은 숫자로 입력하세요.") from exc
    if not amount.is_finite() or amount != amount.to_integral_value():
        raise ValueError("원 단위 미만의 금액은 입력할 수 없습니다.")
    return int(amount)
