"""PostgreSQL's pipeline mode around a Django transaction whose latency is its round trips.

In pipeline mode (libpq's, through psycopg 3) the client sends each statement without
waiting for the answer to the one before; it waits only where it reads a result (a
RETURNING id, a SELECT's rows) and at COMMIT. Statements whose answers nobody reads
(an INSERT, an UPDATE) ride along with the next one that is read. An SOS's transaction
thus waits for 6 answers instead of 10, each of which, on a machine busy with
everyone's positions, waits its turn for a CPU twice (the server's, then ours).

Enter it inside `transaction.atomic()`. Measured through a relay that delays the
server's answers: psycopg waits for BEGIN's answer in a pipeline (it needs the
transaction's status), and for a Sync at the pipeline's end; Django's COMMIT and its
autocommit switches inside a pipeline would cost three more waits, outside it one.

What does not change: the statements, their order, the transaction. An error in one is
raised where the next answer is read (at the latest at COMMIT), as a Django database
error, and the transaction rolls back as usual.

COPY cannot run in a pipeline: callers use it only around statements that do not COPY.
On SQLite (in process, no round trips) it does nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection


class Pipeline:
    def __init__(self, inner: Any | None = None) -> None:
        self.inner = inner  # psycopg's Pipeline, or None when not pipelined

    def rowcount(self, cursor: Any) -> int:
        """The rows `cursor`'s statement touched, waiting for its answer if not yet read."""
        if self.inner is not None and cursor.rowcount < 0:
            with connection.wrap_database_errors:
                self.inner.sync()
        return int(cursor.rowcount)


@contextmanager
def pipelined(wanted: bool = True) -> Iterator[Pipeline]:
    """Statements sent without waiting for each answer (see the module's docstring)."""
    if not wanted or connection.vendor != "postgresql":
        yield Pipeline()
        return
    connection.ensure_connection()
    with connection.wrap_database_errors, connection.connection.pipeline() as inner:
        yield Pipeline(inner)
