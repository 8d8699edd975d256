from django import template

from kaoping.archive import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def branch_exemptions(context, branch):
    """Who in the branch is exempt from what, as the page's user may see it."""
    return selectors.branch_exemptions(actor=context["request"].user, branch=branch)
