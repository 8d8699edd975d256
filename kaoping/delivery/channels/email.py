"""E-mail through Django's mail framework (the ``EMAIL_*`` settings, from
``KAOPING_EMAIL_URL``)."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from .base import ProviderAnswer


class EmailChannel:
    def send(self, to: str, subject: str, body: str) -> ProviderAnswer:
        message = EmailMessage(
            subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
        )
        try:
            sent = get_connection(fail_silently=False).send_messages([message])
        except (smtplib.SMTPException, OSError) as error:
            return ProviderAnswer(False, f"{type(error).__name__}: {error}")
        if not sent:
            return ProviderAnswer(False, "the mail server accepted nothing")
        return ProviderAnswer(True, f"accepted for {to}")
