"""Readers for loosely typed fields of the HTTP and JSON protocols (OsmAnd, OwnTracks).

Devices send numbers as strings, strings as numbers, and now and then `NaN`: each
reader returns None for anything it cannot use, so one bad field never costs the
others (an SOS with an unreadable speed is still an SOS).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

MS_FROM = 2**31  # epoch values from here on are milliseconds (2^31 s is in 2038)


def number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        result = float(value)
    except (ValueError, OverflowError):
        return None
    return result if math.isfinite(result) else None


def scaled(value: float | None, factor: float) -> float | None:
    """A unit conversion that stays finite (1e308 knots is no speed)."""
    if value is None:
        return None
    result = value * factor
    return result if math.isfinite(result) else None


def coordinates(lat: Any, lon: Any) -> tuple[float, float] | None:
    """A real position: both numbers, in range, and not the 0,0 of a device without a fix."""
    y, x = number(lat), number(lon)
    if y is None or x is None or not (-90 <= y <= 90 and -180 <= x <= 180):
        return None
    return None if y == 0 and x == 0 else (y, x)


def timestamp(value: Any) -> datetime | None:
    """Epoch seconds, epoch milliseconds (>= 2^31) or ISO 8601 (UTC unless it says)."""
    seconds = number(value)
    if seconds is not None:
        if abs(seconds) >= MS_FROM:
            seconds /= 1000
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not 0 < len(value) <= 64:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def percent(value: Any, *, fraction: bool) -> int | None:
    """A battery level as a whole percent. `fraction`: 0..1 means 0..100 %.

    Where the unit is not fixed (OsmAnd's `batt`), a value strictly between 0 and 1
    can only be a fraction; 1 stays 1 %.
    """
    level = number(value)
    if level is None or level < 0:
        return None
    if fraction and level <= 1 or 0 < level < 1:
        level *= 100
    return round(level) if level <= 100 else None


def text(value: Any, limit: int = 200) -> str:
    """An attribute value kept as text, cut to a sane length."""
    return (value if isinstance(value, str) else str(value))[:limit]


def flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    if isinstance(value, str) and value.lower() in _FLAGS:
        return _FLAGS[value.lower()]
    return None


_FLAGS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
