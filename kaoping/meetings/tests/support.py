"""What the meetings tests share: a meeting of branch B1 scheduled by its secretary."""

from kaoping.meetings.services import meeting_schedule


def a_meeting(d, starts_at, **fields):
    """A general meeting (支部党员大会) of B1 at ``starts_at``, scheduled by sec1 in the
    third-floor room to study the Party constitution, every assessed member attending (as
    ``fields`` change them: actor, branch, kind, place, topic, members)."""
    defaults = {
        "actor": d.sec1,
        "branch": d.b1,
        "kind": "general",
        "place": "三楼会议室",
        "topic": "学习党章",
    }
    return meeting_schedule(starts_at=starts_at, **(defaults | fields))
