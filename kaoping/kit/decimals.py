"""Exact decimal text: the one way Kaoping writes a Decimal for people and documents."""

from decimal import Decimal
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
