"""Step indicators (web/_steps.html): a workflow's steps in order, each done, current or
still to do, computed from the workflow's real state by its selector."""

from dataclasses import dataclass
from typing import Literal

State = Literal["done", "current", "todo"]


@dataclass(frozen=True)
class Step:
    label: str
    state: State
    url: str | None = None
    note: str = ""  # a few words after the label (a date, who decides)


def steps_at(
    labels: list[str], current: int | None, *, urls: list[str | None] | None = None
) -> list[Step]:
    """``labels`` in order, those before ``current`` done, ``current`` the one under way,
    the rest to do; ``current`` = len(labels) when all are done, ``None`` when none has
    started."""
    at = -1 if current is None else current
    urls = urls or [None] * len(labels)
    return [
        Step(
            str(label),
            "done" if i < at else "current" if i == at else "todo",
            urls[i],
        )
        for i, label in enumerate(labels)
    ]
