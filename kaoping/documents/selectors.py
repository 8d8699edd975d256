"""What a document is filled from (读取): each kind's fields for one object, read only
through the selectors that decide who may see it. A document never holds a ballot, and
a score or grade only once the branch has published its results."""

import datetime

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.archive.models import MemberProfile
from kaoping.evaluation.models import PeerComment, SecretaryComment, SelfEvaluation
from kaoping.evaluation.selectors import round_of
from kaoping.jobs.models import JobRun
from kaoping.kit.decimals import score_text
from kaoping.meetings.models import Attendance, Meeting
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import branch_for_staff, member_access_by_code, scope_for, under_paths
from kaoping.publication.selectors import (
    branch_for_reader,
    member_published,
    publication_of,
    published_rows,
)
from kaoping.scoring.rows import grade_label

from .models import YEAR_ARCHIVE_JOB, DocumentTemplate, YearArchive


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


def published_branch_for_documents(*, actor: Actor, code: str, year: int) -> Organization:
    """A branch whose published results ``actor`` may read (its members and officers, the
    committee); 404 when missing, not theirs, or not yet published."""
    branch = branch_for_reader(actor=actor, code=code)
    if publication_of(branch=branch, year=year) is None:
        raise Http404(
            _("%(branch)s 的 %(year)s 年度结果尚未公示。") % {"branch": branch.name, "year": year}
        )
    return branch


def results_notice_fields(*, branch: Organization, year: int) -> dict[str, object]:
    """党员考评结果公示 of a published branch-year: what the notice posted in the branch
    shows (``branch`` from ``published_branch_for_documents``)."""
    publication = publication_of(branch=branch, year=year)
    if publication is None:  # the access selector has checked; a race with a reopening
        raise Http404(_("结果尚未公示。"))
    rows = [
        {
            "rank": r.rank if r.rank is not None else "—",
            "name": r.member.name,
            "deductions": score_text(r.deductions),
            "bonus": score_text(r.bonus),
            "daily": score_text(r.daily),
            "democratic": score_text(r.democratic) if r.democratic_pct is not None else "—",
            "composite": score_text(r.composite),
            "grade": grade_label(r.grade),
        }
        for r in published_rows(branch=branch, year=year)
    ]
    return {
        "organization": branch.parent.name if branch.parent is not None else "",
        "branch": branch.name,
        "year": year,
        "published_on": timezone.localtime(publication.published_at).date().isoformat(),
        "notice_until": f"{timezone.localtime(publication.notice_until):%Y-%m-%d %H:%M}",
        "rows": rows,
        "generated_on": timezone.localdate().isoformat(),
    }


def meeting_minutes_fields(*, meeting: Meeting) -> dict[str, object]:
    """会议记录 of ``meeting`` (read through ``meeting_record_access_by_code``): when,
    where, who chaired and recorded it, who was present, on leave or absent, and the
    minutes."""
    branch = meeting.branch
    by_status: dict[str, list[str]] = {status: [] for status in Attendance.Status.values}
    for attendance in meeting.attendances.select_related("member").order_by("member__code"):
        by_status[attendance.status].append(attendance.member.name)
    names = {status: "、".join(people) for status, people in by_status.items()}
    starts = timezone.localtime(meeting.starts_at)
    return {
        "organization": branch.parent.name if branch.parent is not None else "",
        "branch": branch.name,
        "kind": meeting.get_kind_display(),
        "topic": meeting.topic,
        "starts_at": f"{starts:%Y-%m-%d %H:%M}",
        "place": meeting.place,
        "host": meeting.host,
        "recorder": meeting.recorder,
        "expected_count": sum(len(people) for people in by_status.values()),
        "present_count": len(by_status[Attendance.Status.PRESENT]),
        "present": names[Attendance.Status.PRESENT],
        "leave_count": len(by_status[Attendance.Status.LEAVE]),
        "on_leave": names[Attendance.Status.LEAVE],
        "absent_count": len(by_status[Attendance.Status.ABSENT]),
        "absent": names[Attendance.Status.ABSENT],
        "unmarked": names[Attendance.Status.UNMARKED],
        "minutes": meeting.minutes,
        "generated_on": timezone.localdate().isoformat(),
    }


# --------------------------------------------------------------------------- archive


def archive_branch_for_reader(*, actor: Actor, code: str) -> Organization:
    """A branch whose year archive ``actor`` may download: its officers and the committee
    above it (the zip holds every member's 登记表); the same 404 for anybody else."""
    return branch_for_staff(actor=actor, code=code)


def year_archive_latest(*, branch: Organization, year: int) -> YearArchive | None:
    """The archive of the branch's latest finalisation of ``year``."""
    return YearArchive.objects.filter(branch=branch, year=year).first()


def year_archive_for_download(*, actor: Actor, code: str, year: int) -> YearArchive:
    """The branch's latest archive of ``year`` for its officers and the committee; 404
    for anybody else and until one is built."""
    branch = archive_branch_for_reader(actor=actor, code=code)
    archive = year_archive_latest(branch=branch, year=year)
    if archive is None:
        raise Http404(
            _("%(branch)s 的 %(year)s 年度还没有归档。") % {"branch": branch.name, "year": year}
        )
    return archive


def year_archive_job(*, branch: Organization, year: int) -> JobRun | None:
    """The latest archive job of the branch-year (its progress while it runs), or None."""
    return (
        JobRun.objects.filter(kind=YEAR_ARCHIVE_JOB, organization=branch, params__year=year)
        .order_by("-created_at", "-id")
        .first()
    )


# --------------------------------------------------------------------------- templates


def template_organizations(*, actor: Actor) -> QuerySet[Organization]:
    """The organisations whose templates ``actor`` keeps: the committee and party
    committees at or below those they are committee admin of (every one for a superuser);
    not branches, which use their committee's."""
    scope = scope_for(actor)
    orgs = Organization.objects.exclude(kind=Organization.Kind.BRANCH).order_by("path")
    if scope.everything:
        return orgs
    if not scope.admin_paths:
        return orgs.none()
    return orgs.filter(under_paths(scope.admin_paths, "path"))


def templates_required(*, actor: Actor) -> None:
    """The templates page is the committee admins' (404 for everybody else)."""
    if not scope_for(actor).is_scheme_admin:
        raise Http404(_("找不到这个页面。"))


def templates_visible(*, actor: Actor) -> QuerySet[DocumentTemplate]:
    """Uploaded templates of the organisations ``actor`` keeps and those below them."""
    templates_required(actor=actor)
    scope = scope_for(actor)
    rows = DocumentTemplate.objects.select_related("organization", "uploaded_by").defer("content")
    if scope.everything:
        return rows
    return rows.filter(under_paths(scope.admin_paths, "organization__path"))


def template_access_by_id(*, actor: Actor, pk: int) -> DocumentTemplate:
    row = templates_visible(actor=actor).defer(None).filter(pk=pk).first()
    if row is None:
        raise Http404(_("找不到这个模板。"))
    return row


def template_in_force(*, kind: str, branch: Organization, year: int) -> DocumentTemplate | None:
    """The template a branch's document of ``year`` is filled from: the latest upload of
    the nearest organisation above it (or itself) for that year; None: the default."""
    rows = [
        row
        for row in DocumentTemplate.objects.filter(kind=kind, year=year).select_related(
            "organization"
        )
        if branch.path.startswith(row.organization.path)
    ]
    if not rows:
        return None
    return max(rows, key=lambda r: (len(r.organization.path), r.uploaded_at, r.pk))
