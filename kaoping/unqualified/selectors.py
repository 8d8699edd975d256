"""Reads of the unqualified procedure: who acts as which body, the cases an actor may see,
the cases awaiting them, and the raised candidates (fetched set-based, decided by
``rules.py``)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.dues.models import DuesClosing, DuesPayment, DuesRate
from kaoping.kit.steps import Step, steps_at
from kaoping.kit.years import local_year_end, local_year_start
from kaoping.meetings.models import Attendance, LeaveRequest
from kaoping.orgs.models import Member, Organization, RoleAssignment
from kaoping.orgs.selectors import scope_for
from kaoping.schemes.models import Scheme
from kaoping.scoring.engine import FLAG_CANDIDATE_8
from kaoping.scoring.models import GradeRecord, MemberResult

from . import rules
from .models import (
    CandidateDismissal,
    CaseStep,
    CaseVote,
    Condition,
    UnqualifiedCase,
    UnqualifiedSettings,
)

Body = CaseStep.Body
Role = RoleAssignment.Role
# The branch acts through its secretary or a 支委 alike (rules.md §1).
ROLE_BODY: dict[str, str] = {
    Role.SECRETARY: Body.BRANCH,
    Role.BRANCH_COMMITTEE: Body.BRANCH,
    Role.COMMITTEE_ADMIN: Body.COMMITTEE,
    Role.ORG_DEPARTMENT: Body.ORG_DEPARTMENT,
}


def settings_for(year: int) -> UnqualifiedSettings:
    """The year's settings, or the defaults when none were saved."""
    found = UnqualifiedSettings.objects.filter(scheme__year=year).select_related("scheme").first()
    if found is not None:
        return found
    return UnqualifiedSettings(scheme=Scheme.objects.filter(year=year).first())


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def _role_rows(actor: Actor) -> list[tuple[str, str]]:
    """(role, organisation path) of the actor's roles, cached on the user object."""
    cached: list[tuple[str, str]] | None = getattr(actor, "_kaoping_unqualified_roles", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=actor, role__in=list(ROLE_BODY)).values_list(
                "role", "organization__path"
            )
        )
        setattr(actor, "_kaoping_unqualified_roles", cached)  # noqa: B010 - not a User field
    return cached


def bodies_for(actor: Actor, branch: Organization) -> frozenset[str]:
    """The bodies ``actor`` acts for on a case of ``branch``: the branch (a secretary on it
    or above it), the working committee, the organisation department (rules.md §1)."""
    if actor is None:
        return frozenset(Body.values)
    scope = scope_for(actor)
    if scope.everything:
        return frozenset(Body.values)
    if not getattr(actor, "is_authenticated", False):
        return frozenset()
    return frozenset(
        ROLE_BODY[role] for role, path in _role_rows(actor) if branch.path.startswith(path)
    )


def acts_anywhere(actor: Actor) -> bool:
    """Whether the actor acts for any body anywhere (the procedure's pages are theirs)."""
    scope = scope_for(actor)  # cached per request: no query of its own
    return scope.everything or bool(scope.roles & set(ROLE_BODY))


def _role_paths(actor: Actor) -> dict[str, list[str]]:
    paths: dict[str, list[str]] = defaultdict(list)
    for role, path in _role_rows(actor):
        paths[ROLE_BODY[role]].append(path)
    return paths


def _paths_q(paths: list[str], field: str) -> Q:
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{f"{field}__startswith": p})
    return q


def cases_visible(*, actor: Actor) -> QuerySet[UnqualifiedCase]:
    """Cases of the branches where the actor acts for one of the three bodies."""
    qs = UnqualifiedCase.objects.select_related("member__branch", "branch")
    if scope_for(actor).everything:
        return qs
    if not getattr(actor, "is_authenticated", False):
        return qs.none()
    paths = [p for ps in _role_paths(actor).values() for p in ps]
    return qs.filter(_paths_q(paths, "branch__path"))


def cases_awaiting(*, actor: Actor) -> list[UnqualifiedCase]:
    """Cases at pre-review or approval where one of the actor's reviewing bodies has not
    acted yet in the current round; returned cases for the branches the actor keeps."""
    cases = list(
        cases_visible(actor=actor)
        .filter(state__in=UnqualifiedCase.OPEN_STATES)
        .prefetch_related("steps")
        .order_by("created_at")
    )
    waiting = []
    for case in cases:
        if pending_bodies(case) & bodies_for(actor, case.branch):
            waiting.append(case)
    return waiting


def pending_bodies(case: UnqualifiedCase) -> frozenset[str]:
    """Who must act now: the reviewing bodies that have not acted at this stage and round,
    or the branch (to vote or to resubmit)."""
    if case.state in (UnqualifiedCase.State.RETURNED, UnqualifiedCase.State.VOTE):
        return frozenset({Body.BRANCH})
    if case.state not in (UnqualifiedCase.State.PRE_REVIEW, UnqualifiedCase.State.APPROVAL):
        return frozenset()
    done = {s.body for s in case.steps.all() if s.round == case.round and s.stage == case.state}
    return frozenset(b for b in CaseStep.REVIEW_BODIES if b not in done)


def case_access_by_code(*, actor: Actor, code: str) -> UnqualifiedCase:
    """The case if ``actor`` acts for one of its bodies; the same 404 for missing and not
    yours (the member concerned is told by notifications, not shown the file)."""
    case = (
        UnqualifiedCase.objects.select_related("member__branch", "branch", "created_by")
        .filter(code=code)
        .first()
    )
    if case is None or not bodies_for(actor, case.branch):
        raise Http404(_("找不到这个处置案件。"))
    return case


def case_file(*, case: UnqualifiedCase) -> dict:
    """Everything of the file, for the detail and print pages (four queries)."""
    return {
        "steps": list(case.steps.select_related("actor")),
        "evidence": list(case.evidence.all()),
        "vote": CaseVote.objects.filter(case=case).first(),
        "handlings": list(case.handlings.select_related("recorded_by")),
    }


def cases_of_branch(*, actor: Actor, branch: Organization) -> QuerySet[UnqualifiedCase]:
    if not bodies_for(actor, branch):
        raise Http404(_("找不到这个党支部。"))
    return UnqualifiedCase.objects.filter(branch=branch).select_related("member__branch", "branch")


def cases_of_member(*, actor: Actor, member: Member) -> list[UnqualifiedCase]:
    if not bodies_for(actor, member.branch):
        return []
    return list(member.unqualified_cases.order_by("-created_at"))


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳小明 → 欧***: lists show who without naming them in full."""
    return name[:1] + "*" * max(1, len(name) - 1) if name else ""


def names_visible(actor: Actor, branch: Organization) -> bool:
    """Full names in lists only for those who keep the branch (the secretaries)."""
    return Body.BRANCH in bodies_for(actor, branch)


# --- Candidates -------------------------------------------------------------------------


@dataclass
class Candidate:
    """A suggestion the system raises (系统提示): a member who meets a condition by the data."""

    member: Member
    year: int
    condition: str
    facts: list[str]

    @property
    def condition_label(self) -> str:
        return str(Condition(self.condition).label)

    @property
    def facts_text(self) -> str:
        return "\n".join(self.facts)


def _local_month_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    return local_year_start(year - 1), local_year_end(year)


def attendance_facts(year: int, member_ids: list[int]) -> list[rules.AttendanceFact]:
    """The members' attendance at closed meetings of ``year`` and the year before (runs
    cross the new year), approved leave counting as excused: two queries."""
    start, end = _local_month_bounds(year)
    excused = set(
        LeaveRequest.objects.filter(
            member_id__in=member_ids,
            status=LeaveRequest.Status.APPROVED,
            meeting__starts_at__gte=start,
            meeting__starts_at__lt=end,
        ).values_list("member_id", "meeting_id")
    )
    return [
        rules.AttendanceFact(
            member=member,
            meeting=code,
            topic=topic,
            day=timezone.localtime(starts_at).date(),
            attended=status == Attendance.Status.PRESENT,
            excused=status == Attendance.Status.LEAVE or (member, meeting) in excused,
        )
        for member, meeting, code, topic, starts_at, status in Attendance.objects.filter(
            member_id__in=member_ids,
            meeting__status="closed",
            meeting__starts_at__gte=start,
            meeting__starts_at__lt=end,
        ).values_list(
            "member_id",
            "meeting_id",
            "meeting__code",
            "meeting__topic",
            "meeting__starts_at",
            "status",
        )
    ]


def dues_facts(
    year: int, members: list[Member], branches: list[Organization]
) -> list[rules.DuesFact]:
    """What each member owed and paid in each closed month of ``year`` of their branch:
    three queries."""
    ids = [m.id for m in members]
    closed: dict[int, set[datetime.date]] = defaultdict(set)
    for branch_id, period in DuesClosing.objects.filter(
        branch__in=branches, period__year=year
    ).values_list("branch_id", "period"):
        closed[branch_id].add(period)
    rates = dict(
        DuesRate.objects.filter(member_id__in=ids, year=year).values_list("member_id", "amount")
    )
    paid = {
        (r["member_id"], r["period"]): r["total"]
        for r in DuesPayment.objects.filter(member_id__in=ids, period__year=year)
        .values("member_id", "period")
        .annotate(total=Sum("amount"))
    }
    return [
        rules.DuesFact(
            member=m.id, month=period, due=rates[m.id], paid=paid.get((m.id, period), Decimal(0))
        )
        for m in members
        if m.id in rates
        for period in closed.get(m.branch_id, ())
    ]


def candidates_found(*, year: int, branches: list[Organization]) -> dict:
    """The rules over the branches' data of ``year`` (and the year before, for runs and
    grades), in a fixed number of queries; dismissed candidates and those already turned
    into a case are left out."""
    settings = settings_for(year)
    members = {
        m.id: m
        for m in Member.objects.filter(
            branch__in=branches, status__in=Member.assessed_statuses()
        ).select_related("branch")
    }
    ids = list(members)
    if not ids:
        return {}

    grades: dict[int, dict[int, str]] = defaultdict(dict)
    for member, y, grade in GradeRecord.objects.filter(
        member_id__in=ids, year__in=[year - 1, year]
    ).values_list("member_id", "year", "grade"):
        grades[member][y] = grade
    # The stored result of ``year`` (before finalisation) already carries the engine's flag.
    for member, grade, flags in MemberResult.objects.filter(
        member_id__in=ids, year=year
    ).values_list("member_id", "grade", "flags"):
        if FLAG_CANDIDATE_8 in (flags or []):
            grades[member].setdefault(year, grade)
            grades[member].setdefault(year - 1, rules.WARNING)

    attendance = attendance_facts(year, ids)
    dues = dues_facts(year, list(members.values()), branches)

    found = rules.merge(
        rules.warning_twice(grades, year=year),
        rules.absence_runs(attendance, year=year, months=settings.absence_months),
        rules.dues_missed(dues, months=settings.dues_months),
    )
    gone = set(
        CandidateDismissal.objects.filter(member_id__in=ids, year=year).values_list(
            "member_id", "condition"
        )
    ) | set(
        UnqualifiedCase.objects.filter(member_id__in=ids, year=year).values_list(
            "member_id", "condition"
        )
    )
    return {
        key: Candidate(member=members[key[0]], year=year, condition=key[1], facts=found[key].facts)
        for key in sorted(found, key=lambda k: (members[k[0]].branch.path, members[k[0]].code))
        if key not in gone
    }


def candidates_of_branch(*, actor: Actor, branch: Organization, year: int) -> list[Candidate]:
    if not bodies_for(actor, branch):
        raise Http404(_("找不到这个党支部。"))
    return list(candidates_found(year=year, branches=[branch]).values())


def candidates_visible(*, actor: Actor, year: int) -> list[Candidate]:
    """Candidates of every branch where the actor acts for a body (the committee's list)."""
    if scope_for(actor).everything:
        branches = list(Organization.objects.filter(kind=Organization.Kind.BRANCH))
    else:
        paths = [p for ps in _role_paths(actor).values() for p in ps]
        branches = list(
            Organization.objects.filter(kind=Organization.Kind.BRANCH).filter(
                _paths_q(paths, "path")
            )
        )
    return list(candidates_found(year=year, branches=branches).values())


def candidate_for(*, member: Member, year: int, condition: str) -> Candidate | None:
    """The candidate, if the data still shows it (before a one-click proposal)."""
    return candidates_found(year=year, branches=[member.branch]).get((member.id, condition))


def current_year() -> int:
    """The latest scheme's year (the year the pages show by default)."""
    scheme = Scheme.objects.order_by("-year").first()
    return scheme.year if scheme else timezone.localdate().year


def next_step_text(case: UnqualifiedCase) -> str:
    """What happens next to the case and who acts: the success message of every step."""
    State = UnqualifiedCase.State
    bodies = "、".join(
        str(Body(b).label) for b in CaseStep.REVIEW_BODIES if b in pending_bodies(case)
    )
    if case.state == State.PRE_REVIEW:
        return _("下一步：等待%(bodies)s预审。") % {"bodies": bodies}
    if case.state == State.RETURNED:
        return _("案卷已退回支部。下一步：由党支部修改后重新提交预审。")
    if case.state == State.VOTE:
        last = case.steps.order_by("-at", "-id").first()
        if last is not None and last.action == CaseStep.Action.NOT_HELD:
            return _(
                "党员大会未达到法定人数，会议未举行，案卷仍待表决。下一步：由党支部另行召开"
                "党员大会，会后在此记录表决结果。"
            )
        return _("预审已通过。下一步：由党支部召开党员大会表决，会后在此记录表决结果。")
    if case.state == State.APPROVAL:
        return _("下一步：等待%(bodies)s审批。") % {"bodies": bodies}
    if case.state == State.DETERMINED:
        return _("已认定为不合格党员。下一步：由党支部作出后续处理并在此记录。")
    return _("案卷未通过，已办结：%(reason)s") % {"reason": case.outcome_reason}


def case_steps(*, case: UnqualifiedCase, file: dict) -> list[Step]:
    """The step indicator of a case (kit.steps): 提出 → 预审 → 党员大会表决 → 审批 → 后续
    处理, from its state; a case returned to the branch is at 提出 again, a refused one
    stops at the step that refused it (said in its note). ``file``: ``case_file``'s."""
    handled = bool(file["handlings"])
    Stage = CaseStep.Stage
    stages = (Stage.PROPOSAL, Stage.PRE_REVIEW, Stage.VOTE, Stage.APPROVAL, Stage.HANDLING)
    labels = [str(stage.label) for stage in stages]
    State = UnqualifiedCase.State
    at: dict[str, int] = {
        State.RETURNED: 0,
        State.PRE_REVIEW: 1,
        State.VOTE: 2,
        State.APPROVAL: 3,
        State.DETERMINED: 5 if handled else 4,
    }
    if case.state == State.REFUSED:
        stopped: dict[str | None, int] = {Stage.PRE_REVIEW: 1, Stage.VOTE: 2, Stage.APPROVAL: 3}
        last = file["steps"][-1].stage if file["steps"] else None
        index = stopped.get(last, 3)
        steps = steps_at(labels, index)[: index + 1]
        return [*steps[:-1], Step(steps[-1].label, "current", note=str(State.REFUSED.label))]
    steps = steps_at(labels, at[case.state])
    if case.state == State.RETURNED:
        steps[0] = Step(steps[0].label, "current", note=str(State.RETURNED.label))
    return steps


# --- Access to the pages' and the API's actions -----------------------------------------


def branch_for_bodies(*, actor: Actor, code: str, body: str | None = None) -> Organization:
    """The branch if the actor acts for a body on it (for ``body`` when given); else 404,
    or 403 when visible but the body is not the actor's (the branch pages and the API)."""
    from django.core.exceptions import PermissionDenied

    from kaoping.orgs.selectors import organization_access_by_code

    branch = organization_access_by_code(actor=actor, code=code)
    bodies = bodies_for(actor, branch)
    if not branch.is_branch or not bodies:
        raise Http404(_("找不到这个党支部。"))
    if body is not None and body not in bodies:
        raise PermissionDenied(
            _("您不能以“%(body)s”的身份办理 %(branch)s 的案件。")
            % {"body": CaseStep.Body(body).label, "branch": branch.name}
        )
    return branch


def proposable_members(*, branch: Organization) -> QuerySet[Member]:
    """The members a proposal may name: the branch's assessed members."""
    return branch.members.filter(status__in=Member.assessed_statuses()).order_by("code")


def settings_year(*, actor: Actor, year: int) -> int:
    """The year whose settings the actor may see and set: the working committee's admins
    only, and a year with a scheme (404 otherwise, as the settings page)."""
    if not scope_for(actor).is_scheme_admin:
        raise Http404(_("找不到这个页面。"))
    if not Scheme.objects.filter(year=year).exists():
        raise Http404(_("%(year)s 年度还没有考评方案。") % {"year": year})
    return year


def review_choices(*, actor: Actor, case: UnqualifiedCase) -> list[str]:
    """The reviewing bodies the actor may give their opinion for now: at pre-review or
    approval, those of the actor's bodies that have not acted in this round."""
    if case.state not in (UnqualifiedCase.State.PRE_REVIEW, UnqualifiedCase.State.APPROVAL):
        return []
    bodies = bodies_for(actor, case.branch)
    pending = pending_bodies(case)
    return [b for b in CaseStep.REVIEW_BODIES if b in pending and b in bodies]


# The state in which the branch takes each of its steps on a case.
BRANCH_STEP_STATES = {
    "resubmit": UnqualifiedCase.State.RETURNED,
    "vote": UnqualifiedCase.State.VOTE,
    "handling": UnqualifiedCase.State.DETERMINED,
}


def step_open_check(*, actor: Actor, case: UnqualifiedCase, action: str) -> None:
    """Whether the actor may take ``action`` (review, resubmit, vote, handling) on the case
    now: 403 for a step that is not the actor's body's, 422 when it is done or not due."""
    from django.core.exceptions import PermissionDenied, ValidationError

    bodies = bodies_for(actor, case.branch)
    if action == "review":
        if not bodies & set(CaseStep.REVIEW_BODIES):
            raise PermissionDenied(_("您不参与审查不合格党员处置案件。"))
        if review_choices(actor=actor, case=case):
            return
    elif action in BRANCH_STEP_STATES:
        if Body.BRANCH not in bodies:
            raise PermissionDenied(_("这一步只能由党支部办理。"))
        if case.state == BRANCH_STEP_STATES[action]:
            return
    raise ValidationError(_("该环节已办理或当前不能办理。"))
