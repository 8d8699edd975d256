"""The ``kaoping`` console script: Django management commands with hyphenated names.

Every command first brings the database named by ``KAOPING_DATABASE_URL`` up to date
(creating the schema in a new, empty database), so any command works on a fresh file.
"""

import os
import sys

USAGE = """usage: kaoping COMMAND [options]

commands:
  import-bundle FILE          import a year bundle, all or nothing
  compute --year YEAR         compute (or recompute) a year's results
  results --year YEAR --json  print the results document
  export-bundle --year YEAR   print the year's bundle
  verify-ledger               check the ledger's tamper-evident chain
  recount --round BRANCH-YEAR [--file box.json]
                              recount a vote's anonymous ballots against its tallies
  backup FILE.zip             back up every record and evidence file
  restore FILE.zip            restore a backup into a new, empty database
  demo                        load a demo district (about 300 members)
  serve [--host H] [--port P] run the web application
  accounts-issue --branch CODE [--output FILE.xlsx]
                              create a branch's logins, write (or print) the slips
  db-worker                   run queued background jobs (imports, exports, recomputation)
  deliveries digest|due       plan the day's digests; enqueue the due e-mails, SMS, group posts
  createsuperuser, migrate, shell, …  any Django management command
"""

NO_MIGRATE = {"help", "--help", "-h", "makemigrations", "check", "version", "--version"}
# The data commands other systems script (bundle.md) skip Django's system checks: they
# import every URL module and add a second to each call; `serve` and `check` still run them.
SKIP_CHECKS = {"import_bundle", "compute", "results", "export_bundle", "verify_ledger", "recount"}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"help", "--help", "-h"}:
        sys.stdout.write(USAGE)
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django
    from django.core.management import call_command, execute_from_command_line

    django.setup()
    command = argv[0].replace("-", "_")
    if command not in NO_MIGRATE and command != "migrate":
        call_command("migrate", interactive=False, verbosity=0)
    extra = ["--skip-checks"] if command in SKIP_CHECKS else []
    execute_from_command_line(["kaoping", command, *argv[1:], *extra])


if __name__ == "__main__":
    main()
