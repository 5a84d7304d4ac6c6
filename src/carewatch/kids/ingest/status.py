"""`carewatch ingest --status`, and the lag exported for monitoring.

Lag is read where it is true whatever the workers are doing: the offsets committed in
the database against what waits in the log after them. Rates come from the files each
worker writes every few seconds (DATA_DIR/metrics/ingest-<worker>.json and .prom).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from carewatch.kids.ingest.log import LANES, URGENT, Log

LANE_NAMES = {URGENT: "alarms", 0: "positions"}


def prometheus_text(snapshot: dict[str, Any]) -> str:
    worker = snapshot["worker"].replace('"', "")
    lines = [
        "# HELP carewatch_ingest_lag_messages Log messages waiting after the committed offset.",
        "# TYPE carewatch_ingest_lag_messages gauge",
    ]
    oldest: list[str] = []
    for key, (messages, first) in sorted(snapshot["lag"].items()):
        partition, lane = key.split(":")
        labels = f'worker="{worker}",partition="{partition}",lane="{LANE_NAMES[int(lane)]}"'
        lines.append(f"carewatch_ingest_lag_messages{{{labels}}} {messages}")
        age = max(0.0, snapshot["time"] - first) if first else 0.0
        oldest.append(f"carewatch_ingest_oldest_unprocessed_seconds{{{labels}}} {age:.3f}")
    lines += [
        "# HELP carewatch_ingest_oldest_unprocessed_seconds Age of the oldest waiting message.",
        "# TYPE carewatch_ingest_oldest_unprocessed_seconds gauge",
        *oldest,
        "# TYPE carewatch_ingest_fixes_total counter",
        f'carewatch_ingest_fixes_total{{worker="{worker}"}} {snapshot["fixes"]}',
        "# TYPE carewatch_ingest_fixes_per_second gauge",
        f'carewatch_ingest_fixes_per_second{{worker="{worker}"}} {snapshot["fixes_per_s"]}',
    ]
    return "\n".join(lines) + "\n"


def collect(log: Log, metrics_dir: Path) -> dict[str, Any]:
    """Lag per partition and lane (from the database and the log), and each live worker's rate."""
    import asyncio

    from carewatch.kids.ingest.models import Lease, Offset

    offsets = {(o.partition, o.lane): o for o in Offset.objects.filter(log=log.name)}
    owners = {
        lease.partition: lease.owner
        for lease in Lease.objects.filter(log=log.name, expires__gt=time.time())
    }
    now = time.time()
    rows: list[dict[str, Any]] = []
    for lane in LANES:
        after = {
            p: offsets[(p, lane)].seq if (p, lane) in offsets else 0 for p in range(log.partitions)
        }
        backlog = asyncio.run(log.backlog(lane, after))
        for partition, waiting in sorted(backlog.items()):
            rows.append(
                {
                    "partition": partition,
                    "lane": LANE_NAMES[lane],
                    "lag_messages": waiting.messages,
                    "oldest_unprocessed_s": round(now - waiting.oldest, 3) if waiting.oldest else 0,
                    "processed_fixes": offsets[(partition, lane)].fixes
                    if (partition, lane) in offsets
                    else 0,
                    "owner": owners.get(partition, ""),
                }
            )
    return {"log": log.name, "partitions": rows, "workers": _workers(metrics_dir, log.name, now)}


def _workers(folder: Path, log_name: str, now: float) -> list[dict[str, Any]]:
    found = []
    for path in sorted(folder.glob("ingest-*.json")):
        try:
            snapshot = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if snapshot.get("log") == log_name and now - snapshot.get("time", 0) < 60:
            found.append({k: snapshot[k] for k in ("worker", "fixes", "fixes_per_s", "partitions")})
    return found


def render(report: dict[str, Any]) -> str:
    lines = [f"Ingest log {report['log']}", ""]
    lines.append(
        f"  {'partition':>9}  {'lane':<9}  {'lag':>7}  {'oldest (s)':>10}  {'fixes':>10}  owner"
    )
    for row in report["partitions"]:
        lines.append(
            f"  {row['partition']:>9}  {row['lane']:<9}  {row['lag_messages']:>7}  "
            f"{row['oldest_unprocessed_s']:>10}  {row['processed_fixes']:>10}  {row['owner']}"
        )
    lines.append("")
    total = sum(w["fixes_per_s"] for w in report["workers"])
    for worker in report["workers"]:
        lines.append(f"  worker {worker['worker']}: {worker['fixes_per_s']} fixes/s")
    lines.append(f"  all workers: {total:.1f} fixes/s" if report["workers"] else "  no live worker")
    return "\n".join(lines)
