"""The Content-Security-Policy of every page (pure: no Django).

Scripts, styles, fonts and frames come from our own origin only: every library is
vendored in static files and no template carries inline code, so an injected
`<script>` or `onerror=` never runs. Images may also be data:/blob: URLs (the TOTP QR
code, heatmaps, the photo preview before upload) and the map's tile server, if any.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

SELF, NONE = "'self'", "'none'"
# One DNS label, where a tile URL's {s} or another placeholder stands for a subdomain.
_HOST = re.compile(r"^(\*\.)?([a-z0-9-]+\.)*[a-z0-9-]+(:\d+)?$", re.I)


def tile_source(tile_url: str) -> str | None:
    """`https://{s}.tile.example.org/{z}/{x}/{y}.png` -> `https://*.tile.example.org`."""
    try:
        parts = urlsplit(tile_url.strip())
    except ValueError:
        return None
    host = re.sub(r"^\{[a-z]+\}\.", "*.", parts.netloc, flags=re.I)
    if parts.scheme not in ("http", "https") or not _HOST.match(host):
        return None
    return f"{parts.scheme}://{host}"


def policy(tile_url: str = "") -> dict[str, list[str]]:
    tiles = tile_source(tile_url) if tile_url else None
    return {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:", *([tiles] if tiles else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "worker-src": [SELF],
        "object-src": [NONE],
        "frame-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
