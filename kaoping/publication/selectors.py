"""Reads above scoring, scoped by the actor: the published results of a branch, appeals,
the determination view."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.evaluation.models import EvaluationRound, QuotaDecision
from kaoping.kit.steps import Step, steps_at
from kaoping.ledger.models import ScoreEntry
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import organization_access_by_code, scope_for
from kaoping.schemes.models import Scheme
from kaoping.scoring.models import MemberResult
from kaoping.scoring.selectors import live_results

from .models import Appeal, Publication


def branch_for_reader(*, actor: Actor, code: str, manage: bool = False) -> Organization:
    """The branch if the actor is one of its officers or (not managing) one of its members:
    publication is to the branch."""
    org = organization_access_by_code(actor=actor, code=code, manage=manage)
    if not org.is_branch:
        raise Http404(_("找不到这个党支部。"))
    return org


def branch_for_officer(*, actor: Actor, code: str) -> Organization:
    """The branch for its officers and those above it (the publication management page
    and the branch's appeals); 404 for its members and everyone else."""
    branch = branch_for_reader(actor=actor, code=code)
    if not is_officer(actor=actor, branch=branch):
        raise Http404(_("只有支部委员和上级组织可以查看公示管理页。"))
    return branch


def is_officer(*, actor: Actor, branch: Organization) -> bool:
    return scope_for(actor).reads(branch.path)


def publication_of(*, branch: Organization, year: int) -> Publication | None:
    return Publication.objects.filter(branch=branch, year=year).first()


def published_rows(*, branch: Organization, year: int) -> list[MemberResult]:
    """The stored (published) results of the branch, in rank order."""
    rows = list(
        MemberResult.objects.filter(year=year, branch=branch)
        .select_related("member")
        .order_by("rank", "member__code")
    )
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.member.code))
    return rows


def notice_print_context(*, branch: Organization, year: int) -> dict:
    """What the notice's print page of a published branch-year shows (the page and its
    archival PDF)."""
    return {
        "branch": branch,
        "scheme": Scheme.objects.filter(year=year).first(),
        "publication": publication_of(branch=branch, year=year),
        "rows": published_rows(branch=branch, year=year),
    }


def member_published(*, member: Member, year: int) -> MemberResult | None:
    if publication_of(branch=member.branch, year=year) is None:
        return None
    return MemberResult.objects.filter(year=year, member=member).first()


def determination_rows(*, scheme: Scheme, branch: Organization) -> list[dict]:
    """Live results of the branch with the tie decisions (组织认定)."""
    members = {m.code: m for m in Member.objects.filter(branch=branch)}
    decisions = {
        d.member.code: d
        for d in QuotaDecision.objects.filter(
            year=scheme.year, member__branch=branch
        ).select_related("member")
    }
    return [
        {"result": r, "member": members[r.member], "decision": decisions.get(r.member)}
        for r in live_results(scheme=scheme, branches=[branch])
    ]


def branch_appeals(*, branch: Organization, year: int) -> QuerySet[Appeal]:
    return (
        Appeal.objects.filter(year=year, member__branch=branch)
        .select_related("member", "entry__item", "answered_by")
        .order_by("filed_at")
    )


def member_appeals(*, member: Member, year: int | None) -> QuerySet[Appeal]:
    """The member's appeals of ``year`` (None: of every year)."""
    appeals = Appeal.objects.filter(member=member).select_related("member", "entry__item")
    return appeals if year is None else appeals.filter(year=year)


def appeal_access_by_code(*, actor: Actor, code: str, manage: bool = False) -> Appeal:
    appeal = (
        Appeal.objects.select_related("member__branch", "entry__item").filter(code=code).first()
    )
    if appeal is None:
        raise Http404(_("找不到申诉 %(code)s。") % {"code": code})
    scope = scope_for(actor)
    if manage and scope.manages(appeal.member.branch.path):
        return appeal
    if not manage and (
        scope.reads(appeal.member.branch.path) or scope.member_id == appeal.member_id
    ):
        return appeal
    raise Http404(_("找不到申诉 %(code)s。") % {"code": code})


def appealable_entries(*, member: Member, year: int) -> QuerySet[ScoreEntry]:
    return (
        ScoreEntry.objects.filter(member=member, year=year, reverses__isnull=True)
        .exclude(reversed_by__isnull=False)
        .select_related("item")
        .order_by("date")
    )


def publication_steps(
    *,
    round_: EvaluationRound | None,
    publication: Publication | None,
    appeals: list[Appeal],
    frozen: bool,
) -> list[Step]:
    """The step indicator of the year's end (kit.steps): 组织认定 → 公示 → 申诉 → 定格,
    from the round's step, the publication, its notice period and the open appeals."""
    labels = [_("组织认定"), _("公示结果"), _("公示期与申诉"), _("定格")]
    if frozen:
        return steps_at(labels, len(labels))
    if publication is None:
        determining = round_ is not None and round_.step == EvaluationRound.Step.DETERMINATION
        return steps_at(labels, 0 if determining else None)
    open_appeals = sum(1 for a in appeals if a.status == Appeal.Status.OPEN)
    if timezone.now() < publication.notice_until or open_appeals:
        steps = steps_at(labels, 2)
        until = timezone.localtime(publication.notice_until).strftime("%Y-%m-%d %H:%M")
        note = _("公示期至 %(until)s，待答复申诉 %(n)s 件") % {"until": until, "n": open_appeals}
        steps[2] = Step(steps[2].label, "current", note=note)
        return steps
    return steps_at(labels, 3)


def reopen_consequences(*, branch: Organization, year: int, reason: str) -> list[str]:
    """What reopening a finalised branch-year will do, for its confirmation step."""
    names = {"branch": branch.name, "year": year}
    return [
        _("重新开放 %(branch)s %(year)s 年度：台账、考勤、申报、任务和申诉重新可以办理。") % names,
        _("已记入党员档案的等次暂不改动；再次定格时按届时的结果重新记入。"),
        _("重新开放的原因“%(reason)s”记入审计日志。") % {"reason": reason.strip()},
        _("办理完毕后须由支部再次定格。"),
    ]
