"""Ingest throughput through the whole tracker pipeline, into SQLite and into PostgreSQL.

10,000 paired devices in 2,500 families and 10,000 places (a home and a school circle
and two polygons per family). A loader thread pushes batches of 1,000 fixes through
`ingest_fixes` (rules, positions, device state, events, alerts) as fast as it can,
while an SOS thread sends one SOS every 100 ms through the same path, measuring the
time from the ingest call to the guardian's Notification rows. The same rows are also
written with a plain bulk insert into the same database: the floor the pipeline cannot
beat, printed as a ratio.

    uv run python bench/tracker_ingest_bench.py            # SQLite and PostgreSQL
    uv run python bench/tracker_ingest_bench.py --quick    # under a minute
    uv run python bench/tracker_ingest_bench.py --database sqlite

PostgreSQL: a throwaway database `carewatch_bench` on 127.0.0.1:5432 (trust auth),
dropped afterwards; skipped with a note when the server is not there. Prints readable
figures and, as the last line, one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

DEVICES, FAMILIES, BATCH = 10_000, 2_500, 1_000
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgres://postgres@127.0.0.1:5432/carewatch_bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller run, under a minute")
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--worker", help=argparse.SUPPRESS)  # one database per process
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(run_one(args.worker, args.quick)))
        return
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    results = {db: in_subprocess(db, args.quick) for db in databases}
    for db, figures in results.items():
        print_figures(db, figures)
    print(json.dumps({"benchmark": "tracker_ingest", "quick": args.quick, "results": results}))


def in_subprocess(database: str, quick: bool) -> dict[str, object]:
    """Django settings are per process: each database gets its own interpreter."""
    command = [sys.executable, __file__, "--worker", database] + (["--quick"] if quick else [])
    done = subprocess.run(command, capture_output=True, text=True, timeout=900)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"error": (done.stderr or done.stdout).strip().splitlines()[-1:]}
    return dict(json.loads(lines[-1]))


def run_one(database: str, quick: bool) -> dict[str, object]:
    data_dir = Path(tempfile.mkdtemp(prefix="carewatch-bench-"))
    os.environ |= {"DATA_DIR": str(data_dir), "LOG_LEVEL": "WARNING", "HUEY_IMMEDIATE": "True"}
    os.environ.pop("REDIS_URL", None)
    if database == "postgres":
        if not recreate_postgres_database():
            return {"skipped": "no PostgreSQL server on 127.0.0.1:5432"}
        os.environ["DATABASE_URL"] = PG_BENCH
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carewatch.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    try:
        return measure(quick)
    finally:
        if database == "postgres":
            from django.db import connections

            connections.close_all()
            drop_postgres_database()


def recreate_postgres_database() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
            conn.execute("DROP DATABASE IF EXISTS carewatch_bench")
            conn.execute("CREATE DATABASE carewatch_bench")
        return True
    except Exception:  # noqa: BLE001 - any failure means "not available here"
        return False


def drop_postgres_database() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS carewatch_bench WITH (FORCE)")


def measure(quick: bool) -> dict[str, object]:
    from carewatch.kids.tracker.ingestion import ingest_fixes

    identifiers, sos_device = populate()
    rounds = 3 if quick else 12
    rng = random.Random(7)
    t0 = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
    batches = list(make_batches(identifiers, rounds, t0, rng))
    fixes_total = sum(len(b) for b in batches)

    latencies: list[float] = []
    stop = threading.Event()
    sos_thread = threading.Thread(target=send_sos, args=(sos_device, t0, stop, latencies))
    sos_thread.start()
    started = time.perf_counter()
    for number, batch in enumerate(batches):
        ingest_fixes(batch, now=t0 + timedelta(seconds=30 * (number // (DEVICES // BATCH) + 1)))
    pipeline_s = time.perf_counter() - started
    stop.set()
    sos_thread.join()
    floor_s = raw_bulk_insert(batches)
    pipeline_rate, floor_rate = fixes_total / pipeline_s, fixes_total / floor_s
    return {
        "devices": DEVICES,
        "places": 4 * FAMILIES,
        "positions": fixes_total,
        "pipeline_positions_per_s": round(pipeline_rate),
        "bulk_insert_positions_per_s": round(floor_rate),
        "pipeline_to_bulk_insert_ratio": round(pipeline_rate / floor_rate, 3),
        "sos_samples": len(latencies),
        "sos_to_notification_p50_ms": round(percentile(latencies, 50), 1),
        "sos_to_notification_p99_ms": round(percentile(latencies, 99), 1),
    }


def populate() -> tuple[list[str], str]:
    from django.db import transaction

    from carewatch.kids.tracker.models import Child, Device, Place
    from carewatch.platform.accounts.models import Family, FamilyMembership, User

    with transaction.atomic():
        families = Family.objects.bulk_create(Family(name=f"F{n}") for n in range(FAMILIES))
        children = Child.objects.bulk_create(
            Child(family=families[n % FAMILIES], name=f"C{n}") for n in range(DEVICES)
        )
        Device.objects.bulk_create(
            Device(identifier=f"B{n:07d}", family=children[n].family, child=children[n])
            for n in range(DEVICES)
        )
        Place.objects.bulk_create(places_for(families))
        guardian = User.objects.create_user("guardian@bench.example", "x")
        FamilyMembership.objects.create(family=families[0], user=guardian, role="owner")
    return [f"B{n:07d}" for n in range(1, DEVICES)], "B0000000"


def places_for(families: list[Any]) -> list[Any]:
    from carewatch.kids.tracker.models import Place

    places: list[Any] = []
    for n, family in enumerate(families):
        lat, lon = 12.9 + (n % 50) * 0.01, 80.1 + (n // 50) * 0.01
        places.append(
            Place(family=family, name="Home", kind="home", lat=lat, lon=lon, radius_m=100)
        )
        places.append(
            Place(
                family=family, name="School", kind="school", lat=lat + 0.004, lon=lon, radius_m=150
            )
        )
        square = [
            [lat - 0.002, lon + 0.003],
            [lat - 0.002, lon + 0.005],
            [lat, lon + 0.005],
            [lat, lon + 0.003],
        ]
        places.append(Place(family=family, name="Park", kind="other", polygon=square))
        shifted = [[a + 0.004, b] for a, b in square]
        places.append(Place(family=family, name="Club", kind="other", polygon=shifted))
    return places


def make_batches(identifiers: list[str], rounds: int, t0: datetime, rng: random.Random) -> Any:
    from carewatch.kids.tracking import Fix

    for round_number in range(rounds):
        when = t0 + timedelta(seconds=30 * round_number)
        fixes = []
        for n, identifier in enumerate(identifiers):
            lat = 12.9 + ((n % FAMILIES) % 50) * 0.01 + rng.uniform(-0.003, 0.006)
            lon = 80.1 + ((n % FAMILIES) // 50) * 0.01 + rng.uniform(-0.002, 0.006)
            fixes.append(Fix(identifier, when, lat, lon, accuracy_m=rng.uniform(5, 40), battery=90))
        rng.shuffle(fixes)  # arrival order, not device order
        for start in range(0, len(fixes), BATCH):
            yield fixes[start : start + BATCH]


def send_sos(device: str, t0: datetime, stop: threading.Event, latencies: list[float]) -> None:
    from django.db import connection

    from carewatch.kids.tracker.ingestion import ingest_fixes
    from carewatch.kids.tracking import Fix
    from carewatch.platform.notify.models import Notification

    number = 0
    while not stop.is_set():
        number += 1
        when = t0 + timedelta(minutes=2 * number)  # beyond the SOS de-duplication window
        sos = Fix(device, when, 12.9, 80.1, accuracy_m=10, alarms=frozenset({"sos"}))
        before = Notification.objects.count()
        started = time.perf_counter()
        ingest_fixes([sos], now=when)
        if Notification.objects.count() > before:
            latencies.append((time.perf_counter() - started) * 1000)
        stop.wait(0.1)
    connection.close()


def raw_bulk_insert(batches: list[list[Any]]) -> float:
    """The same rows with the same multi-row INSERT, and nothing else: the floor."""
    from django.db import transaction

    from carewatch.kids.tracker import sql
    from carewatch.kids.tracker.models import Device

    ids = dict(Device.objects.values_list("identifier", "pk"))
    later = timedelta(days=1)  # other fix times than the pipeline's rows
    rows: list[list[Any]] = [
        [
            (
                ids[f.device_id],
                f.fix_time + later,
                f.fix_time,
                f.lat,
                f.lon,
                f.accuracy_m,
                None,
                None,
                None,
                f.battery,
                True,
                False,
                {},
            )
            for f in batch
        ]
        for batch in batches
    ]
    started = time.perf_counter()
    for batch_rows in rows:
        with transaction.atomic():
            sql.insert_positions(batch_rows, skip_existing=False)
    return time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def print_figures(database: str, figures: dict[str, object]) -> None:
    print(f"\n{database}")
    for key, value in figures.items():
        print(f"  {key:<34} {value}")


if __name__ == "__main__":
    main()
