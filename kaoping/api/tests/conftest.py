"""Helpers of the API tests: HTTP clients signed in as one of the district's users."""

import pytest
from django.test import Client

PASSWORD = "pass-for-tests-1"


@pytest.fixture
def as_user(district):
    """``as_user("sec1")``: a test client signed in (by session) as that user."""

    def make(username: str, **kwargs) -> Client:
        client = Client(**kwargs)
        assert client.login(username=username, password=PASSWORD)
        return client

    return make
