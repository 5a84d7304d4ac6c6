"""Helpers for browser checks of single pages against pytest-django's live server in
this process (the `site` fixture in conftest.py): data made with the ORM, no subprocess
to start. Journeys use the real `carewatch` command instead (tests/platform/serving.py)."""

from __future__ import annotations

from typing import Any


def log_in_as(page: Any, site: str, user: Any) -> None:
    """A session cookie for the user, without typing a password."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": site}])
