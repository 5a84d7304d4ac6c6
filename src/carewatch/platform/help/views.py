"""The help pages: a thin shell over the pure loader, renderer and search."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from carewatch.platform.help import search as help_search
from carewatch.platform.help.articles import DEFAULT_LANGUAGE, LANGUAGES, SERVICES, library
from carewatch.platform.help.render import article_html

SERVICE_NAMES = {
    "kids": _("The kids' tracker"),
    "shop": _("The shop"),
    "eyes": _("Eye screening"),
    "account": _("Your account"),
}
assert set(SERVICE_NAMES) == set(SERVICES)


def visitor_language() -> str:
    code = (get_language() or DEFAULT_LANGUAGE).split("-")[0]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    articles = library().in_language(visitor_language())
    by_service = [
        (SERVICE_NAMES[service], [a for a in articles if a.service == service])
        for service in SERVICES
    ]
    return render(request, "help/index.html", {"services": by_service})


@require_GET
def article(request: HttpRequest, service: str, slug: str) -> HttpResponse:
    lang = visitor_language()
    found = library().find(lang, service, slug)
    if found is None:
        raise Http404("No such help article.")
    context = {
        "article": found,
        "service_name": SERVICE_NAMES.get(found.service, ""),
        "body": mark_safe(article_html(found)),  # noqa: S308 - raw HTML is escaped by render
        "fallback": found.lang != lang,
        "sections": [p for p in found.passages if p.anchor],
    }
    return render(request, "help/article.html", context)


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[: help_search.MAX_QUERY_CHARS].strip()
    hits = help_search.index().search(query, visitor_language()) if query else []
    return render(request, "help/search.html", {"query": query, "hits": hits})
