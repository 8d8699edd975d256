"""``Idempotency-Key`` (docs/api.md "Idempotency"): a retried write records once and gets
the first answer again; the key with another request is refused; a retry while the first
still runs is a 409; malformed keys are a 400; answers expire after 24 hours."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from kaoping.api.models import IdempotentAnswer
from kaoping.api.services import api_token_create
from kaoping.audit.models import AuditEvent
from kaoping.ledger.models import ScoreEntry
from kaoping.testing.concurrency import race

pytestmark = pytest.mark.django_db

JSON = "application/json"
URL = "/api/years/2026/entries"
ENTRY = {"member": "M1", "item": "D01", "date": "2026-05-06", "note": "first"}


@pytest.fixture
def client(district) -> Client:
    _token, raw = api_token_create(actor=None, user=district.sec1, name="sync")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client, body, key, **headers):
    return client.post(URL, body, content_type=JSON, headers={"Idempotency-Key": key, **headers})


def test_a_retried_post_records_the_entry_once_and_answers_the_same(client):
    first = post(client, ENTRY, "entry-0001")
    again = post(client, ENTRY, "entry-0001")
    third = post(client, ENTRY, "entry-0001")
    assert first.status_code == again.status_code == third.status_code == 201
    assert first.json() == again.json() == third.json()
    assert "Idempotent-Replayed" not in first and again["Idempotent-Replayed"] == "true"
    assert ScoreEntry.objects.count() == 1
    assert AuditEvent.objects.filter(action__startswith="entry.").count() == 1


def test_without_a_key_each_post_records(client):
    assert client.post(URL, ENTRY, content_type=JSON).status_code == 201
    assert client.post(URL, ENTRY, content_type=JSON).status_code == 201
    assert ScoreEntry.objects.count() == 2


def test_another_key_is_another_write(client):
    post(client, ENTRY, "k-1")
    post(client, ENTRY, "k-2")
    assert ScoreEntry.objects.count() == 2


def test_the_key_with_another_body_is_422_and_writes_nothing(client):
    post(client, ENTRY, "k-1")
    other = post(client, ENTRY | {"note": "second"}, "k-1", **{"Accept-Language": "en"})
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert "another request" in other.json()["detail"]
    assert ScoreEntry.objects.count() == 1
    # ... and with another path
    assert (
        client.post(
            "/api/years/2026/entries?x=1",
            ENTRY,
            content_type=JSON,
            headers={"Idempotency-Key": "k-1"},
        ).json()["code"]
        == "idempotency_key_reused"
    )


def test_keys_are_per_user(client, district):
    post(client, ENTRY, "shared")
    _token, raw = api_token_create(actor=None, user=district.admin, name="other")
    other = Client(headers={"Authorization": f"Bearer {raw}"})
    assert post(other, ENTRY, "shared").status_code == 201
    assert ScoreEntry.objects.count() == 2


def test_a_retry_while_the_first_still_runs_is_a_409_and_writes_nothing(client, district):
    """Concurrent retries: the first request holds the claim (status 0) until it answers;
    a retry arriving meanwhile does not run the write."""
    import hashlib
    import json

    body = json.dumps(ENTRY).encode()
    IdempotentAnswer.objects.create(
        user=district.sec1,
        key="busy",
        method="POST",
        path=URL,
        body_hash=hashlib.sha256(body).hexdigest(),
    )
    retry = client.post(URL, body, content_type=JSON, headers={"Idempotency-Key": "busy"})
    assert retry.status_code == 409 and retry.json()["code"] == "conflict"
    assert ScoreEntry.objects.count() == 0
    # a claim abandoned (its worker died) for longer than 10 minutes is taken over
    IdempotentAnswer.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=11))
    assert (
        client.post(URL, body, content_type=JSON, headers={"Idempotency-Key": "busy"}).status_code
        == 201
    )
    assert ScoreEntry.objects.count() == 1


def test_a_refused_write_is_stored_too_and_a_server_error_is_not(client, monkeypatch):
    bad = ENTRY | {"item": "NOPE"}
    first = post(client, bad, "bad-1")
    assert first.status_code == 422
    assert IdempotentAnswer.objects.get(key="bad-1").status == 422
    assert post(client, bad, "bad-1").json() == first.json()

    import kaoping.api.ledger as ledger_api

    def boom(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ledger_api, "entry_record", boom)
    assert post(client, ENTRY, "boom").status_code == 500
    assert not IdempotentAnswer.objects.filter(key="boom").exists()
    monkeypatch.undo()
    assert post(client, ENTRY, "boom").status_code == 201


@pytest.mark.parametrize("key", ["", "x" * 101, "has space", "中文", "tab\there"])
def test_a_malformed_key_is_400(client, key):
    response = post(client, ENTRY, key)
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_invalid"
    assert ScoreEntry.objects.count() == 0


def test_the_longest_and_oddest_printable_keys_are_accepted(client):
    assert post(client, ENTRY, "~" * 100).status_code == 201
    assert post(client, ENTRY, "!#$%&'()*+,-./:;<=>?@[]^_`{|}").status_code == 201


def test_answers_expire_after_24_hours(client):
    post(client, ENTRY, "old")
    IdempotentAnswer.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    assert "Idempotent-Replayed" not in post(client, ENTRY, "old")
    assert ScoreEntry.objects.count() == 2  # the expired answer was deleted, the write ran
    assert IdempotentAnswer.objects.count() == 1


def test_reads_ignore_the_key(client):
    response = client.get("/api/me", headers={"Idempotency-Key": "has space"})
    assert response.status_code == 200
    assert not IdempotentAnswer.objects.exists()


def test_a_session_client_has_keys_too(as_user):
    client = as_user("sec1")
    assert post(client, ENTRY, "s-1").status_code == 201
    assert post(client, ENTRY, "s-1")["Idempotent-Replayed"] == "true"
    assert ScoreEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_retries_record_once(district):
    """Four retries of one write sent at the same moment, one connection each: one runs
    the write; each other gets its answer (replayed) or a 409 while it runs."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; concurrency is tested on PostgreSQL")
    _token, raw = api_token_create(actor=None, user=district.sec1, name="race")
    clients = [Client(headers={"Authorization": f"Bearer {raw}"}) for _ in range(4)]
    answers = race(*(lambda c=c: post(c, ENTRY, "race-1") for c in clients))
    assert ScoreEntry.objects.count() == 1
    statuses = sorted(a.status_code for a in answers)
    assert statuses.count(201) >= 1 and set(statuses) <= {201, 409}
    assert len({a.content for a in answers if a.status_code == 201}) == 1
    assert {a.json()["code"] for a in answers if a.status_code == 409} <= {"conflict"}


def test_a_multipart_body_read_as_a_form_is_hashed_by_its_fields_and_files():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import RequestFactory

    from kaoping.api.idempotency import _body_hash

    def request(content: bytes):
        made = RequestFactory().post(
            "/api/x", {"note": "a", "file": SimpleUploadedFile("p.pdf", content)}
        )
        made.POST  # noqa: B018 - read as a form first, as ninja does for File parameters
        return made

    assert _body_hash(request(b"one")) == _body_hash(request(b"one"))
    assert _body_hash(request(b"one")) != _body_hash(request(b"two"))
