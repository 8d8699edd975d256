"""Publication, appeals and finalisation: who may do what, and what blocks what."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kaoping.evaluation.models import EvaluationRound
from kaoping.evaluation.services import paper_tally_enter, quota_decision_record, vote_publish
from kaoping.evaluation.tests.support import branch_of, round_at_vote
from kaoping.ledger.models import ScoreEntry
from kaoping.ledger.services import entry_record
from kaoping.publication.models import Appeal, Publication
from kaoping.publication.services import (
    appeal_answer,
    appeal_file,
    branch_finalise,
    publication_publish,
)
from kaoping.schemes.models import SchemeItem
from kaoping.scoring.models import GradeRecord

pytestmark = pytest.mark.django_db


def ready_for_publication(district, tie: bool = False):
    """B1 of 8 through a paper vote (two matching entries, published); tie: two at the top."""
    members = branch_of(district, 8)
    round_ = round_at_vote(district, method=EvaluationRound.VoteMethod.PAPER)
    counts = {
        m.code: {"excellent" if (i < 2 and tie) or i == 0 else "qualified": 8}
        for i, m in enumerate(members)
    }
    paper_tally_enter(actor=district.sec1, round_=round_, counts=counts)
    paper_tally_enter(actor=district.admin, round_=round_, counts=counts)
    vote_publish(actor=district.sec1, round_=round_)
    return members


def test_publication_needs_the_vote_and_the_ties_decided(district):
    branch_of(district, 3)
    with pytest.raises(ValidationError, match="民主评议完成"):
        publication_publish(actor=district.sec1, branch=district.b1, year=2026)
    EvaluationRound.objects.all().delete()
    members = ready_for_publication(district, tie=True)
    with pytest.raises(PermissionDenied):
        publication_publish(actor=district.sec2, branch=district.b1, year=2026)
    with pytest.raises(ValidationError, match="组织认定"):
        publication_publish(actor=district.sec1, branch=district.b1, year=2026)
    quota_decision_record(
        actor=district.sec1, year=2026, member=members[0], excellent=True, note="认定"
    )
    publication = publication_publish(actor=district.sec1, branch=district.b1, year=2026)
    assert publication.version == 1 and publication.in_notice_period


def test_appeals_only_by_the_member_on_their_own_entries_in_the_period(district):
    members = ready_for_publication(district)
    d01 = SchemeItem.objects.get(scheme=district.scheme, code="D01")
    other_entry = entry_record(
        actor=None, member=district.m1b, item=d01, date=datetime.date(2026, 2, 1)
    )
    with pytest.raises(ValidationError, match="尚未公示"):
        appeal_file(actor=district.member1, member=district.m1, year=2026, reasons="x")
    publication_publish(actor=district.sec1, branch=district.b1, year=2026)
    with pytest.raises(PermissionDenied):
        appeal_file(actor=district.sec1, member=district.m1, year=2026, reasons="x")
    with pytest.raises(ValidationError, match="本人"):
        appeal_file(
            actor=district.member1, member=district.m1, year=2026, reasons="x", entry=other_entry
        )
    appeal = appeal_file(actor=district.member1, member=district.m1, year=2026, reasons="不服")
    with pytest.raises(ValidationError, match="已就此提出申诉"):  # a double click
        appeal_file(actor=district.member1, member=district.m1, year=2026, reasons="不服")
    with pytest.raises(PermissionDenied):
        appeal_answer(actor=district.member1, appeal=appeal, upheld=False, answer="x")
    with pytest.raises(ValidationError, match="答复"):
        appeal_answer(actor=district.sec1, appeal=appeal, upheld=False, answer=" ")
    with pytest.raises(ValidationError, match="冲销"):
        appeal_answer(actor=district.sec1, appeal=appeal, upheld=True, answer="成立")
    b01 = SchemeItem.objects.get(scheme=district.scheme, code="B01")
    appeal_answer(actor=district.sec1, appeal=appeal, upheld=True, answer="补录奖励", add_item=b01)
    added = ScoreEntry.objects.get(member=district.m1, item=b01)
    assert added.source == ScoreEntry.Source.APPEAL
    assert Publication.objects.get().version == 2
    with pytest.raises(ValidationError, match="已经答复"):
        appeal_answer(actor=district.sec1, appeal=appeal, upheld=False, answer="x")
    Publication.objects.update(notice_until=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(ValidationError, match="公示期已结束"):
        appeal_file(actor=district.member1, member=district.m1, year=2026, reasons="再次")
    assert Appeal.objects.count() == 1
    assert members


def test_finalisation_blocked_until_period_over_and_appeals_answered(client, district):
    ready_for_publication(district)
    publication_publish(actor=district.sec1, branch=district.b1, year=2026)
    appeal = appeal_file(actor=district.member1, member=district.m1, year=2026, reasons="不服")
    with pytest.raises(ValidationError) as exc:
        branch_finalise(actor=district.sec1, branch=district.b1, year=2026)
    assert any("公示期" in m for m in exc.value.messages)
    assert any("申诉" in m for m in exc.value.messages)
    Publication.objects.update(notice_until=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(ValidationError, match="申诉"):
        branch_finalise(actor=district.sec1, branch=district.b1, year=2026)
    appeal_answer(actor=district.sec1, appeal=appeal, upheld=False, answer="不成立")
    with pytest.raises(PermissionDenied):
        branch_finalise(actor=district.sec2, branch=district.b1, year=2026)
    assert branch_finalise(actor=district.sec1, branch=district.b1, year=2026) == 8
    assert GradeRecord.objects.filter(year=2026).count() == 8
    with pytest.raises(ValidationError):
        branch_finalise(actor=district.sec1, branch=district.b1, year=2026)


def test_pages_are_scoped(client, district):
    ready_for_publication(district)
    publication_publish(actor=district.sec1, branch=district.b1, year=2026)
    client.force_login(district.outsider)
    assert client.get("/pub/B1/2026/print/").status_code == 404
    assert client.get("/pub/B1/2026/").status_code == 404
    client.force_login(district.member1)
    assert client.get("/pub/B1/2026/").status_code == 404  # officers' page
    assert client.get("/pub/B1/2026/print/").status_code == 200  # published to the branch
    assert client.post("/pub/B1/2026/publish/").status_code in (403, 404)
    assert client.get("/pub/member/M1B/2026/").status_code == 404
    client.force_login(district.sec2)
    assert client.get("/pub/B1/2026/").status_code == 404
    client.force_login(district.orgdept)
    assert client.get("/pub/B1/2026/").status_code == 200
    assert client.post("/pub/B1/2026/publish/").status_code == 403


def test_pages_in_english(client, district):
    ready_for_publication(district)
    publication_publish(actor=district.sec1, branch=district.b1, year=2026)
    client.force_login(district.member1)
    client.post("/i18n/setlang/", {"language": "en", "next": "/me/"})
    html = client.get("/pub/member/M1/2026/").content.decode()
    assert "Published grade" in html and "公示等次" not in html
    client.force_login(district.sec1)
    client.post("/i18n/setlang/", {"language": "en", "next": "/me/"})
    html = client.get("/eval/B1/2026/").content.decode()
    assert "Steps and deadlines" in html
