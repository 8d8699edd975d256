"""Two workers given the same copy send it once (the claim is one conditional UPDATE).
On PostgreSQL the two calls race in threads; SQLite serialises writers (the in-memory
test database answers a second writer "table is locked" instead of waiting), so there
they come one after another and the second still finds the copy taken."""

from functools import partial

import pytest
from django.db import connection

from kaoping.delivery import services
from kaoping.delivery.models import Delivery, Status
from kaoping.notifications.models import Notification
from kaoping.testing.concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_workers_send_once(district, smtp_server):
    district.member1.email = "m1@example.org"
    district.member1.save()
    notification = Notification.objects.create(user=district.member1, text="只发一次")
    delivery = Delivery.objects.create(
        user=district.member1, notification=notification, channel=Delivery.Channel.EMAIL
    )
    send = partial(services.delivery_send, delivery_id=delivery.pk)
    if connection.vendor == "postgresql":
        results = race(send, send, timeout=60)
    else:
        results = [send(), send()]
    assert sorted(map(str, results)) == ["sent", "skipped"], results
    assert len(smtp_server.received) == 1
    delivery.refresh_from_db()
    assert delivery.status == Status.SENT and delivery.attempts == 1
