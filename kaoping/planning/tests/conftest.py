"""The planning tests' ``year``: 2026 with one excellent place and the votes counted."""

import pytest

from .support import year_voted


@pytest.fixture
def year(district):
    return year_voted(district, b2=True)
