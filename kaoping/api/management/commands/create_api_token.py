"""``kaoping create-api-token USERNAME --name NAME [--days N] [--read-only]``: create a
bearer token for the JSON API and print it. The token is stored only as a hash: this is the
one time it is shown.
``--days`` bounds its life as the "my account" page does; without it the token lasts until
it is revoked (a long-running integration), which the output says. ``--read-only``: the
token may only read (any write is a 403 ``read_only_token``)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from kaoping.api.services import api_token_create

MAX_DAYS = 3650


class Command(BaseCommand):
    help = "Create an API bearer token for a user and print it (shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="what the token is for")
        parser.add_argument(
            "--days",
            type=int,
            help=f"days until the token expires (1-{MAX_DAYS}); without it, until revoked",
        )
        parser.add_argument(
            "--read-only", action="store_true", help="the token may read but never write"
        )

    def handle(self, *args, **options):
        User = get_user_model()  # noqa: N806
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: options["username"]})
        except User.DoesNotExist as exc:
            raise CommandError(
                _("没有名为“%(username)s”的用户。") % {"username": options["username"]}
            ) from exc
        days = options["days"]
        if days is not None and not 1 <= days <= MAX_DAYS:
            raise CommandError(_("有效天数须在 1 到 %(max)s 之间。") % {"max": MAX_DAYS})
        expires_at = timezone.now() + timedelta(days=days) if days is not None else None
        try:
            token, raw = api_token_create(
                actor=None,
                user=user,
                name=options["name"],
                expires_at=expires_at,
                read_only=options["read_only"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(raw)
        self.stderr.write(
            f"token {token.prefix}… '{token.name}' for {user.get_username()}, "
            + ("read-only, " if token.read_only else "")
            + (
                f"valid until {timezone.localtime(expires_at):%Y-%m-%d %H:%M}"
                if expires_at
                else "valid until revoked"
            )
            + ": store it now, it cannot be shown again"
        )
