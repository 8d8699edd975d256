"""Whether entries may be recorded (rules.md §4): the one place the rules live, for a
batch of candidates. ``entry_record`` (one entry), ``entries_sheet_check`` (a
spreadsheet) and the bundle checks (``bundles.checks``) all ask ``entries_admissible``
and only word the answer their own way (a form field, a sheet column, a bundle record).

The rules, in the order they are decided for each candidate:

- ``UNKNOWN_MEMBER`` / ``DEPARTED``: the member is on the branch's roll and has not
  left it (transferred out, deceased);
- ``NO_SCHEME`` → ``FROZEN`` → ``UNKNOWN_ITEM`` → ``NOT_APPLICABLE`` → ``EXEMPT``: the
  year has a scheme, its results are not frozen for the member's branch, the item is in
  that year's scheme, applies to the branch's category, and the member is not exempt from
  it on the date (only the first of these is reported: each assumes the ones before);
- ``OCCURRENCES``: at least one occurrence.

A bundle carries history (``history=True``): entries of members who departed later, of
items since narrowed to other categories, of periods since exempted; it brings its own
scheme (its ``AdmissionFacts``: the items of its one year), and its rules across records
(members of the bundle, closed branches, reversals) run as set queries over its staging
tables (``bundles.checks``, ``bundles.across``; docs/decisions.md).

The facts are loaded once per batch (``admission_facts``): a batch costs the same number
of queries whatever its size.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from kaoping.orgs.models import DEPARTED_STATUSES, Member, Organization
from kaoping.schemes.models import BranchYearClosing, ItemExemption, Scheme, SchemeItem

UNKNOWN_MEMBER = "unknown_member"
DEPARTED = "departed"
NO_SCHEME = "no_scheme"
FROZEN = "frozen"
UNKNOWN_ITEM = "unknown_item"
NOT_APPLICABLE = "not_applicable"
EXEMPT = "exempt"
OCCURRENCES = "occurrences"
RULES = (
    UNKNOWN_MEMBER,
    DEPARTED,
    NO_SCHEME,
    FROZEN,
    UNKNOWN_ITEM,
    NOT_APPLICABLE,
    EXEMPT,
    OCCURRENCES,
)


class Candidate(NamedTuple):
    """An entry someone wants to record: the member and the item as objects or codes (a
    code is looked up: the member on the branch's roll, the item in the year's scheme).
    ``member`` None: the member is checked elsewhere (a bundle's members)."""

    member: Member | str | None
    item: SchemeItem | str
    year: int
    date: datetime.date | None = None
    occurrences: int = 1


class Verdict(NamedTuple):
    """A candidate's answer: what it refers to (None when unknown) and the rules it breaks
    (empty: admissible)."""

    member: Member | None
    item: SchemeItem | None
    refusals: tuple[str, ...]


@dataclass
class AdmissionFacts:
    """What the rules look at, loaded once for a batch (or brought by a bundle)."""

    members: dict[str, Member] = field(default_factory=dict)
    schemes: dict[int, int | None] = field(default_factory=dict)  # year -> scheme id
    frozen: set[tuple[int, int | None]] = field(default_factory=set)
    items: dict[tuple[int, str], SchemeItem] = field(default_factory=dict)
    exemptions: dict[tuple[int, str], list[ItemExemption]] = field(default_factory=dict)

    def is_frozen(self, year: int, branch_id: int | None) -> bool:
        return (year, None) in self.frozen or (year, branch_id) in self.frozen


def admission_facts(
    candidates: Sequence[Candidate], *, branch: Organization | None = None
) -> AdmissionFacts:
    """The facts the candidates need, one query each: members named by code (on
    ``branch``'s roll), the years' schemes and closings, items named by code, exemptions."""
    facts = AdmissionFacts()
    codes = {c.member for c in candidates if isinstance(c.member, str)}
    if codes:
        if branch is not None:
            members = list(Member.objects.filter(code__in=codes, branch=branch))
            for m in members:
                m.branch = branch
        else:
            members = list(Member.objects.filter(code__in=codes).select_related("branch"))
        facts.members = {m.code: m for m in members}
    years = {c.year for c in candidates}
    schemes = {s.pk: s for s in Scheme.objects.filter(year__in=years)}
    facts.schemes = {s.year: s.pk for s in schemes.values()}
    if not schemes:
        return facts
    facts.frozen = {(s.year, None) for s in schemes.values() if s.finalised_at is not None}
    branches = {_branch_id(m, facts) for m in (c.member for c in candidates)} - {None}
    if branches:
        facts.frozen |= {
            (schemes[scheme_id].year, branch_id)
            for scheme_id, branch_id in BranchYearClosing.objects.filter(
                scheme__in=schemes, branch__in=branches
            ).values_list("scheme_id", "branch_id")
        }
    item_codes = {c.item for c in candidates if isinstance(c.item, str)}
    if item_codes:
        facts.items = {
            (i.scheme.year, i.code): i
            for i in SchemeItem.objects.filter(
                scheme__in=schemes, code__in=item_codes
            ).select_related("scheme")
        }
    member_ids = {found.pk for c in candidates if (found := _member(c.member, facts)) is not None}
    all_codes = item_codes | {c.item.code for c in candidates if isinstance(c.item, SchemeItem)}
    if member_ids and any(c.date is not None for c in candidates):
        for x in ItemExemption.objects.filter(member__in=member_ids, item_code__in=all_codes):
            facts.exemptions.setdefault((x.member_id, x.item_code), []).append(x)
    return facts


def _member(member: Member | str | None, facts: AdmissionFacts) -> Member | None:
    return facts.members.get(member) if isinstance(member, str) else member


def _branch_id(member: Member | str | None, facts: AdmissionFacts) -> int | None:
    found = _member(member, facts)
    return found.branch_id if found is not None else None


def entries_admissible(
    candidates: Sequence[Candidate],
    *,
    branch: Organization | None = None,
    facts: AdmissionFacts | None = None,
    history: bool = False,
) -> list[Verdict]:
    """The verdict on each candidate, in order (see the module's rules). ``branch``: the
    roll members named by code are looked up in; ``facts``: already loaded (a bundle's);
    ``history``: the bundle's rules (no departure, category or exemption rule)."""
    if facts is None:
        facts = admission_facts(candidates, branch=branch)
    return [_verdict(c, facts, history) for c in candidates]


def _verdict(c: Candidate, facts: AdmissionFacts, history: bool) -> Verdict:
    refusals: list[str] = []
    member = _member(c.member, facts)
    if isinstance(c.member, str) and member is None:
        refusals.append(UNKNOWN_MEMBER)
    elif member is not None and not history and member.status in DEPARTED_STATUSES:
        refusals.append(DEPARTED)
    if isinstance(c.item, str):
        item = facts.items.get((c.year, c.item))
    else:  # an item given as an object must belong to the year's scheme
        item = c.item if c.item.scheme_id == facts.schemes.get(c.year) else None
    chain = _chain(c, member, item, facts, history)
    if chain is not None:
        refusals.append(chain)
    if c.occurrences < 1:
        refusals.append(OCCURRENCES)
    return Verdict(member, item, tuple(refusals))


def _chain(
    c: Candidate,
    member: Member | None,
    item: SchemeItem | None,
    facts: AdmissionFacts,
    history: bool,
) -> str | None:
    if c.year not in facts.schemes:
        return NO_SCHEME
    if member is not None and facts.is_frozen(c.year, member.branch_id):
        return FROZEN
    if item is None:
        return UNKNOWN_ITEM
    if history or member is None:
        return None
    if not item.applies_to(member.branch.category):
        return NOT_APPLICABLE
    if c.date is not None and any(
        x.covers(c.date) for x in facts.exemptions.get((member.pk, item.code), ())
    ):
        return EXEMPT
    return None


def members_exempt(
    *, members: Iterable[int | Member], item_code: str, day: datetime.date
) -> set[int]:
    """The ids of ``members`` exempt from the item on ``day`` (the rule ``EXEMPT``, for a
    workflow's closing that leaves them out instead of refusing)."""
    return set(
        ItemExemption.objects.in_force_on(day)
        .filter(member__in=list(members), item_code=item_code)
        .values_list("member_id", flat=True)
    )
