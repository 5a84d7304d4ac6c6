"""The ingest log's contract, on both backends: durable appends, reads per partition and
lane after an offset, trimming, backlog."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from carewatch.kids.ingest import codec
from carewatch.kids.ingest.embedded import SqliteLog
from carewatch.kids.ingest.log import NORMAL, URGENT, Log, LogMessage
from carewatch.kids.tracking import Fix

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ALL = {p: 0 for p in range(4)}


def fixes(device: str, count: int, start: int = 0) -> list[Fix]:
    return [Fix(device, T0 + timedelta(seconds=start + n), 1.0, 2.0) for n in range(count)]


def read_all(log: Log, lane: int, after: dict[int, int] | None = None) -> list[LogMessage]:
    """Everything there is: read until a read comes back empty (partitions arrive apart)."""
    return asyncio.run(_read_all(log, lane, dict(after or ALL)))


async def _read_all(log: Log, lane: int, after: dict[int, int]) -> list[LogMessage]:
    found: list[LogMessage] = []
    while batch := await log.read(lane, after, 1000, 1.0 if not found else 0.3):
        found += batch
        after |= {m.partition: m.seq for m in batch}
    return found


def decoded(messages: list[LogMessage]) -> list[Fix]:
    return [fix for message in messages for fix in codec.decode(message.body)]


def test_what_was_appended_is_read_back_in_order_per_device(any_log: Log) -> None:
    any_log.append_sync(fixes("a", 3) + fixes("b", 2))
    asyncio.run(any_log.append(fixes("a", 2, start=3)))
    got = decoded(read_all(any_log, NORMAL))
    assert [f.fix_time.second for f in got if f.device_id == "a"] == [0, 1, 2, 3, 4]
    assert len([f for f in got if f.device_id == "b"]) == 2


def test_an_sos_is_read_from_the_urgent_lane_only(any_log: Log) -> None:
    sos = Fix("a", T0, 1.0, 2.0, alarms=frozenset({"sos"}))
    any_log.append_sync([sos, *fixes("b", 1)])
    assert decoded(read_all(any_log, URGENT)) == [sos]
    assert [f.device_id for f in decoded(read_all(any_log, NORMAL))] == ["b"]


def test_reading_after_an_offset_skips_what_was_processed(any_log: Log) -> None:
    any_log.append_sync(fixes("a", 1))
    first = read_all(any_log, NORMAL)
    any_log.append_sync(fixes("a", 1, start=5))
    after = ALL | {first[0].partition: first[0].seq}
    again = decoded(read_all(any_log, NORMAL, after))
    assert [f.fix_time.second for f in again] == [5]


def test_trimmed_messages_are_gone_and_the_backlog_counts_the_rest(any_log: Log) -> None:
    any_log.append_sync(fixes("a", 1))
    any_log.append_sync(fixes("a", 1, start=1))
    messages = read_all(any_log, NORMAL)
    partition = messages[0].partition
    backlog = asyncio.run(any_log.backlog(NORMAL, {partition: messages[0].seq}))
    assert backlog[partition].messages == 1 and backlog[partition].oldest is not None
    asyncio.run(any_log.trim(NORMAL, {partition: messages[0].seq}))
    rest = read_all(any_log, NORMAL)
    assert [m.seq for m in rest] == [messages[1].seq]


def test_concurrent_appends_share_commits_and_all_are_durable(tmp_path: Path) -> None:
    log = SqliteLog(tmp_path / "log.sqlite3", partitions=4)
    threads = [
        threading.Thread(target=log.append_sync, args=(fixes(f"d{n}", 10),)) for n in range(20)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    log.close_sync()
    reopened = SqliteLog(tmp_path / "log.sqlite3", partitions=4)
    assert len(decoded(read_all(reopened, NORMAL))) == 200
    assert reopened.name == log.name  # the same file keeps its identity (and offsets)


def test_a_new_log_file_gets_a_new_identity(tmp_path: Path) -> None:
    one = SqliteLog(tmp_path / "one.sqlite3", partitions=4)
    two = SqliteLog(tmp_path / "two.sqlite3", partitions=4)
    assert one.name != two.name
