"""Fixtures for the retina engine's tests (helpers live in retina_fakes.py)."""

from __future__ import annotations

import pytest
from retina_fakes import fake_fundus, jpeg_bytes


@pytest.fixture
def fundus_jpeg() -> bytes:
    return jpeg_bytes(fake_fundus())
