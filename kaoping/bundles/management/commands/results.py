import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kaoping.schemes.selectors import scheme_for_year
from kaoping.scoring.selectors import results_document


class Command(BaseCommand):
    help = "Print a year's stored results (run compute first)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--json", action="store_true", help="print the results document")

    def handle(self, *args, year: int, json: bool, **options):
        if scheme_for_year(year) is None:
            raise CommandError(_("%(year)s 年度还没有考评方案。") % {"year": year})
        doc = results_document(year=year)
        if json:
            self.stdout.write(_dumps(doc))
            return
        for m in doc["members"]:
            self.stdout.write(
                f"{m['branch']:<10} {m['member']:<12} {m['composite'] or '-':>10} "
                f"{m['rank'] if m['rank'] is not None else '-':>4} {m['grade']:<10} "
                f"{' '.join(m['flags'])}"
            )


def _dumps(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1)
