"""What the 不合格党员 case documents (处置文书) are filled from: the proposal, both
pre-review opinions, the branch meeting's vote record, both approvals and the
determination of one case, read through the case's own access selector (the bodies
that act on it; the member concerned is told by notifications, not shown the file)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.unqualified.models import CaseStep, UnqualifiedCase
from kaoping.unqualified.selectors import case_access_by_code, case_file

Stage, Body = CaseStep.Stage, CaseStep.Body


def case_for_documents(*, actor: Actor, code: str) -> UnqualifiedCase:
    return case_access_by_code(actor=actor, code=code)


def _day(moment) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else ""


def _opinion(step: CaseStep | None) -> str:
    """ "同意（2026-03-01）：理由" — a body's opinion at a stage, or empty before it acts."""
    if step is None:
        return ""
    text = f"{step.get_action_display()}（{_day(step.at)}）"
    return f"{text}：{step.reason}" if step.reason else text


def _latest(steps: list[CaseStep], stage: str, body: str | None = None) -> CaseStep | None:
    found = [s for s in steps if s.stage == stage and (body is None or s.body == body)]
    return found[-1] if found else None


def case_documents_fields(*, case: UnqualifiedCase) -> dict[str, object]:
    """The case's documents of its latest round (an earlier round returned to the branch
    stays in the history of the case page)."""
    file = case_file(case=case)
    steps = [s for s in file["steps"] if s.round == case.round]
    proposal = _latest(steps, Stage.PROPOSAL)
    vote = file["vote"]
    vote_step = _latest(steps, Stage.VOTE)  # passed, failed, or not held for want of quorum
    result = vote_step.get_action_display() if vote_step is not None else ""
    branch = case.branch
    determined = case.state in (UnqualifiedCase.State.DETERMINED, UnqualifiedCase.State.REFUSED)
    return {
        "organization": branch.parent.name if branch.parent is not None else "",
        "branch": branch.name,
        "year": case.year,
        "case_code": case.code,
        "member_name": case.member.name,
        "member_code": case.member.code,
        "condition": case.get_condition_display(),
        "facts": case.facts,
        "proposed_on": _day(proposal.at if proposal else case.created_at),
        "proposal_opinion": proposal.reason if proposal else "",
        "pre_review_committee": _opinion(_latest(steps, Stage.PRE_REVIEW, Body.COMMITTEE)),
        "pre_review_org_department": _opinion(
            _latest(steps, Stage.PRE_REVIEW, Body.ORG_DEPARTMENT)
        ),
        "vote_held_on": vote.held_on.isoformat() if vote else "",
        "vote_entitled": vote.entitled if vote else "",
        "vote_present": vote.present if vote else "",
        "vote_in_favour": vote.in_favour if vote else "",
        "vote_against": vote.against if vote else "",
        "vote_abstaining": vote.abstaining if vote else "",
        "vote_basis": vote.get_basis_display() if vote else "",
        "vote_result": result,
        "approval_committee": _opinion(_latest(steps, Stage.APPROVAL, Body.COMMITTEE)),
        "approval_org_department": _opinion(_latest(steps, Stage.APPROVAL, Body.ORG_DEPARTMENT)),
        "determination": (
            case.get_state_display() + (f"：{case.outcome_reason}" if case.outcome_reason else "")
            if determined
            else _("尚未办结（%(state)s）") % {"state": case.get_state_display()}
        ),
        "closed_on": _day(case.closed_at),
        "handlings": "\n".join(
            " · ".join(
                part
                for part in (
                    h.get_kind_display(),
                    _("决定 %(day)s") % {"day": h.decided_on.isoformat()},
                    _("期限 %(day)s") % {"day": h.due_on.isoformat()} if h.due_on else "",
                    _("办结 %(day)s") % {"day": h.completed_on.isoformat()}
                    if h.completed_on
                    else "",
                    h.note,
                )
                if part
            )
            for h in file["handlings"]
        ),
        "generated_on": timezone.localdate().isoformat(),
    }
