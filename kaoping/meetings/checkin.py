"""The rotating check-in code (扫码签到), pure: a token signs a meeting's code and a time
step of ``STEP_SECONDS``; a token is good for its step and the one after it, so a photo
of the projector sent to someone elsewhere stops working within a minute.

The signature is Django's ``Signer`` (HMAC-SHA256 keyed by ``settings.SECRET_KEY`` with
this module's own salt): no key of its own to keep, nothing stored per token. Time is
always passed in, so the tests (and the API) decide which moment a token is read at.
"""

import datetime
import enum
import io

import qrcode
import qrcode.image.svg
from django.core import signing
from django.utils.html import escape

STEP_SECONDS = 30
SALT = "kaoping.meetings.checkin"
# A member who scanned a good code and then had to log in keeps the moment of the scan
# for this long (in their session), so a slow login does not turn into "expired".
LOGIN_GRACE = datetime.timedelta(minutes=5)


class Refusal(enum.Enum):
    INVALID = "invalid"  # not a token of ours (typed, cut, forged)
    FOREIGN = "foreign"  # a good token of another meeting
    EXPIRED = "expired"  # older than the previous step (or from the future)


def time_step(at: datetime.datetime) -> int:
    return int(at.timestamp()) // STEP_SECONDS


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT)


def checkin_token(code: str, step: int) -> str:
    """The token of meeting ``code`` for time step ``step``."""
    return _signer().sign(f"{code}.{step}")


def token_current(code: str, at: datetime.datetime) -> str:
    return checkin_token(code, time_step(at))


def token_refusal(token: str, *, code: str, at: datetime.datetime) -> Refusal | None:
    """Why ``token`` does not sign in to meeting ``code`` at ``at`` (None: it does)."""
    try:
        value = _signer().unsign(token.strip())
    except signing.BadSignature:
        return Refusal.INVALID
    token_code, _dot, step_text = value.rpartition(".")
    if not step_text.isdigit():
        return Refusal.INVALID
    if token_code != code:
        return Refusal.FOREIGN
    if time_step(at) - int(step_text) not in (0, 1):
        return Refusal.EXPIRED
    return None


def token_meeting(token: str) -> str | None:
    """The meeting code a genuine token names (None for anything else)."""
    try:
        value = _signer().unsign(token.strip())
    except signing.BadSignature:
        return None
    return value.rpartition(".")[0] or None


def seconds_left(at: datetime.datetime) -> int:
    """Seconds until the code shown at ``at`` changes."""
    return STEP_SECONDS - int(at.timestamp()) % STEP_SECONDS


def qr_svg(text: str, *, label: str) -> str:
    """``text`` as an SVG QR code made on the server (the CSP forbids inline style and
    script: the SVG has neither), as on the two-factor enrolment page."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    svg = svg[svg.index("<svg") :]
    assert "style=" not in svg and "<script" not in svg
    return svg.replace(
        "<svg ", f'<svg class="qr qr-big" role="img" aria-label="{escape(label)}" ', 1
    )
