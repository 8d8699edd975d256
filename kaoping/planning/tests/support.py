"""What the planning tests share: the year whose simulation they change."""

from decimal import Decimal

from kaoping.evaluation.services import tally_set
from kaoping.schemes.services import scheme_update


def year_voted(district, *, b2: bool):
    """2026 with a quota of one excellent member: M1's ten votes excellent, M1B's (and with
    ``b2`` M2's) ten qualified."""
    scheme_update(actor=None, scheme=district.scheme, excellent_quota=Decimal("1"))
    tally_set(actor=None, year=2026, member=district.m1, counts={"excellent": 10})
    tally_set(actor=None, year=2026, member=district.m1b, counts={"qualified": 10})
    if b2:
        tally_set(actor=None, year=2026, member=district.m2, counts={"qualified": 10})
    district.scheme.refresh_from_db()
    return district
