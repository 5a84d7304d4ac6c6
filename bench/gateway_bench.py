"""Device gateway benchmark, in sections (run all, or pick with --only).

decoder
    Frames per second of the pure watch decoder on one core (target: 50,000), on a
    realistic mix from 10,000 watches: mostly UD/UD2/UD_LTE positions (some with
    cell towers and Wi-Fi), LK heartbeats, a few alarms without a fix, health
    reports, TKQ and CONFIG. Measured three ways: decode alone, framer + decode
    (one framer per connection, a frame per segment as TCP mostly delivers), and
    the common UD/LK path alone. OsmAnd (query) and OwnTracks requests/s too.

    uv run python bench/gateway_bench.py                    # every section
    uv run python bench/gateway_bench.py --only decoder --quick

CPU seconds of the measured loops (time.process_time: one core, so a neighbour's
load does not count); each figure is the best of several rounds. Prints readable
figures, writes them to test-artifacts/gateway_bench.json, and prints the same JSON
object as the last line. Sections are functions in SECTIONS: add one to extend.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from carewatch.kids.protocols import osmand, owntracks, watch

OUT = Path(__file__).resolve().parents[1] / "test-artifacts" / "gateway_bench.json"
RECEIVED = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
DEVICES = 10_000
DECODER_TARGET = 50_000


def frame(device: str, content: str, maker: str = "3G") -> bytes:
    body = content.encode("latin-1")
    return b"[%s*%s*%04X*%s]" % (maker.encode(), device.encode(), len(body), body)


def position(rng: random.Random, kind: str, status: int = 0, fix: bool = True) -> str:
    lat, lon = 22.5 + rng.random(), 114.0 + rng.random()
    validity = "A" if fix else "V"
    network = "0,0"
    if rng.random() < 0.3:  # cell towers and Wi-Fi, as watches indoors send
        network = (
            "3,1,460,0,9360,4082,131,9360,4092,148,9360,4091,143,"
            "2,home,1c:fa:68:13:a5:b4,-61,school,bc:46:99:0:1:2,-75"
        )
    return (
        f"{kind},230526,{rng.randrange(24):02d}{rng.randrange(60):02d}{rng.randrange(60):02d},"
        f"{validity},{lat:.6f},N,{lon:.6f},E,{rng.uniform(0, 6):.1f},{rng.randrange(360)},"
        f"{rng.randrange(200)},{rng.randrange(12)},{rng.randrange(100)},"
        f"{rng.randrange(101)},{rng.randrange(20000)},0,{status:08X},{network}"
    )


def watch_mix(count: int, seed: int = 7) -> list[bytes]:
    """A day's traffic in miniature: 60 % positions, 30 % LK, then the rarer types."""
    rng = random.Random(seed)
    frames = []
    for _ in range(count):
        device = f"{8_800_000_000 + rng.randrange(DEVICES)}"
        roll = rng.random()
        if roll < 0.60:
            content = position(rng, rng.choice(["UD", "UD2", "UD_LTE"]))
        elif roll < 0.90:
            content = f"LK,{rng.randrange(20000)},0,{rng.randrange(101)}"
        elif roll < 0.93:
            content = position(rng, "AL_LTE", status=1 << 16 | 1, fix=False)
        elif roll < 0.96:
            content = rng.choice(["heart,72", "bphrt,120,79,72", "oxygen,98", "btemp2,1,36.6"])
        elif roll < 0.98:
            content = "TKQ"
        else:
            content = "CONFIG,TY:g36a,UL:180,SY:0,CM:0,WT:0,HR:1"
        frames.append(frame(device, content))
    return frames


def common_path(count: int, seed: int = 11) -> list[bytes]:
    rng = random.Random(seed)
    return [
        frame(f"{8_800_000_000 + rng.randrange(DEVICES)}", position(rng, "UD"))
        if rng.random() < 0.67
        else frame(f"{8_800_000_000 + rng.randrange(DEVICES)}", "LK,1200,0,87")
        for _ in range(count)
    ]


def best_rate(run: Callable[[], int], rounds: int) -> tuple[float, list[float]]:
    """Items per CPU second of `run` (which returns how many it did), best of `rounds`."""
    rates = []
    for _ in range(rounds):
        start = time.process_time()
        done = run()
        rates.append(done / max(time.process_time() - start, 1e-9))
    return max(rates), rates


def decode_all(frames: list[bytes]) -> Callable[[], int]:
    decode = watch.decode

    def run() -> int:
        for item in frames:
            decode(item, RECEIVED)
        return len(frames)

    return run


def frame_and_decode(frames: list[bytes]) -> Callable[[], int]:
    decode = watch.decode
    framers: dict[bytes, watch.WatchFramer] = {}
    keyed = [(item.split(b"*", 2)[1], item) for item in frames]

    def run() -> int:
        done = 0
        for device, segment in keyed:
            framer = framers.get(device)
            if framer is None:
                framer = framers[device] = watch.WatchFramer()
            for item in framer.feed(segment):
                decode(item, RECEIVED)
                done += 1
        return done

    return run


def osmand_requests(count: int) -> Callable[[], int]:
    rng = random.Random(3)
    uris = [
        f"/?id={rng.randrange(DEVICES)}&timestamp={1_700_000_000 + n}&lat={52 + rng.random():.6f}"
        f"&lon={13 + rng.random():.6f}&speed={rng.uniform(0, 5):.1f}&bearing={rng.randrange(360)}"
        f"&altitude=35&accuracy=12&batt={rng.randrange(101)}"
        for n in range(count)
    ]

    def run() -> int:
        for uri in uris:
            osmand.decode("GET", uri, b"", None, RECEIVED)
        return len(uris)

    return run


def owntracks_messages(count: int) -> Callable[[], int]:
    rng = random.Random(5)
    bodies = [
        json.dumps(
            {
                "_type": "location",
                "lat": 46 + rng.random(),
                "lon": 11 + rng.random(),
                "tst": 1_700_000_000 + n,
                "acc": 15,
                "batt": rng.randrange(101),
                "vel": 0,
                "tid": "5t",
                "conn": "w",
            }
        ).encode()
        for n in range(count)
    ]

    def run() -> int:
        for body in bodies:
            owntracks.decode(body, "alice", RECEIVED)
        return len(bodies)

    return run


def decoder_section(args: argparse.Namespace) -> dict[str, Any]:
    count, rounds = (20_000, 3) if args.quick else (100_000, 7)
    mix = watch_mix(count)
    common = common_path(count)
    loops = {
        "watch_mix_decode": decode_all(mix),
        "watch_mix_frame_and_decode": frame_and_decode(mix),
        "watch_ud_lk_decode": decode_all(common),
        "osmand_query_decode": osmand_requests(count // 4),
        "owntracks_decode": owntracks_messages(count // 4),
    }
    figures: dict[str, Any] = {"frames": count, "rounds": rounds}
    for name, loop in loops.items():
        loop()  # warm: caches, the allocator
        best, rates = best_rate(loop, rounds)
        figures[f"{name}_per_s"] = round(best)
        figures[f"{name}_median_per_s"] = round(statistics.median(rates))
    figures["target_per_s"] = DECODER_TARGET
    figures["meets_target"] = figures["watch_mix_frame_and_decode_per_s"] >= DECODER_TARGET
    return figures


def print_decoder(figures: dict[str, Any]) -> None:
    print(f"decoder: {figures['frames']:,} frames, best of {figures['rounds']} rounds (CPU s)")
    for name in (
        "watch_mix_decode",
        "watch_mix_frame_and_decode",
        "watch_ud_lk_decode",
        "osmand_query_decode",
        "owntracks_decode",
    ):
        best, median = figures[f"{name}_per_s"], figures[f"{name}_median_per_s"]
        print(f"  {name.replace('_', ' '):<30} {best:>10,}/s   (median {median:,}/s)")
    verdict = "meets" if figures["meets_target"] else "MISSES"
    print(f"  target {figures['target_per_s']:,} frames/s on one core (framer + decode): {verdict}")


Section = tuple[Callable[[argparse.Namespace], dict[str, Any]], Callable[[dict[str, Any]], None]]
SECTIONS: dict[str, Section] = {"decoder": (decoder_section, print_decoder)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=sorted(SECTIONS), help="a section")
    parser.add_argument("--quick", action="store_true", help="fewer frames and rounds")
    args = parser.parse_args()
    chosen = args.only or list(SECTIONS)
    figures: dict[str, Any] = {
        "bench": "gateway",
        "quick": args.quick,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average": list(os.getloadavg()),
    }
    for name in chosen:
        measure, show = SECTIONS[name]
        figures[name] = measure(args)
        show(figures[name])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"written to {OUT}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
