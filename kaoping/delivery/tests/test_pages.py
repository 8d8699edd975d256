"""The pages and API of delivery: one's channels, the robots of a branch (its secretary's
and the committee admin's), a test post through a robot."""

import json

from kaoping.audit.models import AuditEvent
from kaoping.delivery.models import ChannelPreference, GroupRobot


def test_channels_on_my_account(client, district):
    client.force_login(district.member1)
    page = client.get("/account/").content.decode()
    assert "消息渠道" in page and "/account/channels/" in page
    answer = client.post(
        "/account/channels/", {"address": "m1@example.org", "email": "on", "digest": "on"}
    )
    assert answer.status_code == 302
    pref = ChannelPreference.objects.get(user=district.member1)
    assert pref.email and pref.digest and not pref.sms
    district.member1.refresh_from_db()
    assert district.member1.email == "m1@example.org"
    assert AuditEvent.objects.filter(action="delivery.channels").exists()
    # SMS without a phone in the archive: the form again, with the reason
    answer = client.post("/account/channels/", {"address": "m1@example.org", "sms": "on"})
    assert answer.status_code == 400 and "联系电话" in answer.content.decode()


def test_channels_in_the_api(client, district):
    client.force_login(district.member1)
    body = {"email": True, "sms": False, "digest": False, "address": "x@example.org"}
    answer = client.put("/api/me/channels", json.dumps(body), content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert client.get("/api/me/channels").json() == body
    body["address"] = "not an address"
    answer = client.put("/api/me/channels", json.dumps(body), content_type="application/json")
    assert answer.status_code == 422


def test_robots_of_a_branch(client, district, webhooks, django_capture_on_commit_callbacks):
    client.force_login(district.sec2)  # another branch's secretary
    assert client.get("/organizations/B1/robots/").status_code == 404
    assert "群机器人" not in client.get("/branches/B1/").content.decode()
    client.force_login(district.member1)
    assert client.get("/organizations/B1/robots/").status_code == 404
    client.force_login(district.admin)
    assert "/organizations/B1/robots/" in client.get("/branches/B1/").content.decode()
    answer = client.post(
        "/organizations/B1/robots/",
        {
            "kind": "dingtalk",
            "name": "一支部钉钉群",
            "webhook": f"{webhooks.base}/dingtalk?access_token=t",
            "secret": webhooks.dingtalk_secret,
        },
    )
    assert answer.status_code == 302
    robot = GroupRobot.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/robots/{robot.pk}/test/").status_code == 302
    [request] = webhooks.of("/dingtalk")
    assert request.signature_ok and "一支部钉钉群" in request.json()["markdown"]["text"]
    assert client.post(f"/robots/{robot.pk}/remove/").status_code == 200  # the confirmation
    assert client.post(f"/robots/{robot.pk}/remove/", {"confirm": "1"}).status_code == 302
    assert not GroupRobot.objects.exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"group_robot.add", "group_robot.test", "group_robot.remove"} <= actions


def test_a_wecom_robot_has_no_secret(client, district):
    client.force_login(district.admin)
    answer = client.post(
        "/organizations/B1/robots/",
        {"kind": "wecom", "name": "群", "webhook": "https://example.org/h", "secret": "x"},
    )
    assert answer.status_code == 400 and not GroupRobot.objects.exists()


def test_a_branch_secretary_keeps_the_branch_robots(client, district):
    client.force_login(district.sec1)
    assert "/organizations/B1/robots/" in client.get("/branches/B1/").content.decode()
    answer = client.post(
        "/organizations/B1/robots/",
        {"kind": "wecom", "name": "一支部企业微信群", "webhook": "https://example.org/h"},
    )
    assert answer.status_code == 302
    assert GroupRobot.objects.get().organization == district.b1
    assert client.get("/organizations/B2/robots/").status_code == 404  # not theirs
