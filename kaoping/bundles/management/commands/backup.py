from django.core.management.base import BaseCommand

from kaoping.bundles.backup import backup_write


class Command(BaseCommand):
    help = "Write a backup of the whole database and the evidence files to a zip file."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        with open(file, "wb") as fh:
            counts = backup_write(fh)
        self.stdout.write(
            f"backed up {counts['records']} records and {counts['files']} files to {file}"
        )
