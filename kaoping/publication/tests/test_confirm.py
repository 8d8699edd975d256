"""Issue 15 (items 14, 21): publishing and finalising show their consequences before they
happen; a re-publication starts the notice period anew; an appeal's reversal is labelled
as an appeal; the appeal form shows entries' points with their sign."""

import datetime

import pytest
from django.utils import timezone

from kaoping.ledger.models import ScoreEntry
from kaoping.ledger.services import entry_record
from kaoping.publication.models import Appeal, Publication
from kaoping.publication.services import appeal_file, publication_publish
from kaoping.publication.tests.test_rules import ready_for_publication
from kaoping.schemes.models import BranchYearClosing, SchemeItem
from kaoping.scoring.models import GradeRecord

pytestmark = pytest.mark.django_db


def test_publishing_shows_its_consequences_and_waits_for_confirm(client, district):
    members = ready_for_publication(district)
    client.force_login(district.sec1)
    page = client.post("/pub/B1/2026/publish/")
    assert page.status_code == 200
    html = page.content.decode()
    assert not Publication.objects.exists()  # nothing happened yet
    until = timezone.localtime() + datetime.timedelta(days=district.scheme.notice_days)
    assert f"{len(members)} 名党员" in html
    assert f"公示期 {district.scheme.notice_days} 天" in html
    assert until.strftime("%Y-%m-%d") in html
    assert 'name="confirm"' in html

    done = client.post("/pub/B1/2026/publish/", {"confirm": "1"}, follow=True)
    publication = Publication.objects.get()
    assert publication.version == 1
    shown = [str(m) for m in done.context["messages"]]
    deadline = timezone.localtime(publication.notice_until).strftime("%Y-%m-%d %H:%M")
    assert any(deadline in m for m in shown)


def test_republication_starts_the_notice_period_anew(client, district):
    ready_for_publication(district)
    first = publication_publish(actor=district.sec1, branch=district.b1, year=2026)
    old_until = timezone.now() + datetime.timedelta(hours=1)  # the first period nearly over
    Publication.objects.filter(pk=first.pk).update(notice_until=old_until)
    client.force_login(district.sec1)
    confirm = client.post("/pub/B1/2026/publish/").content.decode()
    assert "重新公示" in confirm and "重新计算" in confirm
    done = client.post("/pub/B1/2026/publish/", {"confirm": "1"}, follow=True)
    again = Publication.objects.get()
    assert again.version == 2
    assert again.notice_until - again.published_at == datetime.timedelta(
        days=district.scheme.notice_days
    )
    assert again.notice_until > old_until + datetime.timedelta(days=1)
    deadline = timezone.localtime(again.notice_until).strftime("%Y-%m-%d %H:%M")
    assert any(deadline in str(m) for m in done.context["messages"])


def test_finalising_shows_what_gets_frozen_and_waits_for_confirm(client, district):
    members = ready_for_publication(district)
    d01 = SchemeItem.objects.get(scheme=district.scheme, code="D01")
    entry_record(actor=None, member=members[1], item=d01, date=datetime.date(2026, 3, 1))
    publication_publish(actor=district.sec1, branch=district.b1, year=2026)
    Publication.objects.update(notice_until=timezone.now() - datetime.timedelta(minutes=1))
    client.force_login(district.sec1)
    page = client.post("/pub/B1/2026/finalise/")
    assert page.status_code == 200
    html = page.content.decode()
    assert not BranchYearClosing.objects.exists() and not GradeRecord.objects.exists()
    assert f"{len(members)} 名党员的等次记入党员档案" in html
    assert "1 条台账记录" in html and "冻结" in html
    assert 'name="confirm"' in html

    client.post("/pub/B1/2026/finalise/", {"confirm": "1"})
    assert BranchYearClosing.objects.filter(branch=district.b1).exists()
    assert GradeRecord.objects.filter(year=2026).count() == len(members)


def test_finalising_with_an_open_appeal_says_why_and_changes_nothing(client, district):
    ready_for_publication(district)
    publication_publish(actor=district.sec1, branch=district.b1, year=2026)
    appeal_file(actor=district.member1, member=district.m1, year=2026, reasons="不服")
    client.force_login(district.sec1)
    response = client.post("/pub/B1/2026/finalise/", follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert any("申诉" in m for m in shown)
    assert not BranchYearClosing.objects.exists()


def test_an_appeals_reversal_is_labelled_as_an_appeal(client, district):
    ready_for_publication(district)
    d01 = SchemeItem.objects.get(scheme=district.scheme, code="D01")
    entry = entry_record(
        actor=None,
        member=district.m1,
        item=d01,
        date=datetime.date(2026, 3, 1),
        source=ScoreEntry.Source.BUNDLE,
    )
    publication_publish(actor=district.sec1, branch=district.b1, year=2026)
    appeal = appeal_file(
        actor=district.member1, member=district.m1, year=2026, reasons="已请假", entry=entry
    )
    client.force_login(district.sec1)
    client.post(
        f"/appeals/{appeal.code}/answer/",
        {"upheld": "yes", "answer": "成立", "reverse_entry": "on", "add_occurrences": "1"},
    )
    assert Appeal.objects.get().status == "upheld"
    reversal = ScoreEntry.objects.get(reverses=entry)
    assert reversal.source == ScoreEntry.Source.APPEAL
    assert reversal.get_source_display() == "申诉"


def test_the_appeal_form_shows_points_with_their_sign(client, district):
    ready_for_publication(district)
    d01 = SchemeItem.objects.get(scheme=district.scheme, code="D01")
    bonus = SchemeItem.objects.filter(scheme=district.scheme, kind="bonus").first()
    entry_record(actor=None, member=district.m1, item=d01, date=datetime.date(2026, 3, 1))
    entry_record(actor=None, member=district.m1, item=bonus, date=datetime.date(2026, 3, 2))
    publication_publish(actor=district.sec1, branch=district.b1, year=2026)
    client.force_login(district.member1)
    html = client.get("/appeals/2026/new/").content.decode()
    assert d01.points == 2
    assert "（−2.0）" in html  # a deduction with its sign and at least one decimal
    bonus_points = format(bonus.points.normalize(), "f")
    if "." not in bonus_points:
        bonus_points += ".0"
    assert f"（+{bonus_points}）" in html
    assert "0000）" not in html
