"""The ballot counts the scoring engine reads (``VoteTally``): where they may come from,
typed in for a year without a round, and imported from a past year's paper results."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record, audit_record_many
from kaoping.kit.bulk import insert_rows
from kaoping.kit.iterables import batched
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import manage_required
from kaoping.schemes.models import BALLOT_OPTION_NAMES

from ..models import EvaluationRound, VoteTally
from .checks import MEMBER_REFUSAL, _members_of, _require_open, _require_open_many


def _refuse_unknown(counts: dict[str, int]) -> None:
    unknown = set(counts) - set(BALLOT_OPTION_NAMES)
    if unknown:
        raise ValidationError(
            {"counts": _("未知的测评选项：%(options)s。") % {"options": "、".join(sorted(unknown))}}
        )


def _clean_counts(counts: dict[str, int]) -> None:
    _refuse_unknown(counts)
    for option, count in counts.items():
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ValidationError(
                {option: _("“%(option)s”的票数须为不小于 0 的整数。") % {"option": option}}
            )


def _tallies_write(
    *, actor: Actor, year: int, member: Member, counts: dict[str, int]
) -> dict[str, int]:
    """Store one member's counts, audited. Only ``vote_publish`` (counted ballots or the two
    matching paper entries) and ``tally_set`` (a year without a round) come here."""
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


def tally_direct_refusal(*, year: int, branch: Organization, by_system: bool = False) -> str | None:
    """Why counts may not be typed in directly for ``branch`` in ``year`` (None: they may).

    A branch's round decides its tallies: the counted online ballots or the two matching
    paper entries, corrections after publication through an appeal. Without a round, a
    person may enter only a year already over (paper results from before Kaoping, like a
    bundle of a past year); the system itself (``actor=None``: a shell, a bundle) is not
    limited by year."""
    round_ = EvaluationRound.objects.filter(branch=branch, year=year).first()
    if round_ is not None:
        return _(
            "%(branch)s 已开展 %(year)s 年度民主评议（%(method)s），测评票数只能来自该轮的"
            "%(source)s，不能直接录入；公布后如需更正，请通过申诉办理。"
        ) % {
            "branch": branch.name,
            "year": year,
            "method": round_.get_vote_method_display(),
            "source": _("网上投票计票")
            if round_.vote_method == EvaluationRound.VoteMethod.ONLINE
            else _("两人独立录入且一致的纸质票数"),
        }
    if not by_system and year >= timezone.localdate().year:
        return _(
            "%(branch)s 尚未开展 %(year)s 年度民主评议：请先在“民主评议”中开展评议，"
            "测评票数由网上投票或纸质选票双人录入产生，不能直接录入。"
        ) % {"branch": branch.name, "year": year}
    return None


@transaction.atomic
def tally_set(*, actor: Actor, year: int, member: Member, counts: dict[str, int]) -> dict[str, int]:
    """Enter (or correct) the counts of one member for a year in which the branch held no
    round in Kaoping (see ``tally_direct_refusal``)."""
    manage_required(actor, member, MEMBER_REFUSAL)
    _require_open(year, member)
    refusal = tally_direct_refusal(year=year, branch=member.branch, by_system=actor is None)
    if refusal is not None:
        raise ValidationError(refusal)
    _clean_counts(counts)
    return _tallies_write(actor=actor, year=year, member=member, counts=counts)


def tallies_import(
    *, actor: Actor, year: int, rows: Iterable[tuple[str, dict[str, int]]], batch_size: int = 2000
) -> int:
    """Enter many members' paper-ballot counts (导入计票结果): ``(member code, counts)``,
    the rules of ``tally_set`` a batch at a time, one audit row per member changed. Runs
    inside the caller's transaction; returns how many rows it read."""
    count = 0
    for batch in batched(rows, batch_size):
        count += len(batch)
        members = _members_of([code for code, _ in batch])
        _require_open_many(actor, year, members.values())
        # A bundle cannot overwrite a round's tallies either (see tally_direct_refusal).
        held = EvaluationRound.objects.filter(
            year=year, branch_id__in={m.branch_id for m in members.values()}
        ).select_related("branch")
        for round_ in held[:1]:
            raise ValidationError(
                str(tally_direct_refusal(year=year, branch=round_.branch, by_system=True))
            )
        before: dict[int, dict[str, int]] = {}
        for member_id, option, n in VoteTally.objects.filter(
            year=year, member__in=members.values()
        ).values_list("member_id", "option", "count"):
            before.setdefault(member_id, {})[option] = n
        changed: dict[int, dict[str, int]] = {}  # the last row of a member wins
        audits = []
        for code, counts in batch:
            member = members[code]
            _refuse_unknown(counts)
            old = before.get(member.pk, {})
            new = old | counts
            if new != old:
                changed[member.pk] = before[member.pk] = new
                audits.append((member, old, new))
        # Replace the changed members' rows: one DELETE and one COPY, not an upsert a row.
        VoteTally.objects.filter(year=year, member_id__in=list(changed)).delete()
        insert_rows(
            VoteTally._meta.db_table,
            ("year", "member_id", "option", "count"),
            [
                (year, member_id, option, n)
                for member_id, counts in changed.items()
                for option, n in counts.items()
            ],
        )
        audit_record_many(actor=actor, action="tally.set", rows=audits, note=str(year))
    return count
