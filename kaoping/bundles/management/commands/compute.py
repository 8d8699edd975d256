from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kaoping.scoring.services import results_compute


class Command(BaseCommand):
    help = "Compute (or recompute) a year's results and store them."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args, year: int, **options):
        try:
            count = results_compute(actor=None, year=year, progress=self._progress)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"computed {year}: {count} members")

    def _progress(self, done: int, total: int, message: str) -> None:
        # One line per batch of branches, so a long recomputation shows it is moving.
        self.stdout.write(f"[{done}/{total}] {message}")
