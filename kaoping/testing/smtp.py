"""A real SMTP server for the tests (aiosmtpd) on a free loopback port; it keeps every
message it receives, parsed, with its envelope."""

import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None
        return part.get_content()


@dataclass
class MailServer:
    host: str
    port: int
    received: list[Received] = field(default_factory=list)
    refuse: bool = False  # answer 451 to every message (a failing server)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        if self.refuse:
            return "451 try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(settings) -> Iterator[MailServer]:
    """An SMTP server on 127.0.0.1, with Django's mail settings pointed at it."""
    server = MailServer("127.0.0.1", free_port())
    controller = Controller(server, hostname=server.host, port=server.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "kaoping@example.org"
    try:
        yield server
    finally:
        controller.stop()
