"""What the meetings' writes share: the meeting locked for a write, its year's freeze, its
link and the notice to its attendees."""

from functools import partial

from django.utils import timezone
from django.utils.translation import gettext_lazy

from kaoping.notifications.services import notification_send_many
from kaoping.orgs.selectors import manage_required
from kaoping.schemes.selectors import refuse_if_frozen

from ..models import Meeting

_require_manage = partial(manage_required, refusal=gettext_lazy("您无权管理 %(branch)s 的会议。"))


def _locked(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",)).select_related("branch").get(pk=meeting.pk)
    )


def _refuse_frozen(meeting: Meeting) -> None:
    """A meeting's attendance records entries of its year: none once that year is final."""
    refuse_if_frozen(year=timezone.localtime(meeting.starts_at).year, branch=meeting.branch)


def meeting_link(meeting: Meeting) -> str:
    return f"/meetings/{meeting.code}/"


def _attendees_tell(meeting: Meeting, users: list, notice: str) -> None:
    """Tell the attendees when, what and where (``notice``: a gettext with ``when``,
    ``kind``, ``topic`` and ``place``), linking to the meeting."""
    when = timezone.localtime(meeting.starts_at)
    facts = {
        "when": f"{when:%Y-%m-%d %H:%M}",
        "kind": meeting.get_kind_display(),
        "topic": meeting.topic,
        "place": meeting.place,
    }
    notification_send_many(users=users, text=notice % facts, link=meeting_link(meeting))
