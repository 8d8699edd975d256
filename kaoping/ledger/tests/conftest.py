import datetime

import pytest

from kaoping.ledger.services import entry_record


@pytest.fixture
def entry(district):
    """One recorded deduction of member M1 (B1) in 2026."""
    return entry_record(
        actor=district.sec1,
        member=district.m1,
        item=district.scheme.items.get(code="D01"),
        date=datetime.date(2026, 3, 5),
    )
