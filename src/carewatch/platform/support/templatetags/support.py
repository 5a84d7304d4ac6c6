from __future__ import annotations

from datetime import timedelta

from django import template

from carewatch.platform.support.figures import short_duration

register = template.Library()


@register.filter
def duration(value: timedelta | None) -> str:
    return short_duration(value)
