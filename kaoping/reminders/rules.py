"""Which reminders are due (应发提醒): one function per kind, each returning the
reminders due at ``now`` with their recipients and text.

Texts say only what the recipient should do and by when: never a score, a grade, a vote
or anything about another member (the secretary's reminder of a missed task gives a
count, not names)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.delivery.notices import GroupNotice
from kaoping.meetings.models import Attendance, Meeting
from kaoping.meetings.selectors import meeting_timings
from kaoping.meetings.services import meeting_link
from kaoping.orgs.models import Organization
from kaoping.orgs.selectors import secretaries_by_branch
from kaoping.tasks.models import Assignment, Task
from kaoping.tasks.services import task_link

from .reminder import Reminder
from .rules_duties import dues_reminders, evaluation_reminders, notice_reminders
from .timing import ReminderTiming, label, stage_for

# A missed task is reported this long after its miss at the latest: starting the
# scheduler on an old database does not flood the secretaries with last year's tasks.
MISSED_LOOKBACK = datetime.timedelta(days=7)
URGENT_WITHIN = datetime.timedelta(hours=1)


def _when(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def _to_group(
    branch: Organization, first_stage: bool, what: str, due: datetime.datetime, link: str
) -> dict:
    """The group part of a reminder: what the whole branch is to do by when, at the first
    stage only (a group is not told the same thing three times)."""
    if not first_stage:
        return {}
    return {"group": branch, "group_notice": GroupNotice(what=what, due=due, link=link)}


def meeting_reminders(now: datetime.datetime, timing: ReminderTiming) -> Iterator[Reminder]:
    """Before a meeting, to those who must attend and have no approved leave, with the
    written-leave cut-off while it is still ahead."""
    attending = (
        Attendance.objects.exclude(status=Attendance.Status.LEAVE)
        .filter(member__user__is_active=True)
        .select_related("member__user")
    )
    meetings = list(
        Meeting.objects.filter(
            status=Meeting.Status.OPEN,
            starts_at__gt=now,
            starts_at__lte=now + max(timing.meeting_before),
        )
        .select_related("branch")
        .prefetch_related(Prefetch("attendances", queryset=attending, to_attr="attending"))
    )
    timings = meeting_timings(meetings)
    for meeting in meetings:
        stage = stage_for(meeting.starts_at - now, timing.meeting_before)
        if stage is None:
            continue
        attendances = meeting.attending
        cutoff = timings[meeting.pk].leave_cutoff
        text = _("会议提醒：%(kind)s「%(topic)s」将于 %(start)s 在 %(place)s 召开。") % {
            "kind": meeting.get_kind_display(),
            "topic": meeting.topic,
            "start": _when(meeting.starts_at),
            "place": meeting.place,
        }
        if cutoff > now:
            text += _("如需请假，请在 %(cutoff)s 前提交书面请假。") % {"cutoff": _when(cutoff)}
        yield Reminder(
            kind="meeting",
            stage=label(stage),
            object_key=meeting.code,
            users=[a.member.user for a in attendances if a.member.user is not None],
            text=text,
            link=meeting_link(meeting),
            urgent=stage <= URGENT_WITHIN,
            **_to_group(
                meeting.branch,
                stage == max(timing.meeting_before),
                _("会议：%(kind)s「%(topic)s」，地点：%(place)s")
                % {
                    "kind": meeting.get_kind_display(),
                    "topic": meeting.topic,
                    "place": meeting.place,
                },
                timezone.localtime(meeting.starts_at),
                meeting_link(meeting),
            ),
        )


def task_reminders(now: datetime.datetime, timing: ReminderTiming) -> Iterator[Reminder]:
    """Before a task's deadline, to the members who have not handed it in."""
    tasks = Task.objects.filter(
        status=Task.Status.OPEN, due_at__gt=now, due_at__lte=now + max(timing.task_before)
    ).select_related("branch")
    for task in tasks:
        stage = stage_for(task.due_at - now, timing.task_before)
        if stage is None:
            continue
        pending = task.assignments.filter(
            status=Assignment.Status.PENDING, member__user__is_active=True
        ).select_related("member__user")
        yield Reminder(
            kind="task",
            stage=label(stage),
            object_key=task.code,
            users=[a.member.user for a in pending if a.member.user is not None],
            text=_("任务提醒：「%(title)s」将于 %(due)s 截止，请按时完成并提交。")
            % {"title": task.title, "due": _when(task.due_at)},
            link=task_link(task),
            **_to_group(
                task.branch,
                stage == max(timing.task_before),
                _("任务：「%(title)s」，请按时完成并提交") % {"title": task.title},
                timezone.localtime(task.due_at),
                task_link(task),
            ),
        )


def task_missed_reminders(now: datetime.datetime, timing: ReminderTiming) -> Iterator[Reminder]:
    """After a missed deadline, to the branch's secretaries: how many have not done it."""
    since = now - timing.task_missed_after
    tasks = list(
        Task.objects.filter(
            status=Task.Status.OPEN, due_at__lte=since, due_at__gt=since - MISSED_LOOKBACK
        )
        .annotate(
            missing=Count("assignments", filter=Q(assignments__status=Assignment.Status.PENDING))
        )
        .filter(missing__gt=0)
        .select_related("branch")
    )
    secretaries = secretaries_by_branch({task.branch_id for task in tasks})
    for task in tasks:
        missing = task.missing
        yield Reminder(
            kind="task_missed",
            stage="after",
            object_key=task.code,
            users=secretaries[task.branch_id],
            text=_(
                "任务「%(title)s」已于 %(due)s 截止，仍有 %(count)s 人未完成，请跟进后关闭任务。"
            )
            % {"title": task.title, "due": _when(task.due_at), "count": missing},
            link=task_link(task),
        )


def reminders_due(*, now: datetime.datetime, timing: ReminderTiming) -> Iterator[Reminder]:

    for rule in (
        meeting_reminders,
        task_reminders,
        task_missed_reminders,
        dues_reminders,
        evaluation_reminders,
        notice_reminders,
    ):
        yield from rule(now, timing)
