from django import template

from ..selectors import member_meetings

register = template.Library()


@register.simple_tag
def meetings_for_member(member, user):
    """Upcoming meetings and leave requests of ``member`` as ``user`` may see them."""
    return member_meetings(actor=user, member=member)
