"""Throughput of the pure tracking core: `ingest` into MemoryStore.

10,000 devices in 5,000 families (two children each), every family with a home
circle and a school polygon: 10,000 places. Each round every device reports once,
30 s after its last report, in batches of 1,000 fixes in arrival order. Most
fixes sit inside or far from a place (the common case); some are near an edge,
invalid, duplicated or late, some carry a battery drop or an SOS.

    uv run python bench/tracking_core_bench.py           # 30 rounds, 300,000 fixes
    uv run python bench/tracking_core_bench.py --quick   # 8 rounds, under a minute

Times are CPU seconds of the ingest calls alone (the machine is shared; wall
seconds are printed too). "json_states" writes every state as JSON text and
reads it back, as the database column would. The store keeps no history (the
pipeline sends it to the database), so the heap does not grow with the run.
Prints readable figures, writes them to test-artifacts/tracking_core_bench.json,
and prints the same JSON object as the last line.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from carewatch.kids.tracking import (
    Circle,
    DeviceState,
    Fix,
    MemoryStore,
    PlaceDef,
    PlaceKind,
    Polygon,
    ingest,
)
from carewatch.kids.tracking.geo import M_PER_DEG_LAT

DEVICES = 10_000
BATCH = 1_000
WARM_ROUNDS = 3  # the first rounds learn every device's places
START = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
OUT = Path(__file__).resolve().parents[1] / "test-artifacts" / "tracking_core_bench.json"


def offset(lat: float, lon: float, north_m: float, east_m: float) -> tuple[float, float]:
    return (
        lat + north_m / M_PER_DEG_LAT,
        lon + east_m / (M_PER_DEG_LAT * math.cos(math.radians(lat))),
    )


def family_places(rng: random.Random, family: int) -> tuple[list[PlaceDef], tuple[float, ...]]:
    lat, lon = 48.0 + rng.uniform(0, 6), 2.0 + rng.uniform(0, 12)
    home = PlaceDef(2 * family, "Home", PlaceKind.HOME, Circle(lat, lon, rng.uniform(80, 200)))
    slat, slon = offset(lat, lon, rng.uniform(-2000, 2000), rng.uniform(-2000, 2000))
    corners = rng.randint(5, 8)
    ring = tuple(
        offset(slat, slon, 120 * math.sin(a), 160 * math.cos(a))
        for a in (2 * math.pi * k / corners + rng.uniform(-0.2, 0.2) for k in range(corners))
    )
    school = PlaceDef(2 * family + 1, "School", PlaceKind.SCHOOL, Polygon(ring))
    return [home, school], (lat, lon, slat, slon)


def make_fleet(
    rng: random.Random, json_states: bool
) -> tuple[MemoryStore, list[tuple[float, ...]]]:
    store = MemoryStore(json_states=json_states, keep_history=False)
    anchors = []
    for family in range(DEVICES // 2):
        places, anchor = family_places(rng, family)
        for child in range(2):
            store.add_device(f"86{family:08d}{child}", places, DeviceState())
            anchors.append(anchor)
    return store, anchors


def make_round(
    rng: random.Random, n: int, anchors: list[tuple[float, ...]], where: list[float]
) -> list[Fix]:
    """One report per device; fixes[i] belongs to device i.

    A child stays where it is (home, school, or elsewhere) and moves on now
    and then, so most fixes confirm what the rules already know.
    """
    fixes = []
    base = START + timedelta(seconds=30 * n)
    for i, (hlat, hlon, slat, slon) in enumerate(anchors):
        if rng.random() < 0.02:
            where[i] = rng.random()
        spot = where[i]
        if spot < 0.45:
            lat, lon = offset(hlat, hlon, rng.gauss(0, 20), rng.gauss(0, 20))
        elif spot < 0.85:
            lat, lon = offset(slat, slon, rng.gauss(0, 30), rng.gauss(0, 30))
        else:
            north, east = (spot - 0.85) * 20_000, (spot - 0.85) * 10_000
            lat, lon = offset(hlat, hlon, north + rng.gauss(0, 20), east + rng.gauss(0, 20))
        roll = rng.random()
        fixes.append(
            Fix(
                device_id=f"86{i // 2:08d}{i % 2}",
                fix_time=base + timedelta(seconds=rng.uniform(0, 20)),
                lat=0.0 if roll < 0.01 else lat,
                lon=0.0 if roll < 0.01 else lon,
                accuracy_m=rng.uniform(5, 40),
                speed_kmh=rng.uniform(0, 6),
                battery=max(1, 100 - (i % 97) - n // 2),
                valid=roll >= 0.02,
                alarms=frozenset({"sos"}) if roll > 0.9995 else frozenset(),
            )
        )
    return fixes


def run(rounds: int, json_states: bool, seed: int = 7) -> dict[str, int | float]:
    rng = random.Random(seed)
    store, anchors = make_fleet(rng, json_states)
    where = [rng.random() for _ in anchors]
    all_rounds = [make_round(rng, n, anchors, where) for n in range(rounds)]
    for n, fixes in enumerate(all_rounds[1:], start=1):  # some resent and some late fixes
        for i in rng.sample(range(DEVICES), 100):
            fixes.append(fixes[i])  # a duplicate
        for i in rng.sample(range(DEVICES), 50):
            late = all_rounds[n - 1][i]
            fixes.append(
                Fix(late.device_id, late.fix_time - timedelta(seconds=5), late.lat, late.lon)
            )
    totals = {"fixes": 0, "accepted": 0, "late": 0, "duplicates": 0, "events": 0}
    # The prepared fixes are not the pipeline's garbage: keep the collector off them.
    gc.collect()
    gc.freeze()
    cpu = wall = steady_cpu = 0.0
    steady_fixes = 0
    for n, fixes in enumerate(all_rounds):
        rng.shuffle(fixes)
        now = START + timedelta(seconds=30 * n + 25)
        for start in range(0, len(fixes), BATCH):
            batch = fixes[start : start + BATCH]
            began, began_wall = time.process_time(), time.perf_counter()
            result = ingest(batch, store, now)
            spent = time.process_time() - began
            wall += time.perf_counter() - began_wall
            cpu += spent
            if n >= WARM_ROUNDS:
                steady_cpu += spent
                steady_fixes += len(batch)
            totals["fixes"] += len(batch)
            totals["accepted"] += result.accepted
            totals["late"] += result.late
            totals["duplicates"] += result.duplicates
            totals["events"] += len(result.events)
    gc.unfreeze()
    return {
        **totals,
        "cpu_s": round(cpu, 3),
        "wall_s": round(wall, 3),
        "fixes_per_cpu_s": round(totals["fixes"] / cpu),
        "fixes_per_wall_s": round(totals["fixes"] / wall),
        "steady_fixes_per_cpu_s": round(steady_fixes / steady_cpu) if steady_cpu else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="8 rounds instead of 30")
    parser.add_argument("--rounds", type=int, default=None)
    args = parser.parse_args()
    rounds = args.rounds or (8 if args.quick else 30)
    figures: dict[str, object] = {
        "bench": "tracking_core",
        "devices": DEVICES,
        "places": DEVICES,
        "batch": BATCH,
        "rounds": rounds,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    print(
        f"{DEVICES:,} devices, {DEVICES:,} places, batches of {BATCH:,}, {rounds} rounds; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    for label, json_states in (("objects", False), ("json_states", True)):
        figures[label] = r = run(rounds, json_states)
        print(
            f"{label:12} {r['fixes']:>9,} fixes: {r['fixes_per_cpu_s']:>8,} fixes/CPU s "
            f"({r['fixes_per_wall_s']:,}/wall s; "
            f"after warm-up {r['steady_fixes_per_cpu_s']:,}/CPU s)"
            f"  accepted {r['accepted']:,}, late {r['late']:,}, duplicates {r['duplicates']:,}, "
            f"events {r['events']:,}"
        )
    figures["load_average"] = round(os.getloadavg()[0], 2)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"written to {OUT}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
