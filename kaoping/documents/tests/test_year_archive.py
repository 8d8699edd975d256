"""年度归档 (issue 22): when a branch finalises, a background job builds one zip of the
year (every member's 登记表, the notice, the minutes, the report, the case documents, the
ledger and results spreadsheets) with a manifest of each file's SHA-256; it is kept with
the finalisation and downloaded again by the branch's officers and the committee."""

import datetime
import hashlib
import io
import json
import zipfile

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from kaoping.audit.models import AuditEvent
from kaoping.documents.models import YearArchive
from kaoping.documents.tests.test_registration_form import evaluated, text_of
from kaoping.jobs.models import JobRun
from kaoping.meetings.services import meeting_minutes_record
from kaoping.publication.models import Publication
from kaoping.scoring.models import MemberResult
from kaoping.testing.api import bearer, send, session
from kaoping.unqualified.tests.test_services import propose

pytestmark = pytest.mark.django_db

ZIP = "/branches/B1/documents/2026/archive.zip"
PANEL = "/branches/B1/documents/2026/archive/"


def finalised(d, capture):
    """B1's 2026 evaluated, published, its notice period over, then finalised on the page
    (the archive job starts once the finalisation commits)."""
    evaluated(d)
    Publication.objects.update(notice_until=timezone.now() - datetime.timedelta(minutes=1))
    with capture(execute=True):
        answer = session(d.sec1).post("/pub/B1/2026/finalise/", {"confirm": "1"})
    assert answer.status_code == 302


def opened(content: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(content))


def test_finalising_builds_the_years_archive_with_a_manifest(
    district, meeting, django_capture_on_commit_callbacks
):
    d = district
    meeting_minutes_record(
        actor=d.sec1, meeting=meeting, host="李书记", recorder="王委员", minutes="学习党章。"
    )
    case = propose(d)
    finalised(d, django_capture_on_commit_callbacks)

    job = JobRun.objects.get(kind="documents.year_archive")
    assert job.state == JobRun.State.DONE and job.organization == d.b1
    assert job.result["link"]["url"] == ZIP
    archive = YearArchive.objects.get()
    assert (archive.branch, archive.year, archive.job) == (d.b1, 2026, job)
    assert AuditEvent.objects.filter(action="year_archive.build").count() == 1

    answer = session(d.sec1).get(ZIP)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/zip"
    content = b"".join(answer.streaming_content)
    assert hashlib.sha256(content).hexdigest() == archive.sha256 and len(content) == archive.size
    with opened(content) as zipped:
        manifest = json.loads(zipped.read("manifest.json"))
        files = manifest["files"]
        assert (manifest["branch"], manifest["year"]) == ("B1", 2026)
        assert {f["path"] for f in files} | {"manifest.json", "SHA256SUMS"} == set(
            zipped.namelist()
        )
        for f in files:  # every file of the manifest, its hash matching
            assert hashlib.sha256(zipped.read(f["path"])).hexdigest() == f["sha256"]
        sums = zipped.read("SHA256SUMS").decode().splitlines()
        assert sums == [f"{f['sha256']}  {f['path']}" for f in files]
        paths = [f["path"] for f in files]
        forms = [p for p in paths if p.startswith("01-登记表/")]
        assert len(forms) == MemberResult.objects.filter(branch=d.b1, year=2026).count() == 9
        assert "01-登记表/M1-张三.docx" in forms
        assert "张三" in text_of(zipped.read("01-登记表/M1-张三.docx"))
        assert {"02-公示/党员考评结果公示.docx", "02-公示/党员考评结果公示.pdf"} <= set(paths)
        minutes = [p for p in paths if p.startswith("03-会议记录/")]
        assert minutes == [p for p in minutes if meeting.code in p] and len(minutes) == 1
        assert "学习党章。" in text_of(zipped.read(minutes[0]))
        assert "04-年度报告/支部年度考评报告.pdf" in paths
        assert f"05-不合格党员处置/{case.code}.docx" in paths
        ledger = load_workbook(io.BytesIO(zipped.read("06-台账与结果/评分台账.xlsx")))
        results = load_workbook(io.BytesIO(zipped.read("06-台账与结果/考评结果.xlsx")))
        names = [row[2] for row in results.active.iter_rows(min_row=3, values_only=True)]
        assert "张三" in names and len(names) == 9
        assert ledger.active.max_row >= 2

    panel = session(d.sec1).get(PANEL).content.decode()
    assert f'href="{ZIP}"' in panel and archive.sha256 in panel
    page = session(d.sec1).get("/pub/B1/2026/").content.decode()
    assert f'hx-get="{PANEL}"' in page


def test_only_the_branchs_officers_and_the_committee_download_it(
    district, django_capture_on_commit_callbacks
):
    d = district
    finalised(d, django_capture_on_commit_callbacks)
    for user, status in (("sec1", 200), ("admin", 200), ("member1", 404), ("sec2", 404)):
        person = getattr(d, user)
        assert session(person).get(ZIP).status_code == status, user
        assert bearer(person).get("/api" + ZIP.replace(".zip", "")).status_code == status, user
    assert session(d.member1).get(PANEL).status_code == 404
    # a member downloads their own 登记表, not the branch's zip
    own = session(d.member1).get("/members/M1/documents/2026/registration-form.docx")
    assert own.status_code == 200


def test_building_again_keeps_the_history_and_needs_a_final_year(
    district, django_capture_on_commit_callbacks
):
    d = district
    evaluated(d)
    api = "/api/branches/B1/documents/2026/archive"
    refused = send(bearer(d.sec1), "POST", api, {})
    assert refused.status_code == 422 and "尚未定格" in refused.json()["detail"]
    assert session(d.sec1).get(ZIP).status_code == 404
    Publication.objects.update(notice_until=timezone.now() - datetime.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        session(d.sec1).post("/pub/B1/2026/finalise/", {"confirm": "1"})
    assert send(bearer(d.member1), "POST", api, {}).status_code == 404
    assert send(bearer(d.sec2), "POST", api, {}).status_code == 404
    again = send(bearer(d.sec1), "POST", api, {})
    assert again.status_code == 202, again.content
    assert again.json()["state"] == "done"
    page = session(d.sec1).post(PANEL + "build/")
    assert page.status_code == 302 and page["Location"].startswith("/jobs/")
    assert YearArchive.objects.count() == 3
    latest = YearArchive.objects.first()
    answer = session(d.sec1).get(ZIP)
    assert hashlib.sha256(b"".join(answer.streaming_content)).hexdigest() == latest.sha256
