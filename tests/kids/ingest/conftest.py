"""Both ingest log backends for the same tests: the embedded SQLite file, and JetStream
on 127.0.0.1:4222 under a stream prefix of its own (deleted afterwards)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from carewatch.kids.ingest.embedded import SqliteLog
from carewatch.kids.ingest.log import Log
from tests.conftest import port_open, require

NATS_URL = "nats://127.0.0.1:4222"


def nats_available() -> bool:
    return port_open("127.0.0.1", 4222)


def unique_prefix() -> str:
    return "T" + uuid.uuid4().hex[:10].upper()


@pytest.fixture(params=["embedded", "jetstream"])
def any_log(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Log]:
    if request.param == "embedded":
        log = SqliteLog(tmp_path / "log.sqlite3", partitions=4)
        yield log
        log.close_sync()
        return
    require(nats_available(), "NATS with JetStream on 127.0.0.1:4222")
    from carewatch.kids.ingest.jetstream import JetStreamLog

    stream = JetStreamLog(NATS_URL, partitions=4, prefix=unique_prefix())
    yield stream
    asyncio.run(stream.delete_streams())
