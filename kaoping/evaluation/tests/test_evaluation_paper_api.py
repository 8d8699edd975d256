"""Paper ballots through the API: one-time codes for the meeting room (answered once,
tied to nobody), the two independent entries of the paper counts, and the spreadsheet
import, previewed then confirmed, all or nothing. Refusals (404 out of scope, 403 wrong
role, 422 bad input or wrong state) and the page ending in the same state."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from kaoping.evaluation.models import EvaluationRound, PaperCode, PaperTallyEntry, VoteRight
from kaoping.evaluation.services import ballot_cast_with_code
from kaoping.jobs.models import JobRun
from kaoping.testing.api import assert_statuses, bearer, invalid, send, session
from kaoping.testing.sheets import paper_filled

from .support import branch_of, open_round, round_at_vote

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

BASE = "/api/branches/B1/years/2026"
PAPER = EvaluationRound.VoteMethod.PAPER


def test_paper_codes_are_given_once_and_tied_to_nobody(district):
    d = district
    members = branch_of(d, 4)
    round_ = round_at_vote(d)
    secretary = bearer(d.sec1)
    url = BASE + "/paper-codes"
    codes = [m.code for m in members[2:]]
    assert "members" in invalid(secretary, "POST", url, {"members": []})
    assert "members" in invalid(secretary, "POST", url, {"members": ["M2"]})
    keyed = send(secretary, "POST", url, {"members": codes}, **{"Idempotency-Key": "k2"})
    assert keyed.status_code == 422 and keyed.json()["code"] == "idempotency_key_refused"
    assert_statuses("POST", url, {d.orgdept: 403, d.member1: 404, d.sec2: 404}, {"members": codes})
    assert not PaperCode.objects.exists()
    issued = send(secretary, "POST", url, {"members": codes})
    assert issued.status_code == 201, issued.content
    assert "no-store" in issued["Cache-Control"]
    given = issued.json()["codes"]
    assert set(issued.json()) == {"codes"} and len(given) == 2 and len(set(given)) == 2
    assert not any(m.code in issued.content.decode() for m in members)
    assert VoteRight.objects.filter(round=round_, used=True).count() == 2
    again = send(secretary, "POST", url, {"members": codes})
    assert again.status_code == 422 and "已经投票" in again.json()["detail"]
    assert ballot_cast_with_code(code=given[0], marks={"M1": "excellent"})


def test_paper_codes_page_and_api_end_in_the_same_state(district):
    d = district
    members = branch_of(d, 4)
    round_ = round_at_vote(d)
    page = session(d.sec1).post("/eval/B1/2026/codes/", {"members": [members[2].pk]})
    assert page.status_code == 200
    answer = send(bearer(d.sec1), "POST", BASE + "/paper-codes", {"members": [members[3].code]})
    assert answer.status_code == 201
    used = VoteRight.objects.filter(round=round_, used=True)
    assert set(used.values_list("member__code", flat=True)) == {members[2].code, members[3].code}
    assert PaperCode.objects.filter(round=round_, used=False).count() == 2


def test_paper_tally_two_entries_must_agree(district):
    d = district
    round_at_vote(d, method=PAPER)
    secretary = bearer(d.sec1)
    url = BASE + "/paper-tally"
    shown = secretary.get(url)
    assert shown.status_code == 200, shown.content
    body = shown.json()
    assert [c["member"] for c in body["candidates"]] == ["M1", "M1B"]
    assert body["mine"] is None and body["agreement"]["status"] == "waiting"
    counts = {"M1": {"excellent": 2, "qualified": 1}, "M1B": {"qualified": 3}}
    entered = send(secretary, "PUT", url, {"counts": counts})
    assert entered.status_code == 200, entered.content
    assert entered.json()["mine"]["M1"] == {
        "excellent": 2,
        "qualified": 1,
        "basic": 0,
        "unqualified": 0,
    }
    differing = counts | {"M1B": {"qualified": 2}}
    second = send(bearer(d.admin), "PUT", url, {"counts": differing}).json()
    assert second["entries"] == 2 and second["agreement"] == {
        "status": "mismatch",
        "differing": ["M1B"],
    }
    fixed = send(bearer(d.admin), "PUT", url, {"counts": counts}).json()
    assert fixed["agreement"]["status"] == "match"
    negative = send(secretary, "PUT", url, {"counts": {"M1": {"excellent": -1}}})
    assert negative.status_code == 422 and "counts.M1.excellent" in negative.json()["errors"]
    option = send(secretary, "PUT", url, {"counts": {"M1": {"splendid": 1}}})
    assert option.status_code == 422 and "splendid" in option.json()["detail"]
    stranger = send(secretary, "PUT", url, {"counts": {"M2": {"excellent": 1}}})
    assert stranger.status_code == 422 and "M2" in stranger.json()["detail"]
    assert_statuses("PUT", url, {d.orgdept: 403, d.sec2: 404, d.member1: 404}, {"counts": counts})


def test_paper_tally_refused_for_an_online_vote_and_the_page_agrees(district):
    d = district
    round_ = round_at_vote(d)
    online = send(bearer(d.sec1), "PUT", BASE + "/paper-tally", {"counts": {}})
    assert online.status_code == 422 and "网上投票" in online.json()["detail"]
    round_.delete()
    round_ = round_at_vote(d, method=PAPER)
    page = session(d.sec1).post(
        "/eval/B1/2026/paper/",
        {
            "M1__excellent": "2",
            "M1__qualified": "1",
            "M1__basic": "0",
            "M1__unqualified": "0",
            "M1B__excellent": "0",
            "M1B__qualified": "3",
            "M1B__basic": "0",
            "M1B__unqualified": "0",
        },
    )
    assert page.status_code == 302
    counts = {"M1": {"excellent": 2, "qualified": 1}, "M1B": {"qualified": 3}}
    assert (
        send(bearer(d.admin), "PUT", BASE + "/paper-tally", {"counts": counts}).status_code == 200
    )
    entries = list(PaperTallyEntry.objects.filter(round=round_))
    assert len(entries) == 2 and entries[0].counts == entries[1].counts


def _sheet(client, counts: dict[str, list]) -> SimpleUploadedFile:
    template = client.get("/eval/B1/2026/paper/template.xlsx").content
    return SimpleUploadedFile("paper.xlsx", paper_filled(template, counts))


def test_paper_import_preview_then_confirm(district):
    d = district
    round_at_vote(d, method=PAPER)
    page = session(d.sec1)
    secretary = bearer(d.sec1)
    url = BASE + "/paper-tally/import"
    bad = secretary.post(url, {"file": _sheet(page, {"M1": [2, 1, 0, 0], "M1B": [0, "三", 0]})})
    assert bad.status_code == 200, bad.content
    assert bad.json()["token"] is None
    assert [(e["row"], e["column"]) for e in bad.json()["errors"]] == [(3, "合格"), (3, "不合格")]
    assert not PaperTallyEntry.objects.exists()
    text = secretary.post(url, {"file": SimpleUploadedFile("paper.txt", b"hello")})
    assert text.status_code == 422 and "file" in text.json()["errors"]
    fake = secretary.post(url, {"file": SimpleUploadedFile("paper.xlsx", b"not a zip")})
    assert fake.status_code == 422 and "file" in fake.json()["errors"]
    assert secretary.post(url, {}).status_code == 422
    good = secretary.post(url, {"file": _sheet(page, {"M1": [2, 1, 0, 0], "M1B": [0, 3, 0, 0]})})
    assert good.status_code == 200 and good.json()["errors"] == [] and good.json()["rows"] == 2
    token = good.json()["token"]
    confirm = url + "/confirm"
    assert (
        send(bearer(d.sec2), "POST", confirm.replace("B1", "B1"), {"token": token}).status_code
        == 404
    )
    assert send(secretary, "POST", confirm, {"token": "forged"}).status_code == 404
    done = send(secretary, "POST", confirm, {"token": token})
    assert done.status_code == 202, done.content
    body = done.json()
    assert body["state"] == "done" and body["kind"] == "paper_tally.import"
    assert "已保存您录入的票数" in body["message"]
    mine = PaperTallyEntry.objects.get(entered_by=d.sec1)
    assert mine.counts["M1"] == {"excellent": 2, "qualified": 1, "basic": 0, "unqualified": 0}
    again = send(secretary, "POST", confirm, {"token": token})
    assert again.status_code == 409 and again.json()["code"] == "already_confirmed"
    assert again.json()["errors"]["job"] == [str(body["id"])]
    assert JobRun.objects.filter(kind="paper_tally.import").count() == 1


def test_paper_import_refusals(district):
    d = district
    round_at_vote(d)  # online: the sheet is refused as a whole
    page = session(d.sec1)
    url = BASE + "/paper-tally/import"
    sheet = _sheet(page, {"M1": [1, 0, 0, 0], "M1B": [0, 1, 0, 0]})
    refused = bearer(d.sec1).post(url, {"file": sheet})
    assert refused.status_code == 200 and refused.json()["token"] is None
    assert [e["message"] for e in refused.json()["errors"]] == ["本支部采用网上投票。"]
    assert bearer(d.orgdept).post(url, {"file": sheet}).status_code == 403
    assert bearer(d.sec2).post(url, {"file": sheet}).status_code == 404
    assert bearer(d.member1).post(url, {"file": sheet}).status_code == 404


@override_settings(KAOPING_IMPORT_INLINE_PREVIEW_BYTES=10)
def test_a_large_sheet_is_checked_in_the_background(district):
    d = district
    round_at_vote(d, method=PAPER)
    sheet = _sheet(session(d.sec1), {"M1": [1, 0, 0, 0], "M1B": [0, 1, 0, 0]})
    answer = bearer(d.sec1).post(BASE + "/paper-tally/import", {"file": sheet})
    assert answer.status_code == 202, answer.content
    job = JobRun.objects.get(pk=answer.json()["job"]["id"])
    assert job.kind == "paper_tally.import_preview" and job.state == "done"
    assert not PaperTallyEntry.objects.exists()
    # the job's result holds the confirmation, for the API's own confirming operation
    confirm = answer.json()["job"]["result"]["confirm"]
    assert confirm["url"] == BASE + "/paper-tally/import/confirm"
    done = send(bearer(d.sec1), "POST", confirm["url"], {"token": confirm["token"]})
    assert done.status_code == 202 and PaperTallyEntry.objects.filter(entered_by=d.sec1).exists()


def test_a_round_not_opened_has_no_paper(district):
    d = district
    open_round(d, vote_method=PAPER)
    early = send(bearer(d.sec1), "PUT", BASE + "/paper-tally", {"counts": {}})
    assert early.status_code == 422
    assert bearer(d.sec1).get("/api/branches/B1/years/2027/paper-tally").status_code == 404
