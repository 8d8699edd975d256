import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kaoping.evaluation.box import recount, round_by_code


class Command(BaseCommand):
    help = (
        "Recount a round's anonymous counted ballots (stored, or a downloaded box.json) and "
        "compare with the stored count and published tallies; exits non-zero if they differ."
    )

    def add_arguments(self, parser):
        parser.add_argument("--round", required=True, help="the round's code: BRANCH-YEAR")
        parser.add_argument("--file", help="a downloaded anonymous ballot box (JSON)")

    def handle(self, *args, **options):
        try:
            round_ = round_by_code(options["round"])
            document = None
            if options["file"]:
                with open(options["file"], encoding="utf-8") as handle:
                    document = json.load(handle)
            result = recount(round_=round_, document=document)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        except (OSError, ValueError) as exc:
            raise CommandError(_("无法读取文件：%(error)s") % {"error": exc}) from None
        if not result.agrees:
            for line in result.differences:
                self.stderr.write(line)
            raise CommandError(
                _("重新计票与记录不一致：%(n)s 处不同。") % {"n": len(result.differences)}
            )
        self.stdout.write(
            _("重新计票 %(n)s 张（无效 %(k)s 张），与计票记录一致。")
            % {"n": result.ballots, "k": result.invalid}
        )
