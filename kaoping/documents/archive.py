"""The year's file of a branch (年度归档): one zip of every document of a finalised year,
with a manifest of each file's SHA-256. Built file by file into a temporary file (one
document in memory at a time), so a committee of 300 branches archives in flat memory.

Its parts are read through the same access selectors as the pages, as the actor who
started it (the secretary who finalised, or the committee admin)."""

import hashlib
import json
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record
from kaoping.kit.users import user_or_none
from kaoping.kit.years import local_year_end, local_year_start
from kaoping.ledger.rows import ENTRY_HEADERS, entry_row
from kaoping.ledger.selectors import entries_visible
from kaoping.meetings.models import Meeting
from kaoping.orgs.models import Organization
from kaoping.orgs.selectors import scope_for
from kaoping.publication.selectors import published_rows
from kaoping.schemes.selectors import year_is_frozen
from kaoping.scoring.rows import RESULT_HEADERS, result_row
from kaoping.sheets.layout import POINTS, export_heading
from kaoping.sheets.xlsx import xlsx_write
from kaoping.unqualified.models import UnqualifiedCase

from . import generate
from .models import YearArchive

MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"


@dataclass(frozen=True)
class Part:
    """One file of the archive: its path in the zip and how to make it."""

    path: str
    make: Callable[[], bytes]


def _file(make: Callable[..., tuple[str, bytes]], **arguments: object) -> Callable[[], bytes]:
    """A generator of ``generate`` (it answers (name, bytes)) as a part's maker."""
    return lambda: make(**arguments)[1]


def _docx_and_pdf(stem: str, docx, pdf, **arguments: object) -> Iterator[Part]:
    """A document as its Word file and its archival PDF, side by side."""
    yield Part(f"{stem}.docx", _file(docx, **arguments))
    yield Part(f"{stem}.pdf", _file(pdf, **arguments))


def _safe(name: str) -> str:
    """A file name from user text (a meeting's topic): no folders, no control characters."""
    cleaned = "".join("_" if ch in '/\\:*?"<>|' or not ch.isprintable() else ch for ch in name)
    return cleaned.strip(" .") or "_"


def _sheet(title: str, headers, rows, *, branch: Organization, year: int, formats=None):
    def make() -> bytes:
        with tempfile.SpooledTemporaryFile(max_size=8 * 2**20) as out:
            heading = export_heading(title, organisation=branch.name, year=year)
            xlsx_write(out, title, headers, rows(), heading=heading, formats=formats)
            out.seek(0)
            return out.read()

    return make


def year_archive_parts(*, actor: Actor, branch: Organization, year: int) -> Iterator[Part]:
    """The archive's files in order, each made only when it is written."""
    code = branch.code
    members = [row.member for row in published_rows(branch=branch, year=year)]
    for member in members:
        name = _safe(f"{member.code}-{member.name}")
        yield Part(
            f"01-登记表/{name}.docx",
            _file(generate.registration_form_docx, actor=actor, code=member.code, year=year),
        )
    notice = generate.results_notice_docx, generate.results_notice_pdf
    yield from _docx_and_pdf("02-公示/党员考评结果公示", *notice, actor=actor, code=code, year=year)
    meetings = Meeting.objects.filter(
        branch=branch, starts_at__gte=local_year_start(year), starts_at__lt=local_year_end(year)
    ).order_by("starts_at", "id")
    for meeting in meetings:
        when = timezone.localtime(meeting.starts_at)
        yield Part(
            f"03-会议记录/{when:%Y-%m-%d}-{meeting.code}-{_safe(meeting.topic)[:60]}.docx",
            _file(generate.meeting_minutes_docx, actor=actor, code=meeting.code),
        )
    report = generate.annual_report_docx, generate.annual_report_pdf
    yield from _docx_and_pdf(
        "04-年度报告/支部年度考评报告", *report, actor=actor, code=code, year=year
    )
    for case in UnqualifiedCase.objects.filter(branch=branch, year=year).order_by("created_at"):
        yield Part(
            f"05-不合格党员处置/{case.code}.docx",
            _file(generate.unqualified_case_docx, actor=actor, code=case.code),
        )
    entries = (
        entries_visible(actor=actor, year=year).filter(member__branch=branch).order_by("date", "id")
    )
    yield Part(
        "06-台账与结果/评分台账.xlsx",
        _sheet(
            _("评分台账"),
            ENTRY_HEADERS,
            lambda: (entry_row(e) for e in entries.iterator(chunk_size=2000)),
            branch=branch,
            year=year,
            formats={"分值": POINTS},
        ),
    )
    yield Part(
        "06-台账与结果/考评结果.xlsx",
        _sheet(
            _("考评结果"),
            RESULT_HEADERS,
            lambda: (
                result_row(r, code=r.member.code, name=r.member.name)
                for r in published_rows(branch=branch, year=year)
            ),
            branch=branch,
            year=year,
        ),
    )


def year_archive_refusal(actor: Actor, branch: Organization, year: int) -> None:
    """Only the branch's officers and the committee admins above it, of a final year."""
    if not scope_for(actor).manages(branch.path):
        raise PermissionDenied(_("您无权生成 %(branch)s 的年度归档。") % {"branch": branch.name})
    if not year_is_frozen(year=year, branch=branch):
        raise ValidationError(
            _("%(branch)s 的 %(year)s 年度尚未定格，不能归档。")
            % {"branch": branch.name, "year": year}
        )


def year_archive_build(
    *,
    actor: Actor,
    branch: Organization,
    year: int,
    job=None,
    progress: Callable[..., None] | None = None,
) -> YearArchive:
    """年度归档: write the branch's finalised year into one zip with a manifest (each
    file's path, size and SHA-256, as ``manifest.json`` and as ``SHA256SUMS`` for
    ``sha256sum -c``) and keep it; audited. Refused before the year is final."""
    year_archive_refusal(actor, branch, year)
    parts = list(year_archive_parts(actor=actor, branch=branch, year=year))
    manifest = []
    with tempfile.TemporaryFile() as out:
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for done, part in enumerate(parts):
                if progress is not None:
                    progress(done, len(parts) + 1, part.path)
                content = part.make()
                archive.writestr(part.path, content)
                digest = hashlib.sha256(content).hexdigest()
                manifest.append({"path": part.path, "size": len(content), "sha256": digest})
            archive.writestr(
                MANIFEST,
                json.dumps(
                    {"branch": branch.code, "year": year, "files": manifest},
                    ensure_ascii=False,
                    indent=2,
                ),
            )
            archive.writestr(CHECKSUMS, "".join(f"{f['sha256']}  {f['path']}\n" for f in manifest))
        size = out.tell()
        out.seek(0)
        whole = hashlib.sha256()
        for chunk in iter(lambda: out.read(2**20), b""):
            whole.update(chunk)
        out.seek(0)
        filename = f"{branch.code}-{year}-年度归档.zip"
        with transaction.atomic():
            row = YearArchive(
                branch=branch,
                year=year,
                filename=filename,
                size=size,
                sha256=whole.hexdigest(),
                manifest=manifest,
                job=job,
                built_by=user_or_none(actor),
            )
            row.file.save(filename, File(out), save=False)
            row.save()
            audit_record(
                actor=actor,
                action="year_archive.build",
                target=branch,
                after={"year": year, "files": len(manifest), "sha256": row.sha256},
            )
    if progress is not None:
        progress(len(parts) + 1, len(parts) + 1)
    return row
