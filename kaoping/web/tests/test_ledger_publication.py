import datetime

from kaoping.ledger.models import LedgerPublication
from kaoping.ledger.services import entry_record


def record(district, member, day):
    return entry_record(
        actor=None,
        member=member,
        item=district.scheme.items.get(code="D01"),
        date=datetime.date(2026, 3, day),
    )


def test_secretary_publishes_and_branch_members_see_it(
    client, district, django_assert_max_num_queries
):
    inside = record(district, district.m1b, 10)
    outside = record(district, district.m1b, 25)
    client.force_login(district.sec1)
    page = client.post("/branches/B1/ledger/", {"start": "2026-03-01", "end": "2026-03-20"})
    assert page.status_code == 302
    publication = LedgerPublication.objects.get()
    client.force_login(district.member1)  # a member of B1 sees the other members' entries
    url = f"/branches/B1/ledger/{publication.pk}/"
    with django_assert_max_num_queries(12):
        body = client.get(url).content.decode()
    assert inside.member.name in body and "2026-03-10" in body and "2026-03-25" not in body
    assert outside.code not in body
    assert client.get("/notifications/").content.decode().count("公示了") == 1


def test_outsiders_and_members_cannot(client, district):
    publication = LedgerPublication.objects.create(
        branch=district.b1, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 2, 1)
    )
    client.force_login(district.member2)  # another branch
    assert client.get(f"/branches/B1/ledger/{publication.pk}/").status_code == 404
    assert client.get("/branches/B1/ledger/").status_code == 404
    client.force_login(district.member1)
    assert (
        client.post(
            "/branches/B1/ledger/", {"start": "2026-03-01", "end": "2026-03-20"}
        ).status_code
        == 403
    )
    client.force_login(district.sec1)
    page = client.post("/branches/B1/ledger/", {"start": "2026-03-20", "end": "2026-03-01"})
    assert "截止日期不能早于起始日期" in page.content.decode()
    assert LedgerPublication.objects.count() == 1
