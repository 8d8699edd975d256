"""The supervision pages' actions through the API: the groups (list, found one), a group
(its register, recording an inspection, adding and removing members), an inspection with
its findings and recording one with its evidence file. Each with its refusals: unseen
(404), seen but not allowed (403), invalid input and wrong state (422 naming the field),
through HTTP with a bearer token or a session; the page and the API end alike."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kaoping.inspections.models import Finding, Inspection, SupervisionGroup
from kaoping.ledger.models import ScoreEntry
from kaoping.orgs.models import RoleAssignment
from kaoping.testing.api import assert_statuses, bearer, invalid, send, session
from kaoping.testing.factories import UserFactory

from .support import b2_group, find, inspect

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

PNG = b"\x89PNG\r\n\x1a\n...."


def group_body(**extra):
    return {"name": "作风督查组", "users": ["supervisor"], "organizations": ["B2"]} | extra


# --------------------------------------------------------------------------- groups


def test_admin_founds_a_group_and_staff_list_theirs(district):
    d = district
    answer = send(bearer(d.admin), "POST", "/api/supervision/groups", group_body())
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["name"] == "作风督查组" and body["organizations"] == ["B2"]
    assert [m["username"] for m in body["members"]] == ["supervisor"]
    assert body["inspection_register"] == [] and body["inspections"] == 0
    group = SupervisionGroup.objects.get(code=body["code"])
    assert list(group.users.all()) == [d.supervisor]
    listed = bearer(d.supervisor).get("/api/supervision/groups").json()
    assert [g["code"] for g in listed["items"]] == [group.code]
    assert bearer(d.admin).get("/api/supervision/groups").json()["count"] == 1
    # other staff see no group; members are no staff (404, as the page)
    assert bearer(d.sec1).get("/api/supervision/groups").json()["count"] == 0
    assert bearer(d.member1).get("/api/supervision/groups").status_code == 404


def test_group_create_matches_the_page(district):
    d = district
    send(bearer(d.admin), "POST", "/api/supervision/groups", group_body())
    session(d.admin).post(
        reverse("inspections:groups"),
        {"name": "作风督查组", "users": [d.supervisor.pk], "organizations": [d.b2.pk]},
    )
    made = [
        (g.name, [u.username for u in g.users.all()], [o.code for o in g.organizations.all()])
        for g in SupervisionGroup.objects.order_by("id")
    ]
    assert made[0] == made[1] == ("作风督查组", ["supervisor"], ["B2"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (group_body(users=["member1"]), "users"),  # not a supervisor
        (group_body(users=[]), "users"),
        (group_body(organizations=["NOPE"]), "organizations"),
        (group_body(name=""), "name"),
        (group_body(name="x\x01"), "name"),
    ],
)
def test_group_create_refusals_are_422(district, body, field):
    answer = send(bearer(district.admin), "POST", "/api/supervision/groups", body)
    assert answer.status_code == 422, answer.content
    assert field in answer.json()["errors"], answer.json()
    assert not SupervisionGroup.objects.exists()


def test_only_admins_found_groups(district):
    d = district
    for staff in (d.sec1, d.orgdept, d.supervisor):
        answer = send(bearer(staff), "POST", "/api/supervision/groups", group_body())
        assert answer.status_code == 403, staff
    assert (
        send(bearer(d.member1), "POST", "/api/supervision/groups", group_body()).status_code == 404
    )
    assert not SupervisionGroup.objects.exists()


def test_group_register_for_its_members_and_admins(district):
    d = district
    group = b2_group(d)
    inspection = inspect(d, group, findings="迟到")
    find(d, inspection)
    url = f"/api/supervision/groups/{group.code}"
    answer = bearer(d.supervisor).get(url)
    assert answer.status_code == 200, answer.content
    register = answer.json()["inspection_register"]
    assert [i["code"] for i in register] == [inspection.code]
    assert register[0]["items"][0]["member"] == "M2" and register[0]["items"][0]["entry"]
    assert bearer(d.admin).get(url).status_code == 200
    for outsider in (d.sec2, d.orgdept, d.member2):
        assert bearer(outsider).get(url).status_code == 404
    assert bearer(d.admin).get("/api/supervision/groups/SG-NONE").status_code == 404


# --------------------------------------------------------------------------- inspections


def test_record_an_inspection_and_its_refusals(district):
    d = district
    group = b2_group(d)
    url = f"/api/supervision/groups/{group.code}/inspections"
    body = {"organization": "B2", "date": "2026-05-06", "method": "camera", "findings": "迟到"}
    answer = send(bearer(d.supervisor), "POST", url, body)
    assert answer.status_code == 201, answer.content
    out = answer.json()
    assert out["organization"] == "B2" and out["method"] == "camera" and out["items"] == []
    assert Inspection.objects.get(code=out["code"]).recorded_by == d.supervisor
    # an organisation the group does not supervise, a bad method, no text: 422
    for change, field in (
        ({"organization": "B1"}, "organization"),
        ({"method": "rumour"}, "method"),
        ({"findings": ""}, "findings"),
        ({"date": "2026-02-30"}, "date"),
    ):
        bad = send(bearer(d.supervisor), "POST", url, body | change)
        assert bad.status_code == 422 and field in bad.json()["errors"], (change, bad.content)
    # not a member of the group: unseen (404); a refused body from a stranger says 404 too
    assert send(bearer(d.sec2), "POST", url, body).status_code == 404
    assert send(bearer(d.sec2), "POST", url, body | {"organization": "B1"}).status_code == 404
    assert Inspection.objects.count() == 1


def test_a_supervisor_out_of_the_group_is_refused(district):
    d = district
    group = b2_group(d)
    other = UserFactory(username="other_supervisor")
    RoleAssignment.objects.create(user=other, organization=d.b2, role="supervisor")
    url = f"/api/supervision/groups/{group.code}/inspections"
    body = {"organization": "B2", "date": "2026-05-06", "method": "camera", "findings": "迟到"}
    assert send(bearer(other), "POST", url, body).status_code == 404  # sees only their groups


def test_inspection_detail_and_finding_with_a_file(district):
    d = district
    group = b2_group(d)
    inspection = inspect(d, group)
    url = f"/api/supervision/inspections/{inspection.code}"
    answer = bearer(d.supervisor).post(
        f"{url}/findings",
        {
            "member": "M2",
            "item": "D07",
            "evidence_text": "监控显示迟到",
            "evidence_file": SimpleUploadedFile("a.png", PNG, "image/png"),
        },
    )
    assert answer.status_code == 201, answer.content
    finding = Finding.objects.get(pk=answer.json()["id"])
    assert finding.evidence_file.read() == PNG
    entry = ScoreEntry.objects.get(code=answer.json()["entry"])
    assert entry.member == d.m2 and entry.source == "inspection"
    detail = bearer(d.supervisor).get(url).json()
    assert detail["frozen_notice"] is None
    (item,) = detail["items"]
    assert item["evidence_file"] == f"/supervision/findings/{finding.pk}/file/"
    served = session(d.supervisor).get(item["evidence_file"])
    assert served.status_code == 200
    assert bearer(d.admin).get(url).status_code == 200
    for outsider in (d.sec2, d.orgdept, d.member2):
        assert bearer(outsider).get(url).status_code == 404


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"member": "M1"}, "member"),  # not under the inspected B2
        ({"member": "NOPE"}, "member"),
        ({"item": "B01"}, "item"),  # a bonus, not a deduction
        ({"item": "NOPE"}, "item"),
        ({"evidence_text": ""}, "evidence_text"),
        ({"evidence_file": SimpleUploadedFile("virus.exe", b"MZ")}, "evidence_file"),
        ({"evidence_file": SimpleUploadedFile("fake.pdf", b"not a pdf")}, "evidence_file"),
    ],
)
def test_finding_refusals_are_422_with_the_field(district, data, field):
    d = district
    inspection = inspect(d, b2_group(d))
    body = {"member": "M2", "item": "D07", "evidence_text": "迟到"} | data
    answer = bearer(d.supervisor).post(
        f"/api/supervision/inspections/{inspection.code}/findings", body
    )
    assert answer.status_code == 422, answer.content
    assert field in answer.json()["errors"], answer.json()
    assert not Finding.objects.exists() and not ScoreEntry.objects.exists()


def test_finding_twice_and_by_others(district):
    d = district
    inspection = inspect(d, b2_group(d))
    url = f"/api/supervision/inspections/{inspection.code}/findings"
    body = {"member": "M2", "item": "D07", "evidence_text": "迟到"}
    assert bearer(d.supervisor).post(url, body).status_code == 201
    twice = bearer(d.supervisor).post(url, body)
    assert twice.status_code == 422 and "已就该指标" in twice.json()["detail"]
    for outsider in (d.sec2, d.orgdept, d.member2):
        assert bearer(outsider).post(url, body).status_code == 404
    assert bearer(d.supervisor, read_only=True).post(url, body).status_code == 403
    assert Finding.objects.count() == 1


def test_finding_in_a_final_year_is_422(district):
    from kaoping.schemes.services import branch_year_finalise

    d = district
    inspection = inspect(d, b2_group(d))
    branch_year_finalise(actor=None, scheme=d.scheme, branch=d.b2)
    body = {"member": "M2", "item": "D07", "evidence_text": "迟到"}
    url = f"/api/supervision/inspections/{inspection.code}/findings"
    answer = bearer(d.supervisor).post(url, body)
    assert answer.status_code == 422 and "已定格" in answer.json()["detail"]
    assert bearer(d.supervisor).get(url.rsplit("/", 1)[0]).json()["frozen_notice"]
    assert not Finding.objects.exists()


def test_finding_through_the_page_and_the_api_end_alike(district):
    d = district
    inspection = inspect(d, b2_group(d))
    m2b = d.m2.__class__.objects.create(code="M2B", name="钱七", branch=d.b2)
    bearer(d.supervisor).post(
        f"/api/supervision/inspections/{inspection.code}/findings",
        {"member": "M2", "item": "D07", "evidence_text": "迟到"},
    )
    from kaoping.schemes.models import SchemeItem

    d07 = SchemeItem.objects.get(scheme=d.scheme, code="D07")
    page = session(d.supervisor).post(
        reverse("inspections:detail", args=[inspection.code]),
        {"member": m2b.pk, "item": d07.pk, "evidence_text": "迟到"},
    )
    assert page.status_code == 302
    made = [
        (f.member.branch.code, f.item.code, f.evidence_text, f.entry.source, f.entry.points)
        for f in Finding.objects.order_by("id")
    ]
    assert len(made) == 2 and made[0] == made[1]


# --------------------------------------------------------------------------- members


def test_admin_adds_and_removes_a_member(district):
    d = district
    group = b2_group(d)
    url = f"/api/supervision/groups/{group.code}/members"
    newcomer = UserFactory(username="newcomer")
    answer = send(bearer(d.admin), "POST", url, {"person": "newcomer"})
    assert answer.status_code == 201, answer.content
    assert {m["username"] for m in answer.json()["members"]} == {"supervisor", "newcomer"}
    assert RoleAssignment.objects.filter(
        user=newcomer, role="supervisor", organization=d.b2
    ).exists()
    assert "person" in invalid(bearer(d.admin), "POST", url, {"person": "newcomer"})
    assert "person" in invalid(bearer(d.admin), "POST", url, {"person": "nobody"})
    # the supervisor sees the group but keeps no members (403); strangers 404
    assert_statuses("POST", url, {d.supervisor: 403, d.sec2: 404}, {"person": "sec1"})
    # removing
    assert_statuses("DELETE", f"{url}/{newcomer.pk}", {d.supervisor: 403, d.sec2: 404})
    removed = send(bearer(d.admin), "DELETE", f"{url}/{newcomer.pk}")
    assert removed.status_code == 204, removed.content
    assert not group.users.filter(pk=newcomer.pk).exists()
    assert not RoleAssignment.objects.filter(user=newcomer, role="supervisor").exists()
    assert send(bearer(d.admin), "DELETE", f"{url}/{newcomer.pk}").status_code == 404
    assert send(bearer(d.admin), "DELETE", f"{url}/0").status_code == 422


def test_member_remove_matches_the_page(district):
    d = district
    group = b2_group(d)
    first, second = UserFactory(username="first"), UserFactory(username="second")
    for user in (first, second):
        send(
            bearer(d.admin),
            "POST",
            f"/api/supervision/groups/{group.code}/members",
            {"person": user.username},
        )
    send(bearer(d.admin), "DELETE", f"/api/supervision/groups/{group.code}/members/{first.pk}")
    session(d.admin).post(
        reverse("inspections:member_remove", args=[group.code, second.pk]), {"confirm": "1"}
    )
    assert [u.username for u in group.users.all()] == ["supervisor"]
    roles = RoleAssignment.objects.filter(user__in=[first, second], role="supervisor")
    assert not roles.exists()
