"""A `carewatch gateway` process killed (SIGKILL) in the middle of a burst loses nothing
it acknowledged: every frame a watch got a reply for is in the ingest log, and after a
restart (the watches resend what was not acknowledged) each position is stored once."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from carewatch.kids.ingest import codec
from carewatch.kids.ingest.embedded import SqliteLog
from carewatch.kids.ingest.log import LANES
from tests.conftest import free_port

WATCHES = [f"70000000{n:02d}" for n in range(4)]
FRAMES_PER_WATCH = 2000
START = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
PARTITIONS = 8


def frame(identifier: str, number: int) -> bytes:
    """AL with no alarm bit: a position that gets a reply, so each one is acknowledged."""
    when = START + timedelta(seconds=number)
    body = (
        f"AL,{when:%d%m%y},{when:%H%M%S},A,13.{number:06d},N,80.270700,E,0,0,0,9,100,80,0,0,"
        "00000000,0,0"
    ).encode()
    return b"[3G*%s*%04X*%s]" % (identifier.encode(), len(body), body)


def django(env: dict[str, str], code: str) -> str:
    script = "from carewatch.cli import setup_django; setup_django()\n" + code
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@contextmanager
def gateway(env: dict[str, str], port: int) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "carewatch.cli", "gateway", "--watch-port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:  # wait until it listens
            if "CareWatch gateways:" in line:
                break
        else:
            raise AssertionError("the gateway did not start")
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


class Watch:
    """Sends its frames pipelined; `acked` counts replies (in order: the first `acked`
    frames are acknowledged); after a lost connection it resends from the first unacked."""

    def __init__(self, identifier: str) -> None:
        self.identifier = identifier
        self.acked = 0

    async def run(self, port: int, until: float) -> None:
        while self.acked < FRAMES_PER_WATCH and time.monotonic() < until:
            try:
                await self.session(port)
            except (OSError, asyncio.IncompleteReadError):
                await asyncio.sleep(0.1)

    async def session(self, port: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            first = self.acked
            for start in range(first, FRAMES_PER_WATCH, 20):
                chunk = range(start, min(start + 20, FRAMES_PER_WATCH))
                writer.write(b"".join(frame(self.identifier, n) for n in chunk))
            await writer.drain()
            while self.acked < FRAMES_PER_WATCH:
                reply = await reader.readuntil(b"]")
                assert reply == b"[3G*%s*0002*AL]" % self.identifier.encode(), reply
                self.acked += 1
        finally:
            writer.close()


def logged_fix_times(data_dir: Path) -> dict[str, list[datetime]]:
    log = SqliteLog(data_dir / "ingest-log.sqlite3", PARTITIONS)
    found: dict[str, list[datetime]] = {}
    for lane in LANES:
        after = {partition: 0 for partition in range(PARTITIONS)}
        for message in log.read_sync(lane, after, 1_000_000):
            for fix in codec.decode(message.body):
                found.setdefault(fix.device_id, []).append(fix.fix_time)
    log.close_sync()
    return found


def test_a_gateway_killed_mid_burst_keeps_every_acknowledged_position_once() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="carewatch-crash-"))
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "NATS_URL", "MQTT_URL", "REDIS_URL", "OSMAND_OWN_PORT"}
    }
    env |= {"DATA_DIR": str(data_dir), "INGEST_PARTITIONS": str(PARTITIONS), "LOG_LEVEL": "WARNING"}
    django(
        env,
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "from carewatch.platform.accounts.models import Family\n"
        "from carewatch.kids.tracker.models import Device\n"
        "family = Family.objects.create(name='Crash test')\n"
        f"for identifier in {WATCHES!r}:\n"
        "    Device.objects.create(identifier=identifier, family=family)\n",
    )
    port = free_port()
    watches = [Watch(identifier) for identifier in WATCHES]

    async def burst(seconds: float) -> None:
        until = time.monotonic() + seconds
        await asyncio.gather(*(watch.run(port, until) for watch in watches))

    async def kill_mid_burst(process: subprocess.Popen[str]) -> None:
        running = asyncio.ensure_future(burst(30))
        while sum(w.acked for w in watches) < len(watches) * FRAMES_PER_WATCH // 10:
            await asyncio.sleep(0.005)
        process.send_signal(signal.SIGKILL)
        await asyncio.sleep(0.5)
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)

    with gateway(env, port) as process:
        asyncio.run(kill_mid_burst(process))
    acked_at_kill = {w.identifier: w.acked for w in watches}
    assert 0 < sum(acked_at_kill.values()) < len(watches) * FRAMES_PER_WATCH  # mid-burst
    logged = logged_fix_times(data_dir)
    for identifier, acked in acked_at_kill.items():
        wanted = {START + timedelta(seconds=n) for n in range(acked)}
        assert wanted <= set(logged.get(identifier, [])), f"{identifier} lost acknowledged fixes"

    with gateway(env, port):  # restarted: the watches resend what was not acknowledged
        asyncio.run(burst(60))
    assert all(w.acked == FRAMES_PER_WATCH for w in watches)

    counts = json.loads(
        django(
            env,
            "import json\n"
            "from carewatch.kids.ingest import open_log\n"
            "from carewatch.kids.ingest.processing import drain\n"
            "drain(open_log())\n"
            "from django.db.models import Count\n"
            "from carewatch.kids.tracker.models import Position\n"
            "rows = Position.objects.values('device__identifier', 'fix_time')"
            ".annotate(n=Count('id'))\n"
            "print(json.dumps([[r['device__identifier'], r['fix_time'].isoformat(), r['n']]"
            " for r in rows]))\n",
        )
        .strip()
        .splitlines()[-1]
    )
    stored: dict[str, set[str]] = {}
    for identifier, when, copies in counts:
        assert copies == 1
        stored.setdefault(identifier, set()).add(when)
    for identifier in WATCHES:
        expected = {(START + timedelta(seconds=n)).isoformat() for n in range(FRAMES_PER_WATCH)}
        assert stored[identifier] == expected  # every position, once
