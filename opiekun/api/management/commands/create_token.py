"""`opiekun create_token USERNAME [--name NAME]`: print a new personal API token once."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from opiekun.accounts.models import User
from opiekun.api.services import issue_token


class Command(BaseCommand):
    help = "Create a personal API token for a staff user and print it (it is shown only once)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for, e.g. 'CRM sync'.")

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(
                _("No staff user is called “%(username)s”.") % {"username": username}
            )
        if not user.is_active:
            raise CommandError(
                _("“%(username)s” is not active; tokens of inactive users are refused.")
                % {"username": username}
            )
        _token, raw = issue_token(user, name=name)
        self.stderr.write(
            _("Token for %(user)s (shown once; store it now):") % {"user": user.username}
        )
        self.stdout.write(raw)
