"""The early warnings (监测预警), computed from the records already kept.

Set-based: one query (or a fixed few) per kind of warning for all the branches at once,
never a query per branch or per member; the rules of absence and dues are the pure ones of
the unqualified procedure (``unqualified/rules.py``) run with the warnings' month counts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaoping.annotations import Actor
from kaoping.archive.models import LostContact
from kaoping.evaluation.models import EvaluationRound
from kaoping.kit.years import local_year_end, local_year_start
from kaoping.meetings.models import Meeting, MeetingKind
from kaoping.orgs.models import Member, Organization
from kaoping.orgs.selectors import branches_visible, scope_for
from kaoping.publication.models import Appeal, Publication
from kaoping.unqualified import rules
from kaoping.unqualified.selectors import attendance_facts, dues_facts
from kaoping.unqualified.selectors import settings_for as unqualified_settings_for

from .models import MonitoringSettings, default_evaluation_deadline


class Kind:
    """The kinds of warning, in the order the page lists them."""

    MEETINGS = "meetings"
    ABSENCE = "absence"
    DUES = "dues"
    LOST_CONTACT = "lost_contact"
    EVALUATION = "evaluation"
    APPEALS = "appeals"


KIND_CHOICES = [
    (Kind.MEETINGS, gettext_lazy("会议频次不足")),
    (Kind.ABSENCE, gettext_lazy("未参加组织生活")),
    (Kind.DUES, gettext_lazy("党费未交纳")),
    (Kind.LOST_CONTACT, gettext_lazy("失联党员")),
    (Kind.EVALUATION, gettext_lazy("民主评议未启动")),
    (Kind.APPEALS, gettext_lazy("申诉待答复")),
]
KINDS = [k for k, _label in KIND_CHOICES]

# The meeting kinds with a required frequency, and the setting that holds it.
MEETING_RULES = [
    (MeetingKind.GENERAL, "general_every"),
    (MeetingKind.COMMITTEE, "committee_every"),
    (MeetingKind.GROUP, "group_every"),
    (MeetingKind.LECTURE, "lecture_every"),
]


@dataclass(frozen=True)
class Warning:  # the name the issue gives it; the builtin is never used here
    """One warning: what, where, who (optional), the facts in words, and where they are."""

    kind: str
    branch: Organization
    message: str
    url: str
    member: Member | None = None

    @property
    def kind_label(self) -> str:
        return str(dict(KIND_CHOICES)[self.kind])


def settings_for(year: int) -> MonitoringSettings:
    """The year's thresholds, or the practice's defaults when none were saved."""
    found = MonitoringSettings.objects.filter(year=year).first()
    if found is not None:
        return found
    return MonitoringSettings(year=year, evaluation_deadline=default_evaluation_deadline(year))


def completed_periods(year: int, every: int, today: datetime.date) -> list[int]:
    """The numbers (1, 2, …) of the periods of ``every`` months of ``year`` that ended
    before ``today``."""
    if every <= 0:
        return []
    # A period has ended once today's month is past its last month; compared as (year,
    # month) pairs, since the first of the next month does not exist after 9999-12.
    return [n for n in range(1, 12 // every + 1) if (today.year, today.month) > (year, n * every)]


def period_label(year: int, every: int, n: int) -> str:
    """2026年11月, 2026年第3季度, 2026年上半年, 2026年全年, 2026年1—2月."""
    if every == 1:
        return _("%(year)s年%(month)s月") % {"year": year, "month": n}
    if every == 3:
        return _("%(year)s年第%(n)s季度") % {"year": year, "n": n}
    if every == 6:
        return (_("%(year)s年上半年") if n == 1 else _("%(year)s年下半年")) % {"year": year}
    if every == 12:
        return _("%(year)s年全年") % {"year": year}
    return _("%(year)s年%(first)s—%(last)s月") % {
        "year": year,
        "first": (n - 1) * every + 1,
        "last": n * every,
    }


def _meeting_warnings(
    branches: list[Organization], year: int, settings: MonitoringSettings, today: datetime.date
) -> list[Warning]:
    rules_due = [
        (kind, every, completed_periods(year, every, today))
        for kind, field in MEETING_RULES
        for every in [int(getattr(settings, field))]
    ]
    rules_due = [r for r in rules_due if r[2]]
    if not rules_due:
        return []
    held: set[tuple[int, str, int]] = set()  # (branch, kind, month)
    tz = timezone.get_current_timezone()
    start, end = local_year_start(year), local_year_end(year)
    rows = (
        Meeting.objects.filter(
            branch__in=branches,
            status=Meeting.Status.CLOSED,
            kind__in=[kind for kind, _e, _p in rules_due],
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .annotate(month=TruncMonth("starts_at", tzinfo=tz))
        .values_list("branch_id", "kind", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    for branch_id, kind, month, _n in rows:
        held.add((branch_id, kind, month.month))
    warnings = []
    labels = dict(MeetingKind.choices)
    for branch in branches:
        url = reverse("meetings:branch", args=[branch.code])
        for kind, every, periods in rules_due:
            for n in periods:
                months = range((n - 1) * every + 1, n * every + 1)
                if not any((branch.pk, kind, m) in held for m in months):
                    message = _("%(period)s未召开%(kind)s") % {
                        "period": period_label(year, every, n),
                        "kind": labels[kind],
                    }
                    warnings.append(Warning(Kind.MEETINGS, branch, message, url))
    return warnings


def _members(branches: list[Organization]) -> dict[int, Member]:
    return {
        m.id: m
        for m in Member.objects.filter(
            branch__in=branches, status__in=Member.assessed_statuses()
        ).select_related("branch")
    }


def _who(member: Member) -> str:
    return f"{member.name}（{member.code}）"


def _absence_warnings(
    members: dict[int, Member], year: int, settings: MonitoringSettings
) -> list[Warning]:
    """Members whose current run of missed months (the run reaching their latest month
    with a meeting) is at least the warning's length; at the procedure's own length the
    message says it is condition 2."""
    facts = attendance_facts(year, list(members))
    last_month: dict[int, datetime.date] = {}
    for f in facts:
        month = f.day.replace(day=1)
        if f.member not in last_month or last_month[f.member] < month:
            last_month[f.member] = month
    condition_months = unqualified_settings_for(year).absence_months
    found = rules.absence_runs(facts, year=year, months=settings.absence_months)
    warnings = []
    for member_id, run in found.items():
        if run.months[-1] != last_month[member_id]:
            continue  # the member has attended since
        member = members[member_id]
        names = {"who": _who(member), "n": len(run.months)}
        if len(run.months) >= condition_months:
            message = _("%(who)s已连续%(n)s个月未参加组织生活，符合不合格党员情形二") % names
        else:
            message = _("%(who)s已连续%(n)s个月未参加组织生活") % names
        url = reverse("web:member", args=[member.code])
        warnings.append(Warning(Kind.ABSENCE, member.branch, message, url, member))
    return warnings


def _dues_warnings(
    members: dict[int, Member],
    branches: list[Organization],
    year: int,
    settings: MonitoringSettings,
) -> list[Warning]:
    facts = dues_facts(year, list(members.values()), branches)
    warnings = []
    for member_id, found in rules.dues_missed(facts, months=settings.dues_months).items():
        member = members[member_id]
        message = _("%(who)s有%(n)s个月党费未交或未足额（%(months)s）") % {
            "who": _who(member),
            "n": len(found.months),
            "months": "、".join(f"{m:%Y-%m}" for m in found.months),
        }
        url = reverse("web:member", args=[member.code])
        warnings.append(Warning(Kind.DUES, member.branch, message, url, member))
    return warnings


def _lost_contact_warnings(branches: list[Organization]) -> list[Warning]:
    url = reverse("archive:lost_contacts")
    return [
        Warning(
            Kind.LOST_CONTACT,
            lost.member.branch,
            _("%(who)s自%(since)s起失联") % {"who": _who(lost.member), "since": lost.since},
            url,
            lost.member,
        )
        for lost in LostContact.objects.filter(
            found_on__isnull=True, member__branch__in=branches
        ).select_related("member__branch")
    ]


def _evaluation_warnings(
    branches: list[Organization], year: int, settings: MonitoringSettings, today: datetime.date
) -> list[Warning]:
    if today <= settings.evaluation_deadline:
        return []
    started = set(
        EvaluationRound.objects.filter(year=year, branch__in=branches).values_list(
            "branch_id", flat=True
        )
    )
    return [
        Warning(
            Kind.EVALUATION,
            branch,
            _("%(year)s年度民主评议截至%(deadline)s仍未启动")
            % {"year": year, "deadline": settings.evaluation_deadline},
            reverse("evaluation:round", args=[branch.code, year]),
        )
        for branch in branches
        if branch.pk not in started
    ]


def _appeal_warnings(
    branches: list[Organization], year: int, settings: MonitoringSettings, today: datetime.date
) -> list[Warning]:
    """Open appeals of branches whose notice period ends within ``appeal_days`` days of
    ``today`` (or has ended): one query."""
    until = Publication.objects.filter(year=year, branch=OuterRef("member__branch")).values(
        "notice_until"
    )[:1]
    last_day = today + datetime.timedelta(days=settings.appeal_days + 1)
    limit = datetime.datetime.combine(last_day, datetime.time(), timezone.get_current_timezone())
    appeals = (
        Appeal.objects.filter(status=Appeal.Status.OPEN, year=year, member__branch__in=branches)
        .annotate(notice_until=Subquery(until))
        .filter(notice_until__lt=limit)
        .select_related("member__branch")
        .order_by("notice_until", "code")
    )
    return [
        Warning(
            Kind.APPEALS,
            a.member.branch,
            _("%(who)s的申诉（%(code)s）尚未答复，公示于%(until)s截止")
            % {
                "who": _who(a.member),
                "code": a.code,
                "until": f"{timezone.localtime(a.notice_until):%Y-%m-%d %H:%M}",
            },
            reverse("publication:branch", args=[a.member.branch.code, year]),
            a.member,
        )
        for a in appeals
    ]


def warnings_of_branches(
    *,
    branches: list[Organization],
    year: int,
    kind: str | None = None,
    today: datetime.date | None = None,
) -> list[Warning]:
    """Every warning of ``branches`` (already within the reader's scope) for ``year``, as
    of ``today``; a fixed number of queries whatever the number of branches."""
    if not branches:
        return []
    today = today or timezone.localdate()
    settings = settings_for(year)
    wanted = set(KINDS) if kind is None else {kind}
    warnings: list[Warning] = []
    if Kind.MEETINGS in wanted:
        warnings += _meeting_warnings(branches, year, settings, today)
    if wanted & {Kind.ABSENCE, Kind.DUES}:
        members = _members(branches)
        if members and Kind.ABSENCE in wanted:
            warnings += _absence_warnings(members, year, settings)
        if members and Kind.DUES in wanted:
            warnings += _dues_warnings(members, branches, year, settings)
    if Kind.LOST_CONTACT in wanted:
        warnings += _lost_contact_warnings(branches)
    if Kind.EVALUATION in wanted:
        warnings += _evaluation_warnings(branches, year, settings, today)
    if Kind.APPEALS in wanted:
        warnings += _appeal_warnings(branches, year, settings, today)
    order = {k: i for i, k in enumerate(KINDS)}
    return sorted(
        warnings,
        key=lambda w: (w.branch.path, order[w.kind], w.member.code if w.member else ""),
    )


def monitored_branches(*, actor: Actor) -> list[Organization]:
    """The branches whose warnings ``actor`` sees: those they read through a role (the
    committee all of them, a secretary their own); a plain member none. One query."""
    scope = scope_for(actor)
    if not scope.is_staff_role:
        return []
    return [b for b in branches_visible(actor=actor).order_by("path") if scope.reads(b.path)]


def monitored_branch_by_code(
    *, actor: Actor, code: str, among: list[Organization] | None = None
) -> Organization:
    """One of the branches ``actor`` watches (``among``: those, when already read); the
    same 404 for missing and not theirs."""
    watched = monitored_branches(actor=actor) if among is None else among
    found = next((b for b in watched if b.code == code), None)
    if found is None:
        raise Http404(_("找不到这个党支部。"))
    return found


def warnings_for(
    *,
    actor: Actor,
    year: int,
    kind: str | None = None,
    branch: Organization | None = None,
    today: datetime.date | None = None,
) -> list[Warning]:
    """The warnings ``actor`` may see, optionally of one kind or one branch."""
    branches = monitored_branches(actor=actor)
    if branch is not None:
        branches = [b for b in branches if b.pk == branch.pk]
    return warnings_of_branches(branches=branches, year=year, kind=kind, today=today)
