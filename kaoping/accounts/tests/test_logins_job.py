"""Issuing many logins runs as a background job (the hashing is slow): the confirmation
leads to the job page, whose progress counts the passwords, then to the batch page; the
list is checked again in the transaction that writes the logins."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from kaoping.accounts.models import SlipBatch
from kaoping.accounts.services import logins as logins_services
from kaoping.jobs.models import JobRun
from kaoping.orgs.models import Member
from kaoping.orgs.services import member_link_user
from kaoping.testing.factories import MemberFactory, OrganizationFactory, UserFactory
from kaoping.testing.sheets import export_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def b3(district):
    branch = OrganizationFactory(code="B3", name="第三党支部", parent=district.p1)
    for n in range(6):
        MemberFactory(code=f"C{n:02d}", name=f"党员{n:02d}", branch=branch)
    return branch


def test_many_logins_are_issued_by_a_job_that_leads_to_the_slips(district, b3, settings):

    settings.KAOPING_LOGINS_INLINE_MAX = 5
    admin = Client()
    admin.force_login(district.admin)
    answer = admin.post("/accounts/B3/issue/", {"scope": "all", "confirm": "1"})
    job = JobRun.objects.get(kind="accounts.logins_issue")
    assert answer.status_code == 302 and answer["Location"] == f"/jobs/{job.pk}/"
    assert job.state == JobRun.State.DONE, job.message
    assert (job.done, job.total) == (6, 6) and job.organization == b3
    batch = SlipBatch.objects.get()
    assert job.result["batch"] == batch.pk
    page = admin.get(f"/jobs/{job.pk}/").content.decode()
    assert "已为 6 名党员开通账号" in page and f'href="/accounts/batches/{batch.pk}/"' in page
    assert Member.objects.filter(branch=b3, user__isnull=False).count() == 6
    xlsx = admin.post(f"/accounts/batches/{batch.pk}/slips.xlsx")
    rows = export_rows(xlsx.content)[1:]
    assert len(rows) == 6 and all(len(str(r[4])) == 12 for r in rows), rows


def test_a_few_logins_are_still_issued_in_the_request(district, b3, settings):
    settings.KAOPING_LOGINS_INLINE_MAX = 6
    admin = Client()
    admin.force_login(district.admin)
    answer = admin.post("/accounts/B3/issue/", {"scope": "all", "confirm": "1"})
    batch = SlipBatch.objects.get()
    assert answer["Location"] == f"/accounts/batches/{batch.pk}/"
    assert not JobRun.objects.exists()


def test_a_list_changed_while_hashing_issues_nothing(district, b3, monkeypatch):
    """Someone links a login to one of the members while the passwords are hashed: the
    write finds another list than the one planned and refuses, all or nothing."""
    hashes = logins_services._hashes

    def slow_hashes(passwords, progress=None):
        member_link_user(
            actor=None, member=Member.objects.get(code="C03"), user=UserFactory(username="c03")
        )
        return hashes(passwords, progress)

    monkeypatch.setattr(logins_services, "_hashes", slow_hashes)
    with pytest.raises(ValidationError, match="名单有变化"):
        logins_services.logins_issue(actor=district.admin, organization=b3)
    assert not SlipBatch.objects.exists()
    assert Member.objects.filter(branch=b3, user__isnull=False).count() == 1
