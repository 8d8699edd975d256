"""The sealed online vote (issue 17): scrutineers and their shares, counting with 2 of 3
shares, receipts in the ballot box during and after the vote, the anonymous ballots and
their recount, invalid ballots, refusals that change nothing, lost shares, paper codes."""

import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

from kaoping.audit.models import AuditEvent
from kaoping.evaluation import sealing
from kaoping.evaluation.box import anonymous_ballots, recount
from kaoping.evaluation.counting import vote_count, vote_open, vote_rerun, vote_to_paper
from kaoping.evaluation.models import (
    Ballot,
    BallotMark,
    CountedReceipt,
    EvaluationRound,
    Scrutineer,
    SealedBallot,
    VoteCount,
    VoteRight,
    VoteTally,
)
from kaoping.evaluation.selectors import receipt_check
from kaoping.evaluation.services import (
    ballot_cast,
    ballot_cast_with_code,
    paper_codes_issue,
    paper_tally_enter,
    round_advance,
    round_open,
    vote_close,
    vote_publish,
)
from kaoping.notifications.models import Notification

from .support import any_turnout, branch_of, count_votes, round_at_vote

pytestmark = pytest.mark.django_db

OPTIONS = ["excellent", "qualified", "basic", "unqualified", ""]
SHARE = re.compile(r'<code class="share" id="share-(\d)">([^<]+)</code>')
RECEIPT = re.compile(r'id="receipt-code">([0-9a-f]{64})<')


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def at_secretary_step(district) -> EvaluationRound:
    round_ = round_open(actor=district.sec1, branch=district.b1, year=2026)
    for _ in range(2):
        round_ = round_advance(actor=district.sec1, round_=round_)
    return round_


def snapshot(round_):
    round_.refresh_from_db()
    return (
        sorted(SealedBallot.objects.values_list("receipt", "ciphertext")),
        Ballot.objects.count(),
        BallotMark.objects.count(),
        CountedReceipt.objects.count(),
        VoteCount.objects.count(),
        list(Scrutineer.objects.values_list("position", "took_part")),
        round_.vote_state,
        AuditEvent.objects.count(),
    )


def test_full_vote_of_a_branch_of_25_through_http(district):
    members = branch_of(district, 25)
    at_secretary_step(district)
    sec = logged_in(district.sec1)
    form = sec.get("/eval/B1/2026/vote-open/").content.decode()
    assert "监票人" in form and "确认后将会" in form
    chosen = members[3:6]
    shown = sec.post("/eval/B1/2026/vote-open/", {"scrutineers": [m.pk for m in chosen]})
    assert shown.status_code == 200
    assert "no-store" in shown["Cache-Control"]  # shown once, never cached
    page = shown.content.decode()
    shares = dict(SHARE.findall(page))
    assert sorted(shares) == ["1", "2", "3"]
    for m in chosen:
        assert m.name in page  # each slip names its scrutineer and the round
    assert "第一党支部 2026 年度民主测评" in page or "2026" in page
    round_ = EvaluationRound.objects.get()
    assert round_.step == "vote" and round_.vote_state == "open" and len(round_.vote_key) == 64
    assert VoteRight.objects.filter(round=round_).count() == 25
    # The shares are nowhere in the database: only a hash of each.
    stored = {s.position: s.share_hash for s in Scrutineer.objects.all()}
    for position, text in shares.items():
        assert stored[int(position)] not in (text, "")
        assert not AuditEvent.objects.filter(after__icontains=text[2:10]).exists()

    # 25 members vote through HTTP; each gets a receipt.
    codes = [m.code for m in members]
    expected = {c: dict.fromkeys(OPTIONS[:4], 0) for c in codes}
    receipts = {}
    for i, voter in enumerate(members):
        marks = {c: OPTIONS[(i * 7 + j) % 5] for j, c in enumerate(codes)}
        for c, o in marks.items():
            if o:
                expected[c][o] += 1
        client = logged_in(voter.user)
        cast = client.post("/eval/2026/vote/", {f"m:{c}": o for c, o in marks.items()})
        assert cast.status_code == 200
        receipts[voter.pk] = RECEIPT.search(cast.content.decode()).group(1)
    assert not Ballot.objects.exists() and SealedBallot.objects.count() == 25

    # During the vote: each receipt is in the ballot box every member can see.
    box = logged_in(members[10].user).get("/eval/B1/2026/box/").content.decode()
    for receipt in receipts.values():
        assert receipt in box
    assert receipt_check(code=receipts[members[0].pk])["counted"] is False
    assert (
        "尚未计票"
        in Client().post("/vote/receipt/", {"code": receipts[members[0].pk]}).content.decode()
    )
    assert logged_in(district.member2).get("/eval/B1/2026/box/").status_code == 404  # B2

    # Counting before closing is refused; closing; then 2 of the 3 shares.
    early = sec.post("/eval/B1/2026/count/", {"share_1": shares["1"], "share_3": shares["3"]})
    assert "须先截止投票" in early.content.decode()
    assert sec.post("/eval/B1/2026/do/close/", {"confirm": "1"}).status_code == 302
    counted = sec.post("/eval/B1/2026/count/", {"share_1": shares["1"], "share_3": shares["3"]})
    assert counted.status_code == 302
    assert not SealedBallot.objects.exists()
    assert Ballot.objects.filter(valid=True).count() == 25
    count = VoteCount.objects.get()
    assert count.ballots == 25 and count.invalid == 0 and count.totals == expected
    took_part = set(Scrutineer.objects.filter(took_part=True).values_list("member_id", flat=True))
    assert took_part == {chosen[0].pk, chosen[2].pk}

    # The round page and the box say who counted, when, and the totals.
    round_page = sec.get("/eval/B1/2026/").content.decode()
    assert "已于" in round_page and "选票 25 张，其中无效票 0 张" in round_page
    box = logged_in(members[10].user).get("/eval/B1/2026/box/").content.decode()
    assert chosen[0].name in box and chosen[2].name in box and "计票时间" in box
    # The totals' columns follow the scheme's usual order (jsonb keeps no key order).
    header = re.search(r"<th>党员编号</th>(.*?)</tr>", box, re.S)[1]
    columns = re.findall(r'<th class="num">([^<]+)</th>', header)
    assert columns == ["优秀", "合格", "基本合格", "不合格"]
    for receipt in receipts.values():  # after counting: the count covered every receipt
        assert receipt in box
        assert receipt_check(code=receipt)["counted"] is True
    assert (
        "已计入"
        in Client().post("/vote/receipt/", {"code": receipts[members[5].pk]}).content.decode()
    )

    # Any member downloads the anonymous ballots (no receipts) and recounts them.
    member = logged_in(members[20].user)
    document = json.loads(member.get("/eval/B1/2026/box.json").content)
    assert document["round"] == "B1-2026" and len(document["ballots"]) == 25
    text = json.dumps(document)
    assert not any(r in text for r in receipts.values())
    csv_text = member.get("/eval/B1/2026/box.csv").content.decode()
    assert csv_text.startswith("round,ballot,valid,") and csv_text.count("B1-2026") == 25
    assert recount(round_=round_, document=document).totals == expected
    assert "一致" in member.post("/eval/B1/2026/recount/").content.decode()

    # Publishing takes the counted ballots; the recount agrees with the published tallies.
    assert sec.post("/eval/B1/2026/do/publish/", {"confirm": "1"}).status_code == 302
    for c in codes:
        assert (
            dict(VoteTally.objects.filter(member__code=c, year=2026).values_list("option", "count"))
            == expected[c]
        )
    after = recount(round_=round_)
    assert after.agrees and after.ballots == 25
    # Nothing of a ballot's content in the audit log or notifications.
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"vote.scrutineers", "vote.close", "vote.count", "vote.publish"} <= actions
    assert not {a for a in actions if "cast" in a or "ballot" in a}
    for row in AuditEvent.objects.filter(action="vote.count"):
        assert set(row.after) == {"ballots", "invalid", "scrutineers"}
    for text in Notification.objects.values_list("text", flat=True):
        assert not any(o in text for o in OPTIONS[:4])


def test_counting_twice_a_wrong_share_or_too_few_is_refused_and_changes_nothing(district):
    members = branch_of(district, 4)
    round_ = round_at_vote(district, scrutineers=members[:3])
    for voter in members:
        ballot_cast(actor=voter.user, round_=round_, marks={"M1": "excellent"})
    one, two, three = round_.test_shares
    with pytest.raises(ValidationError, match="须先截止投票"):
        vote_count(actor=district.sec1, round_=round_, shares=[one, two])
    vote_close(actor=district.sec1, round_=round_)
    before = snapshot(round_)
    wrong = one[:2] + ("A" if one[2] != "A" else "B") + one[3:]
    refusals = [
        ([wrong, two], "份额不正确"),
        ([one], "至少 2 名监票人的份额，现在只有 1 份"),
        ([one, one.lower().replace("-", " ")], "输入了两次"),
        ([one, "hello"], "格式不正确"),
        ([one, "9" + two[1:]], "不属于本轮任何监票人"),
        ([], "现在只有 0 份"),
    ]
    for shares, message in refusals:
        with pytest.raises(ValidationError, match=message):
            vote_count(actor=district.sec1, round_=round_, shares=shares)
        assert snapshot(round_) == before
    # Nor may a member who is no scrutineer count, with right shares.
    outsider = members[3]
    with pytest.raises(PermissionDenied):
        vote_count(actor=outsider.user, round_=round_, shares=[one, two])
    # Through the page: a clear message, status 400, nothing changed.
    sec = logged_in(district.sec1)
    page = sec.post("/eval/B1/2026/count/", {"share_1": wrong, "share_2": two})
    assert page.status_code == 400 and "份额不正确" in page.content.decode()
    assert snapshot(round_) == before
    # A scrutineer counts from their own login with shares 2 and 3.
    own = logged_in(members[1].user)
    assert own.get("/eval/B1/2026/count/").status_code == 200
    assert own.post("/eval/B1/2026/count/", {"share_2": two, "share_3": three}).status_code == 302
    assert VoteCount.objects.get().ballots == 4
    after = snapshot(round_)
    with pytest.raises(ValidationError, match="已经计票，不能重复计票"):
        vote_count(actor=district.sec1, round_=round_, shares=[one, two])
    assert snapshot(round_) == after


def test_invalid_ballots_are_counted_as_invalid_and_reported(district):
    members = branch_of(district, 3)
    round_ = round_at_vote(district)
    for voter in members:
        ballot_cast(actor=voter.user, round_=round_, marks={"M1": "excellent", "M1B": "basic"})
    # Ballots the server would never make, put straight into the box: a member of another
    # branch, an option outside the scheme, garbage, and a box sealed to another key.
    codes = [m.code for m in members]
    options = list(district.scheme.ballot_options)
    for marks in ({"M2": "excellent"}, {"M1": "superb"}):
        ciphertext, receipt = sealing.seal(round_.vote_key, marks, codes, options)
        SealedBallot.objects.create(round=round_, ciphertext=ciphertext, receipt=receipt)
    SealedBallot.objects.create(round=round_, ciphertext="bm90IGEgYm94", receipt="e" * 64)
    other_key, _shares = sealing.new_vote_key(2, 2)
    ciphertext, receipt = sealing.seal(other_key, {"M1": "excellent"}, codes, options)
    SealedBallot.objects.create(round=round_, ciphertext=ciphertext, receipt=receipt)
    any_turnout()
    vote_close(actor=district.sec1, round_=round_)
    count = count_votes(district, round_)
    assert (count.ballots, count.invalid) == (7, 4)
    assert count.totals["M1"]["excellent"] == 3 and count.totals["M1B"]["basic"] == 3
    assert Ballot.objects.filter(valid=False).count() == 4
    assert not BallotMark.objects.filter(ballot__valid=False).exists()
    assert not BallotMark.objects.filter(member=district.m2).exists()
    page = logged_in(district.sec1).get("/eval/B1/2026/").content.decode()
    assert "其中无效票 4 张" in page  # how many, never whose
    document = anonymous_ballots(round_=round_)
    assert sum(1 for b in document["ballots"] if not b["valid"]) == 4
    assert recount(round_=round_).agrees
    vote_publish(actor=district.sec1, round_=round_)
    assert VoteTally.objects.get(member=district.m1, option="excellent").count == 3


def test_scrutineers_two_or_three_distinct_members_of_the_voter_list(district):
    members = branch_of(district, 5)
    round_ = at_secretary_step(district)
    with pytest.raises(ValidationError, match="监票人"):
        round_advance(actor=district.sec1, round_=round_)  # online: scrutineers first
    for chosen, message in (
        (members[:1], "2 至 3 名"),
        (members[:4], "2 至 3 名"),
        ([members[0], members[0]], "重复"),
        ([members[0], district.m2], "投票人名单"),
    ):
        with pytest.raises(ValidationError, match=message):
            vote_open(actor=district.sec1, round_=round_, scrutineers=chosen)
        round_.refresh_from_db()
        assert round_.step == "secretary" and not VoteRight.objects.exists()
    with pytest.raises(PermissionDenied):
        vote_open(actor=district.member1, round_=round_, scrutineers=members[:2])
    round_, slips = vote_open(actor=district.sec1, round_=round_, scrutineers=members[:2])
    assert [s.position for s in slips] == [1, 2] and round_.vote_threshold == 2
    assert all(sealing.parse_share(s.share).position == s.position for s in slips)


def test_lost_shares_the_branch_reruns_the_vote(district):
    members = branch_of(district, 4)
    round_ = round_at_vote(district, scrutineers=members[:2])
    for voter in members:
        ballot_cast(actor=voter.user, round_=round_, marks={"M1": "basic"})
    vote_close(actor=district.sec1, round_=round_)
    old = round_.test_shares
    # One scrutineer lost their slip: one share is not enough, and the page says so.
    with pytest.raises(ValidationError, match="无法计票：可以重新投票或改为纸质选票"):
        vote_count(actor=district.sec1, round_=round_, shares=[old[0]])
    sec = logged_in(district.sec1)
    page = sec.get("/eval/B1/2026/count/").content.decode()
    assert "凑不齐" in page and "/eval/B1/2026/rerun/" in page
    assert "作废" in sec.get("/eval/B1/2026/rerun/").content.decode()
    refused = sec.post("/eval/B1/2026/rerun/", {"scrutineers": [members[2].pk, members[3].pk]})
    assert refused.status_code == 400 and SealedBallot.objects.count() == 4  # no reason
    shown = sec.post(
        "/eval/B1/2026/rerun/",
        {"scrutineers": [members[2].pk, members[3].pk], "reason": "监票人份额条遗失"},
    )
    new = [text for _p, text in SHARE.findall(shown.content.decode())]
    assert len(new) == 2
    round_.refresh_from_db()
    assert round_.vote_state == "open" and not SealedBallot.objects.exists()
    assert not VoteRight.objects.filter(used=True).exists()
    audit = AuditEvent.objects.get(action="vote.rerun")
    assert audit.after == {"reason": "监票人份额条遗失", "discarded": 4}
    for voter in members:
        ballot_cast(actor=voter.user, round_=round_, marks={"M1": "excellent"})
    vote_close(actor=district.sec1, round_=round_)
    with pytest.raises(ValidationError):
        vote_count(actor=district.sec1, round_=round_, shares=old)  # the old key is gone
    count = vote_count(actor=district.sec1, round_=round_, shares=new)
    assert count.totals["M1"] == {"excellent": 4, "qualified": 0, "basic": 0, "unqualified": 0}


def test_lost_shares_the_branch_falls_back_to_paper(district):
    members = branch_of(district, 3)
    round_ = round_at_vote(district)
    ballot_cast(actor=members[0].user, round_=round_, marks={"M1": "basic"})
    sec = logged_in(district.sec1)
    assert sec.post("/eval/B1/2026/to-paper/", {"reason": ""}).status_code == 400
    assert SealedBallot.objects.count() == 1
    assert (
        sec.post("/eval/B1/2026/to-paper/", {"reason": "份额遗失，改为会上纸质投票"}).status_code
        == 302
    )
    round_.refresh_from_db()
    assert (round_.vote_method, round_.vote_state, round_.vote_key) == ("paper", "open", "")
    assert not SealedBallot.objects.exists() and not VoteRight.objects.exists()
    assert (
        AuditEvent.objects.get(action="vote.to_paper").after["reason"]
        == "份额遗失，改为会上纸质投票"
    )
    with pytest.raises(ValidationError, match="纸质"):
        vote_to_paper(actor=district.sec1, round_=round_, reason="again")
    sheet = {"M1": {"excellent": 2, "qualified": 1}}
    paper_tally_enter(actor=district.sec1, round_=round_, counts=sheet)
    paper_tally_enter(actor=district.admin, round_=round_, counts=sheet)
    vote_publish(actor=district.sec1, round_=round_)
    assert VoteTally.objects.get(member=district.m1, option="excellent").count == 2
    with pytest.raises(ValidationError):
        vote_rerun(actor=district.sec1, round_=round_, reason="x", scrutineers=members[:2])


def test_paper_codes_are_sealed_like_any_other_ballot(client, district):
    members = branch_of(district, 4)
    round_ = round_at_vote(district)
    codes = paper_codes_issue(actor=district.sec1, round_=round_, members=members[2:])
    ballot_cast(actor=members[0].user, round_=round_, marks={"M1": "qualified"})
    response = client.post("/vote/code/", {"code": codes[0], "cast": "1", "m:M1": "excellent"})
    receipt = RECEIPT.search(response.content.decode()).group(1)
    other = ballot_cast_with_code(code=codes[1], marks={"M1": "excellent"})
    assert SealedBallot.objects.count() == 3 and not Ballot.objects.exists()
    assert receipt_check(code=receipt)["counted"] is False
    any_turnout()
    vote_close(actor=district.sec1, round_=round_)
    count = count_votes(district, round_)
    assert count.totals["M1"]["excellent"] == 2 and count.totals["M1"]["qualified"] == 1
    assert receipt_check(code=other)["counted"] is True


def test_recount_command(district, tmp_path, capsys):
    members = branch_of(district, 3)
    round_ = round_at_vote(district)
    for voter in members:
        ballot_cast(actor=voter.user, round_=round_, marks={"M1": "excellent"})
    with pytest.raises(CommandError, match="尚未计票"):
        call_command("recount", round="B1-2026")
    vote_close(actor=district.sec1, round_=round_)
    count_votes(district, round_)
    call_command("recount", round="B1-2026")
    assert "一致" in capsys.readouterr().out
    document = anonymous_ballots(round_=round_)
    good = tmp_path / "box.json"
    good.write_text(json.dumps(document), encoding="utf-8")
    call_command("recount", round="B1-2026", file=str(good))
    document["ballots"][0]["marks"]["M1"] = "basic"  # a tampered copy
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CommandError, match="不一致"):
        call_command("recount", round="B1-2026", file=str(bad))
    assert "M1" in capsys.readouterr().err
    with pytest.raises(CommandError, match="找不到"):
        call_command("recount", round="B9-2026")


def test_the_api_lists_the_box_counts_with_shares_and_gives_the_anonymous_ballots(district):
    from kaoping.api.services import api_token_create

    members = branch_of(district, 3)
    round_ = round_at_vote(district)
    receipts = [
        ballot_cast(actor=voter.user, round_=round_, marks={"M1": "excellent"}) for voter in members
    ]
    _token, key = api_token_create(actor=district.sec1, user=district.sec1, name="计票")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    box = api.get("/api/branches/B1/years/2026/ballot-box").json()
    assert sorted(box["receipts"]) == sorted(receipts) and box["count"] is None
    assert box["voters"] == 3 and box["used"] == 3
    assert api.get("/api/branches/B1/years/2026/ballots").status_code == 404
    vote_close(actor=district.sec1, round_=round_)
    wrong = api.post(
        "/api/branches/B1/years/2026/count",
        {"shares": round_.test_shares[:1]},
        content_type="application/json",
    )
    assert wrong.status_code == 422 and "至少 2 名监票人" in wrong.json()["detail"]
    done = api.post(
        "/api/branches/B1/years/2026/count",
        {"shares": round_.test_shares},
        content_type="application/json",
    ).json()
    assert done["counted"] is True and done["count"]["ballots"] == 3
    assert done["count"]["totals"]["M1"]["excellent"] == 3
    document = api.get("/api/branches/B1/years/2026/ballots").json()
    assert document["round"] == "B1-2026" and len(document["ballots"]) == 3
    assert recount(round_=round_, document=document).agrees
