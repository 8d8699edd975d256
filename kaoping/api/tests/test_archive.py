"""The member archive (党员台账) over the API, through real HTTP: the same readers as the
archive pages, the same masks (decided by ``archive.selectors.personal_data_full`` /
``organization_full_for``, compared here with what the pages themselves show), the same
404 for a member or branch out of sight as for a missing one, and a bounded number of
queries however long the history grows."""

import datetime
import json

import pytest
from django.urls import reverse

from kaoping.archive import services
from kaoping.archive.models import MemberProfile
from kaoping.archive.selectors import organization_full_for, personal_data_full, profile_values
from kaoping.orgs.models import Member
from kaoping.testing.queries import page_query_counts

pytestmark = pytest.mark.django_db
D = datetime.date
ID1, PHONE1 = "110105198005010011", "13800000001"
ID2, PHONE2 = "110105198106020022", "13800000002"


def get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


@pytest.fixture
def archive(district):
    """M1's archive with a bit of everything; M2 (B2) with personal data too."""
    d = district
    services.member_profile_update(
        actor=d.sec1,
        member=d.m1,
        values={
            "id_number": ID1,
            "phone": PHONE1,
            "gender": "male",
            "ethnicity": "汉族",
            "birth_date": D(1980, 5, 1),
            "joined_on": D(2005, 7, 1),
        },
    )
    services.member_profile_update(actor=d.sec1, member=d.m1, values={"phone": "13900000009"})
    services.member_profile_update(actor=d.sec1, member=d.m1, values={"phone": PHONE1})
    services.member_transfer(
        actor=d.sec1, member=d.m1, to_branch=d.b2, date=D(2026, 2, 1), reason="借调"
    )
    services.member_transfer(
        actor=d.sec2, member=d.m1, to_branch=d.b1, date=D(2026, 3, 1), reason="借调结束"
    )
    services.member_lost_contact_mark(
        actor=d.sec1, member=d.m1, since=D(2026, 4, 1), efforts="电话、走访均未联系上"
    )
    services.member_found(actor=d.sec1, member=d.m1, found_on=D(2026, 4, 20), note="本人返回")
    services.member_investigation_start(
        actor=d.sec1, member=d.m1, body="区纪委监委", started_on=D(2026, 5, 1)
    )
    services.member_investigation_decide(
        actor=d.sec1, member=d.m1, decided_on=D(2026, 6, 1), decision="不予处分"
    )
    services.member_investigation_start(
        actor=d.sec1, member=d.m1, body="区监委", started_on=D(2026, 7, 1)
    )
    services.exemption_add(
        actor=d.sec1, member=d.m1, item_code="D01", reason="身体原因", starts_on=D(2026, 1, 1)
    )
    services.member_profile_update(
        actor=d.sec2, member=d.m2, values={"id_number": ID2, "phone": PHONE2}
    )
    d.m1.refresh_from_db()
    return d


# --------------------------------------------------------------------------- member archive


def test_the_secretary_reads_the_whole_archive_of_their_member_in_full(client, archive):
    d = archive
    response = get(client, d.sec1, "/api/members/M1/archive")
    assert response.status_code == 200, response.content
    body = response.json()
    assert {k: body[k] for k in ("code", "name", "branch", "membership", "status")} == {
        "code": "M1",
        "name": "张三",
        "branch": "B1",
        "membership": d.m1.membership,
        "status": "under_investigation",
    }
    assert body["personal_data_full"] is True
    assert body["profile"] == {
        "gender": "male",
        "gender_label": "男",
        "ethnicity": "汉族",
        "birth_date": "1980-05-01",
        "id_number": ID1,
        "education": "",
        "native_place": "",
        "joined_on": "2005-07-01",
        "full_member_on": None,
        "job": "",
        "phone": PHONE1,
    }
    assert [
        (t["date"], t["from_branch"], t["to_branch"], t["reason"]) for t in body["transfers"]
    ] == [
        ("2026-03-01", "B2", "B1", "借调结束"),
        ("2026-02-01", "B1", "B2", "借调"),
    ]
    assert body["lost_contacts"] == [
        {
            "since": "2026-04-01",
            "efforts": "电话、走访均未联系上",
            "found_on": "2026-04-20",
            "found_note": "本人返回",
            "open": False,
        }
    ]
    assert [
        (i["body"], i["started_on"], i["decided_on"], i["state"]) for i in body["investigations"]
    ] == [
        ("区监委", "2026-07-01", None, "open"),
        ("区纪委监委", "2026-05-01", "2026-06-01", "decided"),
    ]
    assert body["exemptions"] == [
        {
            "item": "D01",
            "item_name": d.scheme.items.get(code="D01").name,
            "reason": "身体原因",
            "starts_on": "2026-01-01",
            "ends_on": None,
        }
    ]
    phones = [(c["old"], c["new"], c["by"]) for c in body["changes"] if c["field"] == "phone"]
    assert phones == [
        ("13900000009", PHONE1, "sec1"),
        (PHONE1, "13900000009", "sec1"),
        ("", PHONE1, "sec1"),
    ]
    fields = {c["field"] for c in body["changes"]}
    assert {"branch", "status", "id_number", "gender"} <= fields
    branch_change = next(c for c in body["changes"] if c["field"] == "branch")
    assert branch_change["field_label"] == "支部" and branch_change["source"] == "transfer"


@pytest.mark.parametrize(
    ("username", "code"),
    [
        ("admin", "M1"),
        ("orgdept", "M1"),
        ("sec1", "M1"),
        ("member1", "M1"),
        ("sec2", "M2"),
        ("member2", "M2"),
        ("supervisor", "M2"),  # reads B2's archives, with ID and phone numbers masked
    ],
)
def test_the_api_masks_exactly_what_the_archive_page_masks(client, archive, username, code):
    d = archive
    user, member = getattr(d, username), Member.objects.get(code=code)
    raw_id, raw_phone = (ID1, PHONE1) if code == "M1" else (ID2, PHONE2)
    full = personal_data_full(actor=user, member=member, own_page=True)
    expected = profile_values(MemberProfile.objects.get(member=member), full=full)

    body = get(client, user, f"/api/members/{code}/archive")
    page = get(client, user, reverse("archive:member", args=[code]))
    assert body.status_code == page.status_code == 200
    data = body.json()
    assert data["personal_data_full"] is full
    assert data["profile"]["id_number"] == expected["id_number"]
    assert data["profile"]["phone"] == expected["phone"]
    text, html = body.content.decode(), page.content.decode()
    assert expected["id_number"] in html and expected["phone"] in html
    for raw in (raw_id, raw_phone):
        assert (raw in text) is full and (raw in html) is full, raw
    if not full:  # the history of those fields is masked the same way
        personal = [c for c in data["changes"] if c["field"] in ("id_number", "phone")]
        assert personal and all(
            c["new"] in (expected["id_number"], expected["phone"]) for c in personal
        )
        assert "*" in expected["id_number"] and "*" in expected["phone"]


def test_the_supervisor_sees_masks(client, archive):
    """The reader of an archive who sees masks: the masked forms, and the raw numbers
    nowhere in the body (profile or history)."""
    response = get(client, archive.supervisor, "/api/members/M2/archive")
    assert ID2 not in response.content.decode() and PHONE2 not in response.content.decode()
    body = response.json()
    assert body["personal_data_full"] is False
    assert body["profile"]["id_number"] == "1101**********0022"
    assert body["profile"]["phone"] == "138****0002"


@pytest.mark.parametrize(
    ("username", "code"),
    [
        ("sec2", "M1"),
        ("member2", "M1"),
        ("supervisor", "M1"),
        ("member1", "M1B"),  # a member reads only their own archive
        ("outsider", "M1"),
        ("sec1", "R01"),
    ],
)
def test_an_archive_out_of_sight_is_the_same_404_as_a_missing_one(client, archive, username, code):
    user = getattr(archive, username)
    missing = get(client, user, "/api/members/NOPE/archive")
    hidden = get(client, user, f"/api/members/{code}/archive")
    assert hidden.status_code == missing.status_code == 404
    assert (
        hidden.json()
        == missing.json()
        == {"code": "not_found", "detail": "找不到这名党员。", "errors": {}}
    )
    assert ID1 not in hidden.content.decode()
    page = get(client, user, reverse("archive:member", args=[code]))
    assert page.status_code == 404  # the page refuses them too


def test_anonymous_gets_401_like_every_endpoint(client, archive):
    client.logout()
    reference = client.get("/api/members/M1")
    for url in ("/api/members/M1/archive", "/api/branches/B1/roster", "/api/archive/lost-contact"):
        response = client.get(url)
        assert response.status_code == reference.status_code == 401, url
        assert response.json() == reference.json()
    bad = client.get("/api/members/M1/archive", headers={"authorization": "Bearer nope"})
    assert bad.status_code == 401


def test_the_archive_takes_the_same_queries_however_long_it_is(client, archive):
    d = archive

    def grow(n):
        for i in range(n):  # round trips between the branches, with a history each
            services.member_transfer(
                actor=d.admin, member=d.m1, to_branch=d.b2, date=D(2026, 8, i + 1), reason=f"去{i}"
            )
            services.member_transfer(
                actor=d.admin, member=d.m1, to_branch=d.b1, date=D(2026, 8, i + 2), reason=f"回{i}"
            )
            services.member_profile_update(actor=d.admin, member=d.m1, values={"job": f"岗位{i}"})
        if n:
            services.exemption_add(
                actor=d.sec1, member=d.m1, item_code="D02", reason="外派", starts_on=D(2026, 9, 1)
            )

    client.force_login(d.sec1)
    (before, after), text = page_query_counts(client, "/api/members/M1/archive", grow, (0, 5))
    body = json.loads(text)
    assert len(body["transfers"]) == 12 and len(body["exemptions"]) == 2
    assert after <= before
    assert after <= 14  # one more since full personal data needs the secretary role itself


# --------------------------------------------------------------------------- roster


@pytest.mark.parametrize("username", ["sec1", "admin", "orgdept"])
def test_the_roster_masks_as_the_roster_page(client, archive, username):
    d = archive
    user = getattr(d, username)
    full = organization_full_for(actor=user, org=d.b1)
    assert full is (username != "sec1")  # the secretary's lists are masked
    response = get(client, user, "/api/branches/B1/roster")
    assert response.status_code == 200, response.content
    lines = response.json()["items"]
    assert [line["code"] for line in lines] == ["M1", "M1B"]
    expected = profile_values(MemberProfile.objects.get(member=d.m1), full=full)
    m1 = lines[0]
    assert (m1["name"], m1["branch"], m1["status"]) == ("张三", "B1", "under_investigation")
    assert m1["profile"]["id_number"] == expected["id_number"]
    assert m1["profile"]["phone"] == expected["phone"]
    assert m1["profile"]["gender"] == "male" and m1["profile"]["birth_date"] == "1980-05-01"
    assert lines[1]["profile"]["id_number"] == "" and lines[1]["profile"]["gender"] == ""
    page = get(client, user, reverse("archive:roster", args=["B1"])).content.decode()
    assert expected["id_number"] in page
    assert (ID1 in response.content.decode()) is full and (ID1 in page) is full


@pytest.mark.parametrize(
    ("username", "code"),
    [("sec2", "B1"), ("member2", "B1"), ("supervisor", "B1"), ("outsider", "B1"), ("sec1", "B2")],
)
def test_a_roster_out_of_sight_is_the_same_404_as_a_missing_one(client, archive, username, code):
    user = getattr(archive, username)
    missing = get(client, user, "/api/branches/NOPE/roster")
    hidden = get(client, user, f"/api/branches/{code}/roster")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert get(client, user, reverse("archive:roster", args=[code])).status_code == 404


def test_members_and_non_branches_have_no_roster(client, archive):
    d = archive
    # a member sees their own branch, but not its roster (as on the page)
    assert get(client, d.member1, "/api/branches/B1/roster").status_code == 404
    assert get(client, d.member1, reverse("archive:roster", args=["B1"])).status_code == 404
    assert get(client, d.admin, "/api/branches/P1/roster").status_code == 404


def test_the_roster_takes_the_same_queries_however_long_it_is(client, archive):
    d = archive

    def grow(n):
        for i in range(n):
            member = Member.objects.create(code=f"X{i}", name=f"党员{i}", branch=d.b1)
            MemberProfile.objects.create(member=member, phone=f"1380000{i:04d}", gender="female")

    client.force_login(d.sec1)
    (before, after), text = page_query_counts(client, "/api/branches/B1/roster", grow, (0, 10))
    assert len(json.loads(text)["items"]) == 12
    assert after <= before
    assert after <= 6


# --------------------------------------------------------------------------- lost contact


@pytest.fixture
def lost(district):
    d = district
    services.member_lost_contact_mark(
        actor=d.sec1, member=d.m1b, since=D(2026, 3, 1), efforts="甲：多次电话"
    )
    services.member_lost_contact_mark(
        actor=d.sec2, member=d.m2, since=D(2026, 2, 1), efforts="乙：上门走访"
    )
    services.member_lost_contact_mark(
        actor=d.sec1, member=d.m1, since=D(2026, 1, 1), efforts="已找到"
    )
    services.member_found(actor=d.sec1, member=d.m1, found_on=D(2026, 1, 10))
    return d


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("admin", ["M2", "M1B"]),
        ("orgdept", ["M2", "M1B"]),
        ("sec1", ["M1B"]),
        ("sec2", ["M2"]),
        ("supervisor", ["M2"]),
    ],
)
def test_the_open_lost_contacts_of_the_staffs_scope(client, lost, username, expected):
    response = get(client, getattr(lost, username), "/api/archive/lost-contact")
    assert response.status_code == 200, response.content
    rows = response.json()["items"]
    assert [r["member"] for r in rows] == expected  # longest out of contact first
    if "M1B" in expected:
        row = next(r for r in rows if r["member"] == "M1B")
        assert row == {
            "member": "M1B",
            "member_name": "李四",
            "branch": "B1",
            "since": "2026-03-01",
            "efforts": "甲：多次电话",
        }


@pytest.mark.parametrize("username", ["member1", "member2", "outsider"])
def test_the_lost_contact_list_is_for_staff_only(client, lost, username):
    user = getattr(lost, username)
    response = get(client, user, "/api/archive/lost-contact")
    assert response.status_code == 403
    assert response.json() == {
        "code": "permission_denied",
        "detail": "只有党组织工作人员可以查看失联党员名单。",
        "errors": {},
    }
    assert get(client, user, reverse("archive:lost_contacts")).status_code == 403


def test_the_lost_contact_list_takes_the_same_queries_however_long_it_is(client, lost):
    d = lost

    def grow(n):
        for i in range(n):
            member = Member.objects.create(code=f"L{i}", name=f"党员{i}", branch=d.b1)
            services.member_lost_contact_mark(
                actor=d.admin, member=member, since=D(2026, 5, i + 1), efforts="电话"
            )

    client.force_login(d.admin)
    (before, after), text = page_query_counts(client, "/api/archive/lost-contact", grow, (0, 8))
    assert len(json.loads(text)["items"]) == 10
    assert after <= before
    assert after <= 4
