from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest

from carewatch.platform.help.articles import BadArticle, library
from carewatch.platform.help.views import visitor_language

log = logging.getLogger(__name__)


def page_help(request: HttpRequest) -> dict[str, Any]:
    """The help article that explains the page being shown, for the base template's link.
    A broken help file (the tests catch it first) costs the link, never the page."""
    try:
        return {"page_help": library().for_page(request.path, visitor_language())}
    except BadArticle:
        log.exception("The help articles could not be read; pages show no Help link.")
        return {"page_help": None}
