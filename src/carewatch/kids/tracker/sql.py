"""Bulk writes for ingestion in plain SQL: the ORM's per-object work costs more than the
database itself at tens of thousands of positions a second.

Both PostgreSQL and SQLite take multi-row VALUES and ON CONFLICT DO NOTHING; values
are adapted by the connection's own operations (datetimes, JSON), so what is written
reads back through the ORM exactly as if the ORM had written it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db import connection

from carewatch.kids.tracker.models import Device, Position

POSITION_COLUMNS = (
    "device_id",
    "fix_time",
    "server_time",
    "lat",
    "lon",
    "accuracy",
    "speed",
    "course",
    "altitude",
    "battery",
    "valid",
    "late",
    "attributes",
)
DEVICE_COLUMNS = (
    "state",
    "status",
    "last_seen",
    "last_fix_time",
    "lat",
    "lon",
    "accuracy",
    "battery",
)
ROWS_PER_STATEMENT = 500  # 13 values a row stays well under SQLite's 32,766 variables


def insert_positions(rows: Sequence[tuple[Any, ...]], *, skip_existing: bool) -> None:
    """Rows in POSITION_COLUMNS order; the last value (attributes) is a dict."""
    if not rows:
        return
    json_value = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    one_row = "(" + ", ".join(["%s"] * (len(POSITION_COLUMNS) - 1) + [json_value]) + ")"
    conflict = " ON CONFLICT (device_id, fix_time) DO NOTHING" if skip_existing else ""
    table = Position._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            chunk = rows[start : start + ROWS_PER_STATEMENT]
            values = ", ".join([one_row] * len(chunk))
            statement = (
                f"INSERT INTO {table} ({', '.join(POSITION_COLUMNS)}) VALUES {values}{conflict}"
            )
            cursor.execute(statement, [value for row in chunk for value in _position(row)])


def _position(row: tuple[Any, ...]) -> list[Any]:
    ops = connection.ops
    values = list(row)
    values[1] = ops.adapt_datetimefield_value(values[1])
    values[2] = ops.adapt_datetimefield_value(values[2])
    values[-1] = json.dumps(values[-1])
    return values


def update_devices(rows: Sequence[tuple[Any, ...]]) -> None:
    """Rows are (pk, *DEVICE_COLUMNS values); state is a dict."""
    if not rows:
        return
    ops = connection.ops
    adapted = [
        [
            json.dumps(state),
            status,
            ops.adapt_datetimefield_value(seen),
            ops.adapt_datetimefield_value(fixed),
            lat,
            lon,
            accuracy,
            battery,
            pk,
        ]
        for pk, state, status, seen, fixed, lat, lon, accuracy, battery in rows
    ]
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    assignments = ", ".join(f"{column} = %s" for column in DEVICE_COLUMNS)
    assignments = assignments.replace("state = %s", f"state = %s{cast}", 1)
    statement = f"UPDATE {Device._meta.db_table} SET {assignments} WHERE id = %s"
    with connection.cursor() as cursor:
        cursor.executemany(statement, adapted)
