import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kaoping.claims.models import BonusClaim
from kaoping.claims.selectors import bonus_remaining
from kaoping.claims.services import claim_approve, claim_refuse, claim_submit
from kaoping.ledger.models import ScoreEntry
from kaoping.ledger.services import entry_reverse
from kaoping.notifications.models import Notification
from kaoping.schemes.models import SchemeItem

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 5)


def item(d, code="B01"):
    return SchemeItem.objects.get(scheme=d.scheme, code=code)


def pdf(name="award.pdf", size=None):
    body = b"%PDF-1.4 test" if size is None else b"%PDF" + b"0" * (size - 4)
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def submit(d, **kw):
    kw.setdefault("item", item(d))
    kw.setdefault("date", DAY)
    kw.setdefault("description", "获区级先进工作者")
    kw.setdefault("proof_text", "区委文件 2026-12 号")
    return claim_submit(actor=d.member1, **kw)


def test_approve_records_one_claim_entry_and_reduces_remaining_cap(district):
    d = district
    assert bonus_remaining(member=d.m1, scheme=d.scheme) == Decimal(10)
    claim = submit(d, proof_file=pdf())
    assert claim.proof_file.name.startswith("claims/")
    assert Notification.objects.filter(user=d.sec1, link__contains=claim.code).exists()
    with pytest.raises(PermissionDenied):
        claim_approve(actor=d.sec2, claim=claim)
    claim = claim_approve(actor=d.sec1, claim=claim)
    entry = claim.entry
    assert entry.source == ScoreEntry.Source.CLAIM and entry.points == Decimal(2)
    assert claim.code in entry.evidence
    assert bonus_remaining(member=d.m1, scheme=d.scheme) == Decimal(8)
    with pytest.raises(ValidationError):
        claim_approve(actor=d.sec1, claim=claim)
    assert ScoreEntry.objects.count() == 1
    entry_reverse(actor=d.sec1, entry=entry, reason="文件有误")
    assert bonus_remaining(member=d.m1, scheme=d.scheme) == Decimal(10)


def test_refuse_needs_reason_and_tells_the_member(district):
    d = district
    claim = submit(d)
    with pytest.raises(ValidationError):
        claim_refuse(actor=d.sec1, claim=claim, reason="  ")
    claim_refuse(actor=d.sec1, claim=claim, reason="不属于工作性奖励")
    claim.refresh_from_db()
    assert claim.status == BonusClaim.Status.REFUSED and claim.entry is None
    assert Notification.objects.filter(user=d.member1, text__contains="不属于").exists()
    assert not ScoreEntry.objects.exists()


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("run.exe", b"MZ..."), "只能上传"),
        (SimpleUploadedFile("fake.pdf", b"not a pdf"), "不符"),
        (pdf(size=10 * 1024 * 1024 + 1), "10 MB"),
    ],
)
def test_bad_upload_is_refused_and_stores_nothing(district, upload, message):
    with pytest.raises(ValidationError) as exc:
        submit(district, proof_file=upload)
    assert message in str(exc.value)
    assert not BonusClaim.objects.exists()


def test_only_members_claim_only_bonus_items_with_proof(district):
    d = district
    with pytest.raises(PermissionDenied):
        claim_submit(actor=d.sec1, item=item(d), date=DAY, description="x", proof_text="y")
    with pytest.raises(ValidationError):
        submit(d, item=item(d, "D01"))
    with pytest.raises(ValidationError):
        submit(d, proof_text="")
    with pytest.raises(ValidationError):
        submit(d, date=datetime.date(2025, 3, 1))
