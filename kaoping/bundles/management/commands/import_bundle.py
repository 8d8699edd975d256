import shutil
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kaoping.bundles.errors import unreadable
from kaoping.bundles.services import BundleError, BundleNotJSON, bundle_import


class Command(BaseCommand):
    help = "Import a year bundle (bundle.md), all or nothing."
    stealth_options = ("stdin",)  # call_command(stdin=...) in place of standard input

    def add_arguments(self, parser):
        parser.add_argument("file", help="the bundle's JSON file, or - for standard input")

    def handle(self, *args, file: str, **options):
        try:
            if file == "-":
                # Standard input is read once: spooled to a temporary file, then streamed.
                with tempfile.NamedTemporaryFile(suffix=".json") as spool:
                    stdin = options.get("stdin") or sys.stdin
                    if hasattr(stdin, "buffer"):
                        shutil.copyfileobj(stdin.buffer, spool)
                    else:  # a text stream (call_command(stdin=StringIO(...)))
                        spool.write(stdin.read().encode("utf-8"))
                    spool.flush()
                    summary = bundle_import(actor=None, path=Path(spool.name))
            else:
                # Streamed from the file: memory does not grow with its size.
                summary = bundle_import(actor=None, path=Path(file))
        except OSError as exc:
            raise unreadable(file, exc) from exc
        except BundleNotJSON as exc:
            raise CommandError(
                _("%(file)s：不是有效的 JSON 文件：%(error)s") % {"file": file, "error": exc}
            ) from exc
        except BundleError as exc:
            raise CommandError(
                _("%(file)s：已拒绝，未导入任何数据：\n%(errors)s") % {"file": file, "errors": exc}
            ) from exc
        self.stdout.write(
            f"imported {file}: year {summary.year}, {summary.organizations} organizations, "
            f"{summary.members} members, {summary.entries_added} entries added "
            f"({summary.entries_skipped} already there), {summary.votes} tallies, "
            f"{summary.history} history rows, {summary.decisions} decisions"
        )
