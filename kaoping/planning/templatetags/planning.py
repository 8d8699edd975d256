from django import template

from kaoping.planning.selectors import may_plan

register = template.Library()


@register.simple_tag
def user_may_plan(user) -> bool:
    return may_plan(actor=user)
