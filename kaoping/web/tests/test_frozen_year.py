"""Issue 15, item 15: pages of a finalised (frozen) branch-year offer no write controls
and say why at the top; a form posted from an older page is refused in Chinese."""

import datetime

import pytest
from django.utils import timezone

from kaoping.ledger.models import ScoreEntry
from kaoping.ledger.services import entry_record
from kaoping.publication.models import Publication
from kaoping.publication.services import branch_finalise, branch_reopen, publication_publish
from kaoping.publication.tests.test_rules import ready_for_publication
from kaoping.schemes.models import SchemeItem

pytestmark = pytest.mark.django_db

BRANCH = "/branches/B1/?year=2026"
NOTICE = "2026 年度考评结果已定格"


def finalised_b1(district) -> ScoreEntry:
    ready_for_publication(district)
    d01 = SchemeItem.objects.get(scheme=district.scheme, code="D01")
    entry = entry_record(actor=None, member=district.m1, item=d01, date=datetime.date(2026, 3, 1))
    publication_publish(actor=district.sec1, branch=district.b1, year=2026)
    Publication.objects.update(notice_until=timezone.now() - datetime.timedelta(minutes=1))
    branch_finalise(actor=district.sec1, branch=district.b1, year=2026)
    return entry


def test_the_branch_page_of_a_frozen_year_has_no_write_controls_and_says_why(client, district):
    client.force_login(district.sec1)
    open_page = client.get(BRANCH).content.decode()  # cached before the finalisation
    assert 'id="record"' in open_page and NOTICE not in open_page
    entry = finalised_b1(district)
    html = client.get(BRANCH).content.decode()
    assert NOTICE in html
    assert html.index(NOTICE) < html.index("考评结果（实时）")  # at the top
    assert 'id="record"' not in html
    assert 'action="/branches/B1/entries/"' not in html
    assert f"/entries/{entry.code}/reverse/" not in html
    assert "/tally/" not in html
    member_page = client.get(f"/members/{district.m1.code}/?year=2026").content.decode()
    assert NOTICE in member_page and f"/entries/{entry.code}/reverse/" not in member_page

    # Posted from an older page: refused, in Chinese, at the top of the page.
    posted = client.post(
        "/branches/B1/entries/",
        {
            "year": "2026",
            "member": district.m1.pk,
            "item": SchemeItem.objects.get(scheme=district.scheme, code="D01").pk,
            "date": "2026-05-01",
            "occurrences": "1",
        },
        follow=True,
    )
    assert any(NOTICE in str(m) for m in posted.context["messages"])
    reversed_ = client.post(f"/entries/{entry.code}/reverse/", {"reason": "错"}, follow=True)
    assert any(NOTICE in str(m) for m in reversed_.context["messages"])
    assert ScoreEntry.objects.count() == 1

    # Reopened by the committee: the controls come back (the key holds the frozen state).
    branch_reopen(actor=district.admin, branch=district.b1, year=2026, reason="上级通报需更正")
    again = client.get(BRANCH).content.decode()
    assert NOTICE not in again and 'id="record"' in again
