"""Two workers given the same copy send it once (the claim is one conditional UPDATE)."""

import threading

import pytest
from django.db import connections

from kaoping.delivery import services
from kaoping.delivery.models import Delivery, Status
from kaoping.notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_workers_send_once(district, smtp_server):
    district.member1.email = "m1@example.org"
    district.member1.save()
    notification = Notification.objects.create(user=district.member1, text="只发一次")
    delivery = Delivery.objects.create(
        user=district.member1, notification=notification, channel=Delivery.Channel.EMAIL
    )
    barrier = threading.Barrier(2)
    results: list[object] = [None, None]

    def work(i: int) -> None:
        try:
            barrier.wait()
            results[i] = services.delivery_send(delivery_id=delivery.pk)
        except Exception as error:  # noqa: BLE001 - reported below
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(map(str, results)) == ["sent", "skipped"], results
    assert len(smtp_server.received) == 1
    delivery.refresh_from_db()
    assert delivery.status == Status.SENT and delivery.attempts == 1
