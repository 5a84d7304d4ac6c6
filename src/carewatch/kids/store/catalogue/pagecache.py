"""Catalogue pages for anonymous visitors, rendered once and served from the cache.

A stored page lives FRESH_S seconds and belongs to a generation of the catalogue.
Saving or deleting a product, a category or anything of the reviews app (a review,
an answer, a vote) starts a new generation at once (signals in apps.py), so staff
edits and new reviews show on the next request. Changes made by queryset updates,
which send no signal (checkout taking stock, a refund putting it back), show within
FRESH_S seconds; orders never rely on a page's stock, the basket and checkout read
it again. With the in-memory cache (no REDIS_URL) each process keeps its own pages
and generation, so a save made in another process also shows within FRESH_S. Page
keys carry a per-process salt, so a new deployment never serves HTML rendered by
older templates from a shared cache.

Only visitors without a session get stored pages (so anonymous, with no messages
waiting): the one per-visitor part of such a page is the CSRF token, which is cut out
when storing and replaced by the visitor's own token on the way out.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

FRESH_S = 2
SALT = secrets.token_hex(4)
# Shared by every process on a shared cache (Redis), so a save anywhere renews it for all.
GENERATION_KEY = "store:generation"
WATCHED_APPS = ("catalogue", "reviews")
# Never produced by a template: NUL cannot appear in our HTML output.
TOKEN_HOLE = "\x00csrf\x00"
# A masked CSRF token: 64 letters and digits (django.middleware.csrf.CSRF_TOKEN_LENGTH).
_MASKED_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


def digest(objects: Iterable[Model]) -> str:
    """Changes whenever a field or an annotation (a rating, say) of any of the objects does."""
    sha = hashlib.sha256()
    for obj in objects:
        values = sorted((k, v) for k, v in vars(obj).items() if not k.startswith("_"))
        sha.update(repr(values).encode())
    return sha.hexdigest()[:24]


def fragment_key(*parts: object) -> str:
    """For `{% cache %}` fragments: the salt plus what the fragment shows."""
    return ":".join([SALT, *map(str, parts)])


def generation() -> str:
    current = cache.get(GENERATION_KEY)
    if current is None:
        current = secrets.token_hex(6)
        cache.add(GENERATION_KEY, current, None)
        current = cache.get(GENERATION_KEY, current)
    return str(current)


def new_generation(**_: object) -> None:
    """Connected to the watched models' post_save and post_delete in apps.py."""
    cache.set(GENERATION_KEY, secrets.token_hex(6), None)


def unmask(token: str) -> str:
    """The secret behind a masked CSRF token, as django.middleware.csrf unmasks it."""
    mask, cipher = token[:CSRF_SECRET_LENGTH], token[CSRF_SECRET_LENGTH:]
    chars = CSRF_ALLOWED_CHARS
    return "".join(
        chars[chars.index(c) - chars.index(m)] for c, m in zip(cipher, mask, strict=True)
    )


def cut_tokens(html: str, secret: str) -> str:
    """The page with every CSRF token of this secret replaced by TOKEN_HOLE."""
    return _MASKED_TOKEN.sub(
        lambda m: TOKEN_HOLE if unmask(m.group()) == secret else m.group(), html
    )


def shared_page_allowed(request: HttpRequest) -> bool:
    """No session means anonymous with no messages: the page is the same for everyone."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def fragment(request: HttpRequest, key: str, timeout: int, render: Callable[[], str]) -> SafeString:
    """A part of a page stored under `key` with this visitor's CSRF tokens cut out, as
    whole pages are: every visitor gets it back with their own token. The key must name
    everything the part shows (rows, generation, language, who is signed in)."""
    html = cache.get(key)
    if html is None:
        html = render()
        secret = request.META.get("CSRF_COOKIE")
        if not secret:
            return mark_safe(html)
        html = cut_tokens(html, secret)
        cache.set(key, html, timeout)
    # Our own template's output, stored as rendered (autoescaped) HTML.
    return mark_safe(html.replace(TOKEN_HOLE, get_token(request)) if TOKEN_HOLE in html else html)


def serve(request: HttpRequest, name: str, render: Callable[[], HttpResponse]) -> HttpResponse:
    """The stored page `name` for this language and path, else `render()`, stored."""
    if not shared_page_allowed(request):
        return render()
    language = translation.get_language() or settings.LANGUAGE_CODE
    parts = f"{name}:{language}:{request.get_full_path()}:{generation()}"
    key = f"store:page:{SALT}:{hashlib.sha256(parts.encode()).hexdigest()[:32]}"
    html = cache.get(key)
    if html is not None:
        return HttpResponse(html.replace(TOKEN_HOLE, get_token(request)))
    response = render()
    secret = request.META.get("CSRF_COOKIE")
    if response.status_code == 200 and secret:
        cache.set(key, cut_tokens(response.content.decode(), secret), FRESH_S)
    return response
