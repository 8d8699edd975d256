"""Exact decimal text: the one way Kaoping writes a Decimal for people and documents."""

from decimal import ROUND_HALF_UP, Decimal
from typing import overload


@overload
def decimal_text(value: Decimal) -> str: ...
@overload
def decimal_text(value: None) -> None: ...
@overload
def decimal_text(value: Decimal | None) -> str | None: ...
def decimal_text(value: Decimal | None) -> str | None:
    """``Decimal("70.0000")`` → ``"70"``, ``Decimal("0.3000")`` → ``"0.3"``; never rounded."""
    if value is None:
        return None
    return format(value.normalize(), "f")


def signed_decimal_text(value: Decimal) -> str:
    """``Decimal("0.5000")`` → ``"+0.5"``, ``Decimal("-2")`` → ``"−2"`` (a minus sign, as
    printed): points shown with their direction, never rounded."""
    sign = "−" if value < 0 else "+"
    return sign + decimal_text(abs(value))


def percent_text(share: Decimal) -> str:
    """A share as an exact percentage for people: ``Decimal("0.6667")`` → ``"66.67%"``."""
    return f"{decimal_text(share * 100)}%"


# The one number format of the pages (docs/ui.md "Forms and numbers"): scores with one
# decimal, money in yuan with two, points with their sign and at least one decimal.
MINUS = "−"


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def score_text(value) -> str:
    """A score with one decimal, rounded half up (rules.md §5): ``85.45`` → ``"85.5"``,
    ``30`` → ``"30.0"``; a dash for none."""
    if value is None or value == "":
        return "—"
    return str(_decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def money_text(value) -> str:
    """An amount in yuan with two decimals: ``12`` → ``"¥12.00"``; a dash for none."""
    if value is None or value == "":
        return "—"
    amount = _decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{MINUS if amount < 0 else ''}¥{abs(amount)}"


def points_text(value, kind: str | None = None) -> str:
    """Points with their direction and at least one decimal, never rounded:
    ``1`` → ``"+1.0"``, ``-2`` → ``"−2.0"``, ``0.25`` → ``"+0.25"``. With ``kind``
    (an item's ``"bonus"`` or ``"deduction"``) ``value`` is the unsigned points of such an
    item. Zero has no sign; a dash for none."""
    if value is None or value == "":
        return "—"
    number = _decimal(value)
    if kind == "deduction":
        number = -number
    magnitude = abs(number).normalize()
    if magnitude == magnitude.to_integral_value():
        text = f"{magnitude.quantize(Decimal('0.1'))}"
    else:
        text = format(magnitude, "f")
    if number == 0:
        return text
    return ("+" if number > 0 else MINUS) + text
