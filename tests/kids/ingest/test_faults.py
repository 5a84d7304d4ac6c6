"""Faults with real processes killed by SIGKILL, on the embedded default (SQLite log and
database) and on PostgreSQL + NATS JetStream.

Every process here is a child (`carewatch ingest`, and tests/kids/ingest/faultkit.py for
set-up and appending); PostgreSQL is a throwaway cluster this module starts itself with
initdb on a free loopback port, never the machine's shared server.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import free_port, require
from tests.kids.ingest.conftest import NATS_URL, nats_available

ROOT = Path(__file__).resolve().parents[3]
DEVICES = 20


def _base_env() -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "NATS_URL", "REDIS_URL"}
    }
    return env | {
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "carewatch.settings",
        "LOG_LEVEL": "WARNING",
        "HUEY_IMMEDIATE": "False",
        "INGEST_PARTITIONS": "4",
    }


def _migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "carewatch.cli", "manage", "migrate", "-v0"],
        env=env, cwd=ROOT, check=True, timeout=300,
    )  # fmt: skip


# --- a throwaway PostgreSQL cluster --------------------------------------------------


@dataclass
class Cluster:
    bindir: Path
    data: Path
    port: int
    socket_dir: Path

    def ctl(self, *args: str) -> None:
        log = str(self.data.parent / "server.log")
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        _as_postgres([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", log, "-o", options,
                      "-w", *args])  # fmt: skip

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def execute(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(statement)


def _as_postgres(command: list[str]) -> None:
    """initdb and the server refuse to run as root: run them as the postgres user then."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True, timeout=120)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb")) or [shutil.which("initdb") or ""]
    require(bool(found[-1]), "PostgreSQL server binaries (initdb, pg_ctl)")
    root = Path(tempfile.mkdtemp(prefix="carewatch-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    cluster = Cluster(Path(found[-1]).parent, root / "data", free_port(), root)
    _as_postgres([str(cluster.bindir / "initdb"), "-D", str(cluster.data), "-U", "postgres",
                  "--auth=trust", "--no-sync", "-E", "UTF8"])  # fmt: skip
    cluster.ctl("start")
    try:
        cluster.execute("CREATE DATABASE cw_template")
        env = _base_env() | {
            "DATA_DIR": str(root / "app"),
            "DATABASE_URL": cluster.url("cw_template"),
        }
        _migrate(env)
        yield cluster
    finally:
        cluster.ctl("stop", "-m", "immediate")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def sqlite_template() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="carewatch-faults-"))
    _migrate(_base_env() | {"DATA_DIR": str(folder)})
    return folder


# --- one set-up under test ---------------------------------------------------------


@dataclass
class Rig:
    env: dict[str, str]
    data_dir: Path
    pg_url: str = ""
    children: list[subprocess.Popen[str]] = field(default_factory=list)

    def kit(self, *args: str) -> None:
        command = [sys.executable, "-m", "tests.kids.ingest.faultkit", *args]
        subprocess.run(command, env=self.env, cwd=ROOT, check=True, timeout=120)

    def start(self, command: list[str], **env: str) -> subprocess.Popen[str]:
        child = subprocess.Popen(
            [sys.executable, "-m", *command], env=self.env | env, cwd=ROOT, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.children.append(child)
        return child

    def worker(self, name: str, **env: str) -> subprocess.Popen[str]:
        command = ["carewatch.cli", "ingest", "--lease-seconds", "1", "--name", name]
        return self.start(command, **env)

    def appender(self, *args: str) -> subprocess.Popen[str]:
        return self.start(["tests.kids.ingest.faultkit", "append", *args])

    def query(self, statement: str) -> list[tuple[Any, ...]]:
        if self.pg_url:
            import psycopg

            with psycopg.connect(self.pg_url, connect_timeout=2) as conn:
                return list(conn.execute(statement))
        with sqlite3.connect(self.data_dir / "carewatch.sqlite3", timeout=10) as conn:
            return list(conn.execute(statement))

    def stored(self) -> list[int]:
        """The fix numbers stored (see faultkit: lat = 12.9 + i x 1e-6), duplicates kept."""
        rows = self.query("SELECT lat FROM tracker_position WHERE lat >= 12.9")
        return [round((lat - 12.9) * 1e6) for (lat,) in rows]

    def count(self, statement: str) -> int:
        try:
            return int(self.query(statement)[0][0])
        except Exception:  # noqa: BLE001 - the database may be restarting
            return -1

    def wait(self, check: Any, timeout: float = 60.0, what: str = "") -> None:
        deadline = time.monotonic() + timeout
        while not check():
            for child in self.children:
                if child.poll() not in (None, 0, -9, -15):
                    raise AssertionError(f"a child failed: {child.args}\n{child.stdout.read()}")  # type: ignore[union-attr]
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            time.sleep(0.1)

    def stop_all(self) -> None:
        for child in self.children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in self.children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()


@pytest.fixture(params=["embedded", "postgres+nats"])
def rig(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Rig]:
    data_dir = tmp_path / "data"
    env = _base_env() | {"DATA_DIR": str(data_dir)}
    if request.param == "embedded":
        shutil.copytree(request.getfixturevalue("sqlite_template"), data_dir)
        made = Rig(env, data_dir)
    else:
        require(nats_available(), "NATS with JetStream on 127.0.0.1:4222")
        cluster: Cluster = request.getfixturevalue("pg_cluster")
        name = f"t_{uuid.uuid4().hex[:10]}"
        cluster.execute(f"CREATE DATABASE {name} TEMPLATE cw_template")
        stream = "T" + uuid.uuid4().hex[:10].upper()
        env |= {"DATABASE_URL": cluster.url(name), "NATS_URL": NATS_URL, "INGEST_STREAM": stream}
        made = Rig(env, data_dir, pg_url=cluster.url(name))
    made.kit("setup", "--devices", str(DEVICES))
    try:
        yield made
    finally:
        made.stop_all()
        if made.pg_url:
            _delete_streams(env["INGEST_STREAM"])


def _delete_streams(prefix: str) -> None:
    import asyncio

    from carewatch.kids.ingest.jetstream import JetStreamLog

    asyncio.run(JetStreamLog(NATS_URL, 4, prefix).delete_streams())


def _acked(lines: list[str]) -> int:
    """The highest fix number whose append was acknowledged."""
    numbers = [int(line.split()[-1]) for line in lines if line.startswith("acked F")]
    return max(numbers, default=-1)


# --- the faults --------------------------------------------------------------------


def test_every_acknowledged_position_is_stored_once_after_the_appender_is_killed(rig: Rig) -> None:
    rig.worker("w1")
    appender = rig.appender("--count", "200000", "--burst", "50", "--devices", str(DEVICES))
    lines = []
    assert appender.stdout is not None
    while len(lines) < 40:  # mid-burst: it appends as fast as it can
        lines.append(appender.stdout.readline())
    appender.send_signal(signal.SIGKILL)
    rest, _ = appender.communicate(timeout=10)
    acked = _acked(lines + rest.splitlines())
    assert acked >= 30 * 50
    rig.wait(lambda: set(range(acked + 1)) <= set(rig.stored()), what="every acked fix")
    stored = rig.stored()
    assert len(stored) == len(set(stored))


def test_a_worker_killed_mid_batch_leaves_it_whole_to_the_next_which_notifies_once(
    rig: Rig,
) -> None:
    rig.kit("append", "--count", "400", "--devices", str(DEVICES), "--sos", "0", "1", "2")
    first = rig.worker("w1", CAREWATCH_INGEST_TEST_PAUSE_S="60")
    assert first.stdout is not None
    while "Paused inside a batch" not in (line := first.stdout.readline()):
        assert line, "the worker ended before its first batch"
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    assert rig.count("SELECT count(*) FROM tracker_event") == 0  # rolled back
    rig.worker("w2")
    rig.wait(lambda: len(rig.stored()) == 400, what="all 400 positions")
    rig.wait(lambda: rig.count("SELECT count(*) FROM notify_notification") >= 3, what="alerts")
    time.sleep(1.0)  # nothing more may come
    assert rig.count("SELECT count(*) FROM tracker_event WHERE kind = 'sos'") == 3
    assert rig.count("SELECT count(*) FROM notify_notification WHERE event = 'tracker.sos'") == 3
    assert sorted(rig.stored()) == list(range(400))


@pytest.fixture
def pg_rig(rig: Rig) -> Rig:
    if not rig.pg_url:
        pytest.skip("PostgreSQL only: the embedded database does not restart")
    return rig


def test_postgresql_restarting_while_positions_flow_loses_nothing(
    pg_rig: Rig, pg_cluster: Cluster
) -> None:
    rig = pg_rig
    rig.worker("w1")
    appender = rig.appender(
        "--count", "3000", "--burst", "20", "--pause", "0.01", "--devices", str(DEVICES)
    )
    rig.wait(lambda: len(rig.stored()) > 200, what="positions flowing")
    pg_cluster.ctl("restart", "-m", "fast")
    assert appender.wait(timeout=120) == 0  # the log kept acknowledging
    rig.wait(lambda: len(rig.stored()) >= 3000, timeout=90, what="the backlog")
    assert sorted(rig.stored()) == list(range(3000))
