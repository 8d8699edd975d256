"""年度归档 in a real Chromium (issue 22's browser journey): the secretary finalises the
year on the branch's 公示 page, confirms what gets frozen, the archive job finishes, and
the zip downloaded from the page holds every file of its manifest."""

import datetime
import hashlib
import json
import zipfile

import pytest
from django.utils import timezone

from kaoping.documents.models import YearArchive
from kaoping.documents.tests.test_registration_form import evaluated
from kaoping.publication.models import Publication
from kaoping.testing.browser import DESKTOP, assert_no_horizontal_scroll, snap

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secretary_finalises_and_downloads_the_years_archive(
    open_page, live_server, district, shots, tmp_path
):
    evaluated(district)
    Publication.objects.update(notice_until=timezone.now() - datetime.timedelta(minutes=1))
    # the finalisation answers in its own request (about 2 s here, 16 s with six browser
    # workers on two cores): the confirm click waits for that answer within this timeout
    page = open_page("sec1", DESKTOP, timeout=60_000)
    page.goto(f"{live_server.url}/pub/B1/2026/")
    page.locator("#finalise button[type=submit]").click()
    dialog = page.locator("dialog#kp-confirm")
    dialog.locator("ul.consequences").wait_for()
    assert "冻结" in dialog.inner_text() and not YearArchive.objects.exists()
    dialog.locator("[data-confirm-ok]").click()
    page.locator(".messages", has_text="已定格").wait_for()

    # the archive panel loads into the page (htmx) once the job is done
    download = page.locator("#year-archive-download")
    download.wait_for(timeout=60_000)
    archive = YearArchive.objects.get()
    assert archive.sha256 in page.locator("#year-archive").inner_text()
    assert_no_horizontal_scroll(page)
    snap(page, shots, "year-archive")
    with page.expect_download() as waiting:
        download.click()
    saved = tmp_path / waiting.value.suggested_filename
    waiting.value.save_as(saved)
    assert saved.name == "B1-2026-年度归档.zip"
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == archive.sha256
    with zipfile.ZipFile(saved) as zipped:
        manifest = json.loads(zipped.read("manifest.json"))
        for f in manifest["files"]:
            assert hashlib.sha256(zipped.read(f["path"])).hexdigest() == f["sha256"]
        assert sum(p.startswith("01-登记表/") for p in zipped.namelist()) == 8
