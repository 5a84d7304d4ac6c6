"""Append-only tables enforced by the database, not only by the ORM.

The models refuse `save()` on an existing row and `delete()`; that stops our own code, but
not a raw SQL statement, a shell, or another program with the database password. These
migration operations add triggers so the database itself refuses:

- UPDATE of any column, except columns listed as `nullable`, which may only go from a value
  to NULL (foreign keys with on_delete=SET_NULL: deleting an account or erasing a patient
  nulls the link and keeps the entry, which still names them in its text columns);
- DELETE, except for `erasable` tables inside `erasure_allowed()` (a patient's erasure on
  request must remove their signed reports too; the audit log is never erasable);
- on SQLite, an INSERT that clashes with a row's key or unique columns: `INSERT OR
  REPLACE` / `REPLACE` would otherwise delete the old row without any DELETE trigger.
  (On PostgreSQL an upsert's DO UPDATE fires the UPDATE trigger, which refuses it.)

How `erasure_allowed()` opens the door, per database, and why it is transaction-local:
- PostgreSQL: `set_config('carewatch.erasure', 'on', true)`, i.e. SET LOCAL; it ends with
  the transaction (or the savepoint), so it cannot leak into another request on the same
  connection. The trigger reads it with current_setting(..., true).
- SQLite has no session variables and its triggers cannot see TEMP tables, so the erasure
  inserts a row into the ordinary table `carewatch_erasure_guard` and deletes it before
  its savepoint ends. SQLite shows uncommitted rows only to the connection that wrote them,
  and it has one writer at a time, so no other connection ever sees the door open.
Anyone who can run SQL can of course do the same; the point is that no ordinary UPDATE or
DELETE, from a bug or by hand, changes history unnoticed. TRUNCATE (table owner only, and
what test flushes use on PostgreSQL) is not blocked.

Keeping them in force: on SQLite the UPDATE trigger names each column it guards, and
Django rebuilds SQLite tables for most schema changes (dropping their triggers). So a
migration that alters an append-only table must end with the same `append_only(...)`
operations again (they replace the triggers; tests check every column is guarded).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import Any

from django.db import connections, migrations, transaction

GUARD_TABLE = "carewatch_erasure_guard"
ERASURE_SETTING = "carewatch.erasure"


def _quote(name: str) -> str:
    if not name.replace("_", "").isalnum():  # our own table and column names only
        raise ValueError(f"Unexpected SQL identifier {name!r}.")
    return f'"{name}"'


def sqlite_sql(
    table: str,
    columns: Sequence[str],
    nullable: Sequence[str] = (),
    erasable: bool = False,
    unique: Sequence[Sequence[str]] = (("id",),),
) -> list[str]:
    """Triggers for one SQLite table; `columns` are all of its columns, `unique` each
    column set that is a primary key or unique (REPLACE deletes a row matching any)."""
    unchanged = [
        f"(NEW.{_quote(c)} IS OLD.{_quote(c)} OR NEW.{_quote(c)} IS NULL)"
        if c in nullable
        else f"NEW.{_quote(c)} IS OLD.{_quote(c)}"
        for c in columns
    ]
    t = _quote(table)
    guard = f" WHEN NOT EXISTS (SELECT 1 FROM {_quote(GUARD_TABLE)})" if erasable else ""
    clash = " OR ".join(
        "(" + " AND ".join(f"{_quote(c)} = NEW.{_quote(c)}" for c in key) + ")" for key in unique
    )
    return [
        f"CREATE TABLE IF NOT EXISTS {_quote(GUARD_TABLE)} (id INTEGER NOT NULL)",
        f'DROP TRIGGER IF EXISTS "{table}_append_only_update"',
        f'DROP TRIGGER IF EXISTS "{table}_append_only_delete"',
        f'DROP TRIGGER IF EXISTS "{table}_append_only_replace"',
        f'CREATE TRIGGER "{table}_append_only_update" BEFORE UPDATE ON {t} '
        f"WHEN NOT ({' AND '.join(unchanged)}) "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: rows cannot be changed'); END",
        f'CREATE TRIGGER "{table}_append_only_delete" BEFORE DELETE ON {t}{guard} '
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: rows cannot be deleted'); END",
        # INSERT OR REPLACE deletes the clashing row without firing DELETE triggers (unless
        # PRAGMA recursive_triggers is on): refuse any insert that clashes, before it does.
        f'CREATE TRIGGER "{table}_append_only_replace" BEFORE INSERT ON {t} '
        f"WHEN EXISTS (SELECT 1 FROM {t} WHERE {clash}) "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: rows cannot be replaced'); END",
    ]


def postgresql_sql(table: str, nullable: Sequence[str] = (), erasable: bool = False) -> list[str]:
    """One trigger function for the table. It compares whole rows as JSON, so a column added
    later is guarded too; SQLSTATE 23001 (restrict_violation) makes Django raise
    IntegrityError, as SQLite's RAISE(ABORT) does."""
    t, function = _quote(table), _quote(f"{table}_append_only")
    skip = "ARRAY[" + ", ".join(f"'{c}'" for c in nullable) + "]::text[]"
    to_null_only = "".join(
        f"  IF NEW.{_quote(c)} IS NOT NULL AND NEW.{_quote(c)} IS DISTINCT FROM OLD.{_quote(c)}"
        f" THEN RAISE EXCEPTION '{table} is append-only: {c} may only be cleared'"
        " USING ERRCODE = 'restrict_violation'; END IF;\n"
        for c in nullable
    )
    erasure = (
        f"    IF current_setting('{ERASURE_SETTING}', true) = 'on' THEN RETURN OLD; END IF;\n"
        if erasable
        else ""
    )
    body = (
        "BEGIN\n"
        "  IF TG_OP = 'DELETE' THEN\n"
        f"{erasure}"
        f"    RAISE EXCEPTION '{table} is append-only: rows cannot be deleted'"
        " USING ERRCODE = 'restrict_violation';\n"
        "  END IF;\n"
        f"  IF (to_jsonb(NEW) - {skip}) IS DISTINCT FROM (to_jsonb(OLD) - {skip}) THEN\n"
        f"    RAISE EXCEPTION '{table} is append-only: rows cannot be changed'"
        " USING ERRCODE = 'restrict_violation';\n"
        "  END IF;\n"
        f"{to_null_only}"
        "  RETURN NEW;\n"
        "END"
    )
    return [
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"{body}\n$$",
        f"DROP TRIGGER IF EXISTS {function} ON {t}",
        f"CREATE TRIGGER {function} BEFORE UPDATE OR DELETE ON {t} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()",
    ]


def _sqlite_unique_sets(cursor: Any, table: str) -> list[list[str]]:
    """The primary key and each unique index's columns, from SQLite itself (Django's
    introspection does not report inline UNIQUE constraints there)."""
    cursor.execute(f"PRAGMA table_info({_quote(table)})")
    key = [row[1] for row in sorted(cursor.fetchall(), key=lambda r: r[5]) if row[5]]
    cursor.execute(f"PRAGMA index_list({_quote(table)})")
    indexes = [(row[1], row[2], row[4]) for row in cursor.fetchall()]
    sets = [key] if key else []
    for name, unique, is_partial in indexes:
        if not unique:
            continue
        if is_partial:  # the trigger would have to repeat its WHERE: not needed so far
            raise NotImplementedError(f"A partial unique index on append-only {table}.")
        cursor.execute(f"PRAGMA index_info({_quote(name)})")
        sets.append([row[2] for row in cursor.fetchall()])
    return sets


def statements_for(
    connection: Any, table: str, nullable: Sequence[str] = (), erasable: bool = False
) -> list[str]:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            description = connection.introspection.get_table_description(cursor, table)
            unique = _sqlite_unique_sets(cursor, table)
        return sqlite_sql(table, [c.name for c in description], nullable, erasable, unique)
    if connection.vendor == "postgresql":
        return postgresql_sql(table, nullable, erasable)
    raise NotImplementedError(f"No append-only triggers for {connection.vendor}.")


def _install(
    table: str, nullable: Sequence[str], erasable: bool, apps: Any, schema_editor: Any
) -> None:
    for statement in statements_for(schema_editor.connection, table, nullable, erasable):
        schema_editor.execute(statement, params=None)


def _remove(table: str, apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        for kind in ("update", "delete"):
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{table}_append_only_{kind}"')
    elif connection.vendor == "postgresql":
        function = _quote(f"{table}_append_only")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {function} ON {_quote(table)}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {function}()")


def append_only(
    table: str, nullable: Sequence[str] = (), erasable: bool = False
) -> list[migrations.RunPython]:
    """Migration operations making `table` append-only (see the module docstring)."""
    return [
        migrations.RunPython(
            partial(_install, table, tuple(nullable), erasable), partial(_remove, table)
        )
    ]


@contextmanager
def erasure_allowed(using: str = "default") -> Iterator[None]:
    """Lets this transaction delete rows of erasable append-only tables; nothing else."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        # Inside a savepoint: if the erasure fails, the door closes with its rollback.
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config(%s, 'on', true)", [ERASURE_SETTING])
        else:
            cursor.execute(f"INSERT INTO {_quote(GUARD_TABLE)} (id) VALUES (1)")
        yield
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config(%s, 'off', true)", [ERASURE_SETTING])
        else:
            cursor.execute(f"DELETE FROM {_quote(GUARD_TABLE)}")
