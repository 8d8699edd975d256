"""The audit log is append-only (pgtrigger on PostgreSQL, like the ledger) and names
only known actions."""

import pytest
from django.contrib.auth.models import User
from django.db import DatabaseError

from kaoping.audit.actions import AUDIT_ACTIONS, UnknownAuditAction
from kaoping.audit.models import AuditEvent
from kaoping.audit.services import audit_record, audit_record_many
from kaoping.testing.database import assert_refused, on_postgres


@pytest.fixture
def event(district):
    return audit_record(
        actor=district.sec1, action="member.upsert", target=district.m1, after={"a": 1}
    )


def test_an_unknown_action_is_a_programming_error(district):
    assert "member.upsert" in AUDIT_ACTIONS
    with pytest.raises(UnknownAuditAction):
        audit_record(actor=district.sec1, action="member.updated", target=district.m1)
    with pytest.raises(UnknownAuditAction):
        audit_record_many(actor=district.sec1, action="no.such", rows=[])
    assert not AuditEvent.objects.filter(action__in=["member.updated", "no.such"]).exists()


@on_postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET note = 'tampered'",
        "UPDATE audit_auditevent SET actor_id = NULL, action = 'member.link_user'",
        "DELETE FROM audit_auditevent",
    ],
)
def test_postgres_refuses_raw_update_and_delete(event, sql):
    assert_refused(sql, "Cannot (update|delete)")
    event.refresh_from_db()
    assert (event.note, event.action, event.actor_id) == ("", "member.upsert", event.actor_id)


@on_postgres
def test_postgres_refuses_pointing_a_row_at_another_user(event, district):
    with pytest.raises(DatabaseError, match="Cannot (update|delete)"):
        AuditEvent.objects.filter(pk=event.pk).update(actor=district.sec2)


def test_deleting_a_user_keeps_their_rows_without_the_name(event):
    """The one change allowed: ``on_delete=SET_NULL`` when a login is deleted."""
    User.objects.filter(pk=event.actor_id).delete()
    event.refresh_from_db()
    assert event.actor_id is None and event.action == "member.upsert"
