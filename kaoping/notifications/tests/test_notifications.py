from kaoping.notifications.models import Notification
from kaoping.notifications.services import notification_send


def test_inbox_shows_only_own_and_marks_read(client, district):
    notification_send(user=district.member1, text="您有一条扣分记录", link="/me/")
    notification_send(user=district.member2, text="别人的通知")
    client.force_login(district.member1)
    page = client.get("/notifications/").content.decode()
    assert "您有一条扣分记录" in page and "别人的通知" not in page
    assert client.get("/me/").context["unread_notifications"] == 1
    client.post("/notifications/read/")
    assert not Notification.objects.filter(user=district.member1, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=district.member2, read_at__isnull=True).exists()


def test_member_without_login_is_skipped(district):
    assert notification_send(user=None, text="x") is None


def test_anonymous_is_sent_to_login(client, district):
    assert client.get("/notifications/").status_code == 302


def test_inbox_query_count_does_not_grow_with_notifications(client, district):
    from kaoping.testing.queries import page_query_counts

    sent = []

    def grow(n):
        for _ in range(n):
            sent.append(notification_send(user=district.member1, text=f"第{len(sent)}号通知"))

    client.force_login(district.member1)
    counts, page = page_query_counts(client, "/notifications/", grow)
    assert counts[0] == counts[1], counts
    assert all(f"第{i}号通知" in page for i in range(len(sent)))
