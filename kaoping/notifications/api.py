"""Notifications (站内通知) in the API: the inbox page (``notifications:inbox``) and its
"mark all read" action (``notifications:mark_read``), through the same selectors and
service; one's own notifications only (anyone else's is a 404, as a missing one)."""

import datetime
from typing import Annotated

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from kaoping.api.auth import AuthedRequest
from kaoping.api.common import READ_ERRORS, WRITE_ERRORS
from kaoping.api.pagination import Cursor
from kaoping.kit.urlparams import SQL_INT_MAX

from . import selectors, services

router = Router(tags=["notifications"])

NotificationId = Annotated[int, Field(ge=1, le=SQL_INT_MAX)]


class NotificationOut(Schema):
    id: int
    text: str
    link: str  # a page of the application ("" for none)
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class UnreadOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int  # how many were unread and are now read


@router.get("/me/notifications", response={200: list[NotificationOut], **READ_ERRORS})
@paginate(Cursor)
def my_notifications(request: AuthedRequest, unread: bool | None = None):
    """The user's notifications, the newest first (cursor paging); ``unread=true``: only
    those not read yet, ``unread=false``: only those read."""
    notifications = selectors.notifications_for(actor=request.auth)
    if unread is not None:
        notifications = notifications.filter(read_at__isnull=unread)
    return notifications


@router.get("/me/notifications/unread-count", response={200: UnreadOut, **READ_ERRORS})
def my_unread_count(request: AuthedRequest):
    """How many of the user's notifications are unread (the count in the pages' header)."""
    return {"unread": selectors.unread_count(actor=request.auth)}


@router.post("/me/notifications/read", response={200: MarkedOut, **WRITE_ERRORS})
def my_notifications_mark_read(request: AuthedRequest):
    """Mark all the user's notifications read (the inbox's button)."""
    return {"marked": services.notifications_mark_read(actor=request.auth)}


@router.post("/me/notifications/{id}/read", response={200: NotificationOut, **WRITE_ERRORS})
def my_notification_mark_read(request: AuthedRequest, id: NotificationId):
    """Mark one of the user's notifications read (already read: unchanged)."""
    notification = selectors.notification_of(actor=request.auth, pk=id)
    services.notifications_mark_read(actor=request.auth, ids=[notification.pk])
    notification.refresh_from_db()
    return notification
