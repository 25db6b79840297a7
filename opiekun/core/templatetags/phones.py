"""`{% load phones %}` and `{{ number|phone }}`: an E.164 number grouped for reading."""

from django import template

from opiekun.core.phones import readable_phone

register = template.Library()


@register.filter
def phone(number: object) -> str:
    return readable_phone(str(number)) if number else ""
