"""How fixes travel in the log: compact JSON (orjson: the standard library's encoder and
decoder were a tenth of a position's CPU), and which partition a device belongs to.

Plain Python (no Django). One log message holds the fixes of one append for one
partition and lane, in the order given, so one device's fixes stay in order.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from carewatch.kids.ingest.log import NORMAL, URGENT, is_urgent
from carewatch.kids.tracking.model import Fix
from carewatch.platform.lib import fastjson

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FIELDS = 12  # values per encoded fix
NO_ALARMS: frozenset[str] = frozenset()


def partition_of(device_id: str, partitions: int) -> int:
    """Stable across processes and restarts (unlike hash()): crc32 of the id."""
    return zlib.crc32(device_id.encode()) % partitions


def encode(fixes: Sequence[Fix]) -> bytes:
    return fastjson.dumps([_fix_row(fix) for fix in fixes])


def _fix_row(fix: Fix) -> list[Any]:
    micros = (fix.fix_time - EPOCH) // timedelta(microseconds=1)
    return [
        fix.device_id,
        micros,
        fix.lat,
        fix.lon,
        fix.accuracy_m,
        fix.speed_kmh,
        fix.course,
        fix.altitude,
        fix.battery,
        1 if fix.valid else 0,
        sorted(fix.alarms),
        dict(fix.attributes) if fix.attributes else None,
    ]


def decode(body: bytes | str) -> list[Fix]:
    """The fixes of one message; ValueError for anything that is not one of ours."""
    try:
        rows = fastjson.loads(body)
        if not isinstance(rows, list):
            raise TypeError("not a list")
        return [_fix(row) for row in rows]
    except (TypeError, KeyError, OverflowError, fastjson.JSONDecodeError) as error:
        raise ValueError(f"not an ingest log message: {error}") from None


def _fix(row: Any) -> Fix:
    if not isinstance(row, list) or len(row) != FIELDS:
        raise TypeError("a fix is a list of 12 values")
    device, micros, lat, lon, acc, speed, course, alt, battery, valid, alarms, attrs = row
    if not isinstance(device, str) or not isinstance(micros, int):
        raise TypeError("bad device id or time")
    if lat is None or lon is None:  # not a finite number when written: no position
        lat, lon, valid = 0.0, 0.0, False
    return Fix(
        device,
        EPOCH + timedelta(microseconds=micros),
        float(lat),
        float(lon),
        _number(acc),
        _number(speed),
        _number(course),
        _number(alt),
        None if battery is None else int(battery),
        bool(valid),
        frozenset(map(str, alarms)) if alarms else NO_ALARMS,
        attrs if isinstance(attrs, dict) else {},
    )


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def split(fixes: Sequence[Fix], partitions: int) -> dict[tuple[int, int], list[Fix]]:
    """Fixes grouped by (partition, lane), order kept within each group."""
    groups: dict[tuple[int, int], list[Fix]] = {}
    for fix in fixes:
        key = (partition_of(fix.device_id, partitions), URGENT if is_urgent(fix) else NORMAL)
        groups.setdefault(key, []).append(fix)
    return groups
