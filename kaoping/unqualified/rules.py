"""The candidate rules of rules.md §10, pure (no ORM): data in, candidates out.

* Condition 8: graded *warning* in two consecutive years.
* Condition 2, attendance: a run of ``absence_months`` consecutive calendar months, each
  with at least one meeting the member had to attend, none attended and none excused by
  approved leave. A month without any such meeting breaks the run (rules.md counts only
  months "in which the branch held organisational-life meetings"); so does a month with
  one meeting attended or excused. The run counts for the year of its last month.
* Condition 2, dues: at least ``dues_months`` closed months of the year in which the member
  paid less than the month's amount (unpaid or short; paying late but in full is not short).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

WARNING = "warning"


@dataclass(frozen=True)
class AttendanceFact:
    member: int
    meeting: str  # the meeting's code
    topic: str
    day: datetime.date  # local date of the meeting
    attended: bool
    excused: bool  # approved leave


@dataclass(frozen=True)
class DuesFact:
    member: int
    month: datetime.date  # first day of the month
    due: Decimal
    paid: Decimal


@dataclass
class Found:
    """Facts behind one condition for one member: human-readable lines and the months."""

    member: int
    condition: str
    facts: list[str] = field(default_factory=list)
    months: list[datetime.date] = field(default_factory=list)


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def warning_twice(grades: Mapping[int, Mapping[int, str]], *, year: int) -> dict[int, Found]:
    """Members graded warning in ``year - 1`` and ``year`` (grades: member → year → grade)."""
    found = {}
    for member, by_year in grades.items():
        if by_year.get(year - 1) == WARNING and by_year.get(year) == WARNING:
            found[member] = Found(
                member=member,
                condition="8",
                facts=[f"{year - 1} 年度：警示党员", f"{year} 年度：警示党员"],
            )
    return found


def absence_runs(facts: Iterable[AttendanceFact], *, year: int, months: int) -> dict[int, Found]:
    """Members with a run of at least ``months`` missed months whose last month is in
    ``year``; the facts name each month and its meetings."""
    by_member: dict[int, dict[datetime.date, list[AttendanceFact]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for f in facts:
        by_member[f.member][_month(f.day)].append(f)
    found = {}
    for member, by_month in by_member.items():
        best: list[datetime.date] = []
        run: list[datetime.date] = []
        for month in sorted(by_month):
            rows = by_month[month]
            missed = not any(r.attended or r.excused for r in rows)
            if not missed:
                run = []
                continue
            if run and _next_month(run[-1]) != month:
                run = []  # a month without a meeting in between breaks the run
            run.append(month)
            if len(run) >= months and run[-1].year == year:
                best = list(run)
        if best:
            lines = []
            for month in best:
                meetings = "、".join(
                    f"{r.day:%m-%d} {r.topic}（{r.meeting}）"
                    for r in sorted(by_month[month], key=lambda r: r.day)
                )
                lines.append(f"{month:%Y-%m}：未参加 {meetings}，无批准的请假")
            found[member] = Found(member=member, condition="2", facts=lines, months=best)
    return found


def dues_missed(facts: Iterable[DuesFact], *, months: int) -> dict[int, Found]:
    """Members with at least ``months`` months paid short or not at all."""
    missed: dict[int, list[DuesFact]] = defaultdict(list)
    for f in facts:
        if f.due > 0 and f.paid < f.due:
            missed[f.member].append(f)
    found = {}
    for member, rows in missed.items():
        if len(rows) < months:
            continue
        rows.sort(key=lambda r: r.month)
        found[member] = Found(
            member=member,
            condition="2",
            facts=[
                f"{r.month:%Y-%m} 党费{'未交纳' if r.paid == 0 else '未足额'}"
                f"（应交 {r.due:.2f}，已交 {r.paid:.2f}）"
                for r in rows
            ],
            months=[r.month for r in rows],
        )
    return found


def merge(*groups: Mapping[int, Found]) -> dict[tuple[int, str], Found]:
    """One candidate per member and condition, with the facts of every rule that found it."""
    merged: dict[tuple[int, str], Found] = {}
    for group in groups:
        for member, found in group.items():
            key = (member, found.condition)
            if key in merged:
                merged[key].facts.extend(found.facts)
                merged[key].months.extend(found.months)
            else:
                merged[key] = Found(
                    member=member,
                    condition=found.condition,
                    facts=list(found.facts),
                    months=list(found.months),
                )
    return merged
