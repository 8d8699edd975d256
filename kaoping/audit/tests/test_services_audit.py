"""Every public service writes its audit row (house style: ``audit_record`` in the same
transaction), checked statically over each app's services modules (``servicewalk``)."""

import ast
import textwrap

from kaoping.audit.actions import AUDIT_ACTIONS

from .servicewalk import audit_calls, auditing_map, public_services

# "app.function" -> why it writes no audit row. Reads, pure helpers, notifications and
# the secret ballot; a new entry needs a reason as good as these.
NO_AUDIT = {
    # The audit itself.
    "audit.audit_record": "writes the row",
    "audit.audit_record_many": "writes the rows",
    # Checks and plans shown before a confirmed write (the write audits).
    "archive.profile_clean": "cleans a form's values, writes nothing",
    "archive.roster_sheet_read": "reads an uploaded sheet",
    "archive.roster_import_check": "checks a sheet before the import",
    "bundles.bundle_validate": "checks a bundle, writes nothing",
    "dues.dues_import_check": "checks a sheet before the import",
    "dues.dues_close_blocker": "why a month cannot close (a read)",
    "dues.dues_template": "builds a blank spreadsheet",
    "evaluation.paper_sheet_check": "checks a sheet before the import",
    "evaluation.paper_sheet_columns": "the sheet's columns",
    "evaluation.tally_direct_refusal": "why tallies cannot be typed in (a read)",
    "ledger.entries_sheet_check": "checks a sheet before the import",
    "meetings.meeting_close_plan": "what closing would record (a read)",
    "meetings.checkin_check": "checks a scanned code before the sign-in (which audits)",
    "schemes.deduction_rule_check": "checks a workflow's rule before its write (which audits)",
    "schemes.settings_of": "a scheme's settings as audit rows keep them (a read)",
    "publication.pending_members": "a read",
    "publication.publication_plan": "what publishing would do (a read)",
    "publication.finalisation_blockers": "why a year cannot be finalised (a read)",
    "publication.finalisation_plan": "what finalising would do (a read)",
    "unqualified.vote_outcome": "arithmetic",
    "tasks.task_year": "a read",
    "accounts.logins_candidates": "a read",
    "accounts.initial_password": "generates a password, stores nothing",
    "accounts.code_normalise": "text cleaning",
    "accounts.code_hash": "hashing",
    # Links shown in notifications.
    "claims.claim_link": "builds a URL",
    "meetings.meeting_link": "builds a URL",
    "tasks.task_link": "builds a URL",
    "unqualified.case_link": "builds a URL",
    # The secret ballot (无记名投票): no row may tie a voter to the moment of a ballot;
    # the round's steps are audited, the casting is not.
    "evaluation.ballot_cast": "secret ballot",
    "evaluation.ballot_cast_with_code": "secret ballot",
    # Their own records, not changes to the assessment.
    "notifications.notification_send": "a message to a user, not a change",
    "notifications.notification_send_many": "messages to users, not a change",
    "notifications.notifications_mark_read": "the reader's own flag",
    "notifications.notification_hook_add": "registers a hook at start-up",
    # Outbound copies of those messages: each attempt is its own record (DeliveryAttempt).
    "delivery.deliveries_plan": "copies of a notification, recorded with their attempts",
    "delivery.deliveries_enqueue": "hands copies to the task queue",
    "delivery.delivery_send": "a try, recorded as a DeliveryAttempt",
    "delivery.group_message_send": "a try, recorded as a DeliveryAttempt",
    "delivery.group_messages_enqueue": "hands group posts to the task queue",
    "delivery.deliveries_due_send": "the sweep of due copies (the queue's bookkeeping)",
    "delivery.digests_plan": "a day's digest copies, recorded with their attempts",
    "delivery.group_notice_send": "a message to a group, recorded with its attempts",
    "accounts.sign_in_record": "the sign-in log is its own record (SignIn)",
    "web.totp_device_pending": "an unconfirmed device; totp_device_confirm audits",
    # The API's stored answers to an Idempotency-Key: the write they answer audits.
    "api.idempotent_claim": "bookkeeping of a retried request; the write itself audits",
    "api.idempotent_keep": "bookkeeping of a retried request; the write itself audits",
    # Machinery of the job runner: the work it runs audits.
    "jobs.job_execute": "runs a job whose work audits",
    "jobs.confirmation_consume": "part of the caller's audited transaction",
    "accounts.slip_batches_expired_erase": "scheduled erasure of expired seals",
}


def _key(module: str, name: str) -> str:
    return f"{module.split('.')[1]}.{name}"


def test_every_public_service_writes_its_audit_row():
    audits = auditing_map()
    missing = [
        f"{module}.{name}"
        for module, name in public_services()
        if not audits[(module, name)] and _key(module, name) not in NO_AUDIT
    ]
    assert not missing, (
        "these services write no audit row (call audit_record in their transaction, "
        f"or add them to NO_AUDIT with the reason): {missing}"
    )


def test_the_allow_list_names_only_existing_services_that_write_none():
    audits = auditing_map()
    services = {_key(m, n): audits[(m, n)] for m, n in public_services()}
    stale = sorted(k for k in NO_AUDIT if k not in services)
    auditing = sorted(k for k in NO_AUDIT if services.get(k) and not k.startswith("audit."))
    assert not stale, f"NO_AUDIT names services that no longer exist: {stale}"
    assert not auditing, f"NO_AUDIT names services that do audit: {auditing}"


def test_the_walk_finds_a_service_that_forgets_its_row(tmp_path):
    """The check itself: a new service without audit is reported, one auditing through a
    helper or a worker class is not."""
    root = tmp_path / "kaoping"
    (root / "things").mkdir(parents=True)
    (root / "things" / "services.py").write_text(
        textwrap.dedent(
            """
            from kaoping.audit.services import audit_record

            def thing_create(*, actor):
                Thing.objects.create()

            def thing_close(*, actor):
                _audit(actor)

            def thing_import(*, actor):
                return _Import(actor).run()

            def _audit(actor):
                audit_record(actor=actor, action="thing.close")

            class _Import:
                def run(self):
                    audit_record(actor=None, action="thing.import")
            """
        )
    )
    audits = auditing_map(root)
    names = {n: audits[(m, n)] for m, n in public_services(root)}
    assert names == {"thing_create": False, "thing_close": True, "thing_import": True}


def _actions(expr: ast.expr) -> list[str] | None:
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return [expr.value]
    if isinstance(expr, ast.IfExp):
        body, orelse = _actions(expr.body), _actions(expr.orelse)
        return None if body is None or orelse is None else body + orelse
    return None


# Calls whose action is a parameter: their callers are checked at run time by
# audit_record (and by the services' tests).
DYNAMIC_ACTIONS = {"ledger/services.py"}


def test_every_audit_call_names_a_known_action():
    unknown, dynamic = [], []
    for path, line, expr in audit_calls():
        actions = _actions(expr)
        if actions is None:
            if path not in DYNAMIC_ACTIONS:
                dynamic.append(f"{path}:{line}")
            continue
        unknown += [f"{path}:{line} {a}" for a in actions if a not in AUDIT_ACTIONS]
    assert not unknown, f"add these actions to kaoping/audit/actions.py: {unknown}"
    assert not dynamic, f"audit calls whose action cannot be read statically: {dynamic}"
