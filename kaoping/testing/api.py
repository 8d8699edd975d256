"""Clients for the API tests: a bearer-token client, a session client, and a JSON send.

Every workflow's API tests (meetings, tasks, claims, …) speak to the API through real
HTTP in Django's test client, either as a program (a token) or as the signed-in page
(a session); both must give the same answers."""

import json
from typing import Any

from django.test import Client

from kaoping.api.services import api_token_create

JSON = "application/json"


def bearer(user, *, read_only: bool = False) -> Client:
    """A client that sends ``user``'s new API token on every request."""
    _token, raw = api_token_create(actor=user, user=user, name="api test", read_only=read_only)
    return Client(headers={"authorization": f"Bearer {raw}"})


def session(user) -> Client:
    """A client signed in as ``user``, as the pages are."""
    client = Client()
    client.force_login(user)
    return client


def send(client: Client, method: str, url: str, body: Any = None, **headers):
    """``method`` ``url`` with ``body`` as JSON (no body when None)."""
    data = "" if body is None else json.dumps(body)
    return client.generic(method, url, data, content_type=JSON, headers=headers or None)


def invalid(client: Client, method: str, url: str, body: Any = None) -> dict:
    """The errors, by field, of a request the API must refuse as invalid (422)."""
    answer = send(client, method, url, body)
    assert answer.status_code == 422, answer.content
    return answer.json()["errors"]


def assert_statuses(method: str, url: str, expected: dict, body: Any = None) -> None:
    """``method`` ``url`` (a plain GET, or ``send``'s with ``body``) answers each user of
    ``expected`` (with their own token) with the status given:
    ``assert_statuses("GET", url, {d.sec2: 404, d.member1: 403})``."""

    def status(user) -> int:
        if method == "GET":
            return bearer(user).get(url).status_code
        return send(bearer(user), method, url, body).status_code

    got = {user.get_username(): status(user) for user in expected}
    want = {user.get_username(): code for user, code in expected.items()}
    assert got == want, f"{method} {url}: {got}, not {want}"
