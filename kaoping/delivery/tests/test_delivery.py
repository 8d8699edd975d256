"""End to end: a notification's e-mail and SMS copies, retries, failures shown to the
admins, quiet hours, the daily digest, group posts and what they may carry."""

import dataclasses
import datetime

import pytest
from django.utils import timezone

from kaoping.archive.models import MemberProfile
from kaoping.delivery import services
from kaoping.delivery.models import (
    ChannelPreference,
    Delivery,
    DeliveryAttempt,
    GroupMessage,
    GroupRobot,
    Status,
)
from kaoping.delivery.notices import GroupNotice
from kaoping.notifications.services import notification_send, notification_send_many

MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def _awake(settings):
    settings.KAOPING_QUIET_HOURS = ""  # the tests of quiet hours set their own


@pytest.fixture
def sms_on(settings, webhooks, district):
    settings.KAOPING_SMS_PROVIDER = "aliyun"
    settings.KAOPING_SMS_URL = f"{webhooks.base}/sms"
    settings.KAOPING_SMS_KEY_ID = "LTAItestkey"
    settings.KAOPING_SMS_KEY_SECRET = webhooks.sms_secret
    settings.KAOPING_SMS_SIGN_NAME = "考评系统"
    settings.KAOPING_SMS_TEMPLATE = "SMS_1"
    MemberProfile.objects.create(member=district.m1, phone="13800138000")
    return webhooks


def _channels(user, *, email=True, sms=False, digest=False, address="m1@example.org"):
    return services.channel_preference_set(
        actor=user, email=email, sms=sms, digest=digest, address=address
    )


def _send(capture, **kwargs):
    with capture(execute=True):
        return notification_send(**kwargs)


def test_email_copy_of_a_notification(district, smtp_server, django_capture_on_commit_callbacks):
    _channels(district.member1)
    _send(
        django_capture_on_commit_callbacks,
        user=district.member1,
        text="您的“三会一课”缺席已记录，扣 2 分。",
        link="/me/",
    )
    [mail] = smtp_server.received
    assert mail.recipients == ["m1@example.org"]
    assert mail.subject == "考评系统通知"
    assert "您的“三会一课”缺席已记录，扣 2 分。" in mail.body and "/me/" in mail.body
    delivery = Delivery.objects.get()
    assert delivery.status == Status.SENT and delivery.attempts == 1
    [attempt] = delivery.tries.all()
    assert attempt.ok and "m1@example.org" in attempt.answer


def test_sms_copy_is_signed(district, sms_on, django_capture_on_commit_callbacks):
    _channels(district.member1, email=False, sms=True)
    _send(django_capture_on_commit_callbacks, user=district.member1, text="请按时缴纳党费")
    [request] = sms_on.of("/sms")
    assert request.signature_ok and request.form()["PhoneNumbers"] == "13800138000"
    assert Delivery.objects.get().status == Status.SENT


def test_no_channel_no_copy(district, smtp_server, django_capture_on_commit_callbacks):
    _send(django_capture_on_commit_callbacks, user=district.member1, text="站内即可")
    assert not Delivery.objects.exists() and not smtp_server.received


def test_a_copy_goes_only_to_its_own_person(
    district, smtp_server, django_capture_on_commit_callbacks
):
    _channels(district.member1)
    _channels(district.member2, address="m2@example.org")
    _send(
        django_capture_on_commit_callbacks,
        user=district.member1,
        text="您的民主测评得分为 87.5 分",
    )
    assert [m.recipients for m in smtp_server.received] == [["m1@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        notification_send_many(users=[district.member2], text="请参加本周的支部大会")
    assert "87.5" not in smtp_server.received[1].body


def test_failed_delivery_is_retried_then_shown_as_failed(
    district, smtp_server, client, django_capture_on_commit_callbacks
):
    smtp_server.refuse = True
    _channels(district.member1)
    _send(django_capture_on_commit_callbacks, user=district.member1, text="一条通知")
    delivery = Delivery.objects.get()
    assert delivery.status == Status.PENDING and delivery.attempts == 1
    now = delivery.next_try_at
    assert services.delivery_send(delivery_id=delivery.pk, now=now - MINUTE / 2) == "skipped"
    outcomes = []
    for _i in range(3):
        outcomes.append(services.delivery_send(delivery_id=delivery.pk, now=now))
        delivery.refresh_from_db()
        now = delivery.next_try_at
    assert outcomes == ["retry", "retry", "failed"]
    assert delivery.attempts == services.MAX_TRIES
    assert DeliveryAttempt.objects.filter(delivery=delivery, ok=False).count() == 4
    # shown to the committee admin, not to a secretary
    client.force_login(district.admin)
    page = client.get("/deliveries/failed/").content.decode()
    assert "member1" in page and "451" in page
    client.force_login(district.sec1)
    assert client.get("/deliveries/failed/").status_code == 404
    # the admin sends it again (confirmed), and it goes now
    smtp_server.refuse = False
    client.force_login(district.admin)
    url = f"/deliveries/failed/{delivery.pk}/retry/"
    assert client.post(url).status_code == 200  # the confirmation step
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"confirm": "1"}).status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == Status.SENT and len(smtp_server.received) == 1


def _quiet_around(now):
    local = timezone.localtime(now)
    start = (local - datetime.timedelta(hours=1)).strftime("%H:%M")
    end = (local + datetime.timedelta(hours=2)).replace(second=0, microsecond=0)
    return f"{start}-{end:%H:%M}", end


def test_quiet_hours_hold_a_message_until_they_end(
    district, settings, smtp_server, django_capture_on_commit_callbacks
):
    settings.KAOPING_QUIET_HOURS, end = _quiet_around(timezone.now())
    _channels(district.member1)
    _send(django_capture_on_commit_callbacks, user=district.member1, text="不急的通知")
    delivery = Delivery.objects.get()
    assert delivery.status == Status.PENDING and delivery.attempts == 0
    assert delivery.next_try_at == end and not smtp_server.received
    assert services.deliveries_due_send() == 0
    assert services.delivery_send(delivery_id=delivery.pk, now=end) == Status.SENT
    assert len(smtp_server.received) == 1


def test_urgent_message_is_not_held(
    district, settings, smtp_server, django_capture_on_commit_callbacks
):
    settings.KAOPING_QUIET_HOURS, _end = _quiet_around(timezone.now())
    _channels(district.member1)
    _send(django_capture_on_commit_callbacks, user=district.member1, text="紧急", urgent=True)
    assert len(smtp_server.received) == 1


def test_quiet_hours_across_midnight():
    from kaoping.delivery.quiet import quiet_until

    tz = timezone.get_current_timezone()
    late = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=tz)
    early = datetime.datetime(2026, 3, 2, 6, 0, tzinfo=tz)
    noon = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=tz)
    morning = datetime.datetime(2026, 3, 2, 7, 0, tzinfo=tz)
    assert quiet_until(late, "22:00-07:00") == morning
    assert quiet_until(early, "22:00-07:00") == morning
    assert quiet_until(noon, "22:00-07:00") is None
    assert quiet_until(noon, "") is None


def test_digest_replaces_single_messages_once_a_day(
    district, smtp_server, django_capture_on_commit_callbacks
):
    _channels(district.member1, digest=True)
    for text in ("第一条：支部大会", "第二条：党费"):
        _send(django_capture_on_commit_callbacks, user=district.member1, text=text)
    assert not Delivery.objects.exists() and not smtp_server.received
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_plan(day=today) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_plan(day=today) == 0
    [mail] = smtp_server.received
    assert mail.subject == f"考评系统每日汇总（{today.isoformat()}）"
    assert "第一条：支部大会" in mail.body and "第二条：党费" in mail.body
    assert Delivery.objects.get().digest_day == today


def _robots(district, webhooks):
    wecom = GroupRobot.objects.create(
        organization=district.b1, kind="wecom", name="一支部群", webhook=f"{webhooks.base}/wecom"
    )
    dingtalk = GroupRobot.objects.create(
        organization=district.b1,
        kind="dingtalk",
        name="一支部钉钉群",
        webhook=f"{webhooks.base}/dingtalk?access_token=x",
        secret=webhooks.dingtalk_secret,
    )
    return wecom, dingtalk


def test_group_notice_reaches_both_robots(district, webhooks, django_capture_on_commit_callbacks):
    _robots(district, webhooks)
    notice = GroupNotice(
        what="请全体党员参加 3 月支部大会", due=datetime.date(2026, 3, 20), link="/m/"
    )
    with django_capture_on_commit_callbacks(execute=True):
        messages = services.group_notice_send(actor=None, organization=district.b1, notice=notice)
    assert {m.status for m in GroupMessage.objects.all()} == {Status.SENT} and len(messages) == 2
    [wecom] = webhooks.of("/wecom")
    [dingtalk] = webhooks.of("/dingtalk")
    assert dingtalk.signature_ok
    assert "请全体党员参加 3 月支部大会" in wecom.json()["markdown"]["content"]
    assert "2026-03-20" in dingtalk.json()["markdown"]["text"]
    assert services.group_notice_send(actor=None, organization=district.b2, notice=notice) == []


def test_a_group_notice_has_no_place_for_a_person_or_a_score():
    fields = {f.name for f in dataclasses.fields(GroupNotice)}
    assert fields == {"what", "due", "link"}
    with pytest.raises(TypeError):
        services.group_notice_send(actor=None, organization=None, notice="张三 87 分")  # type: ignore[arg-type]


def test_group_posts_beyond_the_rate_limit_wait(district, webhooks):
    wecom, _dingtalk = _robots(district, webhooks)
    now = timezone.now()
    ids = [
        GroupMessage.objects.create(robot=wecom, title="t", text=f"第{i}条", next_try_at=now).pk
        for i in range(services.ROBOT_PER_MINUTE + 1)
    ]
    outcomes = [services.group_message_send(message_id=i, now=now) for i in ids]
    assert outcomes == [Status.SENT] * services.ROBOT_PER_MINUTE + ["postponed"]
    last = GroupMessage.objects.get(pk=ids[-1])
    assert last.status == Status.PENDING and last.next_try_at == now + MINUTE
    assert services.group_message_send(message_id=ids[-1], now=now + MINUTE) == Status.SENT
    assert len(webhooks.of("/wecom")) == services.ROBOT_PER_MINUTE + 1


def test_a_failed_group_post_is_retried(district, webhooks):
    wecom, _dingtalk = _robots(district, webhooks)
    webhooks.fail = 1
    message = GroupMessage.objects.create(robot=wecom, title="t", text="x")
    assert services.group_message_send(message_id=message.pk) == "retry"
    message.refresh_from_db()
    assert message.status == Status.PENDING and message.attempts == 1
    assert services.group_message_send(message_id=message.pk, now=message.next_try_at) == "sent"
    assert [a.ok for a in message.tries.all()] == [False, True]


def test_channels_need_an_address(district):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _channels(district.member1, address="")
    with pytest.raises(ValidationError):
        _channels(district.member1, sms=True)  # no phone in the archive
    assert not ChannelPreference.objects.exists()


def test_the_digest_command(district, smtp_server, django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core.management import call_command

    _channels(district.member1, digest=True)
    _send(django_capture_on_commit_callbacks, user=district.member1, text="今天的通知")
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("deliveries", "digest", stdout=out)
    assert "1" in out.getvalue() and len(smtp_server.received) == 1
    call_command("deliveries", "due", stdout=out)
