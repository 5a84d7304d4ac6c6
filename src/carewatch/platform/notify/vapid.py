"""The VAPID key pair that identifies this server to browser push services.

Generated on first use and kept in VAPID_PRIVATE_KEY_FILE (mode 0600): if it
changed, every existing browser subscription would stop working.
"""

from __future__ import annotations

import base64
import os
import time
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from py_vapid import Vapid02

_loaded: dict[str, Vapid02] = {}


def key_file() -> Path:
    return Path(settings.VAPID_PRIVATE_KEY_FILE)


def vapid() -> Vapid02:
    path = key_file()
    if str(path) not in _loaded:
        _loaded[str(path)] = _load_or_generate(path)
    return _loaded[str(path)]


def _load_or_generate(path: Path) -> Vapid02:
    if not path.exists():
        key = Vapid02()
        key.generate_keys()
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # O_EXCL: when two processes start at once, the second reads the first one's key.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return Vapid02.from_pem(path.read_bytes())
        with os.fdopen(fd, "wb") as file:
            file.write(key.private_pem())
        return key
    return Vapid02.from_pem(path.read_bytes())


def public_key() -> str:
    """The application server key for `pushManager.subscribe`, base64url without padding."""
    raw = vapid().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def auth_headers(audience: str, ttl: int = 12 * 3600) -> dict[str, str]:
    """`Authorization: vapid t=<JWT>,k=<public key>` for one push service origin."""
    claims = {"sub": settings.VAPID_CONTACT, "aud": audience, "exp": int(time.time()) + ttl}
    return dict(vapid().sign(claims))
