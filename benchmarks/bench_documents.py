"""The documents' targets (issue 22), measured, never asserted by the test suite:

1. a branch's year of 30 members (its 年度归档: 30 登记表, the notice and the report as
   Word and PDF, twelve meetings' minutes, the spreadsheets) is generated in under 30 s;
2. memory stays flat while one process archives a committee of 300 branches, one after
   another (what a worker does when they all finalise).

Run with pytest on an explicit path (the suite never collects it)::

    .venv/bin/python -m pytest benchmarks/bench_documents.py -s -p no:randomly
    BENCH_BRANCHES=300 .venv/bin/python -m pytest benchmarks/bench_documents.py -s -k memory

It prints its figures; benchmarks/RESULTS.md keeps them."""

import datetime
import os
import resource
import time
from decimal import Decimal

import pytest
from django.utils import timezone

from kaoping.documents.archive import year_archive_build
from kaoping.documents.tests.test_registration_form import evaluated
from kaoping.meetings.services import meeting_minutes_record, meeting_schedule
from kaoping.orgs.models import Member, Organization
from kaoping.publication.models import Publication
from kaoping.schemes.models import BranchYearClosing
from kaoping.scoring.models import Grade, MemberResult
from kaoping.testing.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _rss_mb() -> float:
    """The process's resident set now (Linux), in MB."""
    with open("/proc/self/statm") as statm:  # noqa: PTH123 - a proc file
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_branch_of_30_members(district):
    d = district
    evaluated(d, members=30)
    zone = timezone.get_current_timezone()
    for month in range(1, 13):
        meeting = meeting_schedule(
            actor=d.sec1, branch=d.b1, kind="general", place="三楼会议室",
            starts_at=datetime.datetime(2026, month, 10, 15, tzinfo=zone),
            topic=f"{month}月主题党日",
        )  # fmt: skip
        meeting_minutes_record(
            actor=d.sec1, meeting=meeting, host="李书记", recorder="王委员",
            minutes="一、学习。\n二、讨论。\n" * 20,
        )  # fmt: skip
    Publication.objects.update(notice_until=timezone.now() - datetime.timedelta(minutes=1))
    BranchYearClosing.objects.create(scheme=d.scheme, branch=d.b1, finalised_at=timezone.now())
    times = []
    for _ in range(3):
        started = time.perf_counter()
        archive = year_archive_build(actor=d.sec1, branch=d.b1, year=2026)
        times.append(time.perf_counter() - started)
    print(
        f"\nyear archive of a 30-member branch: {len(archive.manifest)} files, "
        f"{archive.size / 2**20:.1f} MB; best {min(times):.1f} s, runs "
        + ", ".join(f"{t:.1f}" for t in times)
        + f"; peak RSS {_peak_mb():.0f} MB (target: under 30 s)"
    )


def _published_branches(d, n: int, size: int) -> list[Organization]:
    """``n`` finalised branches of ``size`` members with published results, written in
    bulk (the archive reads what finalisation leaves; how it got there is not measured)."""
    branches = [
        OrganizationFactory(code=f"BB{i:03d}", name=f"第{i:03d}党支部", parent=d.p1)
        for i in range(n)
    ]
    members = Member.objects.bulk_create(
        Member(code=f"BB{i:03d}-{j:02d}", name=f"党员{i:03d}{j:02d}", branch=branch)
        for i, branch in enumerate(branches)
        for j in range(size)
    )
    MemberResult.objects.bulk_create(
        MemberResult(
            year=2026,
            member=m,
            branch_id=m.branch_id,
            deductions=Decimal(2),
            bonus=Decimal(1),
            daily=Decimal(69),
            democratic_pct=Decimal(90),
            democratic=Decimal(27),
            composite=Decimal("75.3"),
            rank=j + 1,
            grade=Grade.QUALIFIED,
        )  # fmt: skip
        for j, m in enumerate(members)
    )
    until = timezone.now() - datetime.timedelta(minutes=1)
    Publication.objects.bulk_create(
        Publication(year=2026, branch=b, notice_until=until) for b in branches
    )
    BranchYearClosing.objects.bulk_create(
        BranchYearClosing(scheme=d.scheme, branch=b, finalised_at=timezone.now()) for b in branches
    )
    return branches


def test_memory_stays_flat_over_a_committees_archives(district, settings, tmp_path):
    d = district
    # the archives go to disk, as in production (the tests keep files in memory)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    n = int(os.environ.get("BENCH_BRANCHES", "60"))
    branches = _published_branches(d, n, size=17)
    samples = []
    started = time.perf_counter()
    for index, branch in enumerate(branches, start=1):
        year_archive_build(actor=d.admin, branch=branch, year=2026)
        if index in (1, 5, 10) or index % 25 == 0 or index == n:
            samples.append((index, _rss_mb()))
    spent = time.perf_counter() - started
    print(f"\n{n} branches of 17 archived in {spent:.0f} s ({spent / n:.2f} s each)")
    for index, rss in samples:
        print(f"  after {index:>3} archives: RSS {rss:.0f} MB")
    print(f"  growth after the tenth: {samples[-1][1] - samples[2][1]:+.0f} MB")
