from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from carewatch.platform.help.articles import library
from carewatch.platform.help.views import visitor_language


def page_help(request: HttpRequest) -> dict[str, Any]:
    """The help article that explains the page being shown, for the base template's link."""
    return {"page_help": library().for_page(request.path, visitor_language())}
