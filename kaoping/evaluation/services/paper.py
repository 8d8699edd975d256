"""Paper in the evaluation: one-time codes for voting in the meeting room, and the counts
of paper ballots entered by two people independently (typed in, or from a spreadsheet)."""

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor, ProgressFn
from kaoping.audit.services import audit_record
from kaoping.orgs.models import Member
from kaoping.orgs.selectors import manage_required
from kaoping.schemes.models import Scheme, ballot_option_order
from kaoping.sheets.xlsx import Column, RowError, SheetErrors

from ..models import EvaluationRound, PaperCode, PaperTallyEntry, VoteRight
from ..selectors import code_hash, round_candidates
from .checks import BRANCH_REFUSAL, VoteState, _locked, _locked_to_keep, _require_vote_open

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
# Paper tallies from a spreadsheet: one row per candidate, one column per ballot option.
OPTION_HEADERS = {
    "excellent": "优秀",
    "qualified": "合格",
    "basic": "基本合格",
    "unqualified": "不合格",
}


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


@transaction.atomic
def paper_codes_issue(*, actor: Actor, round_: EvaluationRound, members: list[Member]) -> list[str]:
    """Issue one-time codes to members present in the meeting room. Their rights are used
    now; the codes come back in random order and nothing records who got which."""
    round_ = _locked(round_)
    manage_required(actor, round_.branch, BRANCH_REFUSAL)
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


def _paper_refusal(round_: EvaluationRound) -> str | None:
    """Why paper counts may not be entered for the round now (None: they may)."""
    if round_.vote_method != EvaluationRound.VoteMethod.PAPER:
        return _("本支部采用网上投票。")
    if round_.vote_state != VoteState.OPEN:
        return _("测评不在进行中。")
    return None


@transaction.atomic
def paper_tally_enter(
    *, actor: Actor, round_: EvaluationRound, counts: dict[str, dict[str, int]]
) -> PaperTallyEntry:
    """One person's independent entry of the paper counts; two entries by different people
    must agree before ``vote_publish`` lets them count."""
    round_ = _locked_to_keep(actor, round_)
    refusal = _paper_refusal(round_)
    if refusal is not None:
        raise ValidationError(refusal)
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


def paper_sheet_columns(scheme: Scheme) -> tuple[Column, ...]:
    return (
        Column("member", "党员编号", comment="测评名单上党员的编号"),
        Column("name", "姓名", required=False, comment="仅供核对，不导入"),
        *(
            Column(option, OPTION_HEADERS.get(option, option), kind="int", min_value=0)
            for option in sorted(scheme.ballot_options, key=ballot_option_order)
        ),
    )


def paper_sheet_check(
    *, actor: Actor, round_: EvaluationRound, rows: list[Any], progress: ProgressFn = None
) -> tuple[Any, list[RowError]]:
    """Check a spreadsheet of paper counts without writing: every candidate once, counts
    whole and not negative, the round open for paper counts. Returns (counts, errors)."""
    manage_required(actor, round_.branch, BRANCH_REFUSAL)
    errors = []
    refusal = _paper_refusal(round_)
    if refusal is not None:
        errors.append(RowError(1, "", refusal))
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
def paper_sheet_import(
    *, actor: Actor, round_: EvaluationRound, rows: list[Any]
) -> PaperTallyEntry:
    """Enter this person's paper counts from a spreadsheet: all candidates, or nothing."""
    counts, errors = paper_sheet_check(actor=actor, round_=round_, rows=rows)
    if errors:
        raise SheetErrors(errors)
    if any(None in c.values() for c in counts.values()):
        raise ValidationError(_("票数须为不小于 0 的整数。"))
    return paper_tally_enter(actor=actor, round_=round_, counts=counts)
