"""The keys of a local installation (单机安装的密钥): made once, at random, into files of
the data directory, and read from there afterwards.

A local installation (``config.settings.local``: ``kaoping`` commands, ``kaoping serve``,
``scripts/run``) must not sign sessions or chain the ledger with a key anyone can read in
the source. Each key is a file of ``DATA_DIR`` (``var/`` by default, never committed),
readable by its owner only (0600). An environment variable, when set, wins over the file.
Production never comes here: it refuses to start without its keys (``production.py``).
"""

import contextlib
import os
import secrets
from pathlib import Path


def local_key(data_dir: Path, name: str) -> str:
    """The key kept in ``data_dir/name``, made on first use. Two processes starting at once
    agree on one key: the new key is written to a private temporary file and linked into
    place only if no key is there yet (a link never replaces a file)."""
    path = data_dir / name
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        temporary = data_dir / f".{name}.{secrets.token_hex(8)}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as file:
                file.write(secrets.token_urlsafe(48) + "\n")
            with contextlib.suppress(FileExistsError):  # another process made it first
                os.link(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    key = path.read_text(encoding="ascii").strip()
    if not key:
        raise RuntimeError(f"{path} is empty; delete it to make a new key")
    return key
