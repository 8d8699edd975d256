"""Reminders of dues and of the evaluation's steps, to those who have not done theirs."""

import datetime
from decimal import Decimal

import pytest

from kaoping.dues.services import dues_payment_record, dues_rate_set
from kaoping.evaluation.models import VoteRight
from kaoping.evaluation.tests.support import open_round, self_evaluate
from kaoping.notifications.models import Notification
from kaoping.orgs.models import Member
from kaoping.reminders.services import reminders_send

pytestmark = pytest.mark.django_db

# 2026-07-13 09:00 in Beijing: three days before the default dues deadline.
NOW = datetime.datetime(2026, 7, 13, 1, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


def reminders(user, start: str) -> list[str]:
    return list(
        Notification.objects.filter(user=user, text__startswith=start).values_list(
            "text", flat=True
        )
    )


@pytest.fixture
def rates(district):
    for member in (district.m1, district.m2):
        dues_rate_set(actor=district.admin, member=member, year=2026, amount=Decimal("10.00"))


def test_dues_are_reminded_before_the_deadline_to_those_who_owe(district, rates, settings):
    from kaoping.dues.selectors import deadline_of, dues_settings_for

    deadline = deadline_of(datetime.date(2026, 7, 1), dues_settings_for(district.b1))
    now = datetime.datetime.combine(deadline, datetime.time(1), tzinfo=datetime.UTC) - 2 * DAY
    dues_payment_record(
        actor=district.sec2,
        member=district.m2,
        period=datetime.date(2026, 7, 1),
        amount=Decimal("10.00"),
        paid_on=now.date(),
    )
    assert reminders_send(now=now) == 1  # member1 owes; member2 has paid
    [text] = reminders(district.member1, "党费提醒")
    assert text == f"党费提醒：2026年07月的党费请于 {deadline.isoformat()} 前交纳。"
    assert reminders(district.member2, "党费提醒") == []
    assert reminders_send(now=now + datetime.timedelta(hours=1)) == 0
    assert reminders_send(now=now + 2 * DAY) == 1  # the 1d stage
    assert reminders_send(now=now + 3 * DAY) == 0  # the deadline has passed


def test_the_self_evaluation_is_reminded_to_those_who_have_not_submitted(district):
    evaluation = open_round(district)
    rounds = type(evaluation).objects.filter(pk=evaluation.pk)
    rounds.update(self_deadline=datetime.date(2026, 7, 15))
    assert reminders_send(now=NOW) == 1
    [text] = reminders(district.member1, "民主评议提醒")
    assert text == "民主评议提醒：请于 2026-07-15 前完成“党员自评”。"
    # Submitted (the service checks the deadline against today's date, so without one).
    rounds.update(self_deadline=None)
    self_evaluate(
        district.member1,
        evaluation,
        problems="学习不够",
        causes="懈怠",
        measures="多学",
        submit=True,
    )
    rounds.update(self_deadline=datetime.date(2026, 7, 15))
    assert reminders_send(now=NOW + 2 * DAY) == 0  # no one-day reminder


def test_peer_comments_are_reminded_to_those_who_have_given_none(district):
    from kaoping.evaluation.services import round_advance
    from kaoping.evaluation.tests.support import branch_of, comment_on

    members = branch_of(district, 3)
    evaluation = round_advance(actor=district.sec1, round_=open_round(district))
    assert evaluation.step == "peer"
    rounds = type(evaluation).objects.filter(pk=evaluation.pk)
    rounds.update(peer_deadline=datetime.date(2026, 7, 15))
    assert reminders_send(now=NOW) >= 1
    [text] = reminders(district.member1, "民主评议提醒")
    assert text == "民主评议提醒：请于 2026-07-15 前完成“党员互评”。"
    rounds.update(peer_deadline=None)
    evaluation.refresh_from_db()
    other = next(m for m in members if m != district.m1)
    comment_on(district.member1, evaluation, other, strengths="认真")
    rounds.update(peer_deadline=datetime.date(2026, 7, 15))
    second = reminders_send(now=NOW + 2 * DAY)  # the one-day stage
    assert len(reminders(district.member1, "民主评议提醒")) == 1  # commented: not again
    others = [m.user for m in members if m != district.m1 and m.user is not None]
    assert others and second == len(others)
    assert all(len(reminders(user, "民主评议提醒")) == 2 for user in others)


def test_the_secretary_hears_how_many_comments_are_left_before_the_deadline(district):
    from kaoping.evaluation.services import round_advance, secretary_comment_save
    from kaoping.evaluation.tests.support import branch_of

    branch_of(district, 3)
    evaluation = round_advance(actor=district.sec1, round_=open_round(district))
    evaluation = round_advance(actor=district.sec1, round_=evaluation)
    assert evaluation.step == "secretary"
    rounds = type(evaluation).objects.filter(pk=evaluation.pk)
    # The service checks the deadline against today's date: comments are written without one.
    secretary_comment_save(
        actor=district.sec1, round_=evaluation, member=district.m1, comment="好", requirements=""
    )
    rounds.update(secretary_deadline=datetime.date(2026, 7, 15))
    left = evaluation.branch.members.filter(status__in=Member.assessed_statuses()).count() - 1
    assert reminders_send(now=NOW) == 1
    [text] = reminders(district.sec1, "书记点评提醒")
    assert text == f"书记点评提醒：请于 2026-07-15 前完成点评，尚有 {left} 名党员未点评。"
    assert reminders(district.member1, "书记点评提醒") == []  # secretaries only
    assert reminders_send(now=NOW + HOUR) == 0  # once per stage
    rounds.update(secretary_deadline=None)
    evaluation.refresh_from_db()
    for member in evaluation.branch.members.exclude(pk=district.m1.pk):
        secretary_comment_save(
            actor=district.sec1, round_=evaluation, member=member, comment="好", requirements=""
        )
    rounds.update(secretary_deadline=datetime.date(2026, 7, 15))
    assert reminders_send(now=NOW + 2 * DAY) == 0  # all commented: no one-day reminder


def test_the_vote_is_reminded_only_to_its_holder_and_says_nothing_of_others(district):
    from kaoping.evaluation.tests.support import branch_of, round_at_vote

    branch_of(district, n=4)
    evaluation = round_at_vote(district)
    evaluation.vote_deadline = datetime.date(2026, 7, 15)
    evaluation.save(update_fields=["vote_deadline"])
    VoteRight.objects.filter(round=evaluation, member=district.m1).update(used=True)
    sent = reminders_send(now=NOW)
    assert sent == VoteRight.objects.filter(round=evaluation, used=False).count() == 3
    assert reminders(district.member1, "民主评议提醒") == []
    texts = Notification.objects.filter(text__startswith="民主评议提醒").values_list(
        "text", flat=True
    )
    assert set(texts) == {"民主评议提醒：请于 2026-07-15 前完成“民主测评”。"}


def test_the_end_of_a_notice_period_is_told_to_members_and_unanswered_appeals_to_the_secretary(
    district,
):
    from kaoping.publication.models import Appeal, Publication

    Publication.objects.create(year=2026, branch=district.b1, notice_until=NOW + 20 * HOUR)
    Appeal.objects.create(year=2026, member=district.m1, reasons="扣分有误")
    assert reminders_send(now=NOW) == 2
    [text] = reminders(district.member1, "公示提醒")
    assert (
        text == "公示提醒：2026年度考评结果公示将于 2026-07-14 05:00 结束，如有异议请于此前申诉。"
    )
    [told] = reminders(district.sec1, "公示将于")
    assert told == "公示将于 2026-07-14 05:00 结束，尚有 1 件申诉未答复，请及时答复。"
    assert "张三" not in told  # a count, not who appealed
    assert reminders_send(now=NOW + HOUR) == 0
