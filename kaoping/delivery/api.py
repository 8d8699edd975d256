"""Outbound delivery in the API, as on the pages: one's own channels (我的账号), the
committee admins' failures (发送失败) and their retry, and an organisation's group robots
(add, remove, a test post). Same selectors and services as the pages."""

import datetime
from typing import Annotated, Literal

from ninja import Field, Router, Schema

from kaoping.api.auth import AuthedRequest
from kaoping.api.common import READ_ERRORS, WRITE_ERRORS
from kaoping.api.schemas import Code
from kaoping.kit.urlparams import SQL_INT_MAX

from . import selectors, services

router = Router(tags=["delivery"])

RowId = Annotated[int, Field(ge=1, le=SQL_INT_MAX)]


class ChannelsIO(Schema):
    email: bool
    sms: bool
    digest: bool  # one digest a day instead of each message
    address: Annotated[str, Field(max_length=254)] | None = None  # the login's e-mail


class FailureOut(Schema):
    id: int
    kind: Literal["delivery", "group_message"]
    to: str  # the username, or the robot's name
    channel: str  # email, sms, wecom, dingtalk
    attempts: int
    last_try_at: datetime.datetime | None
    answer: str  # the provider's last answer


class RobotIn(Schema):
    kind: Literal["wecom", "dingtalk"]
    name: Annotated[str, Field(min_length=1, max_length=100)]
    webhook: Annotated[str, Field(min_length=8, max_length=500)]
    secret: Annotated[str, Field(max_length=200)] = ""


class RobotOut(Schema):
    id: int
    organization: str
    kind: str
    name: str
    signed: bool  # has a DingTalk signing secret (never shown)


class QueuedOut(Schema):
    id: int
    status: str


def _channels_out(user) -> dict:
    pref = selectors.preference_of(user)
    return {"email": pref.email, "sms": pref.sms, "digest": pref.digest, "address": user.email}


@router.get("/me/channels", response={200: ChannelsIO, **READ_ERRORS})
def my_channels(request: AuthedRequest):
    """One's own channels (no choice made: everything off, in-app only)."""
    return _channels_out(request.auth)


@router.put("/me/channels", response={200: ChannelsIO, **WRITE_ERRORS})
def my_channels_set(request: AuthedRequest, payload: ChannelsIO):
    """Choose one's channels; ``address`` (when given) changes the login's e-mail."""
    services.channel_preference_set(actor=request.auth, **payload.dict())
    return _channels_out(request.auth)


def _failure(row, kind: str) -> dict:
    last = next(iter(row.tries.all()), None)
    return {
        "id": row.pk,
        "kind": kind,
        "to": row.user.get_username() if kind == "delivery" else row.robot.name,
        "channel": row.channel if kind == "delivery" else row.robot.kind,
        "attempts": row.attempts,
        "last_try_at": last.at if last else None,
        "answer": last.answer if last else "",
    }


@router.get("/deliveries/failed", response={200: list[FailureOut], **READ_ERRORS})
def failures(request: AuthedRequest):
    """The failed e-mails, SMS and group posts in the admin's organisations (the newest
    200 of each; committee admins only, 404 for others)."""
    actor = request.auth
    rows = [_failure(d, "delivery") for d in selectors.failed_deliveries(actor=actor)[:200]]
    groups = selectors.failed_group_messages(actor=actor)[:200]
    return rows + [_failure(m, "group_message") for m in groups]


@router.post("/deliveries/{id}/retry", response={200: QueuedOut, **WRITE_ERRORS})
def delivery_retry(request: AuthedRequest, id: RowId):
    """Send a failed e-mail or SMS again (a fresh round of tries)."""
    delivery = selectors.delivery_for_admin(actor=request.auth, pk=id)
    delivery = services.delivery_retry(actor=request.auth, delivery=delivery)
    return {"id": delivery.pk, "status": delivery.status}


@router.post("/group-messages/{id}/retry", response={200: QueuedOut, **WRITE_ERRORS})
def group_message_retry(request: AuthedRequest, id: RowId):
    """Post a failed group message again."""
    message = selectors.group_message_for_admin(actor=request.auth, pk=id)
    message = services.group_message_retry(actor=request.auth, message=message)
    return {"id": message.pk, "status": message.status}


def _robot_out(robot) -> dict:
    return {
        "id": robot.pk,
        "organization": robot.organization.code,
        "kind": robot.kind,
        "name": robot.name,
        "signed": bool(robot.secret),
    }


@router.get("/organizations/{code}/robots", response={200: list[RobotOut], **READ_ERRORS})
def robots(request: AuthedRequest, code: Code):
    """An organisation's group robots (its committee admins only)."""
    org = selectors.organization_for_robots(actor=request.auth, code=code)
    found = selectors.robots_of(actor=request.auth, organization=org).select_related("organization")
    return [_robot_out(r) for r in found]


@router.post("/organizations/{code}/robots", response={201: RobotOut, **WRITE_ERRORS})
def robot_add(request: AuthedRequest, code: Code, payload: RobotIn):
    """Add a WeCom or DingTalk robot (DingTalk: with its signing secret, if any)."""
    org = selectors.organization_for_robots(actor=request.auth, code=code)
    robot = services.group_robot_add(actor=request.auth, organization=org, **payload.dict())
    return 201, _robot_out(robot)


@router.post("/robots/{id}/remove", response={200: RobotOut, **WRITE_ERRORS})
def robot_remove(request: AuthedRequest, id: RowId):
    """Remove a group robot; its posts go with it."""
    robot = selectors.robot_for_admin(actor=request.auth, pk=id)
    out = _robot_out(robot)
    services.group_robot_remove(actor=request.auth, robot=robot)
    return out


@router.post("/robots/{id}/test", response={200: QueuedOut, **WRITE_ERRORS})
def robot_test(request: AuthedRequest, id: RowId):
    """Post a test message through the robot (sent by the background task)."""
    robot = selectors.robot_for_admin(actor=request.auth, pk=id)
    message = services.group_robot_test(actor=request.auth, robot=robot)
    message.refresh_from_db()
    return {"id": message.pk, "status": message.status}
