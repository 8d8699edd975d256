from django import template

from kaoping.evaluation.selectors import member_tasks

register = template.Library()


@register.inclusion_tag("evaluation/_member_card.html")
def member_evaluation(user, member, scheme):
    """The member page's card: what the member must do now in the year's evaluation."""
    tasks = member_tasks(actor=user, member=member, year=scheme.year) if scheme else None
    return {"tasks": tasks, "member": member, "scheme": scheme, "user": user}
