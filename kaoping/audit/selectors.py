from django.db.models import QuerySet

from kaoping.annotations import Actor

from .models import AuditEvent


def audit_events_visible(*, actor: Actor, action: str = "") -> QuerySet[AuditEvent]:
    """The audit log, for committee admins only (everyone else gets nothing)."""
    from kaoping.orgs.selectors import scope_for  # orgs sits above audit

    if not scope_for(actor).is_scheme_admin:
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.select_related("actor").order_by("-at", "-id")
    return qs.filter(action__startswith=action) if action else qs
