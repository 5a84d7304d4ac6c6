"""Real buses for the live-update tests: the machine's NATS, a private server to kill, and a
second process that publishes.

Killing the machine's shared server would break everyone else's tests, so the
reconnect tests start their own nats-server on a free loopback port.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import free_port, port_open, require

NATS_URL = os.environ.get("NATS_URL") or "nats://127.0.0.1:4222"
ROOT = Path(__file__).resolve().parents[2]


def shared_nats() -> str:
    require(port_open("127.0.0.1", 4222) or "NATS_URL" in os.environ, "NATS on 127.0.0.1:4222")
    return NATS_URL


def unique_prefix() -> str:
    """Subjects no other test run (or helper on this machine) uses."""
    return f"test.{uuid.uuid4().hex[:12]}"


class PrivateNats:
    """A nats-server of our own on a free port, to stop and start again on that port."""

    def __init__(self) -> None:
        binary = shutil.which("nats-server")
        require(binary is not None, "the nats-server binary")
        self.binary = str(binary)
        self.port = free_port()
        self.url = f"nats://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "-a", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not port_open("127.0.0.1", self.port):
            if time.monotonic() > deadline:
                raise RuntimeError("nats-server did not start")
            time.sleep(0.05)

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@contextmanager
def private_nats() -> Iterator[PrivateNats]:
    server = PrivateNats()
    server.start()
    try:
        yield server
    finally:
        server.kill()


PUBLISHER = """
import json, sys
import django
django.setup()
from carewatch.kids.tracker import livefeed
from carewatch.kids.tracker.ingestion import DeviceRow
from carewatch.platform import pubsub
from datetime import datetime, UTC
family, device, lat = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
row = DeviceRow(device, "x", family, None, {}, "online", datetime.now(UTC), datetime.now(UTC),
                lat, 80.28, 9.0, 61)
name = pubsub.backend_name()
livefeed.publish_updates([row], [])
pubsub.close(5)
print(name)
"""


def publish_from_another_process(
    url: str, prefix: str, family_id: int, device_id: int, lat: float
) -> str:
    """Runs livefeed.publish_updates (what the ingest workers call) in a fresh Python."""
    env = os.environ | {
        "PUBSUB_URL": url,
        "PUBSUB_PREFIX": prefix,
        "DJANGO_SETTINGS_MODULE": "carewatch.settings",
        "PYTHONPATH": str(ROOT / "src"),
    }
    done = subprocess.run(
        [sys.executable, "-c", PUBLISHER, str(family_id), str(device_id), str(lat)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
