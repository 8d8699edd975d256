import re

import pytest

from kaoping.accounts.models import AccountState

PASSWORD = "pass-for-tests-1"
NEW_PASSWORD = "Lanshan-Road-2026!"


def login(client, username: str, password: str = PASSWORD, ip: str = "10.1.2.3"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def code_on(page) -> str:
    return re.search(r"<code>([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})</code>", page.content.decode())[
        1
    ]


@pytest.fixture
def must_change(district):
    AccountState.objects.create(user=district.member1, must_change_password=True)
    return district
