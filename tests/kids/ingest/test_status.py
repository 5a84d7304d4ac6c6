"""`carewatch ingest --status` and the exported lag; the settings that choose the log."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import pytest

from carewatch.kids.ingest.embedded import SqliteLog
from carewatch.kids.ingest.processing import drain
from carewatch.kids.ingest.status import collect, prometheus_text, render
from carewatch.kids.ingest.worker import write_metrics
from carewatch.platform.lib.env import ConfigError, env_partitions, parse_nats_url
from tests.kids.ingest.test_worker import fix
from tests.kids.tracker.base import TrackerTestCase


class StatusTests(TrackerTestCase):
    def test_it_shows_the_lag_per_partition_until_a_worker_catches_up(self) -> None:
        folder = Path(tempfile.mkdtemp())
        log = SqliteLog(folder / "log.sqlite3", partitions=2)
        log.append_sync([fix(30)])
        log.append_sync([fix(20)])
        report = collect(log, folder)
        waiting = [row for row in report["partitions"] if row["lag_messages"]]
        self.assertEqual(len(waiting), 1)
        self.assertEqual((waiting[0]["lane"], waiting[0]["lag_messages"]), ("positions", 2))
        self.assertGreaterEqual(waiting[0]["oldest_unprocessed_s"], 0)
        self.assertIn("no live worker", render(report))
        with self.captureOnCommitCallbacks(execute=True):
            drain(log)
        report = collect(log, folder)
        self.assertEqual(sum(row["lag_messages"] for row in report["partitions"]), 0)
        self.assertEqual(sum(row["processed_fixes"] for row in report["partitions"]), 2)

    def test_live_workers_rates_come_from_their_metrics_files(self) -> None:
        folder = Path(tempfile.mkdtemp())
        log = SqliteLog(folder / "log.sqlite3", partitions=2)
        snapshot = {"worker": "w/1", "log": log.name, "time": time.time(), "fixes": 10,
                    "fixes_per_s": 4.5, "partitions": [0, 1], "lag": {}}  # fmt: skip
        write_metrics(folder, snapshot)
        stale = snapshot | {"worker": "gone", "time": time.time() - 3600}
        write_metrics(folder, stale)
        self.assertTrue((folder / "ingest-w_1.prom").exists())
        report = collect(log, folder)
        self.assertEqual([w["worker"] for w in report["workers"]], ["w/1"])
        self.assertIn("all workers: 4.5 fixes/s", render(report))
        json.dumps(report)  # --status --json


def test_the_prometheus_text_names_worker_partition_and_lane() -> None:
    now = time.time()
    text = prometheus_text({"worker": 'a"b', "time": now, "fixes": 3, "fixes_per_s": 1.5,
                            "lag": {"3:1": [2, now - 4], "0:0": [0, None]}})  # fmt: skip
    assert 'carewatch_ingest_lag_messages{worker="ab",partition="3",lane="alarms"} 2' in text
    assert (
        'carewatch_ingest_oldest_unprocessed_seconds{worker="ab",partition="3",lane="alarms"} 4.'
        in text
    )
    assert 'carewatch_ingest_fixes_total{worker="ab"} 3' in text


@pytest.mark.parametrize(
    "raw", ["nats://127.0.0.1:4222", "tls://nats.example:4222,nats://10.0.0.2:4222"]
)
def test_nats_urls_are_accepted(raw: str) -> None:
    assert parse_nats_url(raw) == raw


@pytest.mark.parametrize("raw", ["http://127.0.0.1:4222", "nats://:4222", "nats://host:port"])
def test_anything_else_in_nats_url_is_refused_with_a_sentence(raw: str) -> None:
    with pytest.raises(ConfigError, match="NATS_URL"):
        parse_nats_url(raw)


def test_an_unset_nats_url_means_the_embedded_log() -> None:
    assert parse_nats_url("") is None and parse_nats_url(None) is None


@pytest.mark.parametrize("raw", ["0", "-1", "5000", "eight"])
def test_partitions_out_of_range_are_refused(raw: str) -> None:
    with pytest.raises(ConfigError, match="INGEST_PARTITIONS"):
        env_partitions({"INGEST_PARTITIONS": raw}, "INGEST_PARTITIONS", 8)
