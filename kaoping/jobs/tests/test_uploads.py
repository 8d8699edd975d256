"""Uploads whose preview is never confirmed are removed once they can no longer be."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from kaoping.jobs.imports import UPLOADS, import_uploads_prune
from kaoping.jobs.models import JobRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def uploads():
    # The storage outlives a test (in memory): start from an empty folder, whatever
    # previews earlier tests left unconfirmed.
    if default_storage.exists(UPLOADS):
        for filename in default_storage.listdir(UPLOADS)[1]:
            default_storage.delete(f"{UPLOADS}/{filename}")
    names = []

    def save(label: str) -> str:
        names.append(default_storage.save(f"{UPLOADS}/{label}.xlsx", ContentFile(b"x")))
        return names[-1]

    yield save
    for name in names:
        if default_storage.exists(name):
            default_storage.delete(name)


def test_stale_uploads_go_and_those_of_waiting_jobs_stay(uploads):
    abandoned = uploads("abandoned")
    queued = uploads("queued")
    running = uploads("running")
    finished = uploads("finished")
    for name, state in ((queued, "queued"), (running, "running"), (finished, "done")):
        JobRun.objects.create(
            kind="entries_import",
            title="导入",
            state=state,
            params={"file": name},
            created_at=timezone.now(),
            finished_at=timezone.now() if state == "done" else None,
        )

    assert import_uploads_prune(max_age=3600) == 0  # all fresh: a preview may be confirmed
    assert import_uploads_prune(max_age=0) == 2
    assert not default_storage.exists(abandoned)
    assert not default_storage.exists(finished)
    assert default_storage.exists(queued) and default_storage.exists(running)
