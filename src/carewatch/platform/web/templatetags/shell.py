"""The layout's cache key (base.html caches its unchanging parts per process)."""

from __future__ import annotations

import secrets

from django import template

register = template.Library()

# New with every process, so a new deployment never reuses the layout's fragments (static
# file names, links) from a shared cache; not a context processor, so that pages rendered
# without a request (error pages) name it too.
SHELL_KEY = secrets.token_hex(4)


@register.simple_tag
def shell_key() -> str:
    return SHELL_KEY
