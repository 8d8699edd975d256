"""Export of a year bundle (bundle.md) from the database."""

from collections import defaultdict
from decimal import Decimal
from typing import Any

from kaoping.evaluation.models import QuotaDecision, VoteTally
from kaoping.kit.decimals import decimal_text
from kaoping.ledger.models import ScoreEntry
from kaoping.orgs.models import Member, Organization
from kaoping.schemes.models import ItemExemption, Scheme, SchemeItem
from kaoping.scoring.models import GradeRecord

from .checks import FORMAT, SCHEME_SETTINGS


def bundle_export(*, year: int) -> dict:
    """A bundle that imports into an empty database and computes to the same results.

    Entries carry ``points`` (our own optional field), so that a point value changed
    after an entry was recorded still exports the entry's own points.
    """
    scheme = Scheme.objects.get(year=year)
    items = [
        {
            "code": i.code,
            "kind": i.kind,
            "group": i.group,
            "name": i.name,
            "points": decimal_text(i.points),
        }
        | ({"disqualifies": True} if i.disqualifies else {})
        | ({"categories": list(i.categories)} if i.categories else {})
        for i in SchemeItem.objects.filter(scheme=scheme).order_by("code")
    ]
    scheme_doc: dict[str, Any] = {k: decimal_text(getattr(scheme, k)) for k in SCHEME_SETTINGS}
    scheme_doc |= {
        "quota_rounding": scheme.quota_rounding,
        "ballot_options": {
            k: decimal_text(Decimal(str(v))) for k, v in scheme.ballot_options.items()
        },
        "items": items,
    }
    organizations = [
        {
            "code": o.code,
            "name": o.name,
            "kind": o.kind,
            "parent": o.parent.code if o.parent else None,
        }
        | ({"category": o.category} if o.kind == Organization.Kind.BRANCH else {})
        for o in Organization.objects.select_related("parent").order_by("path")
    ]
    exemptions = defaultdict(list)
    for member_id, item, reason in ItemExemption.objects.values_list(
        "member_id", "item_code", "reason"
    ):
        exemptions[member_id].append({"item": item, "reason": reason})
    members = [
        {
            "id": m.code,
            "name": m.name,
            "branch": m.branch.code,
            "status": m.status,
            "membership": m.membership,
        }
        | ({"exemptions": exemptions[m.id]} if m.id in exemptions else {})
        for m in Member.objects.select_related("branch").order_by("code")
    ]
    entries = []
    for e in (
        ScoreEntry.objects.filter(year=year)
        .select_related("member", "item", "reverses")
        .order_by("date", "id")
    ):
        row = {
            "id": e.code,
            "member": e.member.code,
            "item": e.item.code,
            "date": e.date.isoformat(),
            "occurrences": e.occurrences,
            "points": decimal_text(e.points),
        }
        if e.reverses is not None:
            row["reverses"] = e.reverses.code
        if e.note:
            row["note"] = e.note
        entries.append(row)
    tallies: dict[str, dict[str, int]] = defaultdict(dict)
    for code, option, count in VoteTally.objects.filter(year=year).values_list(
        "member__code", "option", "count"
    ):
        tallies[code][option] = count
    history = [
        {"member": code, "year": y, "grade": grade}
        for code, y, grade in GradeRecord.objects.filter(year__lt=year)
        .order_by("member__code", "year")
        .values_list("member__code", "year", "grade")
    ]
    decisions = [
        {"member": code, "kind": "quota_tie", "excellent": excellent, "note": note}
        for code, excellent, note in QuotaDecision.objects.filter(year=year)
        .order_by("member__code")
        .values_list("member__code", "excellent", "note")
    ]
    return {
        "format": FORMAT,
        "year": year,
        "scheme": scheme_doc,
        "organizations": organizations,
        "members": members,
        "entries": entries,
        "votes": [{"member": code, "tally": tallies[code]} for code in sorted(tallies)],
        "history": history,
        "decisions": decisions,
    }
