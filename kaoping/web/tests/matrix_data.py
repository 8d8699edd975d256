"""The data set of the access matrix (``test_access_matrix.py``): the conftest district plus
one object of every kind in B1 and its mirror in B2, each carrying a marker text that must
never appear on a page of someone outside that branch."""

import contextlib
import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from kaoping.accounts.models import SlipBatch
from kaoping.api.services import api_token_create
from kaoping.archive.services import member_lost_contact_mark
from kaoping.claims.services import claim_submit
from kaoping.conftest import District, make_district
from kaoping.delivery.models import Delivery, GroupMessage, GroupRobot
from kaoping.documents.default_templates import registration_form
from kaoping.documents.models import DocumentTemplate
from kaoping.evaluation.services import round_open
from kaoping.inspections.services import finding_record, group_create, inspection_record
from kaoping.jobs.models import JobRun
from kaoping.ledger.models import LedgerPublication
from kaoping.ledger.services import entry_record
from kaoping.meetings.services import leave_request, meeting_schedule
from kaoping.notifications.services import notification_send
from kaoping.orgs.models import RoleAssignment
from kaoping.planning.services import draft_create
from kaoping.publication.models import Appeal, Publication
from kaoping.schemes.services import exemption_set
from kaoping.tasks.services import task_assign, task_submit
from kaoping.testing.factories import MemberFactory, UserFactory, grant
from kaoping.unqualified.services import case_propose

# Free text of B1's objects / B2's objects: a page shown to a B2 role must not contain
# B1_MARK (and the reverse).
B1_MARK = "甲支部内情"
B2_MARK = "乙支部内情"


@dataclass
class Side:
    """The objects of one branch (B1 or B2)."""

    branch: str
    member: str  # the member with a login
    other_member: str  # a second member of the branch (B1: M1B without login; B2: M2B)
    entry: str = ""
    meeting: str = ""
    leave: str = ""
    task: str = ""
    claim: str = ""
    group: str = ""
    inspection: str = ""
    finding: int = 0
    ledger_publication: int = 0
    appeal: str = ""
    item: str = "D01"
    job: int = 0
    unqualified_case: str = ""
    unqualified_evidence: int = 0
    draft: int = 0  # a scheme draft (planning) of the branch
    exemption: int = 0
    lost_member: str = ""  # a third member, out of contact since February (失联)
    role_assignment: int = 0  # a 支委's role on the branch (accounts roles)
    group_member: int = 0  # the user id of the recorder, a member of the branch's group
    slip_batch: int = 0  # a batch of account slips of the branch (no lines)
    notification: int = 0  # one to the member's login
    robot: int = 0  # the branch's group robot (delivery)
    failed_delivery: int = 0  # the e-mail copy of the notification, failed
    failed_group_message: int = 0  # a post to the branch's robot, failed
    document_template: int = 0  # an uploaded template of the branch's party committee


@dataclass
class MatrixData:
    d: District
    b1: Side
    b2: Side
    tokens: dict[str, str] = field(default_factory=dict)
    clients: dict = field(default_factory=dict)  # filled by the test, one per role


def _png(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n....", "image/png")


def _side(d: District, *, branch, member, other_member, secretary, recorder, mark) -> Side:
    side = Side(branch=branch.code, member=member.code, other_member=other_member.code)
    item = d.scheme.items.get(code="D01")
    bonus = d.scheme.items.get(code="B01")
    side.entry = entry_record(
        actor=secretary, member=member, item=item, date=datetime.date(2026, 3, 5), note=mark
    ).code
    starts = timezone.now() + datetime.timedelta(days=2)
    meeting = meeting_schedule(
        actor=secretary, branch=branch, kind="general", starts_at=starts, place=mark, topic=mark
    )
    side.meeting = meeting.code
    side.leave = leave_request(actor=member.user, meeting=meeting, reason=mark).code
    task = task_assign(
        actor=secretary,
        branch=branch,
        kind="study",
        title=mark,
        due_at=starts,
        members=[member, other_member],
    )
    task_submit(actor=member.user, task=task, text=mark, file=_png("note.png"))
    side.task = task.code
    side.claim = claim_submit(
        actor=member.user,
        item=bonus,
        date=datetime.date(2026, 3, 6),
        description=mark,
        proof_file=_png("proof.png"),
    ).code
    group = group_create(actor=d.admin, name=mark, users=[recorder], organizations=[branch])
    side.group = group.code
    side.group_member = recorder.pk
    committee = UserFactory(username=f"committee_{branch.code.lower()}")
    side.role_assignment = grant(committee, branch, RoleAssignment.Role.BRANCH_COMMITTEE).pk
    inspection = inspection_record(
        actor=recorder,
        group=group,
        organization=branch,
        date=datetime.date(2026, 5, 6),
        method="camera",
        findings=mark,
    )
    side.inspection = inspection.code
    side.finding = finding_record(
        actor=recorder,
        inspection=inspection,
        member=other_member,
        item=d.scheme.items.get(code="D07"),
        evidence_text=mark,
        evidence_file=_png("evidence.png"),
    ).pk
    side.ledger_publication = LedgerPublication.objects.create(
        branch=branch, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31)
    ).pk
    round_open(actor=secretary, branch=branch, year=2026)
    Publication.objects.create(
        year=2026, branch=branch, notice_until=timezone.now() + datetime.timedelta(days=5)
    )
    side.appeal = Appeal.objects.create(year=2026, member=member, reasons=mark).code
    job = JobRun(
        kind="entries.export",
        title=mark,
        actor=secretary,
        organization=branch,
        state=JobRun.State.DONE,
        message=mark,
        created_at=timezone.now(),
        finished_at=timezone.now(),
    )
    job.result_file.save("ledger.xlsx", ContentFile(mark.encode()), save=False)
    job.save()
    side.job = job.pk
    case = case_propose(
        actor=secretary,
        member=other_member,
        condition="7",
        facts=mark,
        year=2026,
        files=[_png("case.png")],
    )
    side.unqualified_case = case.code
    side.unqualified_evidence = case.evidence.get().pk
    side.draft = draft_create(
        actor=secretary, base=d.scheme, year=2027, title=mark, branch=branch
    ).pk
    side.exemption = exemption_set(actor=secretary, member=member, item_code="D05", reason=mark).pk
    lost = MemberFactory(code=f"{branch.code}L", name="失联党员", branch=branch)
    member_lost_contact_mark(
        actor=secretary, member=lost, since=datetime.date(2026, 2, 1), efforts=mark
    )
    side.lost_member = lost.code
    side.slip_batch = SlipBatch.objects.create(
        organization=branch, expires_at=timezone.now() + datetime.timedelta(hours=1)
    ).pk
    side.notification = notification_send(user=member.user, text=mark).pk
    robot = GroupRobot.objects.create(
        organization=branch, kind="wecom", name=mark, webhook="https://example.org/hook"
    )
    side.robot = robot.pk
    side.failed_delivery = Delivery.objects.create(
        user=member.user,
        notification_id=side.notification,
        channel=Delivery.Channel.EMAIL,
        status=Delivery.Status.FAILED,
    ).pk
    side.failed_group_message = GroupMessage.objects.create(
        robot=robot, title=mark, text=mark, status=GroupMessage.Status.FAILED
    ).pk
    side.document_template = DocumentTemplate.objects.create(
        kind="registration-form",
        year=2026,
        organization=branch.parent,
        filename=f"{branch.code}.docx",
        content=registration_form(),
        sha256="0" * 64,
    ).pk
    return side


@contextlib.contextmanager
def module_transaction(django_db_blocker, media: Path) -> Iterator[None]:
    """Database access for a module-scoped fixture's data set, in a transaction rolled back
    at the end, its uploads kept in ``media``."""
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def build(b1_mark: str = B1_MARK, b2_mark: str = B2_MARK) -> MatrixData:
    """The data set; the escaping test passes an HTML payload as B1's marker text."""
    d = make_district()
    m2b = MemberFactory(code="M2B", name="钱七", branch=d.b2)
    # B1's inspections are recorded by a supervisor who is none of the matrix's roles.
    recorder1 = UserFactory(username="supervisor_b1")
    grant(recorder1, d.b1, RoleAssignment.Role.SUPERVISOR)
    b1 = _side(
        d,
        branch=d.b1,
        member=d.m1,
        other_member=d.m1b,
        secretary=d.sec1,
        recorder=recorder1,
        mark=b1_mark,
    )
    b2 = _side(
        d,
        branch=d.b2,
        member=d.m2,
        other_member=m2b,
        secretary=d.sec2,
        recorder=d.supervisor,
        mark=b2_mark,
    )
    data = MatrixData(d=d, b1=b1, b2=b2)
    for username in ("member1", "member2", "sec1", "sec2", "supervisor", "admin", "orgdept"):
        _, raw = api_token_create(actor=None, user=getattr(d, username), name="matrix")
        data.tokens[username] = raw
    return data
