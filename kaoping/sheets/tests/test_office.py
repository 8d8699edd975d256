"""Issue 19 item 7: every export opened in a real office client (LibreOffice Calc, as a
stand-in for WPS and Excel) and printed to PDF: the results of a 30-member branch fit one
page, the ledger a few, and no cell prints as ``###`` (a column too narrow for its date or
number). Needs LibreOffice; skipped without it, failed when KAOPING_REQUIRE_BROWSER=1 (as
in CI, where .ci/run installs LibreOffice; the fixture is kaoping.testing.office)."""

import datetime
from decimal import Decimal

import pytest

from kaoping.sheets.tests.support import every_export_download, every_export_records
from kaoping.testing.factories import MemberFactory
from kaoping.testing.office import office_pdf_readers

pytestmark = pytest.mark.django_db


def test_every_export_prints_readably(office, client, district):
    d = district
    members = [d.m1, d.m1b] + [MemberFactory(branch=d.b1) for _ in range(28)]
    group = every_export_records(
        d,
        entries=[
            (m, datetime.date(2026, 1 + i % 12, 1 + i % 28), "会议迟到，已当面说明" * (i % 2), "")
            for i, m in enumerate(members)
        ],
        texts={
            "description": "参加社区志愿服务活动",
            "proof": "活动签到表",
            "group": "第一督查组",
            "findings": "会议记录不完整",
            "evidence": "缺签到",
            "place": "党员活动室",
            "topic": "学习贯彻会议精神",
        },
        dues=Decimal("1250.5"),
    )
    pdfs = office_pdf_readers(office, every_export_download(client, d, group))
    pages = {name: len(pdf.pages) for name, pdf in pdfs.items()}
    # One page wide: 30 results rows fit one A4 page, the 30-entry ledger one or two.
    assert pages["results"] == 1, pages
    assert all(n <= (2 if name.startswith("ledger") else 1) for name, n in pages.items()), pages
    for name, pdf in pdfs.items():
        text = "\n".join(page.extract_text() for page in pdf.pages)
        assert "###" not in text, (name, text)
    results = pdfs["results"].pages[0].extract_text()
    assert "2026-" in pdfs["ledger"].pages[0].extract_text()  # dates print as dates
    assert "考评结果" in results and "2026年度" in results, results  # the title row
