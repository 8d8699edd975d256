"""What may be posted to a work group: a ``GroupNotice`` (what is to be done, by when,
and where), a type with no field for a person, a score, a vote or a ballot; group
messages are made only from it (``services.group_notice_send``)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from kaoping.kit.text import TITLE_MAX


@dataclass(frozen=True)
class GroupNotice:
    """ "Who should do what by when" for a whole group: ``what`` names the work (a meeting
    to attend, dues to pay, a task to finish), ``due`` the deadline, ``link`` the page."""

    what: str
    due: datetime.date | datetime.datetime | None = None
    link: str = ""

    def title(self) -> str:
        return self.what[:TITLE_MAX]

    def text(self) -> str:
        lines = [f"**{self.what[:TITLE_MAX]}**"]
        if isinstance(self.due, datetime.datetime):
            lines.append(_("截止时间：%(due)s") % {"due": f"{self.due:%Y-%m-%d %H:%M}"})
        elif self.due is not None:
            lines.append(_("截止日期：%(due)s") % {"due": self.due.isoformat()})
        if self.link:
            lines.append(absolute(self.link))
        return "\n\n".join(lines)


def absolute(link: str) -> str:
    """A page of the site as a whole address when ``KAOPING_SITE_URL`` is set."""
    if link.startswith("/") and settings.KAOPING_SITE_URL:
        return settings.KAOPING_SITE_URL + link
    return link
