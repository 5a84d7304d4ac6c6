"""Real buses for the live-update tests: the machine's NATS and Redis, private servers to
kill, and a second process that publishes.

Killing the machine's shared servers would break everyone else's tests, so the
reconnect tests start their own nats-server or redis-server on a free loopback port.
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
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/6"
ROOT = Path(__file__).resolve().parents[2]
KINDS = ["nats", "redis"]  # the buses with a server (to kill)
EVERY_BUS = ["local", *KINDS]


def shared_bus(kind: str) -> str:
    """The machine's server of that kind (CI sets NATS_URL and REDIS_URL); "local" is the
    embedded default: processes sharing DATA_DIR."""
    if kind == "local":
        return "local"
    if kind == "nats":
        require(port_open("127.0.0.1", 4222) or "NATS_URL" in os.environ, "NATS on 4222")
        return NATS_URL
    require(port_open("127.0.0.1", 6379) or "REDIS_URL" in os.environ, "Redis on 6379")
    return REDIS_URL


def shared_nats() -> str:
    return shared_bus("nats")


def unique_prefix() -> str:
    """Subjects no other test run (or helper on this machine) uses."""
    return f"test.{uuid.uuid4().hex[:12]}"


class PrivateServer:
    """A nats-server or redis-server of our own on a free port, to kill and start again."""

    def __init__(self, kind: str = "nats") -> None:
        binary = shutil.which(f"{kind}-server")
        require(binary is not None, f"the {kind}-server binary")
        self.port = free_port()
        self.url = f"{kind}://127.0.0.1:{self.port}"
        self.command = [str(binary), "--port", str(self.port)]
        if kind == "nats":
            self.command += ["-a", "127.0.0.1"]
        else:
            self.command += ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        while not port_open("127.0.0.1", self.port):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.command[0]} did not start")
            time.sleep(0.05)

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@contextmanager
def private_server(kind: str = "nats") -> Iterator[PrivateServer]:
    server = PrivateServer(kind)
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
