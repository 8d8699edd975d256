"""Writes of the sealed online vote around its key: opening the vote with its scrutineers
(监票人), counting with their shares (唱票计票), and what a branch does when shares are
lost (re-run the vote, or fall back to paper).

Nothing here logs anything, and no audit row, notification or job row names a voter or
holds anything of a ballot's content: the audit rows say how many ballots, how many were
invalid, and who the scrutineers are."""

import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.audit.services import audit_record
from kaoping.orgs.models import Member
from kaoping.schemes.models import Scheme

from . import sealing
from .box import may_count
from .models import (
    Ballot,
    BallotMark,
    CountedReceipt,
    EvaluationRound,
    PaperCode,
    Scrutineer,
    SealedBallot,
    VoteCount,
    VoteRight,
)
from .selectors import round_candidates
from .services.checks import _locked, _locked_to_keep, _require_not_frozen
from .services.rounds import _advance, _notify_candidates

Step = EvaluationRound.Step
VoteState = EvaluationRound.VoteState
ONLINE = EvaluationRound.VoteMethod.ONLINE
MIN_SCRUTINEERS = 2
MAX_SCRUTINEERS = 3
THRESHOLD = 2
MAX_REASON = 500


@dataclass(frozen=True)
class ShareSlip:
    """One scrutineer's share, shown once (on screen and as a printable slip)."""

    member: Member
    position: int
    share: str


def _name_scrutineers(actor, round_: EvaluationRound, members: list[Member]) -> list[ShareSlip]:
    """Check the scrutineers, make the vote key, store its public half and a hash of each
    share; the shares themselves only go back to the caller."""
    ids = {m.pk for m in members}
    if len(ids) != len(members):
        raise ValidationError({"scrutineers": _("同一名党员不能重复担任监票人。")})
    if not MIN_SCRUTINEERS <= len(ids) <= MAX_SCRUTINEERS:
        raise ValidationError(
            {
                "scrutineers": _("请指定 %(min)s 至 %(max)s 名到会党员担任监票人。")
                % {"min": MIN_SCRUTINEERS, "max": MAX_SCRUTINEERS}
            }
        )
    voters = set(VoteRight.objects.filter(round=round_).values_list("member_id", flat=True))
    outside = [m.name for m in members if m.pk not in voters or m.branch_id != round_.branch_id]
    if outside:
        raise ValidationError(
            {
                "scrutineers": _("监票人须是本支部投票人名单上的党员：%(names)s 不是。")
                % {"names": "、".join(outside)}
            }
        )
    public, shares = sealing.new_vote_key(len(members), THRESHOLD)
    ordered = sorted(members, key=lambda m: m.code)
    Scrutineer.objects.bulk_create(
        [
            Scrutineer(
                round=round_,
                member=member,
                position=share.position,
                share_hash=sealing.share_hash(round_.pk, share),
            )
            for member, share in zip(ordered, shares, strict=True)
        ]
    )
    round_.vote_key = public
    round_.vote_threshold = THRESHOLD
    round_.save(update_fields=["vote_key", "vote_threshold"])
    audit_record(
        actor=actor,
        action="vote.scrutineers",
        target=round_,
        after={
            "scrutineers": [
                f"{s.position}:{m.code} {m.name}" for m, s in zip(ordered, shares, strict=True)
            ],
            "threshold": THRESHOLD,
            "public_key": public,
        },
    )
    return [ShareSlip(m, s.position, s.text) for m, s in zip(ordered, shares, strict=True)]


@transaction.atomic
def vote_open(
    *, actor, round_: EvaluationRound, scrutineers: list[Member]
) -> tuple[EvaluationRound, list[ShareSlip]]:
    """Start the online vote (书记点评 → 民主测评): freeze the voter list, name the
    scrutineers and make the vote key. The shares come back once and are never stored."""
    round_ = _locked_to_keep(actor, round_)
    if round_.step != Step.SECRETARY:
        raise ValidationError(_("只有在“书记点评”环节结束时才能开始民主测评。"))
    if round_.vote_method != ONLINE:
        raise ValidationError(_("本支部采用纸质选票，无需指定监票人。"))
    round_ = _advance(actor=actor, round_=round_)
    slips = _name_scrutineers(actor, round_, list(scrutineers))
    return round_, slips


def _require_counter(actor, round_: EvaluationRound) -> None:
    if not may_count(actor, round_):
        raise PermissionDenied(_("只有本支部的书记、支委和本轮监票人可以计票。"))


def _read_shares(round_: EvaluationRound, texts: list[str]) -> list[sealing.Share]:
    holders = {s.position: s for s in round_.scrutineers.select_related("member")}
    shares: dict[int, sealing.Share] = {}
    for n, text in enumerate(t for t in texts if t.strip()):
        try:
            share = sealing.parse_share(text[:200])
        except sealing.ShareError:
            raise ValidationError(
                _("第 %(n)s 个份额格式不正确，请按监票人份额条上的文字输入。") % {"n": n + 1}
            ) from None
        holder = holders.get(share.position)
        if holder is None:
            raise ValidationError(
                _("第 %(n)s 个份额的序号 %(p)s 不属于本轮任何监票人。")
                % {"n": n + 1, "p": share.position}
            )
        if share.position in shares:
            raise ValidationError(
                _("监票人 %(name)s 的份额输入了两次。") % {"name": holder.member.name}
            )
        if sealing.share_hash(round_.pk, share) != holder.share_hash:
            raise ValidationError(
                _("监票人 %(name)s（第 %(p)s 号）的份额不正确，请核对份额条后重新输入。")
                % {"name": holder.member.name, "p": share.position}
            )
        shares[share.position] = share
    if len(shares) < round_.vote_threshold:
        raise ValidationError(
            _(
                "计票需要至少 %(k)s 名监票人的份额，现在只有 %(n)s 份。"
                "如果份额已遗失、无法凑齐，本轮选票无法计票：可以重新投票或改为纸质选票。"
            )
            % {"k": round_.vote_threshold, "n": len(shares)}
        )
    return list(shares.values())


def _check(marks: dict | None, candidates: list[str], options: set[str]) -> dict | None:
    """The marks of a valid ballot, one per candidate ('' blank), or None (invalid)."""
    if marks is None or set(marks) - set(candidates):
        return None
    if any(v and v not in options for v in marks.values()):
        return None
    return {code: marks.get(code, "") for code in candidates}


@transaction.atomic
def vote_count(*, actor, round_: EvaluationRound, shares: list[str]) -> VoteCount:
    """Count the sealed ballots (唱票计票) with the shares of enough scrutineers: rebuild
    the key in memory, decrypt and check every ballot, write the ballots in a fresh random
    order and the totals, delete the ciphertexts, all in this one transaction; the key is
    dropped when it returns. Refused, changing nothing, when counted already, or with a
    wrong share or too few shares."""
    round_ = _locked(round_)
    _require_counter(actor, round_)
    _require_not_frozen(round_)
    if round_.vote_method != ONLINE:
        raise ValidationError(_("本支部采用纸质选票，请录入票数。"))
    if round_.vote_state in (VoteState.COUNTED, VoteState.PUBLISHED):
        raise ValidationError(_("本轮选票已经计票，不能重复计票。"))
    if round_.vote_state != VoteState.CLOSED:
        raise ValidationError(_("须先截止投票，才能计票。"))
    if len(shares) > MAX_SCRUTINEERS:
        raise ValidationError(_("份额最多 %(n)s 份。") % {"n": MAX_SCRUTINEERS})
    parts = _read_shares(round_, shares)
    key = sealing.rebuild_key(parts, round_.vote_key)
    if key is None:
        raise ValidationError(_("份额与本轮投票公钥不符，不能计票。"))
    scheme = Scheme.objects.get(year=round_.year)
    options = set(scheme.ballot_options)
    members = list(round_candidates(round_))
    codes = [m.code for m in members]
    sealed = list(SealedBallot.objects.filter(round=round_).values_list("ciphertext", "receipt"))
    counted = [_check(sealing.unseal(key, c), codes, options) for c, _r in sealed]
    del key
    secrets.SystemRandom().shuffle(counted)
    ballots = [Ballot(round=round_, valid=marks is not None) for marks in counted]
    Ballot.objects.bulk_create(ballots)
    by_code = {m.code: m for m in members}
    BallotMark.objects.bulk_create(
        [
            BallotMark(ballot=ballot, member=by_code[code], option=option)
            for ballot, marks in zip(ballots, counted, strict=True)
            if marks is not None
            for code, option in marks.items()
        ]
    )
    totals = {code: dict.fromkeys(scheme.ballot_options, 0) for code in codes}
    for marks in counted:
        for code, option in (marks or {}).items():
            if option:
                totals[code][option] += 1
    CountedReceipt.objects.bulk_create(
        [CountedReceipt(round=round_, receipt=r) for r in sorted(r for _c, r in sealed)]
    )
    SealedBallot.objects.filter(round=round_).delete()
    invalid = sum(1 for marks in counted if marks is None)
    count = VoteCount.objects.create(
        round=round_, ballots=len(counted), invalid=invalid, totals=totals
    )
    took_part = [p.position for p in parts]
    round_.scrutineers.filter(position__in=took_part).update(took_part=True)
    round_.vote_state = VoteState.COUNTED
    round_.save(update_fields=["vote_state"])
    names = list(round_.scrutineers.filter(took_part=True).values_list("member__name", flat=True))
    audit_record(
        actor=actor,
        action="vote.count",
        target=round_,
        after={"ballots": len(counted), "invalid": invalid, "scrutineers": names},
    )
    return count


def _require_recoverable(round_: EvaluationRound, reason: str) -> str:
    if round_.vote_method != ONLINE or round_.step != Step.VOTE:
        raise ValidationError(
            _("只有进行中或已截止、尚未计票的网上投票可以重新投票或改为纸质选票。")
        )
    if round_.vote_state not in (VoteState.OPEN, VoteState.CLOSED):
        raise ValidationError(_("本轮选票已经计票，不能再重新投票或改为纸质选票。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写原因（例如：监票人份额遗失）。")})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": _("原因最多 %(n)s 字。") % {"n": MAX_REASON}})
    return reason


def _discard(round_: EvaluationRound) -> int:
    """Delete the sealed ballots, the codes and the scrutineers; how many ballots went."""
    discarded = SealedBallot.objects.filter(round=round_).count()
    SealedBallot.objects.filter(round=round_).delete()
    PaperCode.objects.filter(round=round_).delete()
    Scrutineer.objects.filter(round=round_).delete()
    return discarded


@transaction.atomic
def vote_rerun(
    *, actor, round_: EvaluationRound, reason: str, scrutineers: list[Member]
) -> tuple[EvaluationRound, list[ShareSlip]]:
    """Re-run the online vote (重新投票), e.g. when the shares are lost: the sealed ballots
    are discarded unread, every right is usable again, a new key and new scrutineers."""
    round_ = _locked_to_keep(actor, round_)
    reason = _require_recoverable(round_, reason)
    discarded = _discard(round_)
    VoteRight.objects.filter(round=round_).update(used=False)
    round_.vote_state = VoteState.OPEN
    round_.save(update_fields=["vote_state"])
    audit_record(
        actor=actor,
        action="vote.rerun",
        target=round_,
        after={"reason": reason, "discarded": discarded},
    )
    slips = _name_scrutineers(actor, round_, list(scrutineers))
    _notify_candidates(
        round_, _("%(year)s 年度民主测评重新投票，请重新投票。") % {"year": round_.year}
    )
    return round_, slips


@transaction.atomic
def vote_to_paper(*, actor, round_: EvaluationRound, reason: str) -> EvaluationRound:
    """Fall back to paper ballots (改为纸质选票): the sealed ballots are discarded unread,
    the online rights and key go, and the counts are entered twice from paper."""
    round_ = _locked_to_keep(actor, round_)
    reason = _require_recoverable(round_, reason)
    discarded = _discard(round_)
    VoteRight.objects.filter(round=round_).delete()
    round_.vote_method = EvaluationRound.VoteMethod.PAPER
    round_.vote_state = VoteState.OPEN
    round_.vote_key = ""
    round_.save(update_fields=["vote_method", "vote_state", "vote_key"])
    audit_record(
        actor=actor,
        action="vote.to_paper",
        target=round_,
        after={"reason": reason, "discarded": discarded, "at": str(timezone.localdate())},
    )
    return round_
