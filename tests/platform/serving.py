"""Start the real `carewatch` command in a subprocess on a free loopback port."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

CAREWATCH = str(Path(sys.executable).parent / "carewatch")


def embedded_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The machine's environment with the embedded defaults forced (no PostgreSQL, no Redis)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "HUEY_IMMEDIATE"}
    }
    # no watch gateway on its fixed port: two servers of a test run must not clash there
    env |= {"DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1", "WATCH_PORT": "0"} | extra
    return env


@contextmanager
def running(
    command: str, port: int, env: dict[str, str], timeout: float = 60
) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [CAREWATCH, command, "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", process, timeout)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_until_up(url: str, process: subprocess.Popen[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise AssertionError(f"the server exited early:\n{output}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"the server did not answer {url} within {timeout} s")
