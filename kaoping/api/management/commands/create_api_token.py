"""``kaoping create-api-token USERNAME --name NAME``: create a bearer token for the JSON API
and print it. The token is stored only as a hash: this is the one time it is shown."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kaoping.api.services import api_token_create


class Command(BaseCommand):
    help = "Create an API bearer token for a user and print it (shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="what the token is for")

    def handle(self, *args, **options):
        User = get_user_model()  # noqa: N806
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: options["username"]})
        except User.DoesNotExist as exc:
            raise CommandError(
                _("没有名为“%(username)s”的用户。") % {"username": options["username"]}
            ) from exc
        try:
            token, raw = api_token_create(actor=None, user=user, name=options["name"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(raw)
        self.stderr.write(
            f"token {token.prefix}… '{token.name}' for {user.get_username()}: "
            "store it now, it cannot be shown again"
        )
