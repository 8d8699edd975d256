"""The branch's decisions on quota ties (组织认定): who of the members tied at the last
excellent place takes it, one at a time or imported, judged by the scoring engine."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record, audit_record_many
from kaoping.kit.iterables import batched
from kaoping.kit.users import user_or_none
from kaoping.orgs.models import Member
from kaoping.orgs.selectors import manage_required

from ..models import QuotaDecision
from ..selectors import quota_standing
from .checks import MEMBER_REFUSAL, _members_of, _require_open, _require_open_many


def _require_place_left(year: int, member: Member) -> None:
    """Refuse a decision to take a tied place when the places are already taken, judged
    by the scoring engine with the decision added (never a second copy of the quota)."""
    standing = quota_standing(year=year, branch=member.branch, decide=(member, True))
    if not standing.over_filled:
        return
    message = _(
        "%(branch)s 的优秀名额为 %(places)s 个，已由 %(holders)s 占用，"
        "不能再认定 %(name)s 占用名额。"
    ) % {
        "branch": member.branch.name,
        "places": standing.places,
        "holders": "、".join(m.name for m in standing.holders) or _("（无）"),
        "name": member.name,
    }
    others = [m.name for m in standing.pending if m.pk != member.pk]
    if others:
        message += _("尚待认定：%(names)s。") % {"names": "、".join(others)}
    raise ValidationError(message)


def _require_reason(actor: Actor, note: str) -> None:
    if actor is not None and not note.strip():
        raise ValidationError({"note": _("认定优秀名额须填写理由。")})


@transaction.atomic
def quota_decision_record(
    *, actor: Actor, year: int, member: Member, excellent: bool, note: str
) -> QuotaDecision:
    """Record the branch's decision on a quota tie (组织认定), with its reason."""
    manage_required(actor, member, MEMBER_REFUSAL)
    _require_open(year, member)
    _require_reason(actor, note)
    if excellent:
        _require_place_left(year, member)
    current = QuotaDecision.objects.filter(year=year, member=member).first()
    if current is not None and (current.excellent, current.note) == (excellent, note):
        return current
    decision, _created = QuotaDecision.objects.update_or_create(
        year=year,
        member=member,
        defaults={"excellent": excellent, "note": note, "decided_by": user_or_none(actor)},
    )
    audit_record(
        actor=actor,
        action="quota_decision.record",
        target=member,
        after={"year": year, "excellent": excellent, "note": note},
    )
    return decision


def quota_decisions_import(
    *, actor: Actor, year: int, rows: Iterable[tuple[str, bool, str]], batch_size: int = 2000
) -> int:
    """Record many quota-tie decisions (导入组织认定): ``(member code, excellent, note)``,
    the rules of ``quota_decision_record`` a batch at a time. Runs inside the caller's
    transaction; returns how many rows it read."""
    count = 0
    user = user_or_none(actor)
    for batch in batched(rows, batch_size):
        count += len(batch)
        members = _members_of([code for code, _, _ in batch])
        _require_open_many(actor, year, members.values())
        current = {
            d.member_id: (d.excellent, d.note)
            for d in QuotaDecision.objects.filter(year=year, member__in=members.values())
        }
        decisions: dict[int, QuotaDecision] = {}  # the last row of a member wins
        audits = []
        for code, excellent, note in batch:
            member = members[code]
            _require_reason(actor, note)
            if current.get(member.pk) == (excellent, note):
                continue
            decisions[member.pk] = QuotaDecision(
                year=year, member=member, excellent=excellent, note=note, decided_by=user
            )
            current[member.pk] = (excellent, note)
            audits.append((member, None, {"year": year, "excellent": excellent, "note": note}))
        QuotaDecision.objects.bulk_create(
            list(decisions.values()),
            update_conflicts=True,
            unique_fields=["year", "member"],
            update_fields=["excellent", "note", "decided_by", "decided_at"],
        )
        audit_record_many(actor=actor, action="quota_decision.record", rows=audits)
    return count
