"""Plug-in points: how an app lower down calls the apps built on it without importing them.

Each app declares, as data on its AppConfig, the dotted paths it plugs into each point:

    class PortalConfig(AppConfig):
        plugs = {"case_status_changed": ["opiekun.portal.reactions.status_changed"]}

The app that owns a point calls `plugged("case_status_changed")` and gets the objects, in
the order of INSTALLED_APPS. The points, who owns them and what each object must be, are
listed in docs/architecture.md ("The seams of the core").
"""

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


@cache
def plugged(point: str) -> tuple[Any, ...]:
    """Everything the installed apps plug into `point`, imported once per process."""
    found: list[Any] = []
    for config in apps.get_app_configs():
        plugs: Mapping[str, Sequence[str]] = getattr(config, "plugs", {})
        for path in plugs.get(point, ()):
            try:
                found.append(import_string(path))
            except ImportError as error:
                raise ImproperlyConfigured(
                    f"{config.name} plugs {path!r} into {point!r}, which cannot be imported"
                ) from error
    return tuple(found)


def plugged_one(point: str) -> Any | None:
    """The one object plugged into `point` (e.g. the delivery of one channel), or None."""
    found = plugged(point)
    if len(found) > 1:
        raise ImproperlyConfigured(f"{len(found)} apps plug into {point!r}; one may")
    return found[0] if found else None
