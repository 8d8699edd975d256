from django import template

from kaoping.orgs.selectors import scope_for
from kaoping.publication.selectors import member_appeals, member_published, publication_of

register = template.Library()


@register.inclusion_tag("publication/_member_card.html")
def member_publication(user, member, scheme):
    """The member page's card: the published result, its breakdown, and appeals."""
    publication = publication_of(branch=member.branch, year=scheme.year) if scheme else None
    if publication is None:
        return {"publication": None}
    return {
        "publication": publication,
        "result": member_published(member=member, year=scheme.year),
        "appeals": list(member_appeals(member=member, year=scheme.year)),
        "member": member,
        "scheme": scheme,
        "is_self": scope_for(user).member_id == member.pk,
    }
