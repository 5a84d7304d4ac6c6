"""Sections the services add to the profile page ("My CareWatch"): the shop's offers and
e-mail choices, for instance. Each is named in settings.PROFILE_SECTIONS as the dotted
path of a function taking the request and returning HTML (or "" for nothing), so the
platform shows them without importing Kids or Eyes."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe


def profile_sections(request: HttpRequest) -> list[SafeString]:
    rendered = (import_string(path)(request) for path in settings.PROFILE_SECTIONS)
    return [mark_safe(html) for html in rendered if html]  # noqa: S308 - rendered templates
