from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kaoping.bundles.backup import RestoreError, backup_restore
from kaoping.bundles.errors import unreadable


class Command(BaseCommand):
    help = "Restore a backup zip into a new, empty database (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        try:
            with open(file, "rb") as fh:
                counts = backup_restore(fh)
        except OSError as exc:
            raise unreadable(file, exc) from exc
        except RestoreError as exc:
            raise CommandError(
                _("%(file)s：%(error)s；未恢复任何数据。") % {"file": file, "error": exc}
            ) from exc
        self.stdout.write(f"restored {counts['records']} records and {counts['files']} files")
