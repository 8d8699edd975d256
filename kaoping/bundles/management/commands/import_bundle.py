import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kaoping.bundles.services import BundleError, BundleNotJSON, bundle_import


class Command(BaseCommand):
    help = "Import a year bundle (bundle.md), all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the bundle's JSON file, or - for standard input")

    def handle(self, *args, file: str, **options):
        try:
            if file == "-":
                summary = bundle_import(actor=None, data=json.loads(self.stdin.read()))
            else:
                # Streamed from the file: memory does not grow with its size.
                summary = bundle_import(actor=None, path=Path(file))
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from exc
        except (json.JSONDecodeError, BundleNotJSON) as exc:
            raise CommandError(f"{file}: not JSON: {exc}") from exc
        except BundleError as exc:
            raise CommandError(f"{file}: refused, nothing was imported:\n{exc}") from exc
        self.stdout.write(
            f"imported {file}: year {summary.year}, {summary.organizations} organizations, "
            f"{summary.members} members, {summary.entries_added} entries added "
            f"({summary.entries_skipped} already there), {summary.votes} tallies, "
            f"{summary.history} history rows, {summary.decisions} decisions"
        )
