"""What every page needs to know of the email channel: whether the development outbox is on
(the navigation then links to it)."""

from django.http import HttpRequest

from opiekun.channels.email.outbox import outbox_enabled


def outbox(request: HttpRequest) -> dict[str, bool]:
    return {"outbox_enabled": outbox_enabled()}
