"""Reset by email: Django's own views, only when a mail server is configured."""

import re

import pytest
from django.core import mail
from django.test import override_settings

from kaoping.accounts.models import AccountState

from .conftest import NEW_PASSWORD, login, signed_in

pytestmark = pytest.mark.django_db


def test_hidden_without_a_mail_server(client, district):
    assert "/password/reset/" not in client.get("/login/").content.decode()
    assert client.get("/password/reset/").status_code == 404


@override_settings(
    KAOPING_EMAIL_RESET=True, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
)
def test_reset_by_email(client, district):
    d = district
    d.member1.email = "zhangsan@example.org"
    d.member1.save()
    AccountState.objects.create(user=d.member1, must_change_password=True)
    assert "/password/reset/" in client.get("/login/").content.decode()
    page = client.get("/password/reset/")
    assert "通过邮件重置密码" in page.content.decode()
    answer = client.post("/password/reset/", {"email": "zhangsan@example.org"})
    assert answer.status_code == 302 and answer["Location"] == "/password/reset/sent/"
    assert "邮件已发送" in client.get(answer["Location"]).content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "考评系统：重置密码" and "member1" in message.body
    link = re.search(r"https?://[^/\s]+(/password/reset/\S+/)", message.body)[1]
    form = client.get(link, follow=True)
    assert "设置新密码" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302 and done["Location"] == "/password/reset/done/"
    assert "密码已设置" in client.get(done["Location"]).content.decode()
    assert not AccountState.objects.get(user=d.member1).must_change_password
    login(client, "member1", NEW_PASSWORD)
    assert signed_in(client) and client.get("/me/").status_code == 200
    # The link works once.
    assert "链接无效" in client.get(link, follow=True).content.decode()


@override_settings(
    KAOPING_EMAIL_RESET=True, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
)
def test_unknown_address_sends_nothing_and_says_the_same(client, district):
    answer = client.post("/password/reset/", {"email": "nobody@example.org"})
    assert answer.status_code == 302 and not mail.outbox
