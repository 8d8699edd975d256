"""The secret ballot: secrecy in the database, one ballot per right, refusals that store
nothing, receipts, meeting-room codes, paper tallies entered twice, and no logging."""

import logging

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from kaoping.evaluation.models import (
    Ballot,
    BallotMark,
    CountedReceipt,
    EvaluationRound,
    PaperCode,
    SealedBallot,
    VoteRight,
    VoteTally,
)
from kaoping.evaluation.selectors import paper_tally_status, receipt_check, turnout
from kaoping.evaluation.services import (
    ballot_cast,
    ballot_cast_with_code,
    paper_codes_issue,
    paper_tally_enter,
    vote_close,
    vote_publish,
)
from kaoping.testing.concurrency import race

from .support import any_turnout, branch_of, count_votes, round_at_vote

pytestmark = pytest.mark.django_db


def nothing_stored():
    return not SealedBallot.objects.exists() and not Ballot.objects.exists()


def columns(model) -> list[str]:
    with connection.cursor() as cursor:
        return [
            c.name
            for c in connection.introspection.get_table_description(cursor, model._meta.db_table)
        ]


def test_voter_list_frozen_when_voting_opens(district):
    members = branch_of(district, 5)
    round_ = round_at_vote(district)
    assert set(VoteRight.objects.filter(round=round_).values_list("member_id", flat=True)) == {
        m.pk for m in members
    }
    from kaoping.testing.factories import MemberFactory

    late = MemberFactory(code="LATE", branch=district.b1)
    assert not VoteRight.objects.filter(member=late).exists()


def test_database_cannot_link_a_ballot_to_its_voter(district):
    members = branch_of(district, 12)
    round_ = round_at_vote(district)
    options = ["excellent", "qualified", "basic", "unqualified", ""]
    # Vote in a known order; each voter's ballot is recognisable by its content only.
    order = []
    receipts = []
    for i, voter in enumerate(members):
        marks = {m.code: options[(i + j) % 5] for j, m in enumerate(members)}
        marks[members[i].code] = "excellent"  # with the position of "unqualified": unique
        marks[members[(i + 1) % 12].code] = "unqualified"
        receipts.append(ballot_cast(actor=voter.user, round_=round_, marks=marks))
        order.append(voter.pk)

    # While the vote is open the database holds ciphertext only, all of one length, and
    # no readable ballot at all.
    assert sorted(columns(SealedBallot)) == ["ciphertext", "id", "receipt", "round_id"]
    assert not Ballot.objects.exists() and not BallotMark.objects.exists()
    sealed = list(SealedBallot.objects.values_list("ciphertext", "receipt"))
    assert len({len(c) for c, _r in sealed}) == 1
    assert sorted(r for _c, r in sealed) == sorted(receipts)
    for ciphertext, _r in sealed:
        for word in ("excellent", "unqualified", "B1-", "marks"):
            assert word not in ciphertext
    assert VoteRight.objects.filter(used=False).count() == 0

    vote_close(actor=district.sec1, round_=round_)
    count_votes(district, round_)
    assert not SealedBallot.objects.exists()
    assert sorted(CountedReceipt.objects.values_list("receipt", flat=True)) == sorted(receipts)
    # Counted ballots: a random key, the round, valid; marks name the member voted on,
    # never a voter, a time, a sequence or a receipt.
    assert sorted(columns(Ballot)) == ["id", "round_id", "valid"]
    assert sorted(columns(BallotMark)) == ["ballot_id", "id", "member_id", "option"]
    assert sorted(columns(VoteRight)) == ["id", "member_id", "round_id", "used"]
    right_values = {str(v) for row in VoteRight.objects.values_list() for v in row}
    for row in BallotMark.objects.values_list("id", "ballot_id"):
        assert not {str(v) for v in row} & right_values
    table = Ballot._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"SELECT id FROM {table} ORDER BY rowid")  # noqa: S608
        else:
            cursor.execute(f"SELECT id FROM {table} ORDER BY ctid")  # noqa: S608
        physical = [str(row[0]).replace("-", "") for row in cursor.fetchall()]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT DISTINCT xmin::text FROM {table}")  # noqa: S608
            assert len(cursor.fetchall()) == 1  # one transaction id for every ballot
    # The order of the ballots says nothing about the order of the votes: recover each
    # ballot's voter from its content and compare with the known voting order.
    by_ballot = {}
    for ballot_id, member_id, option in BallotMark.objects.values_list(
        "ballot_id", "member_id", "option"
    ):
        by_ballot.setdefault(str(ballot_id).replace("-", ""), {})[member_id] = option
    assert len(by_ballot) == 12
    patterns = {}
    for i, voter in enumerate(members):
        pattern = {m.pk: options[(i + j) % 5] for j, m in enumerate(members)}
        pattern[members[i].pk] = "excellent"
        pattern[members[(i + 1) % 12].pk] = "unqualified"
        patterns[tuple(sorted(pattern.items()))] = voter.pk
    voters_in_stored_order = [patterns[tuple(sorted(by_ballot[pk].items()))] for pk in physical]
    assert sorted(voters_in_stored_order) == sorted(order)
    assert voters_in_stored_order != order  # a fresh shuffle (1 in 12! to be equal)
    assert all(b.version == 4 for b in Ballot.objects.values_list("id", flat=True))


def test_double_submit_stores_one_ballot(district):
    members = branch_of(district, 4)
    round_ = round_at_vote(district)
    marks = {m.code: "qualified" for m in members}
    ballot_cast(actor=district.member1, round_=round_, marks=marks)
    with pytest.raises(ValidationError, match="不能重新投票"):
        ballot_cast(actor=district.member1, round_=round_, marks=marks)
    assert SealedBallot.objects.count() == 1
    assert not Ballot.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submit_stores_exactly_one_ballot(district):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the row lock is tested on PostgreSQL")
    members = branch_of(district, 4)
    round_ = round_at_vote(district)
    marks = {m.code: "excellent" for m in members}

    def submit():
        ballot_cast(actor=district.member1, round_=round_, marks=marks)
        return "ok"

    outcomes = race(*[submit] * 4)
    assert sorted(outcomes) == ["ok", "refused", "refused", "refused"]
    assert SealedBallot.objects.count() == 1
    assert VoteRight.objects.filter(used=True).count() == 1


@pytest.mark.parametrize(
    ("marks", "message"),
    [
        ({"NOBODY": "excellent"}, "不在本支部测评名单上"),
        ({"M1": "great"}, "不是本年度方案的测评选项"),
        ({"M2": "excellent"}, "不在本支部测评名单上"),  # a member of another branch
    ],
)
def test_bad_ballots_refused_and_nothing_stored(district, marks, message):
    branch_of(district, 3)
    round_ = round_at_vote(district)
    with pytest.raises(ValidationError, match=message):
        ballot_cast(actor=district.member1, round_=round_, marks=marks)
    assert nothing_stored()
    assert not VoteRight.objects.filter(used=True).exists()


def test_option_removed_from_scheme_is_refused(district):
    from kaoping.schemes.services import scheme_update

    scheme_update(
        actor=None,
        scheme=district.scheme,
        ballot_options={"excellent": "100", "qualified": "80", "basic": "60"},
    )
    branch_of(district, 3)
    round_ = round_at_vote(district)
    with pytest.raises(ValidationError, match="unqualified"):
        ballot_cast(actor=district.member1, round_=round_, marks={"M1": "unqualified"})
    assert nothing_stored()


def test_ballot_after_closing_and_voter_not_on_list_refused(district):
    branch_of(district, 3)
    any_turnout()
    round_ = round_at_vote(district)
    with pytest.raises(ValidationError, match="投票人名单"):
        ballot_cast(actor=district.member2, round_=round_, marks={"M1": "excellent"})
    with pytest.raises(ValidationError, match="投票人名单"):
        ballot_cast(actor=district.sec1, round_=round_, marks={"M1": "excellent"})
    vote_close(actor=district.sec1, round_=round_)
    with pytest.raises(ValidationError, match="已经截止"):
        ballot_cast(actor=district.member1, round_=round_, marks={"M1": "excellent"})
    assert nothing_stored()


def test_bad_input_through_http_shows_a_message_and_stores_nothing(client, district):
    branch_of(district, 3)
    any_turnout()
    round_ = round_at_vote(district)
    client.force_login(district.member1)
    response = client.post("/eval/2026/vote/", {"m:GHOST": "excellent"})
    assert response.status_code == 400
    assert "不在本支部测评名单上" in response.content.decode()
    response = client.post("/eval/2026/vote/", {"m:M1": "superb"})
    assert "不是本年度方案的测评选项" in response.content.decode()
    assert nothing_stored()
    response = client.post("/eval/2026/vote/", {"m:M1": "excellent", "m:M1B": ""})
    assert response.status_code == 200 and SealedBallot.objects.count() == 1
    response = client.post("/eval/2026/vote/", {"m:M1": "excellent"})
    assert "不能重新投票" in response.content.decode()
    assert SealedBallot.objects.count() == 1
    client.force_login(district.member2)  # B2: no round for their branch
    assert client.post("/eval/2026/vote/", {"m:M1": "excellent"}).status_code == 404
    vote_close(actor=district.sec1, round_=round_)
    client.force_login(district.m1b.user)
    response = client.post("/eval/2026/vote/", {"m:M1": "excellent"})
    assert "投票已经截止" in response.content.decode()
    assert SealedBallot.objects.count() == 1


def test_vote_view_logs_nothing_about_the_ballot(client, district, caplog, settings):
    settings.DEBUG = True  # SQL is logged at DEBUG level then: ballot SQL must not be
    branch_of(district, 3)
    round_at_vote(district)
    client.force_login(district.member1)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    client.post("/eval/2026/vote/", {"m:M1": "basic", "m:M1B": "unqualified"})
    client.post("/eval/2026/vote/", {"m:M1": "basic", "m:NOBODY": "unqualified"})
    assert SealedBallot.objects.count() == 1
    assert any(r.name == "django.db.backends" for r in caplog.records)  # SQL is logged
    for record in caplog.records:
        text = f"{record.getMessage()} {getattr(record, 'sql', '')} {record.args}"
        # The choices as values (quoted in SQL parameters, or as form fields).
        assert "'unqualified'" not in text and "'basic'" not in text, text
        assert "m:M1" not in text, text
        assert "evaluation_ballot" not in text


def test_totals_only_after_close_and_publish(client, district):
    members = branch_of(district, 3)
    round_ = round_at_vote(district)
    for voter in members:
        ballot_cast(actor=voter.user, round_=round_, marks={"M1": "excellent", "M1B": ""})
    assert not VoteTally.objects.exists()
    client.force_login(district.sec1)
    page = client.get("/eval/B1/2026/")
    assert page.context["totals"] is None and page.context["turnout"]["used"] == 3
    with pytest.raises(ValidationError, match="须先截止投票"):
        vote_publish(actor=district.sec1, round_=round_)
    vote_close(actor=district.sec1, round_=round_)
    with pytest.raises(ValidationError, match="计票"):
        vote_publish(actor=district.sec1, round_=round_)
    count_votes(district, round_)
    assert not VoteTally.objects.exists()
    vote_publish(actor=district.sec1, round_=round_)
    tallies = dict(VoteTally.objects.filter(member=district.m1).values_list("option", "count"))
    assert tallies == {"excellent": 3, "qualified": 0, "basic": 0, "unqualified": 0}
    assert sum(VoteTally.objects.filter(member=district.m1b).values_list("count", flat=True)) == 0
    page = client.get("/eval/B1/2026/")
    assert page.context["totals"]["M1"]["excellent"] == 3
    round_.refresh_from_db()
    assert round_.step == EvaluationRound.Step.DETERMINATION


def test_receipt_checks_that_the_ballot_was_counted(client, district):
    members = branch_of(district, 3)
    any_turnout()
    round_ = round_at_vote(district)
    receipt = ballot_cast(actor=members[0].user, round_=round_, marks={"M1": "qualified"})
    # The receipt is the SHA-256 of the stored ciphertext, in the ballot box.
    sealed = SealedBallot.objects.get()
    assert receipt == sealed.receipt and len(receipt) == 64
    assert receipt_check(code=receipt)["counted"] is False
    assert receipt_check(code=receipt[:16].upper())["counted"] is False  # a prefix will do
    assert receipt_check(code=receipt[:8]) is None  # too short to be sure
    vote_close(actor=district.sec1, round_=round_)
    count_votes(district, round_)
    response = client.post("/vote/receipt/", {"code": receipt.upper()})
    assert "选票已计入" in response.content.decode()
    response = client.post("/vote/receipt/", {"code": "ab" * 32})
    assert "没有找到" in response.content.decode()


def test_meeting_room_codes(client, district):
    members = branch_of(district, 4)
    round_ = round_at_vote(district)
    present = [district.m1b, members[2]]
    codes = paper_codes_issue(actor=district.sec1, round_=round_, members=present)
    assert len(codes) == 2 and PaperCode.objects.count() == 2
    assert not PaperCode.objects.filter(code_hash__in=codes).exists()
    assert set(VoteRight.objects.filter(used=True).values_list("member_id", flat=True)) == {
        m.pk for m in present
    }
    with pytest.raises(ValidationError, match="已经投票"):
        paper_codes_issue(actor=district.sec1, round_=round_, members=[district.m1b])
    # No login needed: the code is the right.
    response = client.post("/vote/code/", {"code": codes[0]})
    assert "m:M1" in response.content.decode()
    response = client.post(
        "/vote/code/", {"code": codes[0], "cast": "1", "m:M1": "excellent", "m:M1B": "basic"}
    )
    assert response.status_code == 200 and SealedBallot.objects.count() == 1
    receipt = SealedBallot.objects.get().receipt
    assert receipt in response.content.decode()  # the paper voter gets a receipt too
    with pytest.raises(ValidationError, match="已经使用过"):
        ballot_cast_with_code(code=codes[0], marks={"M1": "excellent"})
    with pytest.raises(ValidationError, match="无效"):
        ballot_cast_with_code(code="NOPE-NOPE-NOPE", marks={"M1": "excellent"})
    ballot_cast_with_code(code=codes[1], marks={})
    assert SealedBallot.objects.count() == 2 and not Ballot.objects.exists()
    assert turnout(round_=round_) == {"voters": 4, "used": 2, "ballots": 2}


def test_paper_tallies_entered_twice_must_match(district):
    from kaoping.testing.factories import grant

    branch_of(district, 3)
    round_ = round_at_vote(district, method=EvaluationRound.VoteMethod.PAPER)
    assert not VoteRight.objects.exists()
    with pytest.raises(ValidationError, match="纸质选票"):
        ballot_cast(actor=district.member1, round_=round_, marks={})
    sheet = {"M1": {"excellent": 2, "qualified": 1}, "M1B": {"qualified": 3}}
    paper_tally_enter(actor=district.sec1, round_=round_, counts=sheet)
    assert paper_tally_status(round_)[0] == "waiting"
    with pytest.raises(ValidationError, match="两人分别录入"):
        vote_publish(actor=district.sec1, round_=round_)
    other = district.admin
    wrong = {"M1": {"excellent": 2, "qualified": 1}, "M1B": {"qualified": 2}}
    paper_tally_enter(actor=other, round_=round_, counts=wrong)
    assert paper_tally_status(round_) == ("mismatch", ["M1B"])
    with pytest.raises(ValidationError, match="不一致"):
        vote_publish(actor=district.sec1, round_=round_)
    assert not VoteTally.objects.exists()
    with pytest.raises(ValidationError, match="不在本支部测评名单上"):
        paper_tally_enter(actor=other, round_=round_, counts={"M2": {"excellent": 1}})
    with pytest.raises(ValidationError, match="整数"):
        paper_tally_enter(actor=other, round_=round_, counts={"M1": {"excellent": -1}})
    paper_tally_enter(actor=other, round_=round_, counts=sheet)
    assert paper_tally_status(round_) == ("match", [])
    vote_publish(actor=district.sec1, round_=round_)
    assert (
        dict(VoteTally.objects.filter(member=district.m1).values_list("option", "count"))[
            "excellent"
        ]
        == 2
    )
    grant  # noqa: B018
