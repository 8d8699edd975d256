"""``kaoping serve``: run Kaoping on this computer."""

import contextlib
import socket

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from kaoping.demo.generator import DEFAULT_PASSWORD, demo_bundle, demo_logins

from .demo import existing_login_rows, logins_table


class Command(BaseCommand):
    help = (
        "在本机运行考评（单机、演示用）。Run Kaoping on this computer with Django's own "
        "server (local settings: embedded SQLite unless KAOPING_DATABASE_URL is set; DEBUG "
        "only with KAOPING_DEBUG=1; static files through WhiteNoise). Not for production: "
        "there, run a WSGI server such as `gunicorn config.wsgi:application` with "
        "DJANGO_SETTINGS_MODULE=config.settings.production (PostgreSQL, KAOPING_SECRET_KEY "
        "and KAOPING_LEDGER_KEY set, `collectstatic` run first), behind a reverse proxy that "
        "terminates HTTPS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")

    def handle(self, *args, host, port, **options):
        everywhere = host in ("0.0.0.0", "::")  # noqa: S104
        if host not in ("127.0.0.1", "localhost", "::1"):  # reachable from the network
            self.stderr.write(
                self.style.WARNING(
                    "警告：这是开发用的服务器，现在对网络上的其他计算机开放。请只在可信的网络中"
                    "使用；正式使用请按 README 部署（gunicorn、HTTPS、生产设置）。"
                    " Warning: this is a development server, now open to other computers on "
                    "the network. Use it on a trusted network only; for real use, deploy as "
                    "the README says (gunicorn, HTTPS, production settings)."
                )
            )
        settings.ALLOWED_HOSTS = _allowed_hosts(settings.ALLOWED_HOSTS, host, everywhere)
        if settings.STATIC_ROOT:
            call_command("collectstatic", interactive=False, verbosity=0)
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104
        bracketed = f"[{shown}]" if ":" in shown else shown
        self.stdout.write(
            self.style.SUCCESS(f"考评 Kaoping：打开 http://{bracketed}:{port}/ 登录")
            + f"  (open http://{bracketed}:{port}/ in a browser and log in; Ctrl-C stops)"
        )
        rows = existing_login_rows(
            demo_logins(demo_bundle(year=timezone.localdate().year)), DEFAULT_PASSWORD
        )
        if rows:
            self.stdout.write("演示账号 Demo logins:")
            self.stdout.write(logins_table(rows))
        else:
            self.stdout.write(
                "尚无演示账号：`kaoping demo` 载入演示数据，或 `kaoping createsuperuser`。"
                " No demo logins: run `kaoping demo`, or `kaoping createsuperuser`."
            )
        self.stdout.write("")
        addr = f"[{host}]" if ":" in host else host
        call_command("runserver", f"{addr}:{port}", use_reloader=False, use_threading=True)


def _allowed_hosts(configured: list[str], host: str, everywhere: bool) -> list[str]:
    """The configured names (KAOPING_ALLOWED_HOSTS or localhost) and the address served;
    on every interface, this machine's name and addresses too. Never "*"."""
    names = [*configured, f"[{host}]" if ":" in host else host]
    if everywhere:
        hostname = socket.gethostname()
        names += [hostname, socket.getfqdn()]
        # an unresolvable hostname: then KAOPING_ALLOWED_HOSTS names the machine
        with contextlib.suppress(OSError):
            names += socket.gethostbyname_ex(hostname)[2]
    return list(dict.fromkeys(n for n in names if n and n not in ("0.0.0.0", "[::]")))  # noqa: S104
