"""Reads of the ledger, scoped to what the actor may see."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from kaoping.orgs.models import Member
from kaoping.orgs.selectors import members_visible, scope_for

from .models import ScoreEntry


def entries_visible(
    *, actor, year: int | None = None, member: Member | None = None
) -> QuerySet[ScoreEntry]:
    """Entries of the members ``actor`` may see (a member: their own), reversals included."""
    qs = ScoreEntry.objects.filter(member__in=members_visible(actor=actor).values("id"))
    if year is not None:
        qs = qs.filter(year=year)
    if member is not None:
        qs = qs.filter(member=member)
    return qs.select_related("member__branch", "item", "reverses", "reversed_by", "recorded_by")


def entry_access_by_code(*, actor, code: str, manage: bool = False) -> ScoreEntry:
    """The entry if ``actor`` may see it; the same 404 for missing and out of scope."""
    entry = entries_visible(actor=actor).filter(code=code).first()
    if entry is None:
        raise Http404("entry not found")
    if manage and not scope_for(actor).manages(entry.member.branch.path):
        raise PermissionDenied("you cannot manage this entry")
    return entry
