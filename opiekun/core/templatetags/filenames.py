"""`{% load filenames %}`: `{{ name|filename }}` (sanitised, even for names stored before the
sanitiser knew about bidirectional controls) and `{{ name|extension }}` (the real one)."""

from django import template

from opiekun.core.files import real_extension, safe_filename

register = template.Library()


@register.filter
def filename(name: object) -> str:
    return safe_filename(str(name or ""))


@register.filter
def extension(name: object) -> str:
    return real_extension(str(name or ""))
