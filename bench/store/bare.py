"""The ceiling: one trivial Django view, no apps, no middleware, no database, no template.

Served by the same uvicorn setup as the two shops, so each page's share of this
view's requests/s says how much of the budget the page itself spends.
    DJANGO_SETTINGS_MODULE=bare uvicorn bare:application
"""

import os

from django.http import HttpRequest, HttpResponse
from django.urls import path

DEBUG = False
SECRET_KEY = "bench-only-not-secret"
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = __name__
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict[str, dict[str, str]] = {}
USE_TZ = True


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<!doctype html><title>ok</title><p>ok</p>")


urlpatterns = [path("", hello)]

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bare")
from django.core.asgi import get_asgi_application  # noqa: E402 - settings must be named first

application = get_asgi_application()
