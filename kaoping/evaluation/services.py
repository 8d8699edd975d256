"""Writes of the democratic evaluation: paper-ballot tallies and quota-tie decisions."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from kaoping.audit.services import audit_record
from kaoping.orgs.models import Member
from kaoping.orgs.selectors import scope_for
from kaoping.schemes.models import BALLOT_OPTION_NAMES, Scheme
from kaoping.schemes.selectors import year_is_frozen

from .models import QuotaDecision, VoteTally


def _require_manage(actor, member: Member) -> None:
    if actor is not None and not scope_for(actor).manages(member.branch.path):
        raise PermissionDenied("you cannot manage this member's evaluation")


def _require_open(year: int, member: Member) -> None:
    if not Scheme.objects.filter(year=year).exists():
        raise ValidationError({"year": f"there is no scheme for {year}"})
    if year_is_frozen(year=year, branch=member.branch):
        raise ValidationError({"year": f"the {year} results are final"})


@transaction.atomic
def tally_set(*, actor, year: int, member: Member, counts: dict[str, int]) -> dict[str, int]:
    """Enter (or correct) the paper-ballot counts for one member (纸质选票计票)."""
    _require_manage(actor, member)
    _require_open(year, member)
    unknown = set(counts) - set(BALLOT_OPTION_NAMES)
    if unknown:
        raise ValidationError({"counts": f"unknown ballot option(s): {', '.join(sorted(unknown))}"})
    for option, count in counts.items():
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ValidationError({option: f"{option} must be a whole number ≥ 0"})
    before = dict(VoteTally.objects.filter(year=year, member=member).values_list("option", "count"))
    for option, count in counts.items():
        VoteTally.objects.update_or_create(
            year=year, member=member, option=option, defaults={"count": count}
        )
    after = before | counts
    if before != after:
        audit_record(
            actor=actor,
            action="tally.set",
            target=member,
            before=before,
            after=after,
            note=str(year),
        )
    return after


@transaction.atomic
def quota_decision_record(
    *, actor, year: int, member: Member, excellent: bool, note: str
) -> QuotaDecision:
    """Record the branch's decision on a quota tie (组织认定), with its reason."""
    _require_manage(actor, member)
    _require_open(year, member)
    if actor is not None and not note.strip():
        raise ValidationError({"note": "a quota decision needs a reason"})
    current = QuotaDecision.objects.filter(year=year, member=member).first()
    if current is not None and (current.excellent, current.note) == (excellent, note):
        return current
    decision, _ = QuotaDecision.objects.update_or_create(
        year=year,
        member=member,
        defaults={
            "excellent": excellent,
            "note": note,
            "decided_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    audit_record(
        actor=actor,
        action="quota_decision.record",
        target=member,
        after={"year": year, "excellent": excellent, "note": note},
    )
    return decision
