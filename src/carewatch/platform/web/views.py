from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language


def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "web/landing.html")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's switcher, plus remembering the choice on the account for our e-mails."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in {"en", "hi", "ta"}:
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@cache_control(max_age=3600)
def manifest(request: HttpRequest) -> JsonResponse:
    data = {
        "name": "CareWatch",
        "short_name": "CareWatch",
        "description": _("Child safety and diabetic eye screening"),
        "start_url": "/home/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#00766c",
        "icons": [{"src": static("img/logo.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return JsonResponse(data, content_type="application/manifest+json")


def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from the site root so its scope covers every page."""
    path = finders.find("js/sw.js")
    body = Path(path).read_text(encoding="utf-8") if isinstance(path, str) else ""
    response = HttpResponse(body, content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


def offline(request: HttpRequest) -> HttpResponse:
    return render(request, "web/offline.html")
