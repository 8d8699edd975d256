from django import template

from kaoping.onboarding.selectors import setup_needed
from kaoping.orgs.selectors import scope_for

register = template.Library()


@register.simple_tag
def user_setup_link(user) -> bool:
    """The guide in the menu for a superuser or a user with no role yet. Officers reach it
    through the home page, which redirects there: their pages pay no query for it."""
    scope = scope_for(user)
    if scope.read_paths or scope.member_id is not None:
        return False
    return setup_needed(actor=user)
