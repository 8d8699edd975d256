"""The whole year's close for a branch of 12, through HTTP: the five steps, an online vote
by every member, determination of a tie, publication, an upheld and a refused appeal,
finalisation, and the year frozen afterwards."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kaoping.audit.models import AuditEvent
from kaoping.evaluation.models import Ballot, EvaluationRound, SealedBallot, VoteTally
from kaoping.evaluation.services import ballot_cast, tally_set
from kaoping.evaluation.tests.support import branch_of
from kaoping.ledger.models import ScoreEntry
from kaoping.ledger.services import entry_record
from kaoping.notifications.models import Notification
from kaoping.publication.models import Appeal, Publication
from kaoping.publication.services import branch_reopen
from kaoping.schemes.models import BranchYearClosing, SchemeItem
from kaoping.scoring.models import GradeRecord, MemberResult

pytestmark = pytest.mark.django_db

FUTURE = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()


def as_user(client, user):
    client.force_login(user)
    return client


def ok(response, status=302):
    assert response.status_code == status, response.content.decode()[:2000]
    return response


def step(client, district, action):
    # Advancing and closing show their consequences first; this cycle confirms them.
    ok(as_user(client, district.sec1).post(f"/eval/B1/2026/do/{action}/", {"confirm": "1"}))


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_full_cycle_for_a_branch_of_twelve(client, district):
    members = branch_of(district, 12)
    codes = [m.code for m in members]
    d01 = SchemeItem.objects.get(scheme=district.scheme, code="D01")
    appealed = members[2]
    wrong_entry = entry_record(
        actor=district.sec1, member=appealed, item=d01, date=datetime.date(2026, 3, 1)
    )
    sec = as_user(client, district.sec1)

    # 1. The secretary opens the round, with deadlines.
    ok(
        sec.post(
            "/eval/B1/2026/open/",
            {
                "vote_method": "online",
                "self_deadline": FUTURE,
                "peer_deadline": FUTURE,
                "secretary_deadline": FUTURE,
                "vote_deadline": FUTURE,
            },
        )
    )
    branch_page = sec.get("/branches/B1/?year=2026").content.decode()
    assert "/eval/B1/2026/" in branch_page and "/pub/B1/2026/" in branch_page

    # 2. Self-evaluation: a draft, then submitted.
    for m in members:
        c = as_user(client, m.user)
        ok(c.post("/eval/2026/self/", {"problems": "问题", "causes": "", "measures": ""}))
        ok(
            c.post(
                "/eval/2026/self/",
                {"problems": "问题", "causes": "原因", "measures": "措施", "submit": "1"},
            )
        )
    step(client, district, "advance")

    # 3. Peer evaluation: each comments on the next one; never on oneself.
    for i, m in enumerate(members):
        c = as_user(client, m.user)
        other = members[(i + 1) % len(members)]
        ok(
            c.post(
                f"/eval/2026/peer/{other.code}/", {"strengths": f"优点{i}", "suggestions": "建议"}
            )
        )
    refused = as_user(client, members[0].user).post(
        f"/eval/2026/peer/{members[0].code}/", {"strengths": "自夸"}
    )
    assert "不能评价自己" in refused.content.decode()
    step(client, district, "advance")

    # 4. The secretary's comment on every member.
    for m in members:
        ok(
            as_user(client, district.sec1).post(
                f"/eval/B1/2026/comment/{m.code}/", {"comment": "点评", "requirements": "要求"}
            )
        )
    # Into the vote: the voter list is frozen, three scrutineers get their shares once.
    sec = as_user(client, district.sec1)
    assert "监票人" in sec.get("/eval/B1/2026/vote-open/").content.decode()
    scrutineers = [m for m in members if m.code != district.m1.code][:3]
    shown = sec.post("/eval/B1/2026/vote-open/", {"scrutineers": [m.pk for m in scrutineers]})
    shares = re.findall(r'<code class="share" id="share-\d">([^<]+)</code>', shown.content.decode())
    assert len(shares) == 3
    round_ = EvaluationRound.objects.get()
    assert round_.step == "vote" and round_.rights.count() == 12

    # 5. Every member votes online: M1 and M1B tie at the top (one excellent place of 12).
    top = {district.m1.code, district.m1b.code}
    for m in members:
        c = as_user(client, m.user)
        assert ok(c.get("/eval/2026/vote/"), 200)
        marks = {f"m:{code}": "excellent" if code in top else "qualified" for code in codes}
        ok(c.post("/eval/2026/vote/", marks), 200)
    assert SealedBallot.objects.count() == 12 and not Ballot.objects.exists()
    progress = as_user(client, district.sec1).get("/eval/B1/2026/").context
    assert progress["turnout"] == {"voters": 12, "used": 12, "ballots": 12}
    assert progress["totals"] is None
    step(client, district, "close")
    ok(sec.post("/eval/B1/2026/count/", {"share_1": shares[0], "share_3": shares[2]}))
    assert Ballot.objects.count() == 12 and not SealedBallot.objects.exists()
    step(client, district, "publish")
    assert VoteTally.objects.filter(member=district.m1, option="excellent").get().count == 12

    # 6. Determination: the tie is shown; publication waits for it; a reasoned decision.
    sec = as_user(client, district.sec1)
    page = sec.get("/pub/B1/2026/")
    pending = [r["member"].code for r in page.context["rows"] if r["result"].grade == "pending"]
    assert sorted(pending) == sorted(top)
    response = sec.post("/pub/B1/2026/publish/", follow=True)
    assert any("组织认定" in m for m in messages_of(response))
    assert not Publication.objects.exists()
    ok(
        sec.post(
            f"/members/{district.m1.code}/decision/",
            {"year": "2026", "excellent": "yes", "note": "支委会认定：全年表现更突出"},
        )
    )

    # 7. Publication for the scheme's notice period, on a printable page.
    ok(sec.post("/pub/B1/2026/publish/", {"confirm": "1"}))
    publication = Publication.objects.get()
    assert publication.notice_until - publication.published_at == datetime.timedelta(
        days=district.scheme.notice_days
    )
    grades = dict(
        MemberResult.objects.filter(year=2026, branch=district.b1).values_list(
            "member__code", "grade"
        )
    )
    assert grades[district.m1.code] == "excellent" and grades[district.m1b.code] == "qualified"
    member_view = as_user(client, appealed.user)
    printed = ok(member_view.get("/pub/B1/2026/print/"), 200).content.decode()
    assert "@media print" not in printed and "publication/print.css" in printed
    assert appealed.name in printed and district.m1.name in printed
    panel = ok(member_view.get(f"/pub/member/{appealed.code}/2026/"), 200).content.decode()
    assert "提出申诉" in panel
    assert Notification.objects.filter(user=appealed.user, text__contains="已公示").exists()
    assert as_user(client, district.member2).get("/pub/B1/2026/print/").status_code == 404

    # 8. Appeals: one against the wrong entry (upheld), one against the grade (refused).
    member_view = as_user(client, appealed.user)
    ok(
        member_view.post(
            "/appeals/2026/new/",
            {"entry": wrong_entry.pk, "reasons": "当天已书面请假", "evidence": "请假条"},
        )
    )
    grader = members[3]
    ok(as_user(client, grader.user).post("/appeals/2026/new/", {"reasons": "应评为优秀"}))
    upheld, refused_appeal = Appeal.objects.order_by("filed_at", "id")
    sec = as_user(client, district.sec1)
    response = sec.post("/pub/B1/2026/finalise/", follow=True)
    assert any("公示期" in m for m in messages_of(response))
    assert any("申诉" in m for m in messages_of(response))
    before = MemberResult.objects.get(year=2026, member=appealed).composite
    ok(
        sec.post(
            f"/appeals/{upheld.code}/answer/",
            {
                "upheld": "yes",
                "answer": "经核实已请假，冲销该记录",
                "reverse_entry": "on",
                "add_occurrences": "1",
            },
        )
    )
    ok(
        sec.post(
            f"/appeals/{refused_appeal.code}/answer/",
            {"upheld": "no", "answer": "优秀名额已由组织认定", "add_occurrences": "1"},
        )
    )
    upheld.refresh_from_db()
    refused_appeal.refresh_from_db()
    assert upheld.status == "upheld" and refused_appeal.status == "refused"
    assert ScoreEntry.objects.filter(reverses=wrong_entry).exists()
    publication.refresh_from_db()
    assert publication.version == 2
    after = MemberResult.objects.get(year=2026, member=appealed).composite
    assert after == before + wrong_entry.points
    assert Notification.objects.filter(user=appealed.user, text__contains="成立").exists()
    assert Notification.objects.filter(user=grader.user, text__contains="不成立").exists()

    # 9. Finalisation after the period: grades into the record, the year frozen.
    Publication.objects.update(notice_until=timezone.now() - datetime.timedelta(minutes=1))
    response = as_user(client, appealed.user).post("/appeals/2026/new/", {"reasons": "再申诉"})
    assert "公示期已结束" in response.content.decode()
    ok(as_user(client, district.sec1).post("/pub/B1/2026/finalise/", {"confirm": "1"}))
    assert BranchYearClosing.objects.filter(branch=district.b1, scheme=district.scheme).exists()
    records = dict(GradeRecord.objects.filter(year=2026).values_list("member__code", "grade"))
    assert len(records) == 12 and records[district.m1.code] == "excellent"
    assert records[district.m1b.code] == "qualified"
    with pytest.raises(ValidationError, match="评分记录已冻结"):
        entry_record(actor=district.sec1, member=appealed, item=d01, date=datetime.date(2026, 5, 1))
    with pytest.raises(ValidationError):
        tally_set(actor=district.sec1, year=2026, member=district.m1, counts={"excellent": 1})
    with pytest.raises(ValidationError, match="定格"):
        ballot_cast(actor=district.member1, round_=round_, marks={})
    assert as_user(client, district.sec1).post("/pub/B1/2026/publish/").status_code == 302
    assert Publication.objects.get().version == 2  # refused: frozen

    # Only a committee admin reopens, with a reason, recorded.
    with pytest.raises(PermissionDenied):
        branch_reopen(actor=district.sec1, branch=district.b1, year=2026, reason="更正")
    assert (
        as_user(client, district.sec1).post("/pub/B1/2026/reopen/", {"reason": "更正"}).status_code
        == 403
    )
    reopen = {"reason": "上级通报需更正", "confirm": "1"}
    ok(as_user(client, district.admin).post("/pub/B1/2026/reopen/", reopen))
    assert not BranchYearClosing.objects.exists()
    assert AuditEvent.objects.filter(action="branch_year.reopen", note="上级通报需更正").exists()
    for action in (
        "evaluation_round.open",
        "self_evaluation.submit",
        "peer_comment.save",
        "secretary_comment.save",
        "vote.close",
        "vote.publish",
        "publication.publish",
        "appeal.file",
        "appeal.answer",
        "branch_year.finalise",
    ):
        assert AuditEvent.objects.filter(action=action).exists(), action
    # Nothing in the audit trail names a ballot or its content.
    assert not AuditEvent.objects.filter(action__startswith="ballot").exists()
