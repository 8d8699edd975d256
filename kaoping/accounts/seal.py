"""The seal of initial passwords (账号条密封): Fernet, with its key derived by HKDF from
``KAOPING_SLIP_KEY`` (kept like the ledger key: outside the database, required in
production, made once by a local installation)."""

import base64
import json

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _fernet() -> Fernet:
    secret = getattr(settings, "KAOPING_SLIP_KEY", "")
    if not secret:
        raise ImproperlyConfigured(
            "未设置 KAOPING_SLIP_KEY（账号条初始密码的加密密钥）。"
            "KAOPING_SLIP_KEY is not set (the key that seals initial passwords)."
        )
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"kaoping account slips"
    ).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def passwords_seal(passwords: dict[str, str]) -> bytes:
    return _fernet().encrypt(json.dumps(passwords).encode())


def passwords_unseal(sealed: bytes | memoryview | None) -> dict[str, str]:
    """The passwords by member code; empty if there is no seal or it cannot be opened
    (another key): the slips then show that the passwords are no longer available."""
    if sealed is None:
        return {}
    try:
        return json.loads(_fernet().decrypt(bytes(sealed)))
    except InvalidToken:
        return {}
