"""The procedure end to end through HTTP: propose with a file, a return, a resubmission,
the vote, approval, determination and handling; a failed vote; access and masking."""

import datetime

import pytest
from django.urls import reverse

from kaoping.meetings.models import Attendance, Meeting
from kaoping.notifications.models import Notification
from kaoping.orgs.models import Member
from kaoping.scoring.models import GradeRecord
from kaoping.testing.factories import MemberFactory
from kaoping.unqualified.models import CandidateDismissal, UnqualifiedCase

from .support import full_members, pdf

pytestmark = pytest.mark.django_db
State = UnqualifiedCase.State


def detail(case):
    return reverse("unqualified:detail", args=[case.code])


def post_propose(client, d, **extra):
    data = {
        "member": d.m1.pk,
        "condition": "7",
        "facts": "2026年1月因违法行为受到行政处罚。",
        "files": [pdf("a.pdf"), pdf("b.pdf")],
        "notify": ["proposed", "decided"],
    }
    data.update(extra)
    return client.post(reverse("unqualified:branch", args=["B1"]), data)


def review(client, case, body, decision, reason=""):
    return client.post(
        detail(case),
        {
            "action": "review",
            "review-body": body,
            "review-decision": decision,
            "review-reason": reason,
            "confirm": "1",  # past the confirmation step (test_confirmations)
        },
    )


def vote(client, case, entitled, present, f, a, b):
    return client.post(
        detail(case),
        {
            "action": "vote",
            "vote-held_on": "2026-05-10",
            "vote-entitled": entitled,
            "vote-present": present,
            "vote-in_favour": f,
            "vote-against": a,
            "vote-abstaining": b,
            "confirm": "1",
        },
    )


def approved_by_both(client, d, case, order=("committee", "org_department")):
    """The two reviewing bodies approve ``case``, in ``order`` (either will do): it is
    then at the vote."""
    reviewers = {"committee": d.admin, "org_department": d.orgdept}
    for body in order:
        client.force_login(reviewers[body])
        review(client, case, body, "approve")
    case.refresh_from_db()
    assert case.state == State.VOTE
    return case


def to_vote(client, d):
    client.force_login(d.sec1)
    post_propose(client, d)
    return approved_by_both(client, d, UnqualifiedCase.objects.get())


@pytest.fixture
def ten_full(district):
    full_members(district, 8)
    return district


def test_procedure_end_to_end_with_return_resubmission_and_determination(client, ten_full):
    d = ten_full
    client.force_login(d.sec1)
    response = post_propose(client, d)
    case = UnqualifiedCase.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(case)
    assert case.evidence.count() == 2
    page = client.get(detail(case)).content.decode()
    assert "待办理：" in page and "区直机关党工委" in page and 'name="review-body"' not in page

    # Pre-review: the committee approves, the organisation department returns.
    client.force_login(d.admin)
    assert case.code in client.get(reverse("unqualified:index")).content.decode()
    assert review(client, case, "committee", "approve").status_code == 302
    again = review(client, case, "committee", "approve")
    assert again.status_code == 302 and case.steps.filter(body="committee").count() == 1
    client.force_login(d.orgdept)
    bad = review(client, case, "org_department", "no")
    assert bad.status_code == 400 and "退回或不予批准须说明理由" in bad.content.decode()
    review(client, case, "org_department", "no", "事实不清，请补充处罚决定书")
    case.refresh_from_db()
    assert case.state == State.RETURNED
    assert Notification.objects.filter(user=d.sec1, text__contains="事实不清").exists()

    # The branch resubmits with another file; the history is kept.
    client.force_login(d.sec1)
    client.post(
        detail(case),
        {"action": "resubmit", "resubmit-facts": "补充处罚决定书。", "resubmit-files": [pdf()]},
    )
    case.refresh_from_db()
    assert case.state == State.PRE_REVIEW and case.round == 2 and case.evidence.count() == 3
    approved_by_both(client, d, case, order=("org_department", "committee"))

    # The vote: counts that do not add up are refused, then a passing vote.
    client.force_login(d.sec1)
    wrong = vote(client, case, 10, 8, 6, 2, 1)
    assert wrong.status_code == 400 and "合计 9，多于到会人数 8" in wrong.content.decode()
    assert vote(client, case, 10, 9, 7, 1, 1).status_code == 302
    case.refresh_from_db()
    assert case.state == State.APPROVAL

    client.force_login(d.orgdept)
    review(client, case, "org_department", "approve", "同意")
    client.force_login(d.admin)
    review(client, case, "committee", "approve")
    case.refresh_from_db()
    assert case.state == State.DETERMINED
    assert Notification.objects.filter(user=d.member1).count() == 2  # proposed, decided

    client.force_login(d.sec1)
    client.post(
        detail(case),
        {
            "action": "handling",
            "handling-kind": "removal",
            "handling-decided_on": "2026-06-01",
            "handling-completed_on": "2026-06-15",
            "confirm": "1",
        },
    )
    assert case.handlings.get().kind == "removal"

    printed = client.get(reverse("unqualified:print", args=[case.code])).content.decode()
    for text in ("第一党支部", "2026 年度", "事实不清，请补充处罚决定书", "除名", "赞成 7", "通过"):
        assert text in printed
    assert "unqualified/print.css" in printed
    rounds = list(case.steps.values_list("round", "action"))
    assert rounds[:4] == [(1, "propose"), (1, "approve"), (1, "return"), (2, "resubmit")]


def test_failed_vote_is_refused_with_the_reason(client, ten_full):
    d = ten_full
    case = to_vote(client, d)
    client.force_login(d.sec1)
    vote(client, case, 10, 6, 5, 1, 0)
    case.refresh_from_db()
    assert case.state == State.REFUSED
    page = client.get(detail(case)).content.decode()
    assert "赞成 5 票，未超过应到会有表决权党员 10 人的半数" in page
    assert "未通过" in page


def test_a_vote_without_quorum_is_recorded_as_not_held_and_the_meeting_rescheduled(
    client, ten_full
):
    """Issue 15, item 17, through HTTP: the entitled count is prefilled from the roster,
    a meeting without quorum is "not held" (the case waits for a new vote), and every
    step's message says what happens next and who acts."""
    d = ten_full
    # Not entitled to vote: a probationary member and a member under investigation.
    MemberFactory(code="P01", branch=d.b1, membership=Member.Membership.PROBATIONARY)
    MemberFactory(
        code="X01",
        branch=d.b1,
        membership=Member.Membership.FULL,
        status=Member.Status.UNDER_INVESTIGATION,
    )
    client.force_login(d.sec1)
    proposed = client.post(reverse("unqualified:branch", args=["B1"]), {
        "member": d.m1.pk, "condition": "7", "facts": "事实", "files": [pdf()],
    }, follow=True)  # fmt: skip
    shown = " ".join(str(m) for m in proposed.context["messages"])
    assert "下一步" in shown and "区直机关党工委" in shown and "预审" in shown
    case = UnqualifiedCase.objects.get()
    client.force_login(d.admin)
    review(client, case, "committee", "approve")
    client.force_login(d.orgdept)
    approved = client.post(detail(case), {
        "action": "review", "review-body": "org_department", "review-decision": "approve",
        "review-reason": "", "confirm": "1",
    }, follow=True)  # fmt: skip
    shown = " ".join(str(m) for m in approved.context["messages"])
    assert "党支部" in shown and "党员大会" in shown

    client.force_login(d.sec1)
    form = client.get(detail(case)).context["vote_form"]
    full_voters = Member.objects.filter(
        branch=d.b1, membership="full", status__in=Member.assessed_statuses()
    ).count()
    assert full_voters == 10 and form.initial["entitled"] == 10

    no_quorum = client.post(detail(case), {
        "action": "vote", "vote-held_on": "2026-05-10", "vote-entitled": 10,
        "vote-present": 4, "vote-in_favour": 0, "vote-against": 0, "vote-abstaining": 0,
        "confirm": "1",
    }, follow=True)  # fmt: skip
    case.refresh_from_db()
    assert case.state == State.VOTE  # not refused: the meeting will be held again
    shown = " ".join(str(m) for m in no_quorum.context["messages"])
    assert "未达到法定人数" in shown and "另行召开" in shown
    page = no_quorum.content.decode()
    assert "未达到法定人数，会议未举行" in page and 'name="vote-entitled"' in page

    assert vote(client, case, 10, 9, 7, 1, 1).status_code == 302
    case.refresh_from_db()
    assert case.state == State.APPROVAL and case.vote.present == 9


def test_bodies_act_only_for_themselves_and_others_get_404(client, district):
    d = district
    client.force_login(d.sec1)
    post_propose(client, d)
    case = UnqualifiedCase.objects.get()
    evidence = case.evidence.first()
    file_url = reverse("unqualified:evidence", args=[case.code, evidence.pk])
    assert client.get(file_url)["Content-Type"] == "application/pdf"
    # A secretary cannot review; a reviewer cannot vote or propose.
    assert review(client, case, "committee", "approve").status_code == 403
    client.force_login(d.admin)
    assert vote(client, case, 2, 2, 2, 0, 0).status_code == 403
    assert post_propose(client, d, member=d.m1b.pk).status_code == 403
    for user in (d.sec2, d.supervisor, d.member1, d.outsider):
        client.force_login(user)
        for url in (
            detail(case),
            reverse("unqualified:print", args=[case.code]),
            file_url,
            reverse("unqualified:branch", args=["B1"]),
        ):
            assert client.get(url).status_code == 404, (user, url)
    for user in (d.supervisor, d.member1, d.outsider):
        client.force_login(user)
        assert client.get(reverse("unqualified:index")).status_code == 404
        assert "不合格党员处置" not in client.get(reverse("web:home"), follow=True).content.decode()


def test_lists_mask_names_for_those_who_do_not_keep_the_branch(client, district):
    d = district
    client.force_login(d.sec1)
    post_propose(client, d)
    GradeRecord.objects.create(member=d.m2, year=2025, grade="warning")
    GradeRecord.objects.create(member=d.m2, year=2026, grade="warning")
    client.force_login(d.admin)
    page = client.get(reverse("unqualified:index")).content.decode()
    assert "张*" in page and "张三" not in page and "王*" in page and "王五" not in page
    case = UnqualifiedCase.objects.get()
    assert "张三" in client.get(detail(case)).content.decode()  # the file names the member
    client.force_login(d.sec2)
    page = client.get(reverse("unqualified:index")).content.decode()
    assert "王五" in page and "张" not in page


def test_candidate_turned_into_a_proposal_or_dismissed_with_one_click(client, district):
    d = district
    for m in (d.m1, d.m1b):
        GradeRecord.objects.create(member=m, year=2025, grade="warning")
        GradeRecord.objects.create(member=m, year=2026, grade="warning")
    client.force_login(d.sec1)
    page = client.get(reverse("unqualified:branch", args=["B1"])).content.decode()
    assert "2025 年度：警示党员" in page and "张三" in page and "李四" in page
    url = reverse("unqualified:candidate", args=["B1"])
    response = client.post(
        url, {"member": "M1", "condition": "8", "year": "2026", "action": "propose"}
    )
    case = UnqualifiedCase.objects.get()
    assert response["Location"] == detail(case) and case.condition == "8"
    empty = client.post(url, {"member": "M1B", "condition": "8", "year": "2026", "reason": ""})
    assert empty.status_code == 302 and not CandidateDismissal.objects.exists()
    client.post(url, {"member": "M1B", "condition": "8", "year": "2026", "reason": "等次录入有误"})
    assert CandidateDismissal.objects.get().reason == "等次录入有误"
    page = client.get(reverse("unqualified:branch", args=["B1"])).content.decode()
    assert "数据中没有符合条件的候选人" in page
    client.force_login(d.admin)  # the committee sees candidates but does not act on them
    assert client.post(url, {"member": "M1B", "condition": "8"}).status_code == 403


def test_branch_page_hook_and_panel(client, district):
    d = district
    tz = datetime.UTC
    for month in range(1, 7):
        mt = Meeting.objects.create(
            code=f"MT-{month}",
            branch=d.b1,
            kind="theme_day",
            starts_at=datetime.datetime(2026, month, 10, 1, tzinfo=tz),
            place="会议室",
            topic="主题党日",
            status="closed",
            closed_at=datetime.datetime(2026, month, 11, tzinfo=tz),
        )
        Attendance.objects.create(meeting=mt, member=d.m1b, status="absent")
    client.force_login(d.sec1)
    branch_page = client.get(reverse("web:branch", args=["B1"])).content.decode()
    assert reverse("unqualified:panel", args=["B1"]) in branch_page
    panel = client.get(reverse("unqualified:panel", args=["B1"])).content.decode()
    assert "系统提示候选人 1 名" in panel and "李四" in panel
    client.force_login(d.admin)
    assert "李*" in client.get(reverse("unqualified:panel", args=["B1"])).content.decode()


def test_lists_take_a_bounded_number_of_queries(client, district, django_assert_max_num_queries):
    d = district
    client.force_login(d.sec1)
    for m in (d.m1, d.m1b):
        post_propose(client, d, member=m.pk)
    client.force_login(d.admin)
    client.get(reverse("unqualified:index"))
    with django_assert_max_num_queries(30):
        assert client.get(reverse("unqualified:index")).status_code == 200
    client.force_login(d.sec1)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("unqualified:branch", args=["B1"])).status_code == 200


def test_settings_page_for_the_committee_only(client, district):
    d = district
    url = reverse("unqualified:settings", args=[2026])
    client.force_login(d.sec1)
    assert client.get(url).status_code == 404
    client.force_login(d.admin)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"vote_basis": "present", "absence_months": "5", "dues_months": "2"}
    )
    assert response.status_code == 302
    assert d.scheme.unqualified_settings.absence_months == 5


def test_member_page_hook_and_panel(client, district):
    d = district
    client.force_login(d.sec1)
    post_propose(client, d)
    case = UnqualifiedCase.objects.get()
    panel_url = reverse("unqualified:member_panel", args=["M1"])
    assert panel_url in client.get(reverse("web:member", args=["M1"])).content.decode()
    assert case.code in client.get(panel_url).content.decode()
    client.force_login(d.member1)  # the member is told by notifications, not shown the file
    assert panel_url not in client.get(reverse("web:member", args=["M1"])).content.decode()
    assert case.code not in client.get(panel_url).content.decode()
    client.force_login(d.sec2)
    assert client.get(panel_url).status_code == 404


def test_case_file_in_english_and_its_stylesheet(client, district):
    d = district
    client.force_login(d.sec1)
    post_propose(client, d)
    case = UnqualifiedCase.objects.get()
    client.cookies["django_language"] = "en"
    page = client.get(detail(case)).content.decode()
    assert "Unqualified-member case file" in page and "In pre-review" in page
    assert "unqualified/unqualified.css" in page
    assert "7. Leaking Party or state secrets" in page
