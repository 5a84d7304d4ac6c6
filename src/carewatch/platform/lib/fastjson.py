"""JSON as bytes, fast (orjson), where the ingest path writes it for every position.

The standard library's encoder and decoder cost more than the database itself there
(measured: about a fifth of an ingest worker's CPU). orjson differs from it in three
ways that matter here, all handled so that one odd value never fails a whole batch:

- NaN and the infinities are written as null (PostgreSQL's jsonb has no NaN either, so
  the standard library's `NaN` failed a COPY there);
- integers beyond 64 bits and keys that are not text are refused: such a value, rare
  and only from a device's free-form attributes, is made plain first (an integer
  becomes a float or, past a float's range, its digits as text; a key becomes text);
- objects it does not know (a set, a Decimal) are written as their text.
"""

from __future__ import annotations

from typing import Any

import orjson

JSONDecodeError = orjson.JSONDecodeError  # a ValueError
_INT64_MIN, _UINT64_MAX = -(2**63), 2**64 - 1


def dumps(value: Any) -> bytes:
    try:
        return orjson.dumps(value, default=str)
    except TypeError:
        return orjson.dumps(_plain(value), default=str)


def dumps_text(value: Any) -> str:
    return dumps(value).decode()


def loads(data: bytes | bytearray | memoryview | str) -> Any:
    """ValueError (JSONDecodeError) for anything that is not JSON."""
    return orjson.loads(data)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k if isinstance(k, str) else str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, int) and not isinstance(value, bool):
        if _INT64_MIN <= value <= _UINT64_MAX:
            return value
        try:
            return float(value)
        except OverflowError:
            return str(value)
    return value
