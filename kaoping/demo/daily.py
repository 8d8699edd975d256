"""The demo's daily management (日常管理): a year of meetings with attendance and written
leave, dues paid month by month, and bonus claims, created through the services with
``actor=None`` so that every page has realistic content.

The demo's ledger comes from its bundle, whose results are shaped to show every grade;
so the workflows here add no entries: past meetings are attended (or excused on
approved leave), dues are paid on time and in full in every month a branch has closed
(late or unpaid only in the months it has not closed yet, each branch at its own rate),
and claims are pending or refused. Running it twice changes nothing.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from kaoping.claims.models import BonusClaim
from kaoping.claims.services import claim_refuse, claim_submit
from kaoping.dues.selectors import deadline_of, dues_settings_for
from kaoping.dues.services import dues_import, dues_month_close, dues_rate_set
from kaoping.meetings.models import Meeting, MeetingKind
from kaoping.meetings.services import (
    attendance_take,
    leave_decide,
    leave_request,
    meeting_close,
    meeting_schedule,
)
from kaoping.orgs.models import Member, Organization
from kaoping.schemes.models import SchemeItem
from kaoping.sheets.xlsx import SheetRow

TOPICS = [
    "学习贯彻党的二十届三中全会精神",
    "学习《中国共产党章程》",
    "学习《中国共产党纪律处分条例》",
    "开展批评与自我批评",
    "学习习近平新时代中国特色社会主义思想",
    "研究部署支部年度工作",
]
PLACES = ["机关三楼会议室", "党员活动室", "二楼小会议室"]
LEAVE_REASONS = ["外出培训", "赴省厅汇报工作", "因病就医", "下乡调研"]
DUES = [Decimal("30.00"), Decimal("45.00"), Decimal("60.00"), Decimal("88.50")]


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A local wall-clock time (the site's zone, Asia/Shanghai) on ``day``."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _office_hours(rng: random.Random, day: datetime.date) -> datetime.datetime:
    """A meeting's start in office hours, 09:00 to 16:30 local time, on the half hour.
    Never ``now + days``: that keeps the wall-clock time the demo happened to run at
    (01:02 in Beijing when it ran at 17:02 UTC)."""
    return _at(day, rng.randint(9, 16), rng.choice((0, 30)))


def _dues_rows(rng, branch, members, year: int, months: list[int], today: datetime.date):
    """Each member's payments of the year and the months the branch closes. Months it
    has closed are paid on time and in full (so the closing adds no entry); in the last
    one or two it has not closed yet, and in the current month, members pay on time at
    a rate of the branch's own, otherwise late or not yet."""
    settings = dues_settings_for(branch)
    open_count = min(len(months), rng.randint(1, 2))
    closed = months[: len(months) - open_count]
    diligence = rng.uniform(0.55, 0.97)
    current = [today.month] if today.year == year and today.month not in months else []
    rows = []
    for m in members:
        amount = rng.choice(DUES)
        dues_rate_set(actor=None, member=m, year=year, amount=amount)
        for month in months + current:
            period = datetime.date(year, month, 1)
            deadline = deadline_of(period, settings)
            last_day = min(deadline, today)
            if month in closed or rng.random() < diligence:
                paid_on = period.replace(day=rng.randint(1, last_day.day))
            elif month not in current and rng.random() < 0.5 and deadline < today:
                late = deadline + datetime.timedelta(days=rng.randint(1, 10))
                paid_on = min(late, today)
            else:
                continue  # not paid yet
            values = {"member": m.code, "period": period, "amount": amount, "paid_on": paid_on}
            rows.append(SheetRow(len(rows) + 2, values))
    return rows, closed


def create_daily(*, year: int, seed: int = 2026) -> dict[str, int]:
    """Create the workflow records of ``year`` once; returns what was created."""
    if Meeting.objects.exists():
        return {}
    rng = random.Random(seed)
    today = timezone.localdate()
    months = [m for m in range(1, 13) if datetime.date(year, m, 28) < today]
    counts = {"meetings": 0, "leaves": 0, "payments": 0, "claims": 0}
    branches = Organization.objects.filter(kind=Organization.Kind.BRANCH).order_by("code")
    bonus = list(SchemeItem.objects.filter(scheme__year=year, kind="bonus").order_by("code"))
    for branch in branches:
        members = list(branch.members.filter(status__in=(Member.Status.ACTIVE,)).order_by("code"))
        if not members:
            continue
        for month in months:
            kind = MeetingKind.THEME_DAY if month % 3 == 0 else MeetingKind.GENERAL
            start = _office_hours(rng, datetime.date(year, month, rng.randint(5, 20)))
            meeting = meeting_schedule(
                actor=None,
                branch=branch,
                kind=kind,
                starts_at=start,
                place=rng.choice(PLACES),
                topic=rng.choice(TOPICS),
                members=members,
            )
            statuses = {m.code: "present" for m in members}
            for m in rng.sample(members, k=min(2, len(members))):
                leave = leave_request(
                    actor=None,
                    meeting=meeting,
                    member=m,
                    reason=rng.choice(LEAVE_REASONS),
                    at=start - datetime.timedelta(days=2),
                )
                leave_decide(actor=None, leave=leave, approve=True, reason="同意")
                statuses[m.code] = "leave"
                counts["leaves"] += 1
            attendance_take(actor=None, meeting=meeting, statuses=statuses)
            meeting_close(actor=None, meeting=meeting)
            counts["meetings"] += 1
        upcoming = meeting_schedule(
            actor=None,
            branch=branch,
            kind=MeetingKind.LECTURE,
            starts_at=_office_hours(rng, today + datetime.timedelta(days=rng.randint(3, 10))),
            place=rng.choice(PLACES),
            topic="书记讲党课：" + rng.choice(TOPICS),
            members=members,
        )
        leave_request(
            actor=None, meeting=upcoming, member=members[-1], reason=rng.choice(LEAVE_REASONS)
        )
        counts["meetings"] += 1
        counts["leaves"] += 1
        # Dues: each member's amount and payments; the branch closes the months paid up.
        rows, closed = _dues_rows(rng, branch, members, year, months, today)
        if rows:
            counts["payments"] += dues_import(actor=None, branch=branch, rows=rows)
            for month in closed:
                dues_month_close(actor=None, branch=branch, period=datetime.date(year, month, 1))
        # Claims: two pending, one refused.
        if bonus and months:
            for i, m in enumerate(members[:3]):
                claim = claim_submit(
                    actor=None,
                    member=m,
                    item=bonus[i % len(bonus)],
                    date=datetime.date(year, months[-1], 10),
                    description=["获评区级优秀志愿者", "调研报告获区领导批示", "参加知识竞赛获奖"][
                        i
                    ],
                    proof_text="证书及文件已交支部留存",
                )
                if i == 2:
                    claim_refuse(actor=None, claim=claim, reason="获奖级别与申报项目不符")
                counts["claims"] += 1
    return counts


def create_tasks_and_inspections(*, year: int, seed: int = 2026) -> dict[str, int]:
    """Open tasks for every branch and a supervision group with its register, once.
    Like the rest of the daily demo, they add no entries (the bundle shapes the grades)."""
    from django.contrib.auth import get_user_model

    from kaoping.inspections.models import Inspection, SupervisionGroup
    from kaoping.inspections.services import group_create, inspection_record
    from kaoping.tasks.models import Task, TaskKind
    from kaoping.tasks.services import task_assign

    if Task.objects.exists() or SupervisionGroup.objects.exists():
        return {}
    rng = random.Random(seed + 1)
    counts = {"tasks": 0, "inspections": 0}
    branches = list(Organization.objects.filter(kind=Organization.Kind.BRANCH).order_by("code"))
    for branch in branches:
        if not branch.members.filter(status=Member.Status.ACTIVE).exists():
            continue
        task_assign(
            actor=None,
            branch=branch,
            kind=TaskKind.STUDY,
            title="撰写学习心得：" + rng.choice(TOPICS),
            due_at=_at(timezone.localdate() + datetime.timedelta(days=rng.randint(5, 20)), 17, 30),
            description="不少于1500字，提交电子版或拍照上传手写稿。",
        )
        task_assign(
            actor=None,
            branch=branch,
            kind=TaskKind.ASSIGNED,
            title="参加社区“双报到”志愿服务",
            due_at=_at(timezone.localdate() + datetime.timedelta(days=rng.randint(10, 30)), 17, 30),
        )
        counts["tasks"] += 2
    supervisor = get_user_model().objects.filter(username="supervisor").first()
    targets = [b for b in branches if b.code in ("B04", "B07")]
    if supervisor is not None and targets:
        group = group_create(
            actor=None, name="第一专项督查组", users=[supervisor], organizations=targets
        )
        methods = list(Inspection.Method.values)
        for i, branch in enumerate(targets):
            inspection_record(
                actor=None,
                group=group,
                organization=branch,
                date=timezone.localdate() - datetime.timedelta(days=10 + 7 * i),
                method=methods[i % len(methods)],
                findings="工作纪律总体良好，未发现迟到早退、上班做与工作无关的事等问题。",
            )
            counts["inspections"] += 1
    return counts


def daily_summary() -> str:
    return f"会议 meetings {Meeting.objects.count()} · 加分申报 claims {BonusClaim.objects.count()}"
