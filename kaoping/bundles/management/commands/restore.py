from django.core.management.base import BaseCommand, CommandError

from kaoping.bundles.backup import RestoreError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup zip into a new, empty database (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        try:
            with open(file, "rb") as fh:
                counts = backup_restore(fh)
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from exc
        except RestoreError as exc:
            raise CommandError(f"{file}: {exc}; nothing was restored") from exc
        self.stdout.write(f"restored {counts['records']} records and {counts['files']} files")
