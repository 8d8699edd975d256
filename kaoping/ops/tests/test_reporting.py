"""The error reporter: off unless KAOPING_SENTRY_DSN is set; nothing personal when on."""

import sentry_sdk

from kaoping.ops.reporting import _scrub, error_reporter_init


def test_off_by_default(settings):
    assert settings.KAOPING_SENTRY_DSN == ""
    assert error_reporter_init(settings.KAOPING_SENTRY_DSN) is False
    assert not sentry_sdk.get_client().dsn  # nothing could be sent anywhere


def test_configured_when_a_dsn_is_set_without_sending_anything():
    sent = []

    class Capture(sentry_sdk.transport.Transport):  # no network: events are kept here
        def capture_envelope(self, envelope):
            sent.append(envelope)

    try:
        assert error_reporter_init("https://public@127.0.0.1:9/1") is True
        client = sentry_sdk.get_client()
        assert client.is_active()
        assert client.options["send_default_pii"] is False
        assert client.options["max_request_body_size"] == "never"
        assert client.options["include_local_variables"] is False
        client.transport = Capture(client.options)
        sentry_sdk.capture_message("probe")
        sentry_sdk.flush()
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.init()  # no DSN: off again for the rest of the run
    assert not sentry_sdk.get_client().dsn
    assert sent


def test_request_bodies_cookies_and_users_are_scrubbed():
    event = {
        "request": {
            "data": {"m:M1": "unqualified"},
            "cookies": {"sessionid": "abc"},
            "query_string": "token=1",
            "headers": {"Authorization": "Bearer x", "Cookie": "a", "User-Agent": "ua"},
        },
        "user": {"id": 3, "ip_address": "10.0.0.1"},
    }
    scrubbed = _scrub(event, {})
    assert "unqualified" not in str(scrubbed) and "abc" not in str(scrubbed)
    assert "Bearer" not in str(scrubbed) and "user" not in scrubbed
    assert scrubbed["request"]["headers"]["User-Agent"] == "ua"
