"""The secret ballot (无记名投票): casting it online or with a paper code, closing the
vote, and publishing the totals as the tallies the scoring engine reads.

No function here logs anything, and none writes an audit row naming a voter or the
content of a ballot: the audit trail of the vote is opening, closing and publishing."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record
from kaoping.orgs.models import Member
from kaoping.orgs.selectors import member_row, scope_for
from kaoping.schemes.models import Scheme

from .. import sealing
from ..models import BallotMark, EvaluationRound, PaperCode, SealedBallot, VoteRight
from ..selectors import code_hash, paper_tally_status, round_candidates, vote_turnout_check
from .checks import Step, VoteState, _locked, _locked_to_keep, _require_vote_open
from .tallies import _tallies_write


def _clean_marks(round_: EvaluationRound, marks: dict[str, str]) -> list[tuple[Member, str]]:
    scheme = Scheme.objects.get(year=round_.year)
    candidates = {m.code: m for m in round_candidates(round_)}
    unknown = sorted(set(marks) - set(candidates))
    if unknown:
        raise ValidationError(
            _("选票上有不在本支部测评名单上的党员：%(codes)s。") % {"codes": "、".join(unknown)}
        )
    options = set(scheme.ballot_options)
    bad = sorted({v for v in marks.values() if v and v not in options})
    if bad:
        raise ValidationError(
            _("“%(options)s”不是本年度方案的测评选项。") % {"options": "、".join(bad)}
        )
    return [(candidates[code], marks.get(code) or "") for code in sorted(candidates)]


def _store_ballot(round_: EvaluationRound, rows: list[tuple[Member, str]]) -> str:
    """Seal the ballot to the round's key and store the ciphertext only; its receipt (the
    SHA-256 of the ciphertext) goes back to the voter."""
    if not round_.vote_key:
        raise ValidationError(_("本轮投票没有投票公钥，不能接受选票。"))
    options = list(Scheme.objects.get(year=round_.year).ballot_options)
    ciphertext, receipt = sealing.seal(
        round_.vote_key,
        {member.code: option for member, option in rows},
        [member.code for member, _option in rows],
        options,
    )
    SealedBallot.objects.create(round=round_, ciphertext=ciphertext, receipt=receipt)
    return receipt


@transaction.atomic
def ballot_cast(*, actor: Actor, round_: EvaluationRound, marks: dict[str, str]) -> str:
    """Cast the actor's one secret ballot (无记名投票). Using the right and storing the
    sealed ballot happen here, in one transaction, under a lock on the round and the right;
    the conditional update of the right is the last guard against a double submit. What
    this transaction ties to the voter is ciphertext only. Returns the receipt."""
    round_ = _locked(round_)
    _require_vote_open(round_)
    rights = VoteRight.objects.select_for_update().filter(round=round_)
    right = member_row(rights, scope_for(actor).member_id)
    if right is None:
        raise ValidationError(_("您不在本轮民主测评的投票人名单上。"))
    if right.used:
        raise ValidationError(_("您已经投过票，每人只能投一次，不能重新投票。"))
    rows = _clean_marks(round_, marks)
    if VoteRight.objects.filter(pk=right.pk, used=False).update(used=True) != 1:
        raise ValidationError(_("您已经投过票，每人只能投一次，不能重新投票。"))
    return _store_ballot(round_, rows)


@transaction.atomic
def ballot_cast_with_code(*, code: str, marks: dict[str, str]) -> str:
    """Cast one ballot with a one-time paper code (会场投票): the code is the right; the
    ballot is sealed like any other. Returns the receipt."""
    found = PaperCode.objects.filter(code_hash=code_hash(code)).first()
    if found is None:
        raise ValidationError(_("投票码无效。"))
    round_ = _locked(found.round)
    paper = PaperCode.objects.select_for_update().get(pk=found.pk)
    if paper.used:
        raise ValidationError(_("该投票码已经使用过。"))
    _require_vote_open(round_)
    rows = _clean_marks(round_, marks)
    if PaperCode.objects.filter(pk=paper.pk, used=False).update(used=True) != 1:
        raise ValidationError(_("该投票码已经使用过。"))
    return _store_ballot(round_, rows)


def _seal(round_: EvaluationRound) -> None:
    """Rewrite the rights and codes in one transaction at closing, so that their row
    versions no longer share a transaction id with the sealed ballot cast with them."""
    VoteRight.objects.filter(round=round_).update(used=F("used"))
    PaperCode.objects.filter(round=round_).update(used=F("used"))


@transaction.atomic
def vote_close(*, actor: Actor, round_: EvaluationRound) -> EvaluationRound:
    """Close the online vote: no more ballots. The sealed ballots wait for the
    scrutineers' shares (``counting.vote_count``)."""
    round_ = _locked_to_keep(actor, round_)
    if round_.vote_method != EvaluationRound.VoteMethod.ONLINE:
        raise ValidationError(_("纸质选票无需截止网上投票，请录入票数。"))
    if round_.vote_state != VoteState.OPEN:
        raise ValidationError(_("投票不在进行中。"))
    vote_turnout_check(round_)
    _seal(round_)
    round_.vote_state = VoteState.CLOSED
    round_.save(update_fields=["vote_state"])
    rights = VoteRight.objects.filter(round=round_)
    audit_record(
        actor=actor,
        action="vote.close",
        target=round_,
        after={"voters": rights.count(), "used": rights.filter(used=True).count()},
    )
    return round_


def _ballot_counts(round_: EvaluationRound) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {}
    rows = (
        BallotMark.objects.filter(ballot__round=round_, ballot__valid=True)
        .exclude(option="")
        .values_list("member_id", "option")
        .annotate(n=Count("id"))
        .order_by()
    )
    for member_id, option, n in rows:
        counts.setdefault(member_id, {})[option] = n
    return counts


def _published_counts(
    round_: EvaluationRound, candidates: list[Member]
) -> dict[str, dict[str, int]]:
    """The counts ``vote_publish`` stores: the counted online ballots, or the two matching
    paper entries."""
    if round_.vote_method == EvaluationRound.VoteMethod.ONLINE:
        if round_.vote_state == VoteState.CLOSED:
            raise ValidationError(_("须先由监票人输入份额完成计票，才能公布票数。"))
        if round_.vote_state != VoteState.COUNTED:
            raise ValidationError(_("须先截止投票并计票，才能公布票数。"))
        by_id = _ballot_counts(round_)
        return {m.code: by_id.get(m.pk, {}) for m in candidates}
    if round_.vote_state != VoteState.OPEN:
        raise ValidationError(_("测评不在进行中。"))
    status, _differing = paper_tally_status(round_)
    if status != "match":
        raise ValidationError(
            _("两人独立录入的票数尚不一致（或尚未录完），不能计入。")
            if status == "mismatch"
            else _("纸质票数须由两人分别录入且一致后才能计入。")
        )
    entry = round_.paper.first()  # two entries that agree: either one
    return entry.counts if entry is not None else {}


@transaction.atomic
def vote_publish(*, actor: Actor, round_: EvaluationRound) -> EvaluationRound:
    """Publish the totals (公布测评票数): they become the ``VoteTally`` rows the scoring
    engine reads, and the round moves on to the organisation's determination."""
    round_ = _locked_to_keep(actor, round_)
    scheme = Scheme.objects.get(year=round_.year)
    candidates = list(round_candidates(round_))
    counts = _published_counts(round_, candidates)
    for member in candidates:
        given = counts.get(member.code, {})
        _tallies_write(
            actor=actor,
            year=round_.year,
            member=member,
            counts={option: int(given.get(option, 0)) for option in scheme.ballot_options},
        )
    round_.vote_state = VoteState.PUBLISHED
    round_.step = Step.DETERMINATION
    round_.save(update_fields=["vote_state", "step"])
    audit_record(actor=actor, action="vote.publish", target=round_, after={"year": round_.year})
    return round_
