"""``kaoping serve``: run Kaoping on this computer."""

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
        "serves the static files). Not for production: there, run a WSGI server such as "
        "`gunicorn config.wsgi:application` with DJANGO_SETTINGS_MODULE="
        "config.settings.production (PostgreSQL, KAOPING_SECRET_KEY set, `collectstatic` run "
        "first), behind a reverse proxy that terminates HTTPS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")

    def handle(self, *args, host, port, **options):
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
