"""Event loops: uvloop where it is installed (Linux, macOS), asyncio's own otherwise.

The gateways, the ingest log's thread and the workers spend much of their CPU in the
event loop itself (polling, waking a loop from another thread, socket writes); uvloop
does that work in C at a fraction of the cost of the selector loop written in Python.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def new_event_loop(fast: bool = True) -> asyncio.AbstractEventLoop:
    """A new event loop: uvloop's when `fast` and it is installed."""
    if fast:
        try:
            import uvloop
        except ImportError:
            pass
        else:
            return uvloop.new_event_loop()
    return asyncio.new_event_loop()


def run(main: Coroutine[Any, Any, T], fast: bool = True) -> T:
    """`asyncio.run` on `new_event_loop(fast)`."""
    with asyncio.Runner(loop_factory=lambda: new_event_loop(fast)) as runner:
        return runner.run(main)
