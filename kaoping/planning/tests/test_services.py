import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kaoping.audit.models import AuditEvent
from kaoping.ledger.services import entry_record
from kaoping.planning.models import SchemeDraft
from kaoping.planning.selectors import draft_simulation
from kaoping.planning.services import draft_adopt, draft_create, draft_items_set, draft_update
from kaoping.schemes.models import Scheme
from kaoping.schemes.services import branch_year_finalise, scheme_create

from .support import year_voted

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(district):
    """2026: every member of B1 counts for a place; M1 100, M1B 94 (both excellent now)."""
    return year_voted(district, b2=False)


def test_create_copies_settings_and_items(year):
    draft = draft_create(actor=year.admin, base=year.scheme, year=2027, title="")
    assert draft.title == "2027 年度方案草案"
    assert draft.excellent_quota == Decimal("1")
    assert draft.items.count() == year.scheme.items.count()
    assert AuditEvent.objects.filter(action="scheme_draft.create").count() == 1


def test_create_permissions(year):
    with pytest.raises(PermissionDenied):
        draft_create(actor=year.sec1, base=year.scheme, year=2027, title="x")
    with pytest.raises(PermissionDenied):
        draft_create(actor=year.sec1, base=year.scheme, year=2027, title="x", branch=year.b2)
    with pytest.raises(PermissionDenied):
        draft_create(actor=year.supervisor, base=year.scheme, year=2027, title="x", branch=year.b2)
    draft = draft_create(actor=year.sec1, base=year.scheme, year=2027, title="x", branch=year.b1)
    assert draft.branch == year.b1
    with pytest.raises(ValidationError):
        draft_create(actor=year.admin, base=year.scheme, year=2026, title="same year")


def test_higher_excellent_threshold_changes_the_expected_member(year):
    draft = draft_create(actor=year.admin, base=year.scheme, year=2027, title="严一点")
    sim = draft_simulation(actor=year.admin, draft=draft)
    assert sim.changes == []  # an unchanged copy reproduces the current results
    draft = draft_update(actor=year.admin, draft=draft, excellent_threshold=Decimal("95"))
    sim = draft_simulation(actor=year.admin, draft=draft)
    assert [(c.code, c.old.grade, c.new.grade) for c in sim.changes] == [
        ("M1B", "excellent", "qualified")
    ]
    counts = {g: (now, then) for g, now, then, _ in sim.grades}
    assert counts["excellent"] == (2, 1)
    assert counts["qualified"] == (2, 3)  # M2 and R01 have no votes: 70, qualified
    assert sim.members == 4


def test_counts_match_the_engine_fed_with_the_draft_rules(year):
    from dataclasses import replace

    from kaoping.scoring.engine import compute_year
    from kaoping.scoring.selectors import rules_from, year_input

    draft = draft_create(actor=year.admin, base=year.scheme, year=2027, title="x")
    draft = draft_update(
        actor=year.admin,
        draft=draft,
        excellent_threshold=Decimal("95"),
        democratic_share=Decimal("0.2"),
    )
    expected = compute_year(replace(year_input(scheme=year.scheme), rules=rules_from(draft)))
    sim = draft_simulation(actor=year.admin, draft=draft)
    for grade, _, then, _ in sim.grades:
        assert then == sum(1 for r in expected if r.grade == grade)


def test_item_points_reprice_occurrences(year):
    d01 = year.scheme.items.get(code="D01")
    entry_record(
        actor=None, member=year.m1, item=d01, date=datetime.date(2026, 3, 1), occurrences=2
    )
    draft = draft_create(actor=year.admin, base=year.scheme, year=2027, title="x")
    assert draft_simulation(actor=year.admin, draft=draft).changes == []  # 96: still excellent
    draft_items_set(actor=year.admin, draft=draft, points={"D01": Decimal("6")})
    (change,) = draft_simulation(actor=year.admin, draft=draft).changes
    assert change.code == "M1"
    assert change.old.composite == Decimal("96") and change.new.composite == Decimal("88")
    assert change.new.grade == "qualified"
    with pytest.raises(ValidationError):
        draft_items_set(actor=year.admin, draft=draft, points={"NOPE": Decimal(1)})


def test_secretary_simulates_only_their_branch(year):
    draft = draft_create(actor=year.sec1, base=year.scheme, year=2027, title="x", branch=year.b1)
    sim = draft_simulation(actor=year.sec1, draft=draft)
    assert [b.code for b in sim.branches] == ["B1"]
    assert sim.members == 2
    with pytest.raises(PermissionDenied):
        draft_update(actor=year.sec2, draft=draft, excellent_threshold=Decimal("95"))


def test_update_refuses_bad_thresholds_and_changes_nothing(year):
    draft = draft_create(actor=year.admin, base=year.scheme, year=2027, title="x")
    with pytest.raises(ValidationError):
        draft_update(actor=year.admin, draft=draft, basic_threshold=Decimal("99"))
    draft.refresh_from_db()
    assert draft.basic_threshold == Decimal("60")


def test_adopt_creates_next_years_scheme(year):
    draft = draft_create(actor=year.admin, base=year.scheme, year=2027, title="x")
    draft = draft_update(actor=year.admin, draft=draft, excellent_threshold=Decimal("95"))
    draft_items_set(actor=year.admin, draft=draft, points={"D01": Decimal("3")})
    with pytest.raises(PermissionDenied):
        draft_adopt(actor=year.sec1, draft=draft)
    scheme = draft_adopt(actor=year.admin, draft=draft)
    assert scheme.year == 2027
    assert scheme.excellent_threshold == Decimal("95")
    assert scheme.items.get(code="D01").points == Decimal("3")
    assert scheme.items.count() == year.scheme.items.count()
    draft.refresh_from_db()
    assert draft.adopted_at is not None
    assert AuditEvent.objects.filter(action="scheme_draft.adopt").count() == 1
    # Adopting again updates the same scheme.
    draft = draft_update(actor=year.admin, draft=draft, excellent_threshold=Decimal("92"))
    assert draft_adopt(actor=year.admin, draft=draft).pk == scheme.pk
    assert Scheme.objects.get(year=2027).excellent_threshold == Decimal("92")


def test_adopt_refused_when_the_year_is_final(year):
    target = scheme_create(actor=None, year=2027)
    branch_year_finalise(actor=None, scheme=target, branch=year.b1)
    draft = draft_create(actor=year.admin, base=year.scheme, year=2027, title="x")
    draft = draft_update(actor=year.admin, draft=draft, excellent_threshold=Decimal("95"))
    with pytest.raises(ValidationError, match="已定格"):
        draft_adopt(actor=year.admin, draft=draft)
    assert Scheme.objects.get(year=2027).excellent_threshold == Decimal("90")
    assert SchemeDraft.objects.get(pk=draft.pk).adopted_at is None
