"""A photo stuck in "Waiting to be graded": a real worker process is killed (SIGKILL) while
grading; the periodic sweep hands the photo to another worker and it is graded once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def child(mode: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tests.eyes.grading_child", mode],
        cwd=REPO,
        env=child_env(data_dir, **env),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )


def child_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """Its own SQLite database and SqliteHuey queue in data_dir: no shared services."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    return env | {"DATA_DIR": str(data_dir), "HUEY_IMMEDIATE": "False"} | extra


def state(data_dir: Path) -> dict[str, Any]:
    return json.loads(child("state", data_dir).stdout)


def wait_for(path: Path, process: subprocess.Popen[str], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the worker never started grading"
        time.sleep(0.05)


def test_a_photo_whose_worker_was_killed_mid_grading_is_graded_once_by_the_sweep(
    tmp_path: Path,
) -> None:
    child("setup", tmp_path)
    assert state(tmp_path)["tasks_waiting"] == 1  # the upload queued its grading
    marker = tmp_path / "grading-started"
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.eyes.grading_child", "worker"],
        cwd=REPO,
        env=child_env(tmp_path, BLOCKED_MARKER=str(marker)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(marker, worker)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    stuck = state(tmp_path)
    assert stuck["status"] == "queued" and stuck["gradings"] == 0
    assert stuck["grading_started"] is not None and stuck["tasks_waiting"] == 0, stuck

    done = json.loads(child("sweep", tmp_path, HUEY_IMMEDIATE="True").stdout.splitlines()[-1])
    assert done["gradings"] == 1, done
    assert done["status"] in ("graded", "ungradable"), done
