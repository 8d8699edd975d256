"""What tests here and in other apps do to reach a case of the unqualified-member
procedure (不合格党员处置): an evidence file, a proposal, its pre-review, full members to
vote."""

from django.core.files.uploadedfile import SimpleUploadedFile

from kaoping.orgs.models import Member
from kaoping.testing.factories import MemberFactory
from kaoping.unqualified import services
from kaoping.unqualified.models import CaseStep, UnqualifiedCase

Body = CaseStep.Body


def pdf(name: str = "facts.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 evidence", "application/pdf")


def propose(d, **kw) -> UnqualifiedCase:
    """B1's secretary proposes M1 under condition 7 (受到行政处罚) for 2026, with no files
    and no notices; ``kw`` changes any argument of ``case_propose``."""
    args = {
        "actor": d.sec1,
        "member": d.m1,
        "condition": "7",
        "facts": "2026年1月因违法行为受到行政处罚。",
        "year": 2026,
        "files": [],
        "notify": [],
    }
    return services.case_propose(**args | kw)


def pre_reviewed(d, case: UnqualifiedCase) -> UnqualifiedCase:
    """Both reviewing bodies approve ``case`` at pre-review: it is then at the vote."""
    for body, actor in ((Body.COMMITTEE, d.admin), (Body.ORG_DEPARTMENT, d.orgdept)):
        case = services.case_pre_review(actor=actor, case=case, body=body, approve=True)
    return case


def full_members(d, n: int) -> None:
    """``n`` more full members (正式党员) in B1, who count at the general meeting's vote."""
    for i in range(n):
        MemberFactory(code=f"F{i:02d}", branch=d.b1, membership=Member.Membership.FULL)
