"""Futures handed between threads and event loops: how one ends, and how to end one.
Plain Python."""

from __future__ import annotations

import asyncio
import concurrent.futures
from typing import Any


def settle(future: asyncio.Future[Any], error: BaseException | None, result: Any = None) -> None:
    """Ends the future with `error`, or with `result` when there is none; a future that
    already ended (cancelled by its waiter, say) is left as it is."""
    if future.done():
        return
    if error is None:
        future.set_result(result)
    else:
        future.set_exception(error)


def error_of(future: asyncio.Future[Any] | concurrent.futures.Future[Any]) -> BaseException | None:
    """The error an ended future ended with (being cancelled counts as one), or None."""
    if future.cancelled():
        return asyncio.CancelledError()
    return future.exception()
