from django import template

from ..selectors import acts_anywhere

register = template.Library()


@register.simple_tag
def unqualified_acts(user) -> bool:
    """Whether the procedure's pages are offered to ``user`` (no query: the scope is cached)."""
    return acts_anywhere(user)
