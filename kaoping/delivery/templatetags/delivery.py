from django import template

from kaoping.delivery.selectors import preference_of
from kaoping.delivery.selectors import robots_manageable as manageable

register = template.Library()


@register.simple_tag
def channel_preference(user):
    """The user's channels for the account page's card."""
    return preference_of(user)


@register.simple_tag(takes_context=True)
def robots_manageable(context, organization) -> bool:
    """Whether the page's user keeps ``organization``'s group robots (the branch page)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated) and manageable(
        actor=user, organization=organization
    )
