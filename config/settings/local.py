"""Settings for one machine: the embedded SQLite default, ``kaoping serve`` and the demo.

DEBUG is off unless a developer asks for it (``KAOPING_DEBUG=1``). The secret key and the
ledger's chain key and the account slips' seal key are this installation's own, made once
into ``DATA_DIR`` (``keys.py``) unless ``KAOPING_SECRET_KEY`` / ``KAOPING_LEDGER_KEY`` /
``KAOPING_SLIP_KEY`` are set.
"""

from .base import *  # noqa: F403
from .base import DATA_DIR
from .environment import env
from .keys import local_key

DEBUG = env.bool("KAOPING_DEBUG", default=False)
DATA_DIR.mkdir(parents=True, exist_ok=True)
SECRET_KEY = env.str("KAOPING_SECRET_KEY", default="") or local_key(DATA_DIR, "secret-key")
KAOPING_LEDGER_KEY = env.str("KAOPING_LEDGER_KEY", default="") or local_key(DATA_DIR, "ledger-key")
KAOPING_SLIP_KEY = env.str("KAOPING_SLIP_KEY", default="") or local_key(DATA_DIR, "slip-key")
# Never "*": this machine's names (KAOPING_ALLOWED_HOSTS, default localhost and 127.0.0.1,
# from base.py); `kaoping serve --host H` adds H (kaoping/demo/management/commands/serve.py).
if "KAOPING_ALLOWED_HOSTS" not in env.ENVIRON:
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, "[::1]"]  # noqa: F405
