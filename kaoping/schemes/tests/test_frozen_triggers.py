"""The frozen-year rule held by the database too (``schemes.triggers``): on PostgreSQL a
raw INSERT into the ledger or the vote tallies of a finalised branch-year is refused, so
no COPY or SQL path can write past ``year_is_frozen``."""

import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from kaoping.ledger.models import ScoreEntry
from kaoping.ledger.services import entry_record
from kaoping.schemes.models import BALLOT_OPTION_NAMES
from kaoping.schemes.services import branch_year_finalise
from kaoping.testing.database import only_on_postgres, raw_sql

pytestmark = only_on_postgres(
    "the frozen-year triggers exist on PostgreSQL only (SQLite has no COPY path)"
)


def _copy_entry(entry: ScoreEntry, member_id: int, suffix: str) -> None:
    """A raw INSERT of a copy of ``entry`` for ``member_id`` (its own code and chain place)."""
    columns = [f.column for f in ScoreEntry._meta.concrete_fields if f.column != "id"]
    values = [
        {"code": "%s", "chain_seq": "chain_seq + 1000", "member_id": "%s"}.get(c, c)
        for c in columns
    ]
    raw_sql(
        f"INSERT INTO ledger_scoreentry ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {', '.join(values)} FROM ledger_scoreentry WHERE id = %s",
        [entry.code + suffix, member_id, entry.pk],
    )


def _raw_tally(year: int, member_id: int) -> None:
    raw_sql(
        "INSERT INTO evaluation_votetally (year, member_id, option, count) VALUES (%s, %s, %s, 1)",
        [year, member_id, BALLOT_OPTION_NAMES[0]],
    )


@pytest.fixture
def entries(district):
    item = district.scheme.items.get(code="D01")
    day = datetime.date(2026, 3, 5)
    return [
        entry_record(actor=None, member=m, item=item, date=day) for m in (district.m1, district.m2)
    ]


def test_a_raw_ledger_insert_into_a_finalised_branch_year_is_refused(district, entries):
    first, second = entries
    _copy_entry(first, district.m1.pk, "-A")  # the year is open: passes
    branch_year_finalise(actor=None, scheme=district.scheme, branch=district.b1)
    with pytest.raises(IntegrityError, match="is finalised"):
        _copy_entry(first, district.m1.pk, "-B")
    _copy_entry(second, district.m2.pk, "-B")  # B2 is still open
    assert ScoreEntry.objects.filter(member=district.m1).count() == 2
    assert ScoreEntry.objects.filter(member=district.m2).count() == 2


def test_a_raw_tally_insert_into_a_finalised_branch_year_is_refused(district):
    year = district.scheme.year
    _raw_tally(year, district.m1b.pk)  # open: passes
    branch_year_finalise(actor=None, scheme=district.scheme, branch=district.b1)
    with pytest.raises(IntegrityError, match="is finalised"):
        _raw_tally(year, district.m1.pk)
    _raw_tally(year, district.m2.pk)  # B2 is still open


def test_a_final_scheme_freezes_every_branch(district, entries):
    district.scheme.finalised_at = timezone.now()
    district.scheme.save(update_fields=["finalised_at"])
    with pytest.raises(IntegrityError, match="is finalised"):
        _copy_entry(entries[1], district.m2.pk, "-C")
    with pytest.raises(IntegrityError, match="is finalised"):
        _raw_tally(district.scheme.year, district.m2.pk)
