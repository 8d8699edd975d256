import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kaoping.bundles.selectors import bundle_export
from kaoping.schemes.selectors import scheme_for_year


class Command(BaseCommand):
    help = "Print a year bundle that imports back to the same results."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args, year: int, **options):
        if scheme_for_year(year) is None:
            raise CommandError(_("%(year)s 年度还没有考评方案。") % {"year": year})
        self.stdout.write(json.dumps(bundle_export(year=year), ensure_ascii=False, indent=1))
