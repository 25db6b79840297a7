"""`{% load durations %}` and `{{ seconds|duration }}`: "4 min 05 s"."""

from django import template

from opiekun.core.durations import format_duration

register = template.Library()


@register.filter
def duration(seconds: object) -> str:
    return format_duration(int(seconds)) if isinstance(seconds, int | float) else ""
