"""Reading the environment with django-environ (its casts: int, bool, list, URLs).

One change to the library: its ``$OTHER_VARIABLE`` indirection is off. A key or a password
that happens to start with ``$`` must be read as written, not looked up as another name.
"""

import os

import environ
from django.core.exceptions import ImproperlyConfigured


class Env(environ.Env):
    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        if var in self.ENVIRON:
            value = self.ENVIRON[var]
        elif default is self.NOTSET:
            raise ImproperlyConfigured(f"Set the {var} environment variable")
        elif not parse_default:
            return default
        else:
            value = default
        if cast is None and default is not None and not isinstance(default, environ.NoValue):
            cast = type(default)  # the library's "smart cast": the default's type
        return self.parse_value(value, cast)


env = Env()
env.ENVIRON = os.environ
