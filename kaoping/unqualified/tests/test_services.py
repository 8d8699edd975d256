import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from kaoping.audit.models import AuditEvent
from kaoping.notifications.models import Notification
from kaoping.unqualified import services
from kaoping.unqualified.models import (
    CaseStep,
    CaseVote,
    UnqualifiedCase,
    UnqualifiedSettings,
    VoteBasis,
)
from kaoping.unqualified.selectors import cases_awaiting, pending_bodies

from . import support
from .support import full_members, pdf, pre_reviewed

pytestmark = pytest.mark.django_db
State = UnqualifiedCase.State
Body = CaseStep.Body
DAY = datetime.date(2026, 3, 1)


def propose(d, **kw):
    """With a file, and the member told of the proposal and the decision."""
    return support.propose(d, **{"files": [pdf()], "notify": ["proposed", "decided"]} | kw)


def to_vote(d):
    return pre_reviewed(d, propose(d))


def vote(d, case, entitled, present, in_favour, against, abstaining):
    """The branch meeting's vote on ``case`` (held on DAY), recorded by its secretary."""
    return services.case_vote_record(
        actor=d.sec1, case=case, held_on=DAY, entitled=entitled, present=present,
        in_favour=in_favour, against=against, abstaining=abstaining,
    )  # fmt: skip


def test_full_procedure_with_a_return_and_resubmission(district):
    d = district
    full_members(d, 8)  # B1: M1, M1B and eight more full members
    case = propose(d)
    assert case.state == State.PRE_REVIEW and case.evidence.count() == 1
    assert Notification.objects.filter(user=d.member1).count() == 1  # "proposed" was chosen
    assert {c.code for c in cases_awaiting(actor=d.admin)} == {case.code}
    assert cases_awaiting(actor=d.sec1) == []

    services.case_pre_review(actor=d.admin, case=case, body=Body.COMMITTEE, approve=True)
    case = services.case_pre_review(
        actor=d.orgdept, case=case, body=Body.ORG_DEPARTMENT, approve=False, reason="证据不足"
    )
    assert case.state == State.RETURNED
    assert cases_awaiting(actor=d.admin) == [] and len(cases_awaiting(actor=d.sec1)) == 1

    case = services.case_resubmit(
        actor=d.sec1, case=case, facts="补充：处罚决定书。", files=[pdf()]
    )
    assert case.state == State.PRE_REVIEW and case.round == 2 and case.evidence.count() == 2
    assert pending_bodies(case) == {Body.COMMITTEE, Body.ORG_DEPARTMENT}
    services.case_pre_review(actor=d.orgdept, case=case, body=Body.ORG_DEPARTMENT, approve=True)
    case = services.case_pre_review(actor=d.admin, case=case, body=Body.COMMITTEE, approve=True)
    assert case.state == State.VOTE

    case = vote(d, case, 10, 8, 6, 1, 1)
    assert case.state == State.APPROVAL and case.vote.passed
    services.case_approve(actor=d.admin, case=case, body=Body.COMMITTEE, approve=True)
    case = services.case_approve(
        actor=d.orgdept, case=case, body=Body.ORG_DEPARTMENT, approve=True, reason="同意"
    )
    assert case.state == State.DETERMINED and case.closed_at is not None
    handling = services.case_handling_record(
        actor=d.sec1,
        case=case,
        kind="correction",
        decided_on=datetime.date(2026, 4, 1),
        due_on=datetime.date(2026, 10, 1),
    )
    assert handling.get_kind_display() == "限期改正"
    actions = list(case.steps.values_list("round", "stage", "body", "action"))
    assert actions == [
        (1, "proposal", "branch", "propose"),
        (1, "pre_review", "committee", "approve"),
        (1, "pre_review", "org_department", "return"),
        (2, "proposal", "branch", "resubmit"),
        (2, "pre_review", "org_department", "approve"),
        (2, "pre_review", "committee", "approve"),
        (2, "vote", "branch", "vote_passed"),
        (2, "approval", "committee", "approve"),
        (2, "approval", "org_department", "approve"),
        (2, "handling", "branch", "handling"),
    ]
    # The member was told at the chosen steps only: proposed and decided.
    assert Notification.objects.filter(user=d.member1).count() == 2
    assert AuditEvent.objects.filter(action__startswith="unqualified.").count() == 10


def test_steps_cannot_be_skipped_reordered_or_repeated(district):
    d = district
    full_members(d, 4)
    case = propose(d)
    with pytest.raises(ValidationError, match="不能记录表决"):
        vote(d, case, 5, 5, 5, 0, 0)
    with pytest.raises(ValidationError, match="不能进行审批"):
        services.case_approve(actor=d.admin, case=case, body=Body.COMMITTEE, approve=True)
    with pytest.raises(ValidationError, match="只有被退回"):
        services.case_resubmit(actor=d.sec1, case=case, facts="x")
    services.case_pre_review(actor=d.admin, case=case, body=Body.COMMITTEE, approve=True)
    with pytest.raises(ValidationError, match="本轮已作出"):
        services.case_pre_review(actor=d.admin, case=case, body=Body.COMMITTEE, approve=True)
    # Each body only for itself; a secretary is no reviewer, a reviewer is not the branch.
    with pytest.raises(PermissionDenied):
        services.case_pre_review(actor=d.admin, case=case, body=Body.ORG_DEPARTMENT, approve=True)
    with pytest.raises(PermissionDenied):
        services.case_pre_review(actor=d.sec1, case=case, body=Body.COMMITTEE, approve=True)
    with pytest.raises(PermissionDenied):
        propose(d, actor=d.sec2, member=d.m1)
    with pytest.raises(PermissionDenied):
        propose(d, actor=d.orgdept)
    with pytest.raises(ValidationError, match="须说明理由"):
        services.case_pre_review(
            actor=d.orgdept, case=case, body=Body.ORG_DEPARTMENT, approve=False
        )
    # A second open case for the same member is refused.
    with pytest.raises(ValidationError, match="未办结"):
        propose(d, condition="1")
    # The database refuses a second opinion of a body in the same round, too.
    step = case.steps.get(body=Body.COMMITTEE)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseStep.objects.create(
            case=case, round=1, stage="pre_review", body="committee", action="approve", at=step.at
        )


def test_failed_vote_refuses_the_case_with_the_reason(district):
    d = district
    full_members(d, 8)
    case = to_vote(d)
    case = vote(d, case, 10, 8, 5, 2, 1)
    assert case.state == State.REFUSED and not case.vote.passed
    assert "赞成 5 票，未超过应到会有表决权党员 10 人的半数" in case.outcome_reason
    with pytest.raises(ValidationError):
        services.case_approve(actor=d.admin, case=case, body=Body.COMMITTEE, approve=True)
    # A new proposal is possible once the case is closed.
    assert propose(d).round == 1


def test_a_meeting_without_quorum_is_not_held_and_the_case_waits_for_a_new_vote(district):
    """Issue 15, item 17: no quorum means no vote; the case is not refused for good."""
    d = district
    full_members(d, 8)
    case = to_vote(d)
    case = vote(d, case, 10, 5, 5, 0, 0)
    case.refresh_from_db()
    assert case.state == State.VOTE and not CaseVote.objects.filter(case=case).exists()
    step = case.steps.get(action=CaseStep.Action.NOT_HELD)
    assert "未超过应到会 10 人的半数" in step.reason and "会议未举行" in step.reason
    case = vote(d, case, 10, 9, 7, 1, 1)
    assert case.state == State.APPROVAL and case.vote.passed


def test_vote_basis_is_the_years_setting(district):
    d = district
    full_members(d, 8)
    UnqualifiedSettings.objects.create(scheme=d.scheme, vote_basis=VoteBasis.PRESENT)
    case = to_vote(d)
    # 5 of 8 present: more than half of those present, not of the 10 entitled.
    case = vote(d, case, 10, 8, 5, 3, 0)
    assert case.state == State.APPROVAL and case.vote.basis == VoteBasis.PRESENT


@pytest.mark.parametrize(
    ("counts", "field", "message"),
    [
        ((10, 11, 5, 0, 0), "present", "到会 11 人，多于应到会有表决权党员 10 人"),
        ((10, 8, 6, 2, 1), "in_favour", "合计 9，多于到会人数 8"),
        ((30, 8, 6, 1, 1), "entitled", "多于本支部在册正式党员 10 人"),
        ((0, 0, 0, 0, 0), "entitled", "至少 1 人"),
    ],
)
def test_counts_that_do_not_add_up_are_refused(district, counts, field, message):
    d = district
    full_members(d, 8)
    case = to_vote(d)
    entitled, present, f, a, b = counts
    with pytest.raises(ValidationError) as err:
        vote(d, case, entitled, present, f, a, b)
    assert message in str(err.value.message_dict[field])
    case.refresh_from_db()
    assert case.state == State.VOTE and not CaseVote.objects.exists()


def test_database_refuses_counts_that_do_not_add_up(district):
    d = district
    case = to_vote(d)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseVote.objects.create(
            case=case, held_on=DAY, entitled=5, present=4, in_favour=3, against=1, abstaining=1,
            basis="entitled", recorded_at=case.created_at,
        )  # fmt: skip


def test_refusal_at_approval_closes_the_case(district):
    d = district
    full_members(d, 8)
    case = to_vote(d)
    case = vote(d, case, 10, 9, 9, 0, 0)
    case = services.case_approve(
        actor=d.orgdept, case=case, body=Body.ORG_DEPARTMENT, approve=False, reason="情节较轻"
    )
    assert case.state == State.REFUSED and case.outcome_reason == "情节较轻"
    with pytest.raises(ValidationError):
        services.case_approve(actor=d.admin, case=case, body=Body.COMMITTEE, approve=True)
    with pytest.raises(ValidationError, match="已认定"):
        services.case_handling_record(actor=d.sec1, case=case, kind="removal", decided_on=DAY)


def test_bad_evidence_file_stores_nothing(district):
    d = district
    with pytest.raises(ValidationError, match="扩展名"):
        propose(d, files=[SimpleUploadedFile("x.pdf", b"not a pdf", "application/pdf")])
    assert not UnqualifiedCase.objects.exists()
