"""The tamper-evident chain of the ledger (防篡改链): each entry's hash covers its own
content and the hash of the entry before it in the same chain (one chain per year and
branch at recording time). The hash is an HMAC keyed by ``KAOPING_LEDGER_KEY``, which
lives in the settings, not in the database, so someone who can only write to the
database cannot forge a consistent chain."""

import hmac
import json
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def chain_key(year: int, branch_code: str) -> str:
    return f"{year}/{branch_code}"


class EntryContent(NamedTuple):
    """What the hash covers, in this order: codes, not database ids, so a chain survives
    a restore. (A named tuple: an import builds one per entry, at a third of a frozen
    dataclass's cost.)"""

    code: str
    year: int
    member: str
    item: str
    date: str
    occurrences: int
    points: str
    reverses: str
    source: str
    note: str
    evidence: str


def ledger_key() -> bytes:
    """The chain's key, from the settings only: never derived from ``SECRET_KEY`` (a
    rotated secret key must not break the chain, and a public default must not sign it).
    Production requires it; a local installation makes its own (config/settings/keys.py)."""
    key = getattr(settings, "KAOPING_LEDGER_KEY", "")
    if not key:
        raise ImproperlyConfigured(
            "未设置 KAOPING_LEDGER_KEY（评分台账防篡改链的密钥）。"
            "KAOPING_LEDGER_KEY is not set (the key of the ledger's tamper-evident chain)."
        )
    return key.encode()


# One encoder for every hash (json.dumps with options builds a new one per call).
_payload = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def entry_hash(previous: str, content: EntryContent, *, key: bytes | None = None) -> str:
    payload = _payload([previous, *content])
    # hmac.digest: OpenSSL's one-shot HMAC, the same digest as hmac.new(...).hexdigest().
    return hmac.digest(key or ledger_key(), payload.encode(), "sha256").hex()
