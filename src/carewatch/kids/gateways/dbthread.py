"""Database calls from the gateways' event loop, each run in one of the loop's worker
threads, which keep their connections from one call to the next.

Closing the connection after each call (Django's `close_old_connections` with the
default CONN_MAX_AGE of 0) opened a new one for every watch that connected: SQLite reads
the whole schema again and PostgreSQL starts a server process, several milliseconds
each, which made 10,000 watches reconnecting after a restart cost the gateway minutes of
CPU. A connection the server closed meanwhile (a PostgreSQL restart) fails on its next
use: it is then closed and the call made once more on a new one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, TypeVar

from asgiref.sync import sync_to_async
from django.db import InterfaceError, OperationalError, connection

P = ParamSpec("P")
R = TypeVar("R")


def in_thread(function: Callable[P, R]) -> Callable[P, Awaitable[R]]:
    """`function` made awaitable: it runs in a worker thread of the running loop."""

    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except (InterfaceError, OperationalError):
            if connection.in_atomic_block or connection.is_usable():
                raise  # the query failed, not the connection: the caller hears of it
            connection.close()
            return function(*args, **kwargs)

    result: Any = sync_to_async(run, thread_sensitive=False)
    return result
