"""Settings for one machine: the embedded SQLite default, ``kaoping serve`` and the demo."""

import os

from .base import *  # noqa: F403
from .base import DATA_DIR

DEBUG = os.environ.get("KAOPING_DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("KAOPING_SECRET_KEY") or "local-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]
DATA_DIR.mkdir(parents=True, exist_ok=True)
