"""Reminders of a member's own duties with a date (应尽事项): the month's dues before the
branch's deadline, the evaluation's self-evaluation, peer comments and vote before their
deadlines (the secretary's comments: to the secretaries, how many are left), and an
appeal before the notice period ends (its secretaries: the appeals
still unanswered). Each goes only to those who have not done theirs, and says nothing about
anyone else (rules.py has the meeting and task reminders)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.dues.selectors import DuesStatus, deadline_of, dues_month, dues_settings_for
from kaoping.evaluation.models import (
    EvaluationRound,
    PeerComment,
    SecretaryComment,
    SelfEvaluation,
    VoteRight,
)
from kaoping.evaluation.selectors import round_candidates
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import secretaries_by_branch
from kaoping.publication.models import Appeal, Publication

from .reminder import Reminder
from .timing import ReminderTiming, label, stage_for

DAY = datetime.timedelta(days=1)


def _end_of(day: datetime.date) -> datetime.datetime:
    """A deadline day ends at the next local midnight."""
    return timezone.make_aware(datetime.datetime.combine(day + DAY, datetime.time()))


def _stage(day: datetime.date, now: datetime.datetime, before) -> str | None:
    left = _end_of(day) - now
    if left <= datetime.timedelta(0):
        return None
    stage = stage_for(left, before)
    return label(stage) if stage is not None else None


def _users(members) -> list:
    return [m.user for m in members if m.user is not None and m.user.is_active]


def dues_reminders(now: datetime.datetime, timing: ReminderTiming) -> Iterator[Reminder]:
    """Before the month's dues deadline, to the members with a rate who have not paid it
    in full."""
    period = timezone.localtime(now).date().replace(day=1)
    branches = Organization.objects.filter(
        kind=Organization.Kind.BRANCH,
        members__dues_rates__year=period.year,
    ).distinct()
    for branch in branches:
        deadline = deadline_of(period, dues_settings_for(branch))
        stage = _stage(deadline, now, timing.dues_before)
        if stage is None:
            continue
        owing = [
            row.member
            for row in dues_month(branch=branch, period=period)
            if row.status in (DuesStatus.UNPAID, DuesStatus.SHORT)
        ]
        members = Member.objects.filter(pk__in=[m.pk for m in owing]).select_related("user")
        yield Reminder(
            kind="dues",
            stage=stage,
            object_key=f"{branch.code}:{period:%Y-%m}",
            users=_users(members),
            text=_("党费提醒：%(month)s的党费请于 %(deadline)s 前交纳。")
            % {"month": f"{period:%Y年%m月}", "deadline": deadline.isoformat()},
            link="/me/",
        )


def evaluation_reminders(now: datetime.datetime, timing: ReminderTiming) -> Iterator[Reminder]:
    """Before the deadline of the round's current step, to those who have not done it:
    the self-evaluation, the peer comments, the online vote."""
    Step = EvaluationRound.Step
    rounds = EvaluationRound.objects.filter(
        step__in=[Step.SELF, Step.PEER, Step.SECRETARY, Step.VOTE]
    ).select_related("branch")
    for evaluation in rounds:
        if evaluation.step == Step.SECRETARY:
            yield from _secretary_comments_reminder(evaluation, now, timing)
            continue
        step, deadline, members = _undone(evaluation)
        if deadline is None:
            continue
        stage = _stage(deadline, now, timing.evaluation_before)
        if stage is None:
            continue
        yield Reminder(
            kind=f"evaluation_{step}",
            stage=stage,
            object_key=f"{evaluation.branch.code}:{evaluation.year}",
            users=_users(members.select_related("user")),
            text=_("民主评议提醒：请于 %(deadline)s 前完成“%(step)s”。")
            % {
                "deadline": deadline.isoformat(),
                "step": EvaluationRound.Step(step).label,
            },
            link=reverse("evaluation:mine", args=[evaluation.year]),
        )


def _secretary_comments_reminder(
    evaluation: EvaluationRound, now: datetime.datetime, timing: ReminderTiming
) -> Iterator[Reminder]:
    """书记点评: before its deadline, to the branch's secretaries, how many members are
    still without a comment."""
    if evaluation.secretary_deadline is None:
        return
    stage = _stage(evaluation.secretary_deadline, now, timing.evaluation_before)
    if stage is None:
        return
    commented = SecretaryComment.objects.filter(round=evaluation).values("member")
    left = round_candidates(evaluation).exclude(pk__in=commented).count()
    if not left:
        return
    yield Reminder(
        kind="evaluation_secretary",
        stage=stage,
        object_key=f"{evaluation.branch.code}:{evaluation.year}",
        users=secretaries_by_branch({evaluation.branch_id})[evaluation.branch_id],
        text=_("书记点评提醒：请于 %(deadline)s 前完成点评，尚有 %(count)s 名党员未点评。")
        % {"deadline": evaluation.secretary_deadline.isoformat(), "count": left},
        link=reverse("evaluation:round", args=[evaluation.branch.code, evaluation.year]),
    )


def _undone(evaluation: EvaluationRound):
    """The current step, its deadline and the members who have not done it."""
    members = evaluation.branch.members.filter(status__in=Member.assessed_statuses())
    if evaluation.step == EvaluationRound.Step.SELF:
        submitted = SelfEvaluation.objects.filter(
            round=evaluation, status=SelfEvaluation.Status.SUBMITTED
        ).values("member")
        return "self", evaluation.self_deadline, members.exclude(pk__in=submitted)
    if evaluation.step == EvaluationRound.Step.PEER:
        commented = PeerComment.objects.filter(round=evaluation).values("author")
        return "peer", evaluation.peer_deadline, members.exclude(pk__in=commented)
    if evaluation.vote_state != EvaluationRound.VoteState.OPEN or (
        evaluation.vote_method != EvaluationRound.VoteMethod.ONLINE
    ):
        return "vote", None, members.none()
    # The roll says only whether a right was used, never how: told to its holder alone.
    unused = VoteRight.objects.filter(round=evaluation, used=False).values("member")
    return "vote", evaluation.vote_deadline, Member.objects.filter(pk__in=unused)


def notice_reminders(now: datetime.datetime, timing: ReminderTiming) -> Iterator[Reminder]:
    """Before a notice period (公示期) ends: to the branch's members, that an appeal must
    be filed before it; to its secretaries, how many appeals are still unanswered."""
    publications = Publication.objects.filter(
        notice_until__gt=now, notice_until__lte=now + max(timing.notice_before)
    ).select_related("branch")
    for publication in publications:
        stage = stage_for(publication.notice_until - now, timing.notice_before)
        if stage is None:
            continue
        branch, year = publication.branch, publication.year
        key = f"{branch.code}:{year}:{publication.version}"
        until = f"{timezone.localtime(publication.notice_until):%Y-%m-%d %H:%M}"
        members = branch.members.filter(status__in=Member.assessed_statuses())
        yield Reminder(
            kind="notice",
            stage=label(stage),
            object_key=key,
            users=_users(members.select_related("user")),
            text=_("公示提醒：%(year)s年度考评结果公示将于 %(until)s 结束，如有异议请于此前申诉。")
            % {"year": year, "until": until},
            link=f"/me/?year={year}#publication",
        )
        unanswered = Appeal.objects.filter(
            year=year, member__branch=branch, status=Appeal.Status.OPEN
        ).count()
        if unanswered:
            yield Reminder(
                kind="notice_appeals",
                stage=label(stage),
                object_key=key,
                users=secretaries_by_branch({branch.pk})[branch.pk],
                text=_("公示将于 %(until)s 结束，尚有 %(count)s 件申诉未答复，请及时答复。")
                % {"until": until, "count": unanswered},
                link=reverse("publication:branch", args=[branch.code, year]),
            )
