"""The JSON API over real HTTP (Django's test client): every endpoint for the roles that
may use it, 404 for the roles that may not see the object, 422 for bad input."""

import datetime

import pytest
from django.test import Client

from kaoping.evaluation.models import QuotaDecision, VoteTally
from kaoping.ledger.models import ScoreEntry
from kaoping.ledger.services import entry_record, entry_reverse
from kaoping.orgs.models import Member
from kaoping.scoring.services import results_compute
from kaoping.testing.factories import MemberFactory

JSON = "application/json"


@pytest.fixture
def entries(district):
    """One D01 deduction (2 points) for M1 and one for M2."""
    d01 = district.scheme.items.get(code="D01")
    e1 = entry_record(
        actor=district.sec1, member=district.m1, item=d01, date=datetime.date(2026, 3, 5)
    )
    e2 = entry_record(
        actor=district.sec2, member=district.m2, item=d01, date=datetime.date(2026, 4, 1)
    )
    return e1, e2


def record_entry(as_user, body, *, username="sec1", year=2026):
    """``username`` records an entry through ``POST /api/years/{year}/entries``."""
    return as_user(username).post(f"/api/years/{year}/entries", body, content_type=JSON)


def changed(body: dict, change: dict) -> dict:
    """``body`` with the fields of ``change``; a field changed to ``None`` is left out."""
    return {key: value for key, value in (body | change).items() if value is not None}


def codes(response, key="code"):
    assert response.status_code == 200, response.content
    return sorted(row[key] for row in response.json()["items"])


# --------------------------------------------------------------------------- me


@pytest.mark.parametrize(
    ("username", "roles", "member"),
    [
        ("admin", [{"role": "committee_admin", "organization": "W"}], None),
        ("orgdept", [{"role": "org_department", "organization": "W"}], None),
        ("sec1", [{"role": "secretary", "organization": "B1"}], None),
        ("supervisor", [{"role": "supervisor", "organization": "B2"}], None),
        ("member1", [], "M1"),
        ("outsider", [], None),
    ],
)
def test_me(as_user, username, roles, member):
    response = as_user(username).get("/api/me")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == username
    assert body["roles"] == roles
    assert body["member"] == member
    assert body["superuser"] is False


# --------------------------------------------------------------------------- organisations


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("admin", ["B1", "B2", "P1", "R1", "W"]),
        ("orgdept", ["B1", "B2", "P1", "R1", "W"]),
        ("sec1", ["B1"]),
        ("supervisor", ["B2"]),
        ("member1", ["B1"]),
        ("outsider", []),
    ],
)
def test_organizations(as_user, username, expected):
    assert codes(as_user(username).get("/api/organizations")) == expected


def test_organization_fields(as_user):
    rows = as_user("admin").get("/api/organizations").json()["items"]
    by_code = {r["code"]: r for r in rows}
    assert by_code["W"] == {
        "code": "W",
        "name": "区直机关工委",
        "kind": "committee",
        "parent": None,
        "category": "in_service",
    }
    assert by_code["R1"]["parent"] == "W"
    assert by_code["R1"]["category"] == "retired"
    assert by_code["B1"]["parent"] == "P1"


# --------------------------------------------------------------------------- members


@pytest.mark.parametrize(
    ("username", "query", "expected"),
    [
        ("admin", "", ["M1", "M1B", "M2", "R01"]),
        ("admin", "?branch=P1", ["M1", "M1B", "M2"]),
        ("admin", "?branch=B2", ["M2"]),
        ("orgdept", "", ["M1", "M1B", "M2", "R01"]),
        ("sec1", "", ["M1", "M1B"]),
        ("sec1", "?branch=B1", ["M1", "M1B"]),
        ("supervisor", "", ["M2"]),
        ("member1", "", ["M1"]),
        ("member1", "?branch=B1", ["M1"]),
        ("outsider", "", []),
    ],
)
def test_members_list(as_user, username, query, expected):
    assert codes(as_user(username).get(f"/api/members{query}")) == expected


@pytest.mark.parametrize(
    ("username", "branch"), [("sec1", "B2"), ("member1", "B2"), ("sec2", "B1"), ("admin", "NO")]
)
def test_members_of_a_branch_out_of_sight_is_404(as_user, username, branch):
    response = as_user(username).get(f"/api/members?branch={branch}")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "找不到这个党组织。", "errors": {}}


def test_member_detail(as_user):
    response = as_user("sec1").get("/api/members/M1")
    assert response.status_code == 200
    assert response.json() == {
        "code": "M1",
        "name": "张三",
        "branch": "B1",
        "status": "active",
        "membership": "full",
    }
    assert as_user("member1").get("/api/members/M1").status_code == 200
    assert as_user("supervisor").get("/api/members/M2").status_code == 200
    assert as_user("orgdept").get("/api/members/R01").status_code == 200


@pytest.mark.parametrize(
    ("username", "code"),
    [
        ("member1", "M1B"),
        ("member1", "M2"),
        ("sec2", "M1"),
        ("sec1", "M2"),
        ("supervisor", "M1"),
        ("outsider", "M1"),
        ("admin", "NOPE"),
    ],
)
def test_member_out_of_sight_is_404(as_user, username, code):
    response = as_user(username).get(f"/api/members/{code}")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "找不到这名党员。", "errors": {}}


# --------------------------------------------------------------------------- entries


def test_entries_list_fields(as_user, district, entries):
    e1, _ = entries
    response = as_user("sec1").get("/api/years/2026/entries")
    assert response.status_code == 200
    body = response.json()
    assert len(body["items"]) == 1 and body["next"] is None and body["next_cursor"] is None
    row = body["items"][0]
    assert row == {
        "code": e1.code,
        "year": 2026,
        "member": "M1",
        "item": "D01",
        "date": "2026-03-05",
        "occurrences": 1,
        "points": "2",
        "note": "",
        "evidence": "",
        "source": "manual",
        "reverses": None,
        "reversed_by": None,
        "recorded_by": "sec1",
        "recorded_at": row["recorded_at"],
    }
    assert row["recorded_at"]


@pytest.mark.parametrize(
    ("listing", "username", "query", "expected"),
    [
        ("entries", "admin", "", ["M1", "M2"]),
        ("entries", "admin", "?member=M2", ["M2"]),
        ("entries", "orgdept", "", ["M1", "M2"]),
        ("entries", "sec1", "", ["M1"]),
        ("entries", "sec2", "", ["M2"]),
        ("entries", "supervisor", "", ["M2"]),
        ("entries", "member1", "", ["M1"]),
        ("entries", "member1", "?member=M1", ["M1"]),
        ("entries", "member2", "", ["M2"]),
        ("entries", "outsider", "", []),
        ("results", "admin", "", ["M1", "M1B", "M2", "R01"]),
        ("results", "admin", "?branch=P1", ["M1", "M1B", "M2"]),
        ("results", "orgdept", "?branch=R1", ["R01"]),
        ("results", "sec1", "", ["M1", "M1B"]),
        ("results", "sec2", "", ["M2"]),
        ("results", "supervisor", "", ["M2"]),
        ("results", "member1", "", ["M1"]),  # their own row only, ranked within the whole branch
        ("results", "member2", "?branch=B2", ["M2"]),
        ("results", "outsider", "", []),
    ],
)
def test_entries_and_live_results_scope(as_user, entries, listing, username, query, expected):
    """Each reader lists the entries and the live results of the members they see."""
    response = as_user(username).get(f"/api/years/2026/{listing}{query}")
    assert codes(response, key="member") == expected


def test_entries_of_another_year_are_not_listed(as_user, entries):
    from kaoping.schemes.services import scheme_create

    scheme_create(actor=None, year=2027)
    assert codes(as_user("admin").get("/api/years/2027/entries")) == []
    assert as_user("admin").get("/api/years/2031/entries").status_code == 404


@pytest.mark.parametrize(("username", "member"), [("member1", "M2"), ("sec2", "M1")])
def test_entries_of_a_member_out_of_sight_is_404(as_user, entries, username, member):
    response = as_user(username).get(f"/api/years/2026/entries?member={member}")
    assert response.status_code == 404


def test_entry_detail(as_user, entries):
    e1, e2 = entries
    assert as_user("member1").get(f"/api/entries/{e1.code}").json()["code"] == e1.code
    assert as_user("supervisor").get(f"/api/entries/{e2.code}").status_code == 200
    for username, entry in [("member1", e2), ("sec2", e1), ("sec1", e2), ("outsider", e1)]:
        response = as_user(username).get(f"/api/entries/{entry.code}")
        assert response.status_code == 404, username
        assert response.json() == {
            "code": "not_found",
            "detail": "找不到这条评分记录。",
            "errors": {},
        }


def test_record_entry(as_user, district):
    response = record_entry(
        as_user,
        {
            "member": "M1",
            "item": "D01",
            "date": "2026-05-06",
            "occurrences": 2,
            "note": "5月支部党员大会无故缺席",
            "evidence": "签到表",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["member"] == "M1"
    assert body["item"] == "D01"
    assert body["occurrences"] == 2
    assert body["points"] == "4"
    assert body["recorded_by"] == "sec1"
    assert body["evidence"] == "签到表"
    stored = ScoreEntry.objects.get(code=body["code"])
    assert (stored.member, stored.points, stored.occurrences) == (district.m1, 4, 2)


def test_record_bonus_with_fractional_points(as_user):
    response = record_entry(
        as_user,
        {"member": "M2", "item": "B03", "date": "2026-06-01", "occurrences": 3},
        username="admin",
    )
    assert response.status_code == 201, response.content
    assert response.json()["points"] == "1.5"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"member": None}, "member"),
        ({"item": None}, "item"),
        ({"date": None}, "date"),
        ({"date": "2026-13-01"}, "date"),
        ({"date": "yesterday"}, "date"),
        ({"date": "2025-12-31"}, "date"),  # outside the scheme's year
        ({"occurrences": 0}, "occurrences"),
        ({"occurrences": -1}, "occurrences"),
        ({"occurrences": "many"}, "occurrences"),
        ({"item": "ZZZ"}, "item"),  # not an item of the 2026 scheme
        ({"item": "D01\x00"}, "item"),
        ({"note": 5}, "note"),
    ],
)
def test_record_entry_bad_body(as_user, change, field):
    body = changed({"member": "M1", "item": "D01", "date": "2026-05-06", "occurrences": 1}, change)
    response = record_entry(as_user, body)
    assert response.status_code == 422, response.content
    payload = response.json()
    assert field in payload["errors"], payload
    assert field in payload["detail"]
    assert not ScoreEntry.objects.exists()


def test_unknown_item_is_named(as_user):
    response = record_entry(as_user, {"member": "M1", "item": "ZZZ", "date": "2026-05-06"})
    assert response.status_code == 422
    assert "ZZZ" in response.json()["errors"]["item"][0]


def test_service_rules_come_back_as_422(as_user, district):
    """An item for retired branches only, refused by ``entry_record``, is a 422 too."""
    from kaoping.schemes.services import scheme_item_upsert

    scheme_item_upsert(
        actor=None,
        scheme=district.scheme,
        code="RX1",
        kind="deduction",
        name="离退休专项",
        points=1,
        categories=["retired"],
    )
    response = record_entry(as_user, {"member": "M1", "item": "RX1", "date": "2026-05-06"})
    assert response.status_code == 422
    assert "RX1" in response.json()["errors"]["item"][0]
    assert not ScoreEntry.objects.exists()


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[1, 2]", b'"text"', b"null", b""],
    ids=["broken", "list", "s", "n", "0"],
)
def test_malformed_json_is_not_a_server_error(as_user, body):
    response = record_entry(as_user, body)
    assert response.status_code in (400, 422)
    assert "detail" in response.json()
    assert not ScoreEntry.objects.exists()


def test_year_without_scheme_is_404(as_user):
    response = record_entry(
        as_user, {"member": "M1", "item": "D01", "date": "2030-05-06"}, year=2030
    )
    assert response.status_code == 404
    assert "2030" in response.json()["detail"]


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/years/abc/entries", "year"),
        ("/api/years/0/entries", "year"),
        ("/api/years/20260/entries", "year"),
        ("/api/years/2026/results?page=0", "page"),
        ("/api/members?limit=0", "limit"),
        ("/api/members?limit=1001", "limit"),
        ("/api/members?cursor=forged", "cursor"),
    ],
)
def test_a_bad_path_or_query_parameter_is_422_naming_it(as_user, url, field):
    response = as_user("sec1").get(url)
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_nul_in_a_path_code_is_not_a_server_error(as_user):
    assert as_user("admin").get("/api/members/M%001").status_code == 422
    assert as_user("admin").get("/api/members?branch=B%001").status_code == 422


# --------------------------------------------------------------------------- reversal


def test_reverse_entry(as_user, entries):
    e1, _ = entries
    client = as_user("sec1")
    response = client.post(
        f"/api/entries/{e1.code}/reverse",
        {"reason": "补交请假条，经支委会确认", "date": "2026-03-20"},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    reversal = response.json()
    assert reversal["reverses"] == e1.code
    assert reversal["date"] == "2026-03-20"
    assert reversal["note"] == "补交请假条，经支委会确认"
    original = client.get(f"/api/entries/{e1.code}").json()
    assert original["reversed_by"] == reversal["code"]

    again = client.post(f"/api/entries/{e1.code}/reverse", {"reason": "x"}, content_type=JSON)
    assert again.status_code == 422
    assert "已经冲销过了" in again.json()["errors"]["entry"][0]
    of_reversal = client.post(
        f"/api/entries/{reversal['code']}/reverse", {"reason": "x"}, content_type=JSON
    )
    assert of_reversal.status_code == 422
    assert ScoreEntry.objects.count() == 3


@pytest.mark.parametrize(
    ("username", "index", "status"),
    [
        ("member2", 0, 404),
        ("member1", 1, 404),
        ("sec2", 0, 404),
        ("sec1", 1, 404),
        ("outsider", 0, 404),
        ("member1", 0, 403),  # sees their own entry, cannot reverse it
        ("orgdept", 0, 403),
        ("supervisor", 1, 403),
    ],
)
def test_reverse_refused(as_user, entries, username, index, status):
    response = as_user(username).post(
        f"/api/entries/{entries[index].code}/reverse", {"reason": "no"}, content_type=JSON
    )
    assert response.status_code == status
    assert ScoreEntry.objects.count() == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "reason"),
        ({"reason": ""}, "reason"),
        ({"reason": "   "}, "reason"),
        ({"reason": "x", "date": "3/5"}, "date"),
    ],
)
def test_reverse_bad_body(as_user, entries, body, field):
    e1, _ = entries
    response = as_user("sec1").post(f"/api/entries/{e1.code}/reverse", body, content_type=JSON)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert ScoreEntry.objects.count() == 2


# --------------------------------------------------------------------------- tallies


def test_put_tally(year_2026_over, as_user, district):
    client = as_user("sec1")
    counts = {"excellent": 8, "qualified": 3, "basic": 0, "unqualified": 0}
    response = client.put("/api/years/2026/tallies/M1", counts, content_type=JSON)
    assert response.status_code == 200, response.content
    assert response.json() == {"year": 2026, "member": "M1", **counts}
    stored = dict(
        VoteTally.objects.filter(year=2026, member=district.m1).values_list("option", "count")
    )
    assert stored == counts
    counts["excellent"] = 9
    assert (
        client.put("/api/years/2026/tallies/M1", counts, content_type=JSON).json()["excellent"] == 9
    )


def _entry(member):
    """An entry recorded for a member: (method, URL, body, what it would store)."""
    body = {"member": member, "item": "D01", "date": "2026-05-06"}
    return "post", "/api/years/2026/entries", body, ScoreEntry


def _tally(member):
    """A member's vote tally typed in: (method, URL, body, what it would store)."""
    counts = {"excellent": 1, "qualified": 0, "basic": 0, "unqualified": 0}
    return "put", f"/api/years/2026/tallies/{member}", counts, VoteTally


def _quota(member):
    """A quota decision on a member: (method, URL, body, what it would store)."""
    body = {"member": member, "excellent": True, "note": "x"}
    return "post", "/api/years/2026/quota-decisions", body, QuotaDecision


@pytest.mark.parametrize(
    ("write", "username", "member", "status"),
    [
        (_entry, "member1", "M1", 403),  # sees themself, cannot record, not even for themselves
        (_entry, "member1", "M2", 404),
        (_entry, "sec2", "M1", 404),
        (_entry, "outsider", "M1", 404),
        (_entry, "supervisor", "M2", 403),  # sees B2 but does not keep its ledger
        (_entry, "orgdept", "M1", 403),
        (_tally, "member1", "M1", 403),
        (_tally, "member1", "M2", 404),
        (_tally, "sec2", "M1", 404),
        (_tally, "sec1", "M2", 404),
        (_tally, "outsider", "M1", 404),
        (_tally, "supervisor", "M2", 403),
        (_quota, "member1", "M1", 403),
        (_quota, "member2", "M1", 404),
        (_quota, "sec2", "M1", 404),
        (_quota, "outsider", "M1", 404),
        (_quota, "supervisor", "M2", 403),
    ],
    ids=lambda value: value.__name__.strip("_") if callable(value) else None,
)
def test_writes_about_a_member_refused(as_user, write, username, member, status):
    """Recording an entry, typing in a tally, deciding on the quota: out of scope 404, in
    scope without the right 403, with the reason, and nothing stored."""
    method, url, body, stored = write(member)
    response = getattr(as_user(username), method)(url, body, content_type=JSON)
    assert response.status_code == status
    assert "detail" in response.json()
    assert not stored.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"excellent": -1}, "excellent"),
        ({"basic": "x"}, "basic"),
        ({"qualified": None}, "qualified"),
    ],
)
def test_put_tally_bad_body(as_user, change, field):
    counts = changed({"excellent": 1, "qualified": 0, "basic": 0, "unqualified": 0}, change)
    response = as_user("sec1").put("/api/years/2026/tallies/M1", counts, content_type=JSON)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not VoteTally.objects.exists()


# --------------------------------------------------------------------------- decisions


def test_quota_decision(as_user, district):
    response = as_user("sec1").post(
        "/api/years/2026/quota-decisions",
        {"member": "M1", "excellent": True, "note": "支委会认定"},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert {k: body[k] for k in ("year", "member", "excellent", "note", "decided_by")} == {
        "year": 2026,
        "member": "M1",
        "excellent": True,
        "note": "支委会认定",
        "decided_by": "sec1",
    }
    assert QuotaDecision.objects.get(member=district.m1).excellent is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"member": "M1", "excellent": True}, "note"),
        ({"member": "M1", "excellent": True, "note": "  "}, "note"),
        ({"member": "M1", "note": "x"}, "excellent"),
        ({"excellent": True, "note": "x"}, "member"),
    ],
)
def test_quota_decision_bad_body(as_user, body, field):
    response = as_user("sec1").post("/api/years/2026/quota-decisions", body, content_type=JSON)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not QuotaDecision.objects.exists()


# --------------------------------------------------------------------------- results


RESULT_KEYS = {
    "member",
    "branch",
    "deductions",
    "bonus",
    "daily",
    "democratic_pct",
    "democratic",
    "composite",
    "rank",
    "grade",
    "flags",
}


def test_live_results(year_2026_over, as_user, entries):
    as_user("sec1").put(
        "/api/years/2026/tallies/M1",
        {"excellent": 8, "qualified": 3, "basic": 0, "unqualified": 0},
        content_type=JSON,
    )
    response = as_user("admin").get("/api/years/2026/results")
    assert response.status_code == 200
    rows = response.json()["items"]
    assert [(r["branch"], r["member"]) for r in rows] == [
        ("B1", "M1"),
        ("B1", "M1B"),
        ("B2", "M2"),
        ("R1", "R01"),
    ]
    m1 = rows[0]
    assert set(m1) == RESULT_KEYS
    # daily 70 − 2 = 68; democratic (8×100 + 3×80) / 11 = 94.545… → 94.55; × 0.30 = 28.365
    assert m1 == {
        "member": "M1",
        "branch": "B1",
        "deductions": "2",
        "bonus": "0",
        "daily": "68",
        "democratic_pct": "94.55",
        "democratic": "28.365",
        "composite": "96.365",
        "rank": 1,
        "grade": "qualified",  # a branch of 2 has no excellent place
        "flags": [],
    }
    assert rows[1]["democratic_pct"] is None
    assert rows[1]["composite"] == "70"


def test_member_sees_own_rank_in_whole_branch(as_user, entries):
    rows = as_user("member1").get("/api/years/2026/results").json()["items"]
    assert [(r["member"], r["rank"]) for r in rows] == [("M1", 2)]  # M1B has no deduction


@pytest.mark.parametrize(
    ("username", "branch"), [("sec1", "B2"), ("member1", "B2"), ("sec2", "B1")]
)
def test_results_of_a_branch_out_of_sight_is_404(as_user, entries, username, branch):
    assert as_user(username).get(f"/api/years/2026/results?branch={branch}").status_code == 404
    response = as_user(username).get(f"/api/years/2026/results/stored?branch={branch}")
    assert response.status_code == 404


def test_stored_results(as_user, entries):
    assert as_user("admin").get("/api/years/2026/results/stored").json()["count"] == 0
    results_compute(actor=None, year=2026)
    rows = as_user("admin").get("/api/years/2026/results/stored").json()["items"]
    assert [r["member"] for r in rows] == ["M1B", "M1", "M2", "R01"]  # by branch, rank
    m1 = next(r for r in rows if r["member"] == "M1")
    assert set(m1) == RESULT_KEYS | {"computed_at"}
    assert (m1["deductions"], m1["daily"], m1["composite"], m1["rank"]) == ("2", "68", "68", 2)
    assert m1["grade"] == "basic"
    for username, expected in [
        ("member1", ["M1"]),
        ("member2", ["M2"]),
        ("sec1", ["M1", "M1B"]),
        ("sec2", ["M2"]),
        ("supervisor", ["M2"]),
        ("outsider", []),
    ]:
        response = as_user(username).get("/api/years/2026/results/stored")
        assert codes(response, key="member") == expected, username


def test_results_of_a_year_without_scheme_is_404(as_user):
    assert as_user("admin").get("/api/years/2030/results").status_code == 404
    assert as_user("admin").get("/api/years/2030/results/stored").status_code == 404


# --------------------------------------------------------------------------- scheme


def test_scheme(as_user):
    response = as_user("member1").get("/api/years/2026/scheme")
    assert response.status_code == 200
    body = response.json()
    assert body["year"] == 2026
    assert body["base_points"] == "70"
    assert body["democratic_share"] == "0.3"
    assert body["quota_rounding"] == "floor"
    assert body["ballot_options"]["qualified"] == "80"
    assert body["final"] is False
    items = {i["code"]: i for i in body["items"]}
    assert items["D01"]["points"] == "2"
    assert items["B03"]["points"] == "0.5"
    assert any(i["disqualifies"] for i in body["items"])
    assert as_user("admin").get("/api/years/1999/scheme").status_code == 404


# --------------------------------------------------------------------------- OpenAPI


def test_openapi_lists_every_path():
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "Kaoping API"
    assert set(document["paths"]) == {
        "/api/me",
        "/api/organizations",
        "/api/members",
        "/api/members/{code}",
        "/api/members/{code}/archive",
        "/api/branches/{code}/members",
        "/api/organizations/{code}",
        "/api/branches/{code}/roster",
        "/api/archive/lost-contact",
        "/api/years/{year}/entries",
        "/api/entries/{code}",
        "/api/entries/{code}/reverse",
        "/api/years/{year}/entries/export",
        "/api/years/{year}/results/compute",
        "/api/branches/{code}/entries/import",
        "/api/branches/{code}/entries/import/confirm",
        "/api/jobs",
        "/api/me/evaluation/{year}/ballot",
        "/api/leave-requests/{code}/withdraw",
        "/api/scheme-drafts",
        "/api/scheme-drafts/{id}",
        "/api/scheme-drafts/{id}/settings",
        "/api/scheme-drafts/{id}/items",
        "/api/scheme-drafts/{id}/adopt",
        "/api/years/{year}/warnings",
        "/api/years/{year}/monitoring-settings",
        "/api/accounts/username-rule",
        "/api/schemes",
        "/api/years/{year}/scheme/items",
        "/api/years/{year}/scheme/items/{code}",
        "/api/branches/{code}/ledger-publications",
        "/api/branches/{code}/ledger-publications/{id}",
        "/api/jobs/{id}",
        "/api/jobs/{id}/file",
        "/api/years/{year}/results",
        "/api/years/{year}/results/stored",
        "/api/years/{year}/tallies/{member}",
        "/api/years/{year}/quota-decisions",
        "/api/years/{year}/scheme",
        "/api/unqualified-cases",
        "/api/unqualified-cases/{code}",
        "/api/roles",
        "/api/roles/{id}",
        "/api/branches/{code}/years/{year}/ballot-box",
        "/api/branches/{code}/years/{year}/count",
        "/api/branches/{code}/years/{year}/ballots",
        "/api/accounts/{member_code}/reset-code",
        "/api/accounts/{member_code}/deactivate",
        "/api/accounts/{member_code}/reactivate",
        "/api/accounts",
        "/api/accounts/issue",
        "/api/meetings/{code}/check-in",
        "/api/branches/{code}/meetings",
        "/api/meetings/{code}",
        "/api/meetings/{code}/attendance",
        "/api/meetings/{code}/minutes",
        "/api/meetings/{code}/close",
        "/api/meetings/{code}/reopen",
        "/api/meetings/{code}/leave-requests",
        "/api/leave-requests/{code}",
        "/api/leave-requests/{code}/decision",
        "/api/branches/{code}/leave-requests",
        "/api/branches/{code}/tasks",
        "/api/tasks/{code}",
        "/api/tasks/{code}/submission",
        "/api/tasks/{code}/marks",
        "/api/tasks/{code}/close",
        "/api/me/claims",
        "/api/branches/{code}/claims",
        "/api/claims/{code}",
        "/api/claims/{code}/decision",
        "/api/me/evaluation/{year}",
        "/api/me/evaluation/{year}/self-evaluation",
        "/api/me/evaluation/{year}/peer-comments/{member}",
        "/api/branches/{code}/years/{year}/secretary-comments/{member}",
        "/api/branches/{code}/years/{year}/evaluation",
        "/api/branches/{code}/years/{year}/evaluation/actions",
        "/api/branches/{code}/years/{year}/evaluation/vote-open",
        "/api/branches/{code}/years/{year}/evaluation/rerun",
        "/api/branches/{code}/years/{year}/evaluation/to-paper",
        "/api/branches/{code}/years/{year}/recount",
        "/api/branches/{code}/years/{year}/paper-codes",
        "/api/branches/{code}/years/{year}/paper-tally",
        "/api/branches/{code}/years/{year}/paper-tally/import",
        "/api/branches/{code}/years/{year}/paper-tally/import/confirm",
        "/api/branches/{code}/years/{year}/publication",
        "/api/branches/{code}/years/{year}/finalise",
        "/api/branches/{code}/years/{year}/reopen",
        "/api/branches/{code}/years/{year}/appeals",
        "/api/me/appeals",
        "/api/appeals/{code}",
        "/api/appeals/{code}/answer",
        "/api/years/{year}/unqualified-settings",
        "/api/branches/{code}/unqualified-cases",
        "/api/branches/{code}/unqualified-candidates",
        "/api/unqualified-cases/{code}/review",
        "/api/unqualified-cases/{code}/resubmit",
        "/api/unqualified-cases/{code}/vote",
        "/api/unqualified-cases/{code}/handling",
        "/api/members/{code}/archive/profile",
        "/api/members/{code}/archive/transfers",
        "/api/members/{code}/archive/lost-contact",
        "/api/members/{code}/archive/found",
        "/api/members/{code}/archive/investigation",
        "/api/members/{code}/archive/investigation/decision",
        "/api/members/{code}/archive/exemptions",
        "/api/members/{code}/archive/exemptions/{item}",
        "/api/branches/{code}/roster/import",
        "/api/branches/{code}/roster/import/confirm",
        "/api/me/notifications",
        "/api/me/notifications/unread-count",
        "/api/me/notifications/read",
        "/api/me/notifications/{id}/read",
        "/api/me/channels",
        "/api/deliveries/failed",
        "/api/deliveries/{id}/retry",
        "/api/group-messages/{id}/retry",
        "/api/organizations/{code}/robots",
        "/api/robots/{id}/remove",
        "/api/robots/{id}/test",
        "/api/members/{code}/documents/{year}/registration-form",
        "/api/branches/{code}/documents/{year}/results-notice",
        "/api/meetings/{code}/documents/minutes",
        "/api/branches/{code}/documents/{year}/annual-report",
        "/api/members/{code}/documents/{year}/ledger",
        "/api/unqualified-cases/{code}/documents",
        "/api/unqualified-cases/{code}/documents/case-file",
        "/api/branches/{code}/documents/{year}/archive",
        "/api/document-kinds",
        "/api/document-kinds/{kind}/default-template",
        "/api/document-templates",
        "/api/document-templates/{id}/file",
        "/api/branches/{code}/dues",
        "/api/branches/{code}/dues/settings",
        "/api/branches/{code}/dues/rates",
        "/api/branches/{code}/dues/payments",
        "/api/branches/{code}/dues/close",
        "/api/branches/{code}/dues/import",
        "/api/branches/{code}/dues/import/confirm",
        "/api/supervision/groups",
        "/api/supervision/groups/{code}",
        "/api/supervision/groups/{code}/inspections",
        "/api/supervision/groups/{code}/members",
        "/api/supervision/groups/{code}/members/{id}",
        "/api/supervision/inspections/{code}",
        "/api/supervision/inspections/{code}/findings",
    }
    assert set(document["paths"]["/api/years/{year}/entries"]) == {"get", "post"}
    schemes = document["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}


def test_docs_page_loads():
    assert Client().get("/api/docs").status_code == 200


# --------------------------------------------------------------------------- query counts


def _grow(district, first: int, size: int) -> None:
    """``size`` more members in B1, each with three entries, one of them reversed."""
    d01 = district.scheme.items.get(code="D01")
    b03 = district.scheme.items.get(code="B03")
    for n in range(first, first + size):
        member = MemberFactory(code=f"G{n:04d}", branch=district.b1)
        entry = entry_record(
            actor=None, member=member, item=d01, date=datetime.date(2026, 2, 1 + n % 27)
        )
        entry_record(actor=None, member=member, item=b03, date=datetime.date(2026, 3, 1))
        entry_reverse(actor=None, entry=entry, reason="test")


LIST_URLS = [
    "/api/organizations",
    "/api/members",
    "/api/members?branch=B1",
    "/api/years/2026/entries",
    "/api/years/2026/entries?member=M1",
    "/api/years/2026/results",
    "/api/years/2026/results?branch=B1",
    "/api/years/2026/results/stored",
]


@pytest.mark.parametrize("username", ["admin", "sec1", "member1"])
def test_list_query_count_does_not_grow(as_user, district, django_assert_max_num_queries, username):
    """Each list endpoint runs no more queries with 42 members (126 entries) than with 2."""
    client = as_user(username)

    def measure(bound_of) -> dict[str, int]:
        results_compute(actor=None, year=2026)
        counts = {}
        for url in LIST_URLS:
            with django_assert_max_num_queries(bound_of(url), info=url) as context:
                response = client.get(url)
            assert response.status_code == 200, (url, response.content)
            counts[url] = len(context)
        return counts

    _grow(district, 0, 2)
    small = measure(lambda url: 16)
    _grow(district, 2, 40)
    large = measure(small.__getitem__)
    assert large == small
    assert Member.objects.count() == 4 + 42
