"""The protocol decoders are plain Python: their tests run without Django too
(`pytest -p no:django tests/kids/protocols`), so nothing here may touch its settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing() -> Iterator[None]:
    """Replaces the suite-wide fixture of the same name, which configures Django."""
    yield
