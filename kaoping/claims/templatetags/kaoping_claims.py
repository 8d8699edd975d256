from django import template

from kaoping.schemes.models import Scheme

from ..selectors import bonus_remaining, claims_of_member

register = template.Library()


@register.simple_tag
def claims_for_member(member, user, limit=5):
    """The member's recent claims and remaining bonus cap of the newest year (2 queries)."""
    scheme = Scheme.objects.order_by("-year").first()
    return {
        "claims": claims_of_member(actor=user, member=member)[:limit],
        "remaining": bonus_remaining(member=member, scheme=scheme) if scheme else None,
        "scheme": scheme,
    }
