"""The inbox's actions through the API: list one's own notifications (cursor paging, the
unread ones), the unread count, mark one read, mark all read (the page's button); nobody
reads or marks anyone else's (404)."""

import pytest
from django.utils import timezone

from kaoping.notifications.models import Notification
from kaoping.notifications.services import notification_send
from kaoping.testing.api import bearer, session

pytestmark = pytest.mark.django_db


def unread(user) -> list[int]:
    return sorted(Notification.objects.filter(user=user, read_at=None).values_list("pk", flat=True))


def test_list_own_newest_first_with_the_unread_filter(district):
    d = district
    first = notification_send(user=d.member1, text="第一条", link="/me/")
    second = notification_send(user=d.member1, text="第二条")
    notification_send(user=d.member2, text="别人的通知")
    Notification.objects.filter(pk=first.pk).update(read_at=timezone.now())
    client = bearer(d.member1)
    answer = client.get("/api/me/notifications")
    assert answer.status_code == 200, answer.content
    items = answer.json()["items"]
    assert [n["text"] for n in items] == ["第二条", "第一条"]
    assert items[1]["link"] == "/me/" and items[1]["read_at"] is not None
    only_unread = client.get("/api/me/notifications?unread=true").json()["items"]
    assert [n["id"] for n in only_unread] == [second.pk]
    only_read = client.get("/api/me/notifications?unread=false").json()["items"]
    assert [n["id"] for n in only_read] == [first.pk]
    assert client.get("/api/me/notifications?unread=maybe").status_code == 422
    assert client.get("/api/me/notifications/unread-count").json() == {"unread": 1}
    assert bearer(d.member2).get("/api/me/notifications/unread-count").json() == {"unread": 1}


def test_cursor_paging(district):
    d = district
    for n in range(5):
        notification_send(user=d.member1, text=f"第{n}号")
    client = bearer(d.member1)
    page = client.get("/api/me/notifications?limit=2").json()
    seen = [n["text"] for n in page["items"]]
    while page["next"]:
        page = client.get(page["next"]).json()
        seen += [n["text"] for n in page["items"]]
    assert seen == [f"第{n}号" for n in reversed(range(5))]
    bad = client.get("/api/me/notifications?cursor=forged")
    assert bad.status_code == 422 and "cursor" in bad.json()["errors"]


def test_mark_one_read_and_refusals(district):
    d = district
    mine = notification_send(user=d.member1, text="我的")
    other = notification_send(user=d.member1, text="另一条")
    theirs = notification_send(user=d.member2, text="别人的")
    client = bearer(d.member1)
    answer = client.post(f"/api/me/notifications/{mine.pk}/read")
    assert answer.status_code == 200, answer.content
    assert answer.json()["id"] == mine.pk and answer.json()["read_at"] is not None
    assert unread(d.member1) == [other.pk]
    again = client.post(f"/api/me/notifications/{mine.pk}/read")  # already read: unchanged
    assert again.status_code == 200 and again.json()["read_at"] == answer.json()["read_at"]
    # someone else's and a missing one: the same 404; nothing changes
    for pk in (theirs.pk, 999999):
        refused = client.post(f"/api/me/notifications/{pk}/read")
        assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    assert unread(d.member2) == [theirs.pk]
    assert client.post("/api/me/notifications/0/read").status_code == 422
    assert client.post("/api/me/notifications/x/read").status_code == 422
    assert (
        bearer(d.member1, read_only=True).post(f"/api/me/notifications/{other.pk}/read").status_code
        == 403
    )


def test_mark_all_read_as_the_page(district):
    d = district
    for user in (d.member1, d.member1, d.member2):
        notification_send(user=user, text="通知")
    answer = bearer(d.member1).post("/api/me/notifications/read")
    assert answer.status_code == 200 and answer.json() == {"marked": 2}
    assert unread(d.member1) == [] and len(unread(d.member2)) == 1
    assert bearer(d.member1).post("/api/me/notifications/read").json() == {"marked": 0}
    # the page's button ends in the same state for member2 (through a session, too)
    session(d.member2).post("/notifications/read/")
    assert unread(d.member2) == []


def test_through_a_session_and_anonymous(district):
    d = district
    notification_send(user=d.member1, text="通知")
    client = session(d.member1)
    assert client.get("/api/me/notifications").json()["items"][0]["text"] == "通知"
    assert client.post("/api/me/notifications/read").json() == {"marked": 1}
    from django.test import Client

    assert Client().get("/api/me/notifications").status_code == 401
    assert Client().post("/api/me/notifications/read").status_code == 401
