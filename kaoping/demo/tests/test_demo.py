from collections import Counter
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command

from kaoping.bundles.services import bundle_validate
from kaoping.demo.generator import DEFAULT_PASSWORD, demo_bundle, demo_logins
from kaoping.ledger.models import ScoreEntry
from kaoping.orgs.models import Member, Organization, RoleAssignment
from kaoping.scoring.models import MemberResult

YEAR = 2026


def _decimals_are_strings(node) -> bool:
    if isinstance(node, float):
        return False
    if isinstance(node, dict):
        return all(_decimals_are_strings(v) for v in node.values())
    if isinstance(node, list):
        return all(_decimals_are_strings(v) for v in node)
    return True


def test_bundle_is_valid_realistic_and_deterministic(db):
    bundle = demo_bundle(year=YEAR)
    assert bundle_validate(bundle) == []
    assert bundle == demo_bundle(year=YEAR)
    assert _decimals_are_strings(bundle)

    branches = [o for o in bundle["organizations"] if o["kind"] == "branch"]
    assert 11 <= len(branches) <= 13
    assert [o["category"] for o in branches].count("retired") == 1
    members = bundle["members"]
    assert 250 <= len(members) <= 350
    assert len({m["id"] for m in members}) == len(members)
    assert len({m["name"] for m in members}) == len(members)
    statuses = Counter(m["status"] for m in members)
    assert statuses["lost_contact"] and statuses["under_investigation"]
    assert statuses["transferred_out"]
    assert any(m["membership"] == "probationary" for m in members)
    assert any(ex["item"] == "R01" for m in members for ex in m.get("exemptions", ()))

    entries = bundle["entries"]
    assert len(entries) > 1000
    assert 3 <= sum("reverses" in e for e in entries) <= 20
    assert sum(e["item"] == "D10" for e in entries) == 1
    assert all(e["date"].startswith(f"{YEAR}-") for e in entries)
    assessed = [m for m in members if m["status"] in ("active", "lost_contact")]
    assert len(bundle["votes"]) >= 0.9 * len(assessed)
    assert Counter(h["grade"] for h in bundle["history"])["warning"] == 2

    # The roster is the same person by person from one year to the next.
    other = demo_bundle(year=YEAR + 1)
    assert other["members"] == members
    assert bundle_validate(other) == []


def test_demo_command_is_idempotent_and_shows_every_grade(db, client):
    out = StringIO()
    call_command("demo", year=YEAR, stdout=out)
    assert "admin" in out.getvalue() and DEFAULT_PASSWORD in out.getvalue()
    User = get_user_model()
    counts = (
        Member.objects.count(),
        ScoreEntry.objects.count(),
        User.objects.count(),
        RoleAssignment.objects.count(),
        MemberResult.objects.filter(year=YEAR).count(),
    )
    assert 250 <= counts[0] <= 350 and counts[1] > 1000

    again = StringIO()
    call_command("demo", year=YEAR, stdout=again)
    assert "added 0" in again.getvalue()
    assert counts == (
        Member.objects.count(),
        ScoreEntry.objects.count(),
        User.objects.count(),
        RoleAssignment.objects.count(),
        MemberResult.objects.filter(year=YEAR).count(),
    )
    quiet = StringIO()
    call_command("demo", year=YEAR, if_empty=True, stdout=quiet)
    assert "not loaded" in quiet.getvalue() and "sec-b01" in quiet.getvalue()

    results = MemberResult.objects.filter(year=YEAR)
    grades = Counter(results.values_list("grade", flat=True))
    for grade in ("excellent", "qualified", "basic", "warning", "pending", "deferred"):
        assert grades[grade] >= 1, grade
    flags = Counter(f for row in results.values_list("flags", flat=True) for f in row)
    assert flags["candidate:8"] == 2
    assert flags["quota_tie"] >= 2
    assert flags["disqualified"] == 1
    pending_branches = set(results.filter(grade="pending").values_list("branch__code", flat=True))
    assert len(pending_branches) == 2

    # Roles and logins.
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    root = Organization.objects.get(code="W")
    assert RoleAssignment.objects.filter(user=admin, organization=root, role="committee_admin")
    assert RoleAssignment.objects.filter(user__username="orgdept", role="org_department")
    branches = Organization.objects.filter(kind="branch")
    for branch in branches:
        assert RoleAssignment.objects.filter(
            user__username=f"sec-{branch.code.lower()}", organization=branch, role="secretary"
        ).exists()
    assert RoleAssignment.objects.filter(user__username="supervisor").count() == 2
    first = Organization.objects.get(code="B01")  # the bundle's first branch
    linked = Member.objects.filter(branch=first, user__isnull=False).order_by("code")
    assert [m.user.username for m in linked] == [
        f"member-{m.code.lower()}" for m in first.members.order_by("code")[:3]
    ]
    logins = {lg.username for lg in demo_logins(demo_bundle(year=YEAR))}
    assert set(User.objects.values_list("username", flat=True)) == logins
    for username in ("admin", "orgdept", "sec-b05", "supervisor", "member-m0001"):
        assert client.login(username=username, password=DEFAULT_PASSWORD), username
        client.logout()
    assert not client.login(username="admin", password="wrong")
