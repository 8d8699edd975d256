"""Hypothesis on the dues spreadsheet import: whatever the file holds (arbitrary bytes,
arbitrary cells under the template's headers), reading never raises, and the import
either stores every row or raises the app's ``SheetErrors`` and stores nothing."""

import datetime
import io
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from kaoping.dues.models import DuesPayment
from kaoping.dues.services import IMPORT_COLUMNS, dues_import
from kaoping.sheets.xlsx import SheetErrors, read_rows

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HEADERS = [c.header for c in IMPORT_COLUMNS]

# cells as a spreadsheet can hold them: text (also plausible codes and months), numbers,
# dates, booleans, empty
cell = st.one_of(
    st.none(),
    st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=12),  # xlsx-safe
    st.sampled_from(["M1", "M1B", "M2", "2026-03", "2026-13", "40", "-5", "1e9", "=1+1"]),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, max_value=10**9, min_value=-1),
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)),
    # spreadsheets hold naive date-times
    st.datetimes(
        min_value=datetime.datetime(1900, 1, 1),  # noqa: DTZ001
        max_value=datetime.datetime(2100, 1, 1),  # noqa: DTZ001
    ),
    st.booleans(),
)


def workbook(header, rows) -> io.BytesIO:
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append([float(v) if isinstance(v, Decimal) else v for v in row])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def run(district, file):
    before = DuesPayment.objects.count()
    rows, errors = read_rows(file, IMPORT_COLUMNS)  # never raises
    if errors:
        return
    try:
        n = dues_import(actor=district.sec1, branch=district.b1, rows=rows)
    except SheetErrors as exc:
        assert exc.row_errors and all(e.row >= 1 and str(e) for e in exc.row_errors)
        assert DuesPayment.objects.count() == before
    else:
        assert n == len(rows) and DuesPayment.objects.count() == before + n


@FUZZ
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_are_refused_with_a_message(district, data):
    rows, errors = read_rows(io.BytesIO(data), IMPORT_COLUMNS)
    assert rows == [] and errors and "xlsx" in str(errors[0])


@FUZZ
@given(
    header=st.permutations(HEADERS)
    | st.lists(st.sampled_from([*HEADERS, "备注", None]), max_size=5),
    rows=st.lists(st.lists(cell, min_size=0, max_size=5), max_size=6),
)
def test_arbitrary_cells_import_all_or_nothing(district, header, rows):
    run(district, workbook(header, rows))


plausible_row = st.tuples(
    st.sampled_from(["M1", "M1B", "M2", "R01", "m1", " M1 "]),
    st.sampled_from(["2026-01", "2026-03", "2026-13", "2026/03", "03-2026"]) | st.dates(),
    st.sampled_from(["40", "0", "-5", "12.345", "1e3"]) | st.integers(-5, 10**6),
    st.dates(min_value=datetime.date(2025, 1, 1), max_value=datetime.date(2027, 12, 31)),
)


@FUZZ
@given(rows=st.lists(plausible_row, min_size=1, max_size=5))
def test_plausible_rows_import_all_or_nothing(district, rows):
    """Rows that get past reading, so the import's own checks are exercised."""
    run(district, workbook(HEADERS, rows))
