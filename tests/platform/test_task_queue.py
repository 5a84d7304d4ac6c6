"""Huey runs scheduled and periodic tasks on both backends: SQLite (embedded) and Redis."""

from __future__ import annotations

import datetime as dt
import os
import signal
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from huey import Huey, RedisHuey, SqliteHuey, crontab

from tests.conftest import port_open, require

CONSUMER_SIGNALS = [signal.SIGTERM, signal.SIGINT, signal.SIGHUP]
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


def sqlite_huey(tmp_path: Path) -> Huey:
    return SqliteHuey(name="test", filename=str(tmp_path / "tasks.sqlite3"), utc=True)


def redis_huey(tmp_path: Path) -> Huey:
    require(port_open("127.0.0.1", 6379) or "REDIS_URL" in os.environ, "Redis on 127.0.0.1:6379")
    return RedisHuey(name=f"test-{uuid.uuid4().hex[:8]}", url=REDIS_URL, utc=True)


@pytest.fixture(params=[sqlite_huey, redis_huey], ids=["sqlite", "redis"])
def huey(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Huey]:
    make: Callable[[Path], Huey] = request.param
    instance = make(tmp_path)
    yield instance
    instance.flush()


def run_consumer(huey: Huey, seconds: float) -> None:
    """A real consumer (scheduler and worker threads) for a while; keeps pytest's signals."""
    handlers = {number: signal.getsignal(number) for number in CONSUMER_SIGNALS}
    consumer = huey.create_consumer(
        workers=1, worker_type="thread", scheduler_interval=1, periodic=False
    )
    consumer.start()
    try:
        time.sleep(seconds)
    finally:
        consumer.stop(graceful=True)
        for number, handler in handlers.items():
            signal.signal(number, handler)


def test_it_runs_a_task_at_the_time_it_was_scheduled_for(huey: Huey) -> None:
    ran_at: list[dt.datetime] = []

    @huey.task()
    def remember_time() -> None:
        ran_at.append(dt.datetime.now(dt.UTC))

    eta = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)
    remember_time.schedule(eta=eta)
    run_consumer(huey, 4.5)
    assert len(ran_at) == 1
    assert ran_at[0] >= eta - dt.timedelta(milliseconds=50)


def test_it_enqueues_and_runs_periodic_tasks_when_their_time_comes(huey: Huey) -> None:
    runs: list[int] = []

    @huey.periodic_task(crontab(minute="*/5"))
    def every_five_minutes() -> None:
        runs.append(1)

    scheduler = huey.create_consumer(workers=1, worker_type="thread")._create_scheduler()
    scheduler.enqueue_periodic_tasks(dt.datetime(2026, 11, 23, 10, 6))
    assert huey.pending_count() == 0
    scheduler.enqueue_periodic_tasks(dt.datetime(2026, 11, 23, 10, 5))
    assert huey.pending_count() == 1
    run_consumer(huey, 1.5)
    assert runs == [1]


def test_the_settings_choose_redis_when_redis_url_is_set() -> None:
    from django.conf import settings

    expected = "huey.RedisHuey" if settings.REDIS_URL else "huey.SqliteHuey"
    assert settings.HUEY["huey_class"] == expected
