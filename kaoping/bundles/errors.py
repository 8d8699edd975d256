"""What a refused bundle says: the messages naming each bad record (the first
``MAX_MESSAGES`` of them by their sort keys) and the exception that carries them."""

import itertools
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext

MAX_MESSAGES = 50
# What the columns hold (PostgreSQL integer, numeric(12, 4), smallint).
MAX_INT = 2**31 - 1
MAX_POINTS = Decimal(10) ** 8
MAX_YEAR = 32767


def unreadable(file: str, exc: OSError) -> CommandError:
    """What a command (``import-bundle``, ``restore``) answers for a file it cannot read."""
    return CommandError(
        gettext("%(file)s：无法读取：%(error)s") % {"file": file, "error": exc.strerror}
    )


class BundleError(Exception):
    """A refused bundle; ``errors`` name each offending record and field (the first
    ``MAX_MESSAGES`` of ``total``)."""

    def __init__(self, errors: list[str], total: int | None = None):
        self.errors = errors[:MAX_MESSAGES]
        self.total = max(total or 0, len(errors))
        more = self.total - len(self.errors)
        rest = [gettext("……另有 %(n)s 条问题。") % {"n": more}] if more > 0 else []
        super().__init__("\n".join(self.errors + rest))


class Messages:
    """The first ``MAX_MESSAGES`` messages by their sort keys, and how many there were
    (a file with a million bad records does not hold a million messages)."""

    def __init__(self):
        self.kept: list[tuple] = []
        self.total = 0
        self._seq = itertools.count()

    def add(self, key: tuple, message: str) -> None:
        self.total += 1
        self.kept.append((key, next(self._seq), message))
        if len(self.kept) > 20 * MAX_MESSAGES:
            self.kept = sorted(self.kept)[:MAX_MESSAGES]

    def __bool__(self) -> bool:
        return self.total > 0

    def error(self) -> BundleError:
        return BundleError([m for _, _, m in sorted(self.kept)], self.total)


def record_label(kind: str, index: int, row: dict, key: str = "id") -> str:
    return f"{kind}[{index}] ({key} {row.get(key)})"


def decimal_value(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"{value!r} is not a decimal number") from exc


def fits(value: Decimal) -> bool:
    """Fits a score column (12 digits, 4 after the point)."""
    return value.is_finite() and abs(value) < MAX_POINTS and value == round(value, 4)


def validation_text(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)
