"""`{{ message|current_subject }}` and `{{ message|current_text }}`: see localized.py."""

from __future__ import annotations

from typing import Any

from django import template

from carewatch.platform.notify.localized import reread

register = template.Library()


@register.filter
def current_subject(message: Any) -> str:
    return reread(message)[0]


@register.filter
def current_text(message: Any) -> str:
    return reread(message)[1]
