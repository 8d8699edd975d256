"""Reads of the ballot box (投票箱), for every member of the branch: the receipts of the
sealed ballots during the vote, the receipts the count covered afterwards, the anonymous
counted ballots (no receipts, in their shuffled order) and a recount of them."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.orgs.selectors import organization_access_by_code, scope_for
from kaoping.schemes.models import ballot_option_order

from .models import Ballot, CountedReceipt, EvaluationRound, SealedBallot, VoteCount, VoteTally

VoteState = EvaluationRound.VoteState


def round_code(round_: EvaluationRound) -> str:
    return f"{round_.branch.code}-{round_.year}"


def round_by_code(code: str) -> EvaluationRound:
    branch, _sep, year = code.strip().rpartition("-")
    round_ = None
    if branch and year.isdigit():
        round_ = (
            EvaluationRound.objects.filter(branch__code=branch, year=int(year))
            .select_related("branch")
            .first()
        )
    if round_ is None:
        raise ValidationError(
            _("找不到民主评议“%(code)s”（格式：支部编号-年度）。") % {"code": code}
        )
    return round_


def round_for_box(*, actor, code: str, year: int) -> EvaluationRound:
    """The round if the actor is a member of the branch or reads it through a role."""
    branch = organization_access_by_code(actor=actor, code=code)
    rounds = EvaluationRound.objects.filter(branch=branch, year=year).select_related("branch")
    round_ = rounds.first()
    if not branch.is_branch or round_ is None:
        raise Http404(_("%(year)s 年度还没有开展民主评议。") % {"year": year})
    return round_


def may_count(actor: Actor, round_: EvaluationRound) -> bool:
    """Who counts the vote with the shares: the branch's officers and the scrutineers."""
    scope = scope_for(actor)
    if scope.manages(round_.branch.path):
        return True
    member_id = scope.member_id
    return member_id is not None and round_.scrutineers.filter(member_id=member_id).exists()


def round_for_count(*, actor: Actor, code: str, year: int) -> EvaluationRound:
    """The round, for those who may count it (``may_count``); 403 to others who read the
    branch, 404 to everybody else."""
    round_ = round_for_box(actor=actor, code=code, year=year)
    if may_count(actor, round_):
        return round_
    if scope_for(actor).reads(round_.branch.path):
        raise PermissionDenied(_("只有本支部的书记、支委和本轮监票人可以计票。"))
    raise Http404(_("找不到这个党支部。"))


@dataclass
class BallotBox:
    round: EvaluationRound
    receipts: list[str]
    counted: bool
    count: VoteCount | None
    scrutineers: list = field(default_factory=list)

    @property
    def options(self) -> list[str]:
        """The options counted, in the scheme's usual order (jsonb keeps none)."""
        if not self.count:
            return []
        return sorted(next(iter(self.count.totals.values()), {}), key=ballot_option_order)

    @property
    def rows(self) -> list[tuple[str, list[int]]]:
        """Each candidate's counts in the order of ``options``."""
        if not self.count:
            return []
        options = self.options
        return [
            (code, [row.get(o, 0) for o in options])
            for code, row in sorted(self.count.totals.items())
        ]


def ballot_box(*, round_: EvaluationRound) -> BallotBox:
    """The receipts in the box (sorted, they are hashes), who the scrutineers are, and the
    count once made (when, totals, invalid; who took part)."""
    count = VoteCount.objects.filter(round=round_).first()
    model = SealedBallot if count is None else CountedReceipt
    receipts = list(model.objects.filter(round=round_).values_list("receipt", flat=True))
    return BallotBox(
        round=round_,
        receipts=receipts,
        counted=count is not None,
        count=count,
        scrutineers=list(round_.scrutineers.select_related("member")),
    )


def anonymous_ballots(*, round_: EvaluationRound) -> dict:
    """The counted ballots as a document anyone in the branch can recount: no receipts,
    no voter, in the stored (shuffled) order."""
    from kaoping.schemes.models import Scheme

    count = VoteCount.objects.filter(round=round_).first()
    if count is None:
        raise ValidationError(_("本轮选票尚未计票，计票后才能下载。"))
    marks: dict = {}
    ballots = list(Ballot.objects.filter(round=round_).values_list("id", "valid"))
    for ballot_id, code, option in Ballot.objects.filter(round=round_).values_list(
        "id", "marks__member__code", "marks__option"
    ):
        if code is not None:
            marks.setdefault(ballot_id, {})[code] = option
    scheme = Scheme.objects.get(year=round_.year)
    return {
        "round": round_code(round_),
        "branch": round_.branch.code,
        "year": round_.year,
        "counted_at": count.counted_at.isoformat(),
        "options": list(scheme.ballot_options),
        "candidates": sorted(count.totals),
        "ballots": [
            {"valid": True, "marks": marks.get(pk, {})} if valid else {"valid": False}
            for pk, valid in ballots
        ],
    }


def anonymous_ballots_csv(document: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["round", "ballot", "valid", *document["candidates"]])
    for n, ballot in enumerate(document["ballots"], start=1):
        marks = ballot.get("marks", {})
        writer.writerow(
            [
                document["round"],
                n,
                1 if ballot["valid"] else 0,
                *(marks.get(c, "") for c in document["candidates"]),
            ]
        )
    return out.getvalue()


@dataclass
class Recount:
    agrees: bool
    ballots: int
    invalid: int
    totals: dict[str, dict[str, int]]
    differences: list[str]


def _count(document: dict) -> tuple[int, int, dict[str, dict[str, int]]]:
    options = list(document["options"])
    totals = {code: dict.fromkeys(options, 0) for code in document["candidates"]}
    invalid = 0
    for ballot in document["ballots"]:
        marks = ballot.get("marks") if ballot.get("valid") else None
        if not isinstance(marks, dict) or set(marks) - set(totals):
            invalid += 1
            continue
        if any(v and v not in options for v in marks.values()):
            invalid += 1
            continue
        for code, option in marks.items():
            if option:
                totals[code][option] += 1
    return len(document["ballots"]), invalid, totals


def recount(*, round_: EvaluationRound, document: dict | None = None) -> Recount:
    """Count the anonymous ballots again (the stored ones, or a downloaded document) and
    compare with the stored count and, once published, the tallies scoring reads."""
    stored = anonymous_ballots(round_=round_)
    document = stored if document is None else document
    differences = []
    try:
        if document.get("round") != stored["round"]:
            differences.append(
                _("文件属于“%(other)s”，不是“%(this)s”。")
                % {"other": document.get("round"), "this": stored["round"]}
            )
            return Recount(False, 0, 0, {}, differences)
        ballots, invalid, totals = _count(document)
    except (AttributeError, KeyError, TypeError):
        return Recount(False, 0, 0, {}, [_("文件不是 Kaoping 导出的匿名选票。")])
    count = VoteCount.objects.get(round=round_)
    if ballots != count.ballots:
        differences.append(
            _("选票数：重新计票 %(a)s 张，计票记录 %(b)s 张。") % {"a": ballots, "b": count.ballots}
        )
    if invalid != count.invalid:
        differences.append(
            _("无效票：重新计票 %(a)s 张，计票记录 %(b)s 张。") % {"a": invalid, "b": count.invalid}
        )
    published: dict[str, dict[str, int]] = {}
    if round_.vote_state == VoteState.PUBLISHED:
        for code, option, n in VoteTally.objects.filter(
            year=round_.year, member__code__in=list(count.totals)
        ).values_list("member__code", "option", "count"):
            published.setdefault(code, {})[option] = n
    for code in sorted(set(totals) | set(count.totals)):
        mine, theirs = totals.get(code, {}), count.totals.get(code, {})
        for option in sorted(set(mine) | set(theirs)):
            a, b = mine.get(option, 0), theirs.get(option, 0)
            if a != b:
                differences.append(
                    _("%(code)s 的“%(option)s”：重新计票 %(a)s 票，计票记录 %(b)s 票。")
                    % {"code": code, "option": option, "a": a, "b": b}
                )
            if published and published.get(code, {}).get(option, 0) != a:
                differences.append(
                    _("%(code)s 的“%(option)s”：重新计票 %(a)s 票，已公布 %(b)s 票。")
                    % {
                        "code": code,
                        "option": option,
                        "a": a,
                        "b": published.get(code, {}).get(option, 0),
                    }
                )
    return Recount(not differences, ballots, invalid, totals, differences)
