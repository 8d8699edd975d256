"""The cryptography of the sealed ballot, and nothing else (no database, no logging).

- The vote key: a random 16-byte seed; the X25519 private key is HKDF-SHA256 of the seed
  (``cryptography``), the public key is stored with the round.
- The seed is split with pycryptodome's Shamir secret sharing (16-byte secrets, GF(2^128)),
  threshold 2; each share is written as text for its scrutineer and never stored.
- A ballot is sealed with libsodium's sealed box (pynacl ``SealedBox``: X25519 + XSalsa20-
  Poly1305 with an ephemeral key) after padding to a length that depends on the round
  only, so the size of a ciphertext says nothing about the marks.

See docs/decisions.md for why (server-side sealing, the share format, what is stored)."""

import base64
import hashlib
import json
import math
from dataclasses import dataclass

import nacl.utils
from Crypto.Protocol.SecretSharing import Shamir
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

SEED_BYTES = 16
KEY_INFO = b"kaoping vote key v1"
SHARE_GROUP = 4
PAD_BLOCK = 256


class ShareError(ValueError):
    """A share text that cannot be read (wrong length or characters)."""


@dataclass(frozen=True)
class Share:
    position: int
    secret: bytes  # 16 bytes

    @property
    def text(self) -> str:
        body = base64.b32encode(self.secret).decode().rstrip("=")
        groups = [body[i : i + SHARE_GROUP] for i in range(0, len(body), SHARE_GROUP)]
        return "-".join([str(self.position), *groups])


def _private_key(seed: bytes) -> PrivateKey:
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=KEY_INFO).derive(seed)
    return PrivateKey(raw)


def new_vote_key(holders: int, threshold: int) -> tuple[str, list[Share]]:
    """A fresh key pair: (public key hex, shares of the private key, one per holder)."""
    seed = nacl.utils.random(SEED_BYTES)  # libsodium randombytes
    public = _private_key(seed).public_key.encode().hex()
    shares = [Share(i, s) for i, s in Shamir.split(threshold, holders, seed)]
    del seed
    return public, shares


def parse_share(text: str) -> Share:
    """Read a share as typed: spaces and dashes anywhere, any case."""
    normal = "".join(ch for ch in text.upper() if ch.isalnum())
    if len(normal) < 2 or not normal[0].isdigit():
        raise ShareError(text)
    body = normal[1:]
    try:
        secret = base64.b32decode(body + "=" * (-len(body) % 8))
    except ValueError as exc:
        raise ShareError(text) from exc
    if len(secret) != SEED_BYTES:
        raise ShareError(text)
    return Share(int(normal[0]), secret)


def share_hash(round_id: int, share: Share) -> str:
    """What is stored of a share: a share is 128 uniformly random bits (any single
    Shamir share of a random secret is), so its hash cannot be searched back."""
    data = f"kaoping-share:{round_id}:{share.position}:".encode() + share.secret
    return hashlib.sha256(data).hexdigest()


def rebuild_key(shares: list[Share], public_hex: str) -> PrivateKey | None:
    """The private key from enough shares, or None if it does not match the public key."""
    seed = Shamir.combine([(s.position, s.secret) for s in shares])
    key = _private_key(seed)
    del seed
    if key.public_key.encode().hex() != public_hex:
        return None
    return key


def _padded_size(candidates: list[str], options: list[str]) -> int:
    longest = max((len(o.encode()) for o in options), default=0)
    widest = encode_marks(dict.fromkeys(candidates, "x" * longest))
    return PAD_BLOCK * math.ceil((len(widest) + 1) / PAD_BLOCK)


def encode_marks(marks: dict[str, str]) -> bytes:
    return json.dumps({"marks": marks}, sort_keys=True, separators=(",", ":")).encode()


def seal(public_hex: str, marks: dict[str, str], candidates: list[str], options: list[str]):
    """(ciphertext as base64 text, receipt = SHA-256 hex of the ciphertext bytes)."""
    plain = encode_marks(marks)
    plain += b" " * (_padded_size(candidates, options) - len(plain))
    box = SealedBox(PublicKey(bytes.fromhex(public_hex)))
    ciphertext = box.encrypt(plain)
    return base64.b64encode(ciphertext).decode(), hashlib.sha256(ciphertext).hexdigest()


def unseal(key: PrivateKey, ciphertext: str) -> dict | None:
    """The marks of a sealed ballot, or None when it does not decrypt or is no ballot."""
    try:
        plain = SealedBox(key).decrypt(base64.b64decode(ciphertext, validate=True))
        marks = json.loads(plain.decode())["marks"]
    except (CryptoError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None
    if not isinstance(marks, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in marks.items()
    ):
        return None
    return marks
