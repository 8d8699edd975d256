"""The optional error reporter (Sentry or a compatible server such as GlitchTip): on only
when KAOPING_SENTRY_DSN is set. Nothing personal is sent: no user, no address, no cookie,
no request body (a ballot or a password must never leave the server), no local variables."""

import sentry_sdk

SCRUBBED = "[scrubbed]"


def _scrub(event: dict, _hint: dict) -> dict:
    request = event.get("request") or {}
    for field in ("data", "cookies", "query_string"):
        if field in request:
            request[field] = SCRUBBED
    headers = request.get("headers") or {}
    for name in list(headers):
        if name.lower() in {"authorization", "cookie", "x-csrftoken"}:
            headers[name] = SCRUBBED
    event.pop("user", None)
    return event


def error_reporter_init(dsn: str) -> bool:
    """Starts the reporter when a DSN is given; True when it is on."""
    if not dsn:
        return False
    sentry_sdk.init(
        dsn=dsn,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        before_send=_scrub,
        traces_sample_rate=0,
    )
    return True
