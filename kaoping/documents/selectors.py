"""What a document is filled from (读取): each kind's fields for one object, read only
through the selectors that decide who may see it. A document never holds a ballot, and
a score or grade only once the branch has published its results."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.archive.models import MemberProfile
from kaoping.evaluation.models import PeerComment, SecretaryComment, SelfEvaluation
from kaoping.evaluation.selectors import round_of
from kaoping.kit.decimals import score_text
from kaoping.orgs.models import Member
from kaoping.orgs.selectors import member_access_by_code
from kaoping.publication.selectors import member_published


def member_for_documents(*, actor: Actor, code: str) -> Member:
    """A member whose documents ``actor`` may read: the member, the branch's officers and
    the committee above it; the same 404 for missing and not theirs."""
    return member_access_by_code(actor=actor, code=code)


def _date(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def _peer_summary(comments: list[PeerComment]) -> str:
    """The comments a member received, numbered, without their authors."""
    lines = []
    for n, comment in enumerate(comments, start=1):
        parts = [
            f"{label}：{text.strip()}"
            for label, text in (
                (_("优点"), comment.strengths),
                (_("不足"), comment.shortcomings),
                (_("建议"), comment.suggestions),
            )
            if text.strip()
        ]
        if parts:
            lines.append(f"{n}. " + "；".join(parts))
    return "\n".join(lines)


def registration_form_fields(*, member: Member, year: int) -> dict[str, object]:
    """民主评议党员登记表 of ``member`` for ``year`` (``member`` from
    ``member_for_documents``)."""
    branch = member.branch
    profile = MemberProfile.objects.filter(member=member).first() or MemberProfile()
    evaluation = round_of(branch=branch, year=year)
    own = peers = comment = None
    if evaluation is not None:
        own = SelfEvaluation.objects.filter(
            round=evaluation, member=member, status=SelfEvaluation.Status.SUBMITTED
        ).first()
        peers = list(PeerComment.objects.filter(round=evaluation, subject=member).order_by("id"))
        comment = SecretaryComment.objects.filter(round=evaluation, member=member).first()
    result = member_published(member=member, year=year)
    unpublished = _("（结果尚未公示）")
    grade = result.get_grade_display() if result is not None else unpublished
    return {
        "organization": branch.parent.name if branch.parent is not None else branch.name,
        "branch": branch.name,
        "year": year,
        "member_name": member.name,
        "member_code": member.code,
        "gender": profile.get_gender_display() if profile.gender else "",
        "ethnicity": profile.ethnicity,
        "birth_date": _date(profile.birth_date),
        "education": profile.education,
        "joined_on": _date(profile.joined_on),
        "job": profile.job,
        "self_problems": own.problems if own else "",
        "self_causes": own.causes if own else "",
        "self_measures": own.measures if own else "",
        "peer_count": len(peers or []),
        "peer_summary": _peer_summary(peers or []),
        "secretary_comment": comment.comment if comment else "",
        "secretary_requirements": comment.requirements if comment else "",
        "vote_percent": (
            score_text(result.democratic_pct) + "%"
            if result is not None and result.democratic_pct is not None
            else ("—" if result is not None else unpublished)
        ),
        "daily_score": score_text(result.daily) if result is not None else unpublished,
        "composite_score": score_text(result.composite) if result is not None else unpublished,
        "grade": grade,
        "organization_opinion": (
            _("经党支部民主评议，评定为“%(grade)s”。") % {"grade": grade}
            if result is not None
            else ""
        ),
        "generated_on": timezone.localdate().isoformat(),
    }
