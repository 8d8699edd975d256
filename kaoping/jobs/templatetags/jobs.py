from django import template

from kaoping.orgs.selectors import scope_for

register = template.Library()


@register.simple_tag
def may_run_jobs(user) -> bool:
    """Officers start imports, exports and recomputations; members do not."""
    return scope_for(user).is_staff_role


@register.simple_tag
def may_compute(user) -> bool:
    """Only a committee admin recomputes a whole year."""
    return scope_for(user).is_scheme_admin
