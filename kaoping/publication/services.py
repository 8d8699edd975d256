"""Writes above scoring: publication (公示), appeals (申诉), finalisation (定格), reopening."""

import datetime
from collections import Counter
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record
from kaoping.evaluation.models import EvaluationRound
from kaoping.kit.users import user_or_none
from kaoping.ledger.models import ScoreEntry
from kaoping.ledger.services import entry_record, entry_reverse
from kaoping.notifications.services import notification_send, notification_send_many
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import manage_required, scope_for
from kaoping.schemes.models import Scheme, SchemeItem
from kaoping.schemes.selectors import year_is_frozen
from kaoping.schemes.services import branch_year_finalise, branch_year_reopen
from kaoping.scoring.models import Grade
from kaoping.scoring.selectors import live_results
from kaoping.scoring.services import branch_results_store, grade_record_set

from .models import Appeal, Publication
from .signals import branch_year_finalised

FINAL_GRADES = (Grade.EXCELLENT, Grade.QUALIFIED, Grade.BASIC, Grade.WARNING)


_require_manage = partial(manage_required, refusal=gettext_lazy("您无权管理 %(branch)s。"))


def _scheme(year: int) -> Scheme:
    scheme = Scheme.objects.filter(year=year).first()
    if scheme is None:
        raise ValidationError(_("%(year)s 年度还没有考评方案。") % {"year": year})
    return scheme


def _require_open(year: int, branch: Organization) -> None:
    if year_is_frozen(year=year, branch=branch):
        raise ValidationError(_("%(year)s 年度结果已定格，不能再修改。") % {"year": year})


def _link(year: int) -> str:
    return f"/me/?year={year}#publication"


def _members_users(branch: Organization) -> list[Any]:
    return [m.user for m in Member.objects.filter(branch=branch).select_related("user")]


def pending_members(*, scheme: Scheme, branch: Organization) -> list[str]:
    """Members whose grade waits for the organisation's determination of a quota tie."""
    return [
        r.member for r in live_results(scheme=scheme, branches=[branch]) if r.grade == Grade.PENDING
    ]


def _republish(
    actor: Actor, scheme: Scheme, branch: Organization, publication: Publication
) -> None:
    """Publish again after a correction: the notice period starts anew from now, so the
    members get the whole period to see (and appeal) the corrected results."""
    branch_results_store(actor=actor, scheme=scheme, branch=branch)
    before = publication.notice_until
    publication.version += 1
    publication.published_at = timezone.now()
    publication.notice_until = publication.published_at + datetime.timedelta(
        days=scheme.notice_days
    )
    publication.published_by = user_or_none(actor)
    publication.save(update_fields=["version", "published_at", "notice_until", "published_by"])
    audit_record(
        actor=actor,
        action="publication.republish",
        target=branch,
        before={"notice_until": before.isoformat()},
        after={
            "year": scheme.year,
            "version": publication.version,
            "notice_until": publication.notice_until.isoformat(),
        },
    )
    notification_send_many(
        users=_members_users(branch),
        text=_("%(year)s 年度考评结果已更正并重新公示，公示期重新计算，至 %(until)s 结束。")
        % {"year": scheme.year, "until": _local_text(publication.notice_until)},
        link=_link(scheme.year),
    )


def _local_text(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class PublicationPlan:
    """What publishing the branch's results would do (shown before it is confirmed)."""

    branch: Organization
    year: int
    members: int  # members told, and whose results are published
    notice_days: int
    notice_until: datetime.datetime  # the deadline if published now
    republication: bool
    previous_until: datetime.datetime | None

    def consequences(self) -> list[str]:
        lines = [
            _("公示 %(branch)s %(year)s 年度 %(n)s 名党员的考评结果，并通知本支部全体党员。")
            % {"branch": self.branch.name, "year": self.year, "n": self.members},
            _("公示期 %(days)s 天，至 %(until)s 结束；公示期内党员可以申诉。")
            % {"days": self.notice_days, "until": _local_text(self.notice_until)},
        ]
        if self.republication:
            lines.append(
                _("这是重新公示：公示期从现在起重新计算（原截止时间 %(before)s）。")
                % {"before": _local_text(self.previous_until)}
            )
        lines.append(_("公示后结果存档，不能撤回；更正只能通过申诉答复后重新公示。"))
        return lines


def publication_plan(*, actor: Actor, branch: Organization, year: int) -> PublicationPlan:
    """Check that the branch's results can be published now and say what publishing
    does; ``publication_publish`` acts on this same plan."""
    _require_manage(actor, branch)
    scheme = _scheme(year)
    _require_open(year, branch)
    round_ = EvaluationRound.objects.filter(year=year, branch=branch).first()
    if round_ is None or round_.step != EvaluationRound.Step.DETERMINATION:
        raise ValidationError(_("民主评议完成（票数公布）后才能公示结果。"))
    pending = pending_members(scheme=scheme, branch=branch)
    if pending:
        raise ValidationError(
            _("以下党员在优秀名额处并列，须先作出组织认定：%(codes)s。")
            % {"codes": "、".join(pending)}
        )
    previous = Publication.objects.filter(year=year, branch=branch).first()
    return PublicationPlan(
        branch=branch,
        year=year,
        members=Member.objects.filter(branch=branch).count(),
        notice_days=scheme.notice_days,
        notice_until=timezone.now() + datetime.timedelta(days=scheme.notice_days),
        republication=previous is not None,
        previous_until=previous.notice_until if previous else None,
    )


@transaction.atomic
def publication_publish(*, actor: Actor, branch: Organization, year: int) -> Publication:
    """Publish the branch's results to its members for the scheme's notice period (公示),
    once the vote's totals are in and every quota tie is determined (组织认定). Publishing
    again (after an upheld appeal, or by hand) starts the notice period anew."""
    publication_plan(actor=actor, branch=branch, year=year)
    scheme = _scheme(year)
    publication = Publication.objects.select_for_update().filter(year=year, branch=branch).first()
    if publication is not None:
        _republish(actor, scheme, branch, publication)
        return publication
    branch_results_store(actor=actor, scheme=scheme, branch=branch)
    now = timezone.now()
    publication = Publication.objects.create(
        year=year,
        branch=branch,
        published_at=now,
        notice_until=now + datetime.timedelta(days=scheme.notice_days),
        published_by=user_or_none(actor),
    )
    audit_record(
        actor=actor,
        action="publication.publish",
        target=branch,
        after={"year": year, "notice_until": publication.notice_until.isoformat()},
    )
    notification_send_many(
        users=_members_users(branch),
        text=_("%(year)s 年度考评结果已公示，公示期 %(days)s 天，如有异议可在公示期内申诉。")
        % {"year": year, "days": scheme.notice_days},
        link=_link(year),
    )
    return publication


@transaction.atomic
def appeal_file(
    *, actor: Actor, member: Member, year: int, reasons: str, evidence: str = "", entry: Any = None
) -> Appeal:
    """A member appeals an entry of the year or their grade, during the notice period."""
    if scope_for(actor).member_id != member.pk:
        raise PermissionDenied(_("只有党员 %(member)s 本人可以申诉。") % {"member": member.code})

    publication = Publication.objects.filter(year=year, branch=member.branch).first()
    if publication is None:
        raise ValidationError(_("结果尚未公示，不能申诉。"))
    if not publication.in_notice_period:
        raise ValidationError(_("公示期已结束，不能再申诉。"))
    _require_open(year, member.branch)
    if not reasons.strip():
        raise ValidationError({"reasons": _("请写明申诉理由。")})
    if entry is not None and (entry.member_id != member.pk or entry.year != year):
        raise ValidationError({"entry": _("只能对本人本年度的记录申诉。")})
    # One open appeal per subject (the grade, or one entry): a double click or a second tab
    # would otherwise file it twice. The member's row serialises concurrent filings.
    Member.objects.select_for_update().filter(pk=member.pk).first()
    if Appeal.objects.filter(
        year=year, member=member, entry=entry, status=Appeal.Status.OPEN
    ).exists():
        raise ValidationError(_("您已就此提出申诉，正在等待支部答复。"))
    appeal = Appeal.objects.create(
        year=year, member=member, entry=entry, reasons=reasons, evidence=evidence
    )
    audit_record(
        actor=actor,
        action="appeal.file",
        target=appeal,
        target_id=appeal.code,
        after={"member": member.code, "entry": entry.code if entry else None, "year": year},
    )
    notification_send(
        user=member.user,
        text=_("您的申诉 %(code)s 已提交，支部将作出答复。") % {"code": appeal.code},
        link=_link(year),
    )
    return appeal


@transaction.atomic
def appeal_answer(
    *,
    actor: Actor,
    appeal: Appeal,
    upheld: bool,
    answer: str,
    reverse_entry: bool = False,
    add_item: SchemeItem | None = None,
    add_occurrences: int = 1,
    add_date: datetime.date | None = None,
) -> Appeal:
    """The branch answers an appeal. Upheld: the appealed entry is reversed and/or an entry
    is added (through the ledger's services), the results are recomputed and republished.
    Refused: the reason is the answer. The member is told either way."""
    appeal = Appeal.objects.select_for_update().select_related("member__branch").get(pk=appeal.pk)
    branch = appeal.member.branch
    _require_manage(actor, branch)
    scheme = _scheme(appeal.year)
    _require_open(appeal.year, branch)
    if appeal.status != Appeal.Status.OPEN:
        raise ValidationError(_("该申诉已经答复。"))
    if not answer.strip():
        raise ValidationError({"answer": _("请写明答复意见和理由。")})
    changes = []
    if upheld:
        if not reverse_entry and add_item is None:
            raise ValidationError(_("申诉成立时须冲销被申诉的记录或补录记录。"))
        note = _("申诉 %(code)s 成立：%(answer)s") % {"code": appeal.code, "answer": answer}
        if reverse_entry:
            if appeal.entry is None:
                raise ValidationError({"reverse_entry": _("该申诉没有指向具体记录。")})
            reversal = entry_reverse(
                actor=actor, entry=appeal.entry, reason=note, source=ScoreEntry.Source.APPEAL
            )
            changes.append(reversal.code)
        if add_item is not None:
            added = entry_record(
                actor=actor,
                member=appeal.member,
                item=add_item,
                date=add_date or timezone.localdate(),
                occurrences=add_occurrences,
                note=note,
                source=ScoreEntry.Source.APPEAL,
            )
            changes.append(added.code)
    appeal.status = Appeal.Status.UPHELD if upheld else Appeal.Status.REFUSED
    appeal.answer = answer
    appeal.answered_by = user_or_none(actor)
    appeal.answered_at = timezone.now()
    appeal.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    audit_record(
        actor=actor,
        action="appeal.answer",
        target=appeal,
        target_id=appeal.code,
        after={"status": appeal.status, "entries": changes},
        note=answer,
    )
    if upheld:
        publication = Publication.objects.select_for_update().get(year=appeal.year, branch=branch)
        _republish(actor, scheme, branch, publication)
    notification_send(
        user=appeal.member.user,
        text=(
            _("您的申诉 %(code)s 成立，结果已重新计算并公示：%(answer)s")
            if upheld
            else _("您的申诉 %(code)s 不成立：%(answer)s")
        )
        % {"code": appeal.code, "answer": answer},
        link=_link(appeal.year),
    )
    return appeal


def finalisation_blockers(*, scheme: Scheme, branch: Organization) -> list[str]:
    """Why the branch cannot finalise the year yet (empty: it can)."""
    blockers = []
    publication = Publication.objects.filter(year=scheme.year, branch=branch).first()
    if publication is None:
        blockers.append(_("结果尚未公示。"))
    elif publication.in_notice_period:
        blockers.append(
            _("公示期至 %(until)s 结束。")
            % {"until": timezone.localtime(publication.notice_until).strftime("%Y-%m-%d %H:%M")}
        )
    if Appeal.objects.filter(
        year=scheme.year, member__branch=branch, status=Appeal.Status.OPEN
    ).exists():
        blockers.append(_("还有未答复的申诉。"))
    pending = pending_members(scheme=scheme, branch=branch)
    if pending:
        blockers.append(_("优秀名额并列尚未认定：%(codes)s。") % {"codes": "、".join(pending)})
    return blockers


@dataclass(frozen=True)
class FinalisationPlan:
    """What finalising the branch's year would do (shown before it is confirmed)."""

    branch: Organization
    year: int
    records: list[tuple[Member, str]]  # (member, final grade) written to the record
    unrecorded: list[Member]  # members without a final grade (deferred …)
    entries: int  # the year's ledger entries of the branch, frozen
    blockers: list[str]

    def consequences(self) -> list[str]:
        counts = Counter(grade for _member, grade in self.records)
        labels = dict(Grade.choices)
        by_grade = (
            "、".join(f"{labels[g]} {counts[g]} 人" for g in FINAL_GRADES if counts[g]) or "—"
        )
        lines = [
            _("%(n)s 名党员的等次记入党员档案：%(grades)s。")
            % {"n": len(self.records), "grades": by_grade},
            _(
                "本支部 %(year)s 年度的 %(entries)s 条台账记录、测评票数和选票全部冻结，"
                "不能再录入、冲销或申诉。"
            )
            % {"year": self.year, "entries": self.entries},
        ]
        if self.unrecorded:
            lines.append(
                _("以下党员没有最终等次，不记入档案：%(names)s。")
                % {"names": "、".join(m.name for m in self.unrecorded)}
            )
        lines.append(_("定格后只有区直机关工委管理员可以说明理由重新开放。"))
        return lines


def finalisation_plan(*, actor: Actor, branch: Organization, year: int) -> FinalisationPlan:
    """Say what finalising would do; ``branch_finalise`` records exactly these grades.
    ``blockers`` lists why it cannot happen yet (open appeals, the notice period …)."""
    _require_manage(actor, branch)
    scheme = _scheme(year)
    _require_open(year, branch)
    by_code = {m.code: m for m in Member.objects.filter(branch=branch)}
    records, unrecorded = [], []
    for result in live_results(scheme=scheme, branches=[branch]):
        if result.grade in FINAL_GRADES:
            records.append((by_code[result.member], str(result.grade)))
        else:
            unrecorded.append(by_code[result.member])
    return FinalisationPlan(
        branch=branch,
        year=year,
        records=records,
        unrecorded=unrecorded,
        entries=ScoreEntry.objects.filter(year=year, member__branch=branch).count(),
        blockers=finalisation_blockers(scheme=scheme, branch=branch),
    )


@transaction.atomic
def branch_finalise(*, actor: Actor, branch: Organization, year: int) -> int:
    """定格: the period is over and nothing is open; the grades become the members' record
    (``GradeRecord``) and the year's entries, tallies and ballots are frozen."""
    plan = finalisation_plan(actor=actor, branch=branch, year=year)
    if plan.blockers:
        raise ValidationError(plan.blockers)
    scheme = _scheme(year)
    branch_results_store(actor=actor, scheme=scheme, branch=branch)
    for member, grade in plan.records:
        grade_record_set(actor=actor, member=member, year=year, grade=grade)
    branch_year_finalise(actor=actor, scheme=scheme, branch=branch)
    notification_send_many(
        users=_members_users(branch),
        text=_("%(year)s 年度考评结果已定格。") % {"year": year},
        link=_link(year),
    )
    transaction.on_commit(
        lambda: branch_year_finalised.send(
            sender=branch_finalise, actor=actor, branch=branch, year=year
        )
    )
    return len(plan.records)


@transaction.atomic
def branch_reopen(*, actor: Actor, branch: Organization, year: int, reason: str) -> None:
    """Reopen a finalised year: committee admins only, with a recorded reason."""
    scheme = _scheme(year)
    branch_year_reopen(actor=actor, scheme=scheme, branch=branch, reason=reason)
