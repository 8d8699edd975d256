"""Type aliases shared by the services and selectors of every app (no rules here)."""

from collections.abc import Callable
from typing import TypeAlias

from django.contrib.auth.models import User

# Who acts in a service: a login, or None when the system itself acts (a management
# command, a scheduled job). Pages pass ``request.user`` once they required a login; a
# selector given the anonymous visitor reads nothing (``orgs.selectors.scope_for``).
Actor: TypeAlias = User | None

# The ``progress(done, total=None, message=None)`` callback of a long check or import
# (``jobs.services.Progress``); None when nobody watches.
ProgressFn: TypeAlias = Callable[..., None] | None
