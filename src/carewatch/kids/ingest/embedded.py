"""The embedded ingest log: SQLite files in DATA_DIR (WAL, synchronous=FULL), one per lane.

Appends from every thread and coroutine of a process go to one writer thread, which
writes whatever has queued up in one transaction: one fsync for many appends (group
commit), and each caller returns once its rows are on disk. Readers (the workers, in
this or another process) read beside the writer, as WAL allows, and poll
`PRAGMA data_version` (a counter that moves when another connection commits) while
idle. Sequence numbers come from AUTOINCREMENT, so they are never reused, even after
trimming, and a worker's offsets stay valid.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from carewatch.kids.ingest import codec
from carewatch.kids.ingest.log import NORMAL, URGENT, Backlog, LogMessage
from carewatch.kids.tracking.model import Fix
from carewatch.platform.lib.futures import settle

SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    lane INTEGER NOT NULL,
    partition INTEGER NOT NULL,
    appended REAL NOT NULL,
    fixes INTEGER NOT NULL,
    body BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_by_partition ON messages (lane, partition, seq);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
POLL_S = 0.002  # idle readers look for new commits this often (a cheap pragma)
Done = Callable[[BaseException | None], None]


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")  # the commit is on disk when append returns
    return conn


class LaneFile:
    """One lane's SQLite file, with its own write lock: a burst of positions being
    appended never makes an alarm wait for that lock."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with connect(self.path) as conn:
            conn.executescript(SCHEMA)
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('id', ?)", (uuid.uuid4().hex[:12],))
            conn.execute("COMMIT")
            (self.id,) = conn.execute("SELECT value FROM meta WHERE key = 'id'").fetchone()
        self._pending: list[tuple[list[tuple[int, int, float, int, bytes]], Done]] = []
        self._wake = threading.Condition()
        self._writer: threading.Thread | None = None
        self._local = threading.local()
        self._closed = False

    def enqueue(self, rows: list[tuple[int, int, float, int, bytes]], done: Done) -> None:
        with self._wake:
            if self._closed:
                raise RuntimeError("The ingest log is closed.")
            self._pending.append((rows, done))
            if self._writer is None:
                self._writer = threading.Thread(
                    target=self._write_forever, name="ingest-log-writer", daemon=True
                )
                self._writer.start()
            self._wake.notify()

    def _write_forever(self) -> None:
        conn = connect(self.path)
        while True:
            with self._wake:
                while not self._pending and not self._closed:
                    self._wake.wait()
                if not self._pending and self._closed:
                    conn.close()
                    return
                pending, self._pending = self._pending, []
            error: BaseException | None = None
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany(
                    "INSERT INTO messages (lane, partition, appended, fixes, body) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [row for rows, _ in pending for row in rows],
                )
                conn.execute("COMMIT")
            except BaseException as failure:  # noqa: BLE001 - handed to every waiting caller
                error = failure
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
            for _, done in pending:
                done(error)

    def close(self) -> None:
        with self._wake:
            self._closed = True
            self._wake.notify()
        if self._writer is not None:
            self._writer.join(timeout=10)

    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = connect(self.path)
        return conn

    def read(
        self, lane: int, after: Mapping[int, int], limit: int, wait_s: float
    ) -> list[LogMessage]:
        conn = self.conn()
        deadline = time.monotonic() + wait_s
        while True:
            version = conn.execute("PRAGMA data_version").fetchone()[0]
            found = self._select(conn, lane, after, limit)
            if found or time.monotonic() >= deadline:
                return found
            while conn.execute("PRAGMA data_version").fetchone()[0] == version:
                if time.monotonic() >= deadline:
                    return []
                time.sleep(POLL_S)

    def _select(
        self, conn: sqlite3.Connection, lane: int, after: Mapping[int, int], limit: int
    ) -> list[LogMessage]:
        found: list[LogMessage] = []
        for partition, seq in after.items():
            rows = conn.execute(
                "SELECT seq, appended, fixes, body FROM messages WHERE lane = ? "
                "AND partition = ? AND seq > ? ORDER BY seq LIMIT ?",
                (lane, partition, seq, limit - len(found)),
            ).fetchall()
            found += [LogMessage(partition, lane, s, _bytes(b), a, n) for s, a, n, b in rows]
            if len(found) >= limit:
                break
        return found

    def trim(self, lane: int, processed: Mapping[int, int]) -> None:
        conn = self.conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany(
                "DELETE FROM messages WHERE lane = ? AND partition = ? AND seq <= ?",
                [(lane, partition, seq) for partition, seq in processed.items()],
            )
        finally:
            conn.execute("COMMIT")

    def backlog(self, lane: int, after: Mapping[int, int]) -> dict[int, Backlog]:
        conn = self.conn()
        found = {}
        for partition, seq in after.items():
            count, oldest = conn.execute(
                "SELECT count(*), min(appended) FROM messages "
                "WHERE lane = ? AND partition = ? AND seq > ?",
                (lane, partition, seq),
            ).fetchone()
            found[partition] = Backlog(count, oldest)
        return found


class SqliteLog:
    """Positions in `path`, alarms in `<path stem>-alarms.sqlite3` beside it."""

    def __init__(self, path: Path, partitions: int) -> None:
        self.path, self.partitions = Path(path), partitions
        self.path.parent.mkdir(parents=True, exist_ok=True)
        alarms = self.path.with_name(f"{self.path.stem}-alarms{self.path.suffix or '.sqlite3'}")
        self.files = {NORMAL: LaneFile(self.path), URGENT: LaneFile(alarms)}
        # A new file restarts the sequence: offsets kept for the old file must not apply.
        self.name = f"sqlite:{self.files[NORMAL].id}:{self.files[URGENT].id}"

    def append_sync(self, fixes: Sequence[Fix]) -> None:
        finished = threading.Event()
        failure: list[BaseException] = []

        def done(error: BaseException | None) -> None:
            if error is not None:
                failure.append(error)
            finished.set()

        if self._enqueue(fixes, done):
            finished.wait()
        if failure:
            raise failure[0]

    def append_then(self, fixes: Sequence[Fix], done: Done) -> None:
        """Starts an append and returns; `done(error or None)` is called from the writer
        thread once every file committed (the gateways' way in: no coroutine waits on it)."""
        if not self._enqueue(fixes, done):
            done(None)

    async def append(self, fixes: Sequence[Fix]) -> None:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()

        def done(error: BaseException | None) -> None:
            loop.call_soon_threadsafe(settle, future, error)

        self.append_then(fixes, done)
        await future

    def _enqueue(self, fixes: Sequence[Fix], done: Done) -> bool:
        """Rows to each lane's file; `done` is called once, when all files committed."""
        now = time.time()
        by_lane: dict[int, list[tuple[int, int, float, int, bytes]]] = {}
        for (partition, lane), group in codec.split(fixes, self.partitions).items():
            by_lane.setdefault(lane, []).append(
                (lane, partition, now, len(group), codec.encode(group))
            )
        if not by_lane:
            return False
        waiting = [len(by_lane)]
        errors: list[BaseException] = []
        lock = threading.Lock()

        def one_done(error: BaseException | None) -> None:
            with lock:
                if error is not None:
                    errors.append(error)
                waiting[0] -= 1
                if waiting[0]:
                    return
            done(errors[0] if errors else None)

        for lane, rows in by_lane.items():
            self.files[lane].enqueue(rows, one_done)
        return True

    async def close(self) -> None:
        self.close_sync()

    def close_sync(self) -> None:
        for file in self.files.values():
            file.close()

    def _conn(self, lane: int = NORMAL) -> sqlite3.Connection:
        return self.files[lane].conn()

    async def read(
        self, lane: int, after: Mapping[int, int], limit: int, wait_s: float
    ) -> list[LogMessage]:
        return await asyncio.to_thread(self.read_sync, lane, dict(after), limit, wait_s)

    def read_sync(
        self, lane: int, after: Mapping[int, int], limit: int, wait_s: float = 0.0
    ) -> list[LogMessage]:
        return self.files[lane].read(lane, after, limit, wait_s)

    async def trim(self, lane: int, processed: Mapping[int, int]) -> None:
        await asyncio.to_thread(self.files[lane].trim, lane, dict(processed))

    async def backlog(self, lane: int, after: Mapping[int, int]) -> dict[int, Backlog]:
        return await asyncio.to_thread(self.files[lane].backlog, lane, dict(after))


def _bytes(body: object) -> bytes:
    """Bodies are BLOBs; anything else (written by hand) goes to the decoder to be refused."""
    return body if isinstance(body, bytes) else str(body).encode()
