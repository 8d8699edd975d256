"""The year's settings of the unqualified procedure (vote basis, the months of the
absence and dues conditions)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from kaoping.annotations import Actor
from kaoping.audit.services import audit_record
from kaoping.orgs.selectors import scope_for
from kaoping.schemes.models import Scheme

from ..models import (
    UnqualifiedSettings,
)


@transaction.atomic
def settings_set(
    *, actor: Actor, year: int, vote_basis: str, absence_months: int, dues_months: int
) -> UnqualifiedSettings:
    """The working committee sets the year's procedure settings."""
    if actor is not None and not scope_for(actor).is_scheme_admin:
        raise PermissionDenied(_("只有党工委管理员可以设置不合格党员处置的规则。"))
    scheme = Scheme.objects.get(year=year)
    row, _created = UnqualifiedSettings.objects.get_or_create(scheme=scheme)
    after = {"vote_basis": vote_basis, "absence_months": absence_months, "dues_months": dues_months}
    before = {name: getattr(row, name) for name in after}
    for name, value in after.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    audit_record(actor=actor, action="unqualified.settings", target=row, before=before, after=after)
    return row
