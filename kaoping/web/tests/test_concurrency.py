"""Concurrent writes on PostgreSQL: real threads, each with its own connection, released
together by a barrier. No lost write, no duplicate, and the ledger's HMAC chain never
forks. (SQLite serialises writers, so these only run on PostgreSQL.)"""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from kaoping.claims.models import BonusClaim
from kaoping.claims.services import claim_approve
from kaoping.claims.tests.support import a_claim
from kaoping.evaluation.models import SealedBallot, VoteRight
from kaoping.evaluation.services import ballot_cast
from kaoping.evaluation.tests.support import branch_of, round_at_vote
from kaoping.ledger.models import LedgerChain, ScoreEntry
from kaoping.ledger.selectors import ledger_verify
from kaoping.ledger.services import entry_record, entry_reverse
from kaoping.meetings.models import AbsenceEntry
from kaoping.meetings.services import attendance_take, meeting_close
from kaoping.publication.models import Appeal, Publication
from kaoping.publication.services import appeal_answer, appeal_file
from kaoping.testing.concurrency import race
from kaoping.testing.factories import b1_meeting

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; concurrency is tested on PostgreSQL")


def d01(district):
    return district.scheme.items.get(code="D01")


def test_parallel_entries_do_not_fork_the_chain(district):
    d = district
    members = [d.m1, d.m1b, d.m2] * 3

    def record(member, day):
        return lambda: entry_record(
            actor=None, member=member, item=d01(d), date=datetime.date(2026, 3, day)
        )

    race(*(record(m, i + 1) for i, m in enumerate(members)))
    assert ScoreEntry.objects.count() == 9
    for chain in LedgerChain.objects.all():
        seqs = sorted(ScoreEntry.objects.filter(chain_key=chain.key).values_list("chain_seq"))
        assert [s for (s,) in seqs] == list(range(1, chain.length + 1))
    assert sorted(LedgerChain.objects.values_list("length", flat=True)) == [3, 6]
    assert ledger_verify() == []


def test_parallel_closing_of_one_meeting_records_each_absence_once(district):
    d = district
    meeting = b1_meeting(
        d, timezone.now() - datetime.timedelta(hours=2), place="会议室", topic="并发"
    )
    attendance_take(actor=d.sec1, meeting=meeting, statuses={"M1": "absent", "M1B": "absent"})
    results = race(*(lambda: meeting_close(actor=d.sec1, meeting=meeting) for _ in range(4)))
    assert sorted(len(r) for r in results) == [0, 0, 0, 2]
    assert ScoreEntry.objects.count() == 2 and AbsenceEntry.objects.count() == 2
    assert ledger_verify() == []


def test_parallel_approvals_of_one_claim_record_one_bonus(district):
    d = district
    claim = a_claim(d, description="并发", proof_text="证明")
    results = race(*(lambda: claim_approve(actor=d.sec1, claim=claim) for _ in range(4)))
    assert results.count("refused") == 3
    assert ScoreEntry.objects.count() == 1
    assert BonusClaim.objects.get().entry == ScoreEntry.objects.get()


def test_parallel_reversals_of_one_entry_append_one_reversal(district):
    d = district
    entry = entry_record(actor=None, member=d.m1, item=d01(d), date=datetime.date(2026, 3, 5))
    results = race(
        *(lambda: entry_reverse(actor=d.sec1, entry=entry, reason="并发") for _ in range(4))
    )
    assert results.count("refused") == 3
    assert ScoreEntry.objects.filter(reverses=entry).count() == 1
    assert ledger_verify() == []


def test_parallel_ballots_of_different_members_are_all_kept(district):
    members = branch_of(district, 6)
    round_ = round_at_vote(district)
    marks = {m.code: "qualified" for m in members}
    race(*(lambda m=m: ballot_cast(actor=m.user, round_=round_, marks=marks) for m in members))
    assert SealedBallot.objects.count() == 6  # sealed: nothing readable until counting
    assert VoteRight.objects.filter(round=round_, used=True).count() == 6


def _published(district):
    return Publication.objects.create(
        year=2026, branch=district.b1, notice_until=timezone.now() + datetime.timedelta(days=5)
    )


def test_parallel_appeals_are_all_kept(district):
    d = district
    _published(d)
    entries = [
        entry_record(actor=None, member=d.m1, item=d01(d), date=datetime.date(2026, 3, day))
        for day in (1, 2, 3, 4)
    ]
    race(
        *(
            lambda e=e: appeal_file(
                actor=d.member1, member=d.m1, year=2026, reasons="并发", entry=e
            )
            for e in entries
        )
    )
    assert sorted(Appeal.objects.values_list("entry", flat=True)) == sorted(e.pk for e in entries)


def test_parallel_answers_to_one_appeal_reverse_the_entry_once(district):
    d = district
    _published(d)
    entry = entry_record(actor=None, member=d.m1, item=d01(d), date=datetime.date(2026, 3, 5))
    appeal = Appeal.objects.create(year=2026, member=d.m1, entry=entry, reasons="并发")

    def answer(user):
        return lambda: appeal_answer(
            actor=user, appeal=appeal, upheld=True, answer="成立", reverse_entry=True
        )

    results = race(answer(d.sec1), answer(d.admin), answer(d.sec1), answer(d.admin))
    assert results.count("refused") == 3
    assert ScoreEntry.objects.filter(reverses=entry).count() == 1
    assert Appeal.objects.get().status == Appeal.Status.UPHELD
    assert ledger_verify() == []
