"""Catalogue pages rendered once and served from the cache.

Keys are made of what a page shows, read fresh on every request: the language, the
path and a digest of the rows the view has just read. A change of stock or price by
any route (the admin, checkout's and refunds' queryset updates, raw SQL) gives a new
key at once, so there is no invalidation to forget; stale entries simply expire.
Keys also carry a per-process salt, so a new deployment never serves HTML rendered
by older templates from a shared cache.

Whole pages are cached only for visitors without a session (so anonymous, with no
messages waiting): the only per-visitor part of such a page is the CSRF token, which
is cut out when storing and replaced by the visitor's own token on the way out.
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

TIMEOUT_S = 3600
STAMP_S = 2
SALT = secrets.token_hex(4)
LIST_STAMP_KEY = f"store:list-stamp:{SALT}"
# Never produced by a template: NUL cannot appear in our HTML output.
TOKEN_HOLE = "\x00csrf\x00"
LIVE_HOLE = "\x00live\x00"
# A masked CSRF token: 64 letters and digits (django.middleware.csrf.CSRF_TOKEN_LENGTH).
_MASKED_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


def digest(objects: Iterable[Model]) -> str:
    """Changes whenever a field or an annotation (a rating, say) of any of the objects does."""
    sha = hashlib.sha256()
    for obj in objects:
        values = sorted((k, v) for k, v in vars(obj).items() if not k.startswith("_"))
        sha.update(repr(values).encode())
    return sha.hexdigest()[:24]


def list_stamp(read: Callable[[], list[Model]]) -> tuple[str, list[Model] | None]:
    """The digest of the unfiltered list, and the rows when they had to be read for it.

    Read at most once every STAMP_S seconds, so most visitors cost no query at all;
    staff edits drop the stamp at once (signals in apps.py), changes made by queryset
    updates (checkout, refunds) show within STAMP_S seconds.
    """
    stamp = cache.get(LIST_STAMP_KEY)
    if stamp is not None:
        return stamp, None
    rows = read()
    stamp = digest(rows)
    cache.set(LIST_STAMP_KEY, stamp, STAMP_S)
    return stamp, rows


def forget_list_stamp(**_: object) -> None:
    cache.delete(LIST_STAMP_KEY)


def fragment_key(*parts: object) -> str:
    """For `{% cache %}` fragments: the salt plus what the fragment shows."""
    return ":".join([SALT, *map(str, parts)])


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


def live_part(name: str) -> tuple[str, str]:
    """The comments around a part rendered for every request, as its template writes them."""
    return f"<!--live:{name}-->", f"<!--/live:{name}-->"


def cut_live_part(html: str, name: str) -> str | None:
    """The page with the live part `name` replaced by LIVE_HOLE; None when it is not there."""
    start, end = live_part(name)
    head, found, rest = html.partition(start)
    if not found or end not in rest:
        return None
    return head + LIVE_HOLE + rest.partition(end)[2]


def serve(
    request: HttpRequest,
    name: str,
    content: str,
    render: Callable[[], HttpResponse],
    live: tuple[str, Callable[[], str]] | None = None,
) -> HttpResponse:
    """The cached page `name` for `content` (a digest), else `render()` stored for the next one.

    `live` names a part of the page that changes on its own (the reviews under a
    product) and renders it: that part is left out of the stored page and rendered
    afresh for every visitor.
    """
    if not shared_page_allowed(request):
        return render()
    language = translation.get_language() or settings.LANGUAGE_CODE
    parts = f"{name}:{language}:{request.get_full_path()}:{content}"
    key = f"store:page:{SALT}:{hashlib.sha256(parts.encode()).hexdigest()[:32]}"
    html = cache.get(key)
    if html is not None:
        html = html.replace(TOKEN_HOLE, get_token(request))
        return HttpResponse(html.replace(LIVE_HOLE, live[1]()) if live else html)
    response = render()
    secret = request.META.get("CSRF_COOKIE")
    if response.status_code != 200 or not secret:
        return response
    page: str | None = response.content.decode()
    if live and page is not None:
        page = cut_live_part(page, live[0])
    if page is not None:
        cache.set(key, cut_tokens(page, secret), TIMEOUT_S)
    return response
