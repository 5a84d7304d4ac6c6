"""Shared test set-up.

Tests that need a real service (Redis, PostgreSQL, Chromium, ../shared/fundus)
call `require(...)`: on a developer machine a missing service skips the test
with the reason; with CI=true it fails loudly, because CI must exercise it.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

# DATA_DIR and HUEY_IMMEDIATE are set by tests/envdefaults.py, before settings load.

IN_CI = os.environ.get("CI", "").lower() == "true"
SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"


def require(available: bool, what: str) -> None:
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is not available.")
    pytest.skip(f"{what} is not available on this machine.")


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing() -> Iterator[None]:
    """The real hasher costs about a second per user; tests check logic, not key stretching."""
    from django.conf import settings
    from django.test import override_settings

    if not settings.configured:  # pure tests run with -p no:django
        yield
        return
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield
