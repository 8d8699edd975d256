"""Writes of the democratic evaluation (四评一定): the round and its steps, the secret
ballot, paper tallies, and quota-tie decisions."""

import hashlib
import secrets
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor, ProgressFn
from kaoping.audit.services import audit_record, audit_record_many
from kaoping.kit.bulk import insert_rows
from kaoping.kit.decimals import percent_text
from kaoping.kit.iterables import batched
from kaoping.notifications.services import notification_send, notification_send_many
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import scope_for
from kaoping.schemes.models import BALLOT_OPTION_NAMES, Scheme, ballot_option_order
from kaoping.schemes.selectors import year_is_frozen
from kaoping.sheets.xlsx import Column, RowError, SheetErrors

from . import sealing
from .models import (
    BallotMark,
    EvaluationRound,
    PaperCode,
    PaperTallyEntry,
    PeerComment,
    QuotaDecision,
    SealedBallot,
    SecretaryComment,
    SelfEvaluation,
    VoteRight,
    VoteTally,
)


def _require_manage(actor: Actor, member: Member) -> None:
    if actor is not None and not scope_for(actor).manages(member.branch.path):
        raise PermissionDenied(
            _("您无权管理党员 %(member)s 的民主评议。") % {"member": member.code}
        )


def _require_open(year: int, member: Member) -> None:
    if not Scheme.objects.filter(year=year).exists():
        raise ValidationError({"year": _("%(year)s 年度还没有考评方案。") % {"year": year}})
    if year_is_frozen(year=year, branch=member.branch):
        raise ValidationError({"year": _("%(year)s 年度结果已定格，不能再修改。") % {"year": year}})


def _clean_counts(counts: dict[str, int]) -> None:
    unknown = set(counts) - set(BALLOT_OPTION_NAMES)
    if unknown:
        raise ValidationError(
            {"counts": _("未知的测评选项：%(options)s。") % {"options": "、".join(sorted(unknown))}}
        )
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
    _require_manage(actor, member)
    _require_open(year, member)
    refusal = tally_direct_refusal(year=year, branch=member.branch, by_system=actor is None)
    if refusal is not None:
        raise ValidationError(refusal)
    _clean_counts(counts)
    return _tallies_write(actor=actor, year=year, member=member, counts=counts)


def _require_place_left(year: int, member: Member) -> None:
    """Refuse a decision to take a tied place when the places are already taken, judged
    by the scoring engine with the decision added (never a second copy of the quota)."""
    from .selectors import quota_standing

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


@transaction.atomic
def quota_decision_record(
    *, actor: Actor, year: int, member: Member, excellent: bool, note: str
) -> QuotaDecision:
    """Record the branch's decision on a quota tie (组织认定), with its reason."""
    _require_manage(actor, member)
    _require_open(year, member)
    if actor is not None and not note.strip():
        raise ValidationError({"note": _("认定优秀名额须填写理由。")})
    if excellent:
        _require_place_left(year, member)
    current = QuotaDecision.objects.filter(year=year, member=member).first()
    if current is not None and (current.excellent, current.note) == (excellent, note):
        return current
    decision, _created = QuotaDecision.objects.update_or_create(
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


def _members_of(codes: list[str]) -> dict[str, Member]:
    return {m.code: m for m in Member.objects.filter(code__in=codes).select_related("branch")}


def _require_open_many(actor: Actor, year: int, members: Any) -> None:
    """``_require_manage`` and ``_require_open`` for a batch of members, in two queries."""
    scheme = Scheme.objects.filter(year=year).first()
    if scheme is None:
        raise ValidationError({"year": _("%(year)s 年度还没有考评方案。") % {"year": year}})
    closed = set(scheme.closings.values_list("branch_id", flat=True))
    for member in members:
        _require_manage(actor, member)
        if scheme.finalised_at is not None or member.branch_id in closed:
            raise ValidationError(
                {
                    "year": _("党员 %(member)s 的 %(year)s 年度结果已定格。")
                    % {"member": member.code, "year": year}
                }
            )


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
                tally_direct_refusal(year=year, branch=round_.branch, by_system=True)
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
            unknown = set(counts) - set(BALLOT_OPTION_NAMES)
            if unknown:
                raise ValidationError(
                    {
                        "counts": _("未知的测评选项：%(options)s。")
                        % {"options": "、".join(sorted(unknown))}
                    }
                )
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


def quota_decisions_import(
    *, actor: Actor, year: int, rows: Iterable[tuple[str, bool, str]], batch_size: int = 2000
) -> int:
    """Record many quota-tie decisions (导入组织认定): ``(member code, excellent, note)``,
    the rules of ``quota_decision_record`` a batch at a time. Runs inside the caller's
    transaction; returns how many rows it read."""
    count = 0
    user = actor if getattr(actor, "is_authenticated", False) else None
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
            if actor is not None and not note.strip():
                raise ValidationError({"note": _("认定优秀名额须填写理由。")})
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


# --------------------------------------------------------------------------- 四评一定: the round

ASSESSED = Member.assessed_statuses()
Step = EvaluationRound.Step
VoteState = EvaluationRound.VoteState
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def code_hash(code: str) -> str:
    """The stored form of a one-time code (receipt or paper code): only its hash."""
    normal = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(f"kaoping-code:{normal}".encode()).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def round_candidates(round_: EvaluationRound) -> QuerySet[Member]:
    """The members on the ballot and in the round's steps: assessed members of the branch."""
    return Member.objects.filter(branch=round_.branch, status__in=ASSESSED).order_by("code")


def _require_manage_branch(actor: Actor, branch: Organization) -> None:
    if actor is not None and not scope_for(actor).manages(branch.path):
        raise PermissionDenied(_("您无权管理 %(branch)s 的民主评议。") % {"branch": branch.name})


def _require_not_frozen(round_: EvaluationRound) -> None:
    if year_is_frozen(year=round_.year, branch=round_.branch):
        raise ValidationError(_("%(year)s 年度结果已定格，不能再修改。") % {"year": round_.year})


def _require_step(round_: EvaluationRound, step: str) -> None:
    _require_not_frozen(round_)
    if round_.step != step:
        raise ValidationError(
            _("现在是“%(now)s”环节，不能进行“%(step)s”。")
            % {"now": round_.get_step_display(), "step": Step(step).label}
        )
    deadline = round_.deadline_of(step)
    if deadline is not None and timezone.localdate() > deadline:
        raise ValidationError(
            _("“%(step)s”已于 %(date)s 截止。") % {"step": Step(step).label, "date": deadline}
        )


def _own_member(actor: Actor, round_: EvaluationRound) -> Member:
    member_id = scope_for(actor).member_id
    member = (
        Member.objects.filter(id=member_id, branch=round_.branch).first() if member_id else None
    )
    if member is None:
        raise PermissionDenied(_("您不是 %(branch)s 的党员。") % {"branch": round_.branch.name})

    return member


def _locked(round_: EvaluationRound) -> EvaluationRound:
    return EvaluationRound.objects.select_for_update().select_related("branch").get(pk=round_.pk)


@transaction.atomic
def round_open(
    *,
    actor: Actor,
    branch: Organization,
    year: int,
    anonymous_peer: bool = False,
    vote_method: str = EvaluationRound.VoteMethod.ONLINE,
    self_deadline: Any = None,
    peer_deadline: Any = None,
    secretary_deadline: Any = None,
    vote_deadline: Any = None,
) -> EvaluationRound:
    """The secretary opens the year's democratic evaluation of a branch (民主评议)."""
    _require_manage_branch(actor, branch)
    if not branch.is_branch:
        raise ValidationError(_("只有党支部可以开展民主评议。"))
    if not Scheme.objects.filter(year=year).exists():
        raise ValidationError(_("%(year)s 年度还没有考评方案。") % {"year": year})
    if year_is_frozen(year=year, branch=branch):
        raise ValidationError(_("%(year)s 年度结果已定格，不能再修改。") % {"year": year})
    if vote_method not in EvaluationRound.VoteMethod.values:
        raise ValidationError({"vote_method": _("未知的测评方式。")})
    if EvaluationRound.objects.filter(year=year, branch=branch).exists():
        raise ValidationError(_("本支部 %(year)s 年度的民主评议已经开始。") % {"year": year})
    round_ = EvaluationRound.objects.create(
        year=year,
        branch=branch,
        anonymous_peer=anonymous_peer,
        vote_method=vote_method,
        self_deadline=self_deadline,
        peer_deadline=peer_deadline,
        secretary_deadline=secretary_deadline,
        vote_deadline=vote_deadline,
        opened_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action="evaluation_round.open",
        target=branch,
        after={
            "year": year,
            "anonymous_peer": anonymous_peer,
            "vote_method": vote_method,
            "deadlines": [
                str(d) if d else None
                for d in (self_deadline, peer_deadline, secretary_deadline, vote_deadline)
            ],
        },
    )
    notification_send_many(
        users=[m.user for m in round_candidates(round_).select_related("user")],
        text=_("%(year)s 年度民主评议已开始，请完成党员自评。") % {"year": year},
        link=f"/eval/{year}/mine/",
    )
    return round_


@transaction.atomic
def round_advance(*, actor: Actor, round_: EvaluationRound) -> EvaluationRound:
    """Move to the next step. Entering the vote freezes the voter list (VoteRight rows)."""
    round_ = _locked(round_)
    _require_manage_branch(actor, round_.branch)
    _require_not_frozen(round_)
    if round_.step == Step.DETERMINATION:
        raise ValidationError(_("已是最后一个环节。"))
    if round_.step == Step.VOTE:
        raise ValidationError(_("民主测评须在公布票数后才进入组织认定。"))
    if round_.step == Step.SECRETARY and round_.vote_method == EvaluationRound.VoteMethod.ONLINE:
        raise ValidationError(
            _("网上投票须在开始时指定监票人：请通过“开始民主测评（指定监票人）”进入民主测评。")
        )
    return _advance(actor=actor, round_=round_)


def _advance(*, actor, round_: EvaluationRound) -> EvaluationRound:
    """The step change itself (the caller holds the lock and has checked the actor)."""
    before = round_.step
    round_.step = round_.STEP_ORDER[round_.step_index + 1]
    voters = 0
    if round_.step == Step.VOTE:
        round_.vote_state = VoteState.OPEN
        if round_.vote_method == EvaluationRound.VoteMethod.ONLINE:
            members = list(Member.objects.filter(branch=round_.branch, status=Member.Status.ACTIVE))
            VoteRight.objects.bulk_create([VoteRight(round=round_, member=m) for m in members])
            voters = len(members)
    round_.save(update_fields=["step", "vote_state"])
    audit_record(
        actor=actor,
        action="evaluation_round.advance",
        target=round_,
        before={"step": before},
        after={"step": round_.step, "voters": voters},
    )
    notification_send_many(
        users=[m.user for m in round_candidates(round_).select_related("user")],
        text=_("%(year)s 年度民主评议进入“%(step)s”环节。")
        % {"year": round_.year, "step": round_.get_step_display()},
        link=f"/eval/{round_.year}/mine/",
    )
    return round_


@transaction.atomic
def self_evaluation_save(
    *,
    actor: Actor,
    round_: EvaluationRound,
    problems: str,
    causes: str,
    measures: str,
    submit: bool,
) -> SelfEvaluation:
    """党员自评: saved as a draft, then submitted (after which it no longer changes)."""
    member = _own_member(actor, round_)
    _require_step(round_, Step.SELF)
    current = SelfEvaluation.objects.select_for_update().filter(round=round_, member=member)
    current = current.first()
    if current is not None and current.status == SelfEvaluation.Status.SUBMITTED:
        raise ValidationError(_("自评已提交，不能再修改。"))
    if submit and not (problems.strip() and causes.strip() and measures.strip()):
        raise ValidationError(_("提交前请填写查找的问题、原因分析和整改措施。"))
    now = timezone.now()
    evaluation, _created = SelfEvaluation.objects.update_or_create(
        round=round_,
        member=member,
        defaults={
            "problems": problems,
            "causes": causes,
            "measures": measures,
            "status": SelfEvaluation.Status.SUBMITTED if submit else SelfEvaluation.Status.DRAFT,
            "updated_at": now,
            "submitted_at": now if submit else None,
        },
    )
    audit_record(
        actor=actor,
        action="self_evaluation.submit" if submit else "self_evaluation.save",
        target=evaluation,
        after={"member": member.code, "year": round_.year, "status": evaluation.status},
    )
    return evaluation


@transaction.atomic
def peer_comment_save(
    *,
    actor: Actor,
    round_: EvaluationRound,
    subject: Member,
    strengths: str,
    shortcomings: str,
    suggestions: str,
) -> PeerComment:
    """党员互评: one member comments on another member of the branch, never on oneself."""
    author = _own_member(actor, round_)
    _require_step(round_, Step.PEER)
    if subject.pk == author.pk:
        raise ValidationError(_("不能评价自己。"))
    if not round_candidates(round_).filter(pk=subject.pk).exists():
        raise ValidationError(_("%(name)s 不在本支部的评议名单上。") % {"name": subject.name})
    if not (strengths.strip() or shortcomings.strip() or suggestions.strip()):
        raise ValidationError(_("请至少填写一项评价。"))
    comment, created = PeerComment.objects.update_or_create(
        round=round_,
        author=author,
        subject=subject,
        defaults={
            "strengths": strengths,
            "shortcomings": shortcomings,
            "suggestions": suggestions,
            "updated_at": timezone.now(),
        },
    )
    audit_record(
        actor=actor,
        action="peer_comment.save",
        target=comment,
        after={"author": author.code, "subject": subject.code, "year": round_.year},
    )
    if created:
        notification_send(
            user=subject.user,
            text=_("您收到一条党员互评意见。"),
            link=f"/eval/{round_.year}/mine/",
        )
    return comment


@transaction.atomic
def secretary_comment_save(
    *, actor: Actor, round_: EvaluationRound, member: Member, comment: str, requirements: str
) -> SecretaryComment:
    """书记点评: the secretary's comment on one member, with requirements for correction."""
    _require_manage_branch(actor, round_.branch)
    _require_step(round_, Step.SECRETARY)
    if not round_candidates(round_).filter(pk=member.pk).exists():
        raise ValidationError(_("%(name)s 不在本支部的评议名单上。") % {"name": member.name})
    if not comment.strip():
        raise ValidationError({"comment": _("请填写点评意见。")})
    row, _created = SecretaryComment.objects.update_or_create(
        round=round_,
        member=member,
        defaults={
            "comment": comment,
            "requirements": requirements,
            "written_by": actor if getattr(actor, "is_authenticated", False) else None,
            "updated_at": timezone.now(),
        },
    )
    audit_record(
        actor=actor,
        action="secretary_comment.save",
        target=row,
        after={"member": member.code, "year": round_.year},
    )
    notification_send(
        user=member.user,
        text=_("书记对您的点评已发布，请查看整改要求。"),
        link=f"/eval/{round_.year}/mine/",
    )
    return row


# --------------------------------------------------------------------------- the secret ballot
#
# No function below logs anything, and none writes an audit row naming a voter or the
# content of a ballot: the audit trail of the vote is opening, closing and publishing.


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


def _require_vote_open(round_: EvaluationRound) -> None:
    _require_not_frozen(round_)
    if round_.vote_method != EvaluationRound.VoteMethod.ONLINE:
        raise ValidationError(_("本支部采用纸质选票，不进行网上投票。"))
    if round_.vote_state == VoteState.NOT_OPEN:
        raise ValidationError(_("投票尚未开始。"))
    if round_.vote_state != VoteState.OPEN:
        raise ValidationError(_("投票已经截止，不再接受选票。"))
    if round_.vote_deadline is not None and timezone.localdate() > round_.vote_deadline:
        raise ValidationError(_("投票已于 %(date)s 截止。") % {"date": round_.vote_deadline})


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
    member_id = scope_for(actor).member_id
    right = None
    if member_id is not None:
        right = VoteRight.objects.select_for_update().filter(round=round_, member_id=member_id)
        right = right.first()
    if right is None:
        raise ValidationError(_("您不在本轮民主测评的投票人名单上。"))
    if right.used:
        raise ValidationError(_("您已经投过票，每人只能投一次，不能重新投票。"))
    rows = _clean_marks(round_, marks)
    if VoteRight.objects.filter(pk=right.pk, used=False).update(used=True) != 1:
        raise ValidationError(_("您已经投过票，每人只能投一次，不能重新投票。"))
    return _store_ballot(round_, rows)


def paper_code_round(code: str) -> EvaluationRound | None:
    """The round of an unused paper code (so the ballot page can be shown), or None."""
    row = PaperCode.objects.filter(code_hash=code_hash(code), used=False).first()
    return row.round if row is not None else None


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


@transaction.atomic
def paper_codes_issue(*, actor: Actor, round_: EvaluationRound, members: list[Member]) -> list[str]:
    """Issue one-time codes to members present in the meeting room. Their rights are used
    now; the codes come back in random order and nothing records who got which."""
    round_ = _locked(round_)
    _require_manage_branch(actor, round_.branch)
    _require_vote_open(round_)
    ids = {m.pk for m in members}
    if not ids:
        raise ValidationError(_("请选择到会领取投票码的党员。"))
    usable = VoteRight.objects.filter(round=round_, member_id__in=ids, used=False)
    if usable.count() != len(ids):
        raise ValidationError(_("所选党员中有人不在投票人名单上或已经投票。"))
    usable.update(used=True)
    codes = sorted((_new_code() for _ in ids), key=lambda _c: secrets.randbits(64))
    PaperCode.objects.bulk_create(
        sorted((PaperCode(round=round_, code_hash=code_hash(c)) for c in codes), key=lambda p: p.pk)
    )
    audit_record(
        actor=actor, action="paper_codes.issue", target=round_, after={"count": len(codes)}
    )
    return codes


def _seal(round_: EvaluationRound) -> None:
    """Rewrite the rights and codes in one transaction at closing, so that their row
    versions no longer share a transaction id with the sealed ballot cast with them."""
    VoteRight.objects.filter(round=round_).update(used=F("used"))
    PaperCode.objects.filter(round=round_).update(used=F("used"))


def turnout_share(used: int, voters: int) -> Decimal:
    """The share of voters who voted, to the setting's precision (4 places, half up):
    two thirds is 0.6667, so 2 of 3 reaches a minimum of 0.6667."""
    if voters == 0:
        return Decimal(0)
    return (Decimal(used) / Decimal(voters)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def vote_turnout_refusal(round_: EvaluationRound) -> str | None:
    """Why the online vote cannot be closed as valid yet (None: it can): fewer voters took
    part than the scheme's minimum turnout (``Scheme.vote_min_turnout``)."""
    minimum = Scheme.objects.get(year=round_.year).vote_min_turnout
    rights = VoteRight.objects.filter(round=round_)
    voters = rights.count()
    used = rights.filter(used=True).count()
    if turnout_share(used, voters) >= minimum:
        return None
    return _(
        "投票率为 %(used)s/%(voters)s（%(share)s），低于 %(year)s 年度方案规定的最低投票率"
        " %(minimum)s，不能作为有效测评截止投票。请组织尚未投票的党员投票（可在会场发放投票码）。"
    ) % {
        "used": used,
        "voters": voters,
        "share": percent_text(turnout_share(used, voters)),
        "year": round_.year,
        "minimum": percent_text(minimum),
    }


@transaction.atomic
def vote_close(*, actor: Actor, round_: EvaluationRound) -> EvaluationRound:
    """Close the online vote: no more ballots. The sealed ballots wait for the
    scrutineers' shares (``counting.vote_count``)."""
    round_ = _locked(round_)
    _require_manage_branch(actor, round_.branch)
    _require_not_frozen(round_)
    if round_.vote_method != EvaluationRound.VoteMethod.ONLINE:
        raise ValidationError(_("纸质选票无需截止网上投票，请录入票数。"))
    if round_.vote_state != VoteState.OPEN:
        raise ValidationError(_("投票不在进行中。"))
    refusal = vote_turnout_refusal(round_)
    if refusal is not None:
        raise ValidationError(refusal)
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


@transaction.atomic
def vote_publish(*, actor: Actor, round_: EvaluationRound) -> EvaluationRound:
    """Publish the totals (公布测评票数): they become the ``VoteTally`` rows the scoring
    engine reads, and the round moves on to the organisation's determination."""
    from .selectors import paper_tally_status

    round_ = _locked(round_)
    _require_manage_branch(actor, round_.branch)
    _require_not_frozen(round_)
    scheme = Scheme.objects.get(year=round_.year)
    candidates = list(round_candidates(round_))
    if round_.vote_method == EvaluationRound.VoteMethod.ONLINE:
        if round_.vote_state == VoteState.CLOSED:
            raise ValidationError(_("须先由监票人输入份额完成计票，才能公布票数。"))
        if round_.vote_state != VoteState.COUNTED:
            raise ValidationError(_("须先截止投票并计票，才能公布票数。"))
        by_id = _ballot_counts(round_)
        counts = {m.code: by_id.get(m.pk, {}) for m in candidates}
    else:
        if round_.vote_state != VoteState.OPEN:
            raise ValidationError(_("测评不在进行中。"))
        status, differing = paper_tally_status(round_)
        if status != "match":
            raise ValidationError(
                _("两人独立录入的票数尚不一致（或尚未录完），不能计入。")
                if status == "mismatch"
                else _("纸质票数须由两人分别录入且一致后才能计入。")
            )
        counts = round_.paper.first().counts
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


@transaction.atomic
def paper_tally_enter(
    *, actor: Actor, round_: EvaluationRound, counts: dict[str, dict[str, int]]
) -> PaperTallyEntry:
    """One person's independent entry of the paper counts; two entries by different people
    must agree before ``vote_publish`` lets them count."""
    round_ = _locked(round_)
    _require_manage_branch(actor, round_.branch)
    _require_not_frozen(round_)
    if round_.vote_method != EvaluationRound.VoteMethod.PAPER:
        raise ValidationError(_("本支部采用网上投票。"))
    if round_.vote_state != VoteState.OPEN:
        raise ValidationError(_("测评不在进行中。"))
    scheme = Scheme.objects.get(year=round_.year)
    candidates = {m.code for m in round_candidates(round_)}
    unknown = sorted(set(counts) - candidates)
    if unknown:
        raise ValidationError(
            _("票数中有不在本支部测评名单上的党员：%(codes)s。") % {"codes": "、".join(unknown)}
        )
    clean: dict[str, dict[str, int]] = {}
    for code in sorted(candidates):
        given = counts.get(code, {})
        bad = sorted(set(given) - set(scheme.ballot_options))
        if bad:
            raise ValidationError(
                _("“%(options)s”不是本年度方案的测评选项。") % {"options": "、".join(bad)}
            )
        row = {}
        for option in scheme.ballot_options:
            value = given.get(option, 0)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValidationError(_("票数须为不小于 0 的整数。"))
            row[option] = value
        clean[code] = row
    entry, _created = PaperTallyEntry.objects.update_or_create(
        round=round_, entered_by=actor, defaults={"counts": clean, "entered_at": timezone.now()}
    )
    audit_record(actor=actor, action="paper_tally.enter", target=round_, after=clean)
    return entry


# Paper tallies from a spreadsheet (one row per candidate, one column per ballot option).

OPTION_HEADERS = {
    "excellent": "优秀",
    "qualified": "合格",
    "basic": "基本合格",
    "unqualified": "不合格",
}


def paper_sheet_columns(scheme: Scheme) -> tuple:
    return (
        Column("member", "党员编号", comment="测评名单上党员的编号"),
        Column("name", "姓名", required=False, comment="仅供核对，不导入"),
        *(
            Column(option, OPTION_HEADERS.get(option, option), kind="int", min_value=0)
            for option in sorted(scheme.ballot_options, key=ballot_option_order)
        ),
    )


def paper_sheet_check(
    *, actor: Actor, round_: EvaluationRound, rows: list, progress: ProgressFn = None
) -> Any:
    """Check a spreadsheet of paper counts without writing: every candidate once, counts
    whole and not negative, the round open for paper counts. Returns (counts, errors)."""
    _require_manage_branch(actor, round_.branch)
    errors = []
    if round_.vote_method != EvaluationRound.VoteMethod.PAPER:
        errors.append(RowError(1, "", _("本支部采用网上投票。")))
    elif round_.vote_state != VoteState.OPEN:
        errors.append(RowError(1, "", _("测评不在进行中。")))
    scheme = Scheme.objects.get(year=round_.year)
    candidates = {m.code for m in round_candidates(round_)}
    counts: dict[str, dict[str, int]] = {}
    for r in rows:
        code = r.values["member"]
        if code is None:
            continue
        if code not in candidates:
            errors.append(
                RowError(r.line, "党员编号", _("“%(c)s”不在本支部测评名单上。") % {"c": code})
            )
        elif code in counts:
            errors.append(RowError(r.line, "党员编号", _("%(c)s 重复出现。") % {"c": code}))
        else:
            counts[code] = {o: r.values[o] for o in scheme.ballot_options}
    missing = sorted(candidates - set(counts))
    if missing and rows:
        errors.append(
            RowError(
                rows[-1].line + 1,
                "党员编号",
                _("表格缺少以下党员的票数：%(codes)s。") % {"codes": "、".join(missing)},
            )
        )
    if progress is not None:
        progress(len(rows), len(rows) + 1)
    return counts, errors


@transaction.atomic
def paper_sheet_import(*, actor: Actor, round_: EvaluationRound, rows: list) -> PaperTallyEntry:
    """Enter this person's paper counts from a spreadsheet: all candidates, or nothing."""
    counts, errors = paper_sheet_check(actor=actor, round_=round_, rows=rows)
    if errors:
        raise SheetErrors(errors)
    if any(None in c.values() for c in counts.values()):
        raise ValidationError(_("票数须为不小于 0 的整数。"))
    return paper_tally_enter(actor=actor, round_=round_, counts=counts)
