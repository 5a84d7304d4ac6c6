"""Device gateway benchmark, in sections (run all, or pick with --only).

decoder
    Frames per second of the pure watch decoder on one core (target: 50,000), on a
    realistic mix from 10,000 watches: mostly UD/UD2/UD_LTE positions (some with
    cell towers and Wi-Fi), LK heartbeats, a few alarms without a fix, health
    reports, TKQ and CONFIG. Measured three ways: decode alone, framer + decode
    (one framer per connection, a frame per segment as TCP mostly delivers), and
    the common UD/LK path alone. OsmAnd (query) and OwnTracks requests/s too.

connections
    10,000 watch connections held at once (each has sent its LK and been answered),
    made by this process against a gateway process over loopback: the gateway's
    resident memory in total and per connection (target: under 300 MB), and how long
    one more watch waits for its LK reply while they are held.

throughput
    Frames per second through the watch TCP server into the ingest log, on the embedded
    SQLite log and on NATS JetStream (127.0.0.1:4222; skipped with a note when it is
    not there): 200 watches each send 49 UD frames and an LK in one segment, and count
    the frames once the LK is answered (a reply is written only after the log has every
    frame before it). Target: 20,000 frames/s on each.

    The gateway process runs the real WatchServer, framer, decoder and log; only the
    device directory is a stand-in (every id known: the database is asked once per
    connection, not per frame, so it does not change these figures).

    uv run python bench/gateway_bench.py                    # every section
    uv run python bench/gateway_bench.py --only decoder --quick
    uv run python bench/gateway_bench.py --only connections --only throughput --quick

The decoder section counts CPU seconds of the measured loops (time.process_time: one
core, so a neighbour's load does not count), best of several rounds; the server
sections count wall-clock time with two processes on two cores. Prints readable
figures, writes them to test-artifacts/gateway_bench.json, and prints the same JSON
object as the last line. Sections are functions in SECTIONS: add one to extend.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import psutil

from carewatch.kids.protocols import osmand, owntracks, watch

OUT = Path(__file__).resolve().parents[1] / "test-artifacts" / "gateway_bench.json"
RECEIVED = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
DEVICES = 10_000
DECODER_TARGET = 50_000
NATS_URL = "nats://127.0.0.1:4222"


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


# --- the server sections: a gateway process, and this process making the load ------------

WATCH_TARGET = 20_000
MEMORY_TARGET_MB = 300
LK = b"LK,1200,0,87"


def raise_fd_limit() -> int:
    """10,000 sockets need 10,000 descriptors in each process: raise the soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


class AllKnown:
    """Every device id is a paired watch (the directory's cache, without a database)."""

    known = SimpleNamespace(protocol="watch")

    async def alookup(self, identifier: str) -> Any:
        return self.known


def make_log(backend: str, prefix: str) -> Any:
    if backend == "nats":
        from carewatch.kids.ingest.jetstream import JetStreamLog

        return JetStreamLog(NATS_URL, 8, prefix)
    from carewatch.kids.ingest.embedded import SqliteLog

    return SqliteLog(Path(tempfile.mkdtemp(prefix="gateway-bench-")) / "log.sqlite3", 8)


def serve(backend: str, prefix: str, batching: bool = True) -> None:
    """The gateway process: serves until its standard input closes."""
    from carewatch.kids.gateways.batching import BatchingLog
    from carewatch.kids.gateways.config import GatewayConfig
    from carewatch.kids.gateways.limits import Stats
    from carewatch.kids.gateways.watch_server import WatchServer

    raise_fd_limit()
    config = GatewayConfig(
        max_per_address=50_000,  # every bench connection comes from 127.0.0.1
        max_connections=50_000,
        idle_timeout_s=3600,
        hello_timeout_s=3600,
    )

    async def run() -> None:
        log = make_log(backend, prefix)
        wrapped = log if not batching else BatchingLog(log)
        server = WatchServer(wrapped, AllKnown(), config, None, Stats())
        port = await server.start("127.0.0.1", 0)
        print(json.dumps({"port": port}), flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        await server.close()
        await log.close()

    asyncio.run(run())


class GatewayProcess:
    def __init__(self, backend: str, batching: bool = True) -> None:
        self.backend = backend
        self.prefix = f"GWBENCH{os.getpid()}{random.randrange(10**6)}"
        extra = [] if batching else ["--no-batching"]
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", backend, "--prefix", self.prefix, *extra],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the gateway process did not start ({backend})")
        self.port = int(json.loads(line)["port"])
        self.ps = psutil.Process(self.process.pid)

    def rss_mb(self) -> float:
        return float(self.ps.memory_info().rss) / 2**20

    def stop(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
        if self.backend == "nats":
            asyncio.run(delete_streams(self.prefix))

    def __enter__(self) -> GatewayProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


async def delete_streams(prefix: str) -> None:
    import nats

    client = await nats.connect(NATS_URL)
    for suffix in ("_POSITIONS", "_ALARMS"):
        with contextlib.suppress(Exception):
            await client.jetstream().delete_stream(prefix + suffix)
    await client.close()


def nats_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 4222), timeout=1):
            return True
    except OSError:
        return False


async def open_watch(port: int, device: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(frame(device, LK.decode()))
    await reader.readuntil(b"]")
    return reader, writer


async def hold(port: int, count: int, measure: Callable[[], float]) -> dict[str, Any]:
    """Opens `count` watch connections (500 at a time), measures, closes them."""
    held: list[asyncio.StreamWriter] = []
    started = time.perf_counter()
    for first in range(0, count, 500):
        batch = range(first, min(first + 500, count))
        opened = await asyncio.gather(*(open_watch(port, f"{9_000_000_000 + n}") for n in batch))
        held += [writer for _reader, writer in opened]
    opening_s = time.perf_counter() - started
    await asyncio.sleep(1.0)  # let the gateway settle
    rss = measure()
    ping = time.perf_counter()
    _reader, writer = await open_watch(port, "8999999999")
    lk_ms = (time.perf_counter() - ping) * 1000
    held.append(writer)
    for writer in held:
        writer.close()
    return {"rss_mb": rss, "opening_s": opening_s, "extra_lk_ms": lk_ms}


def connections_section(args: argparse.Namespace) -> dict[str, Any]:
    count = 2_000 if args.quick else 10_000
    limit = raise_fd_limit()
    if limit < count + 100:
        return {"skipped": f"only {limit} file descriptors allowed in this process"}
    with GatewayProcess("embedded") as gateway:
        time.sleep(0.5)
        base = gateway.rss_mb()
        held = asyncio.run(hold(gateway.port, count, gateway.rss_mb))
    per_kb = (held["rss_mb"] - base) * 1024 / count
    return {
        "connections": count,
        "rss_base_mb": round(base, 1),
        "rss_held_mb": round(held["rss_mb"], 1),
        "per_connection_kb": round(per_kb, 2),
        "opening_s": round(held["opening_s"], 2),
        "extra_lk_ms": round(held["extra_lk_ms"], 1),
        "target_mb": MEMORY_TARGET_MB,
        # --quick holds fewer: judge it on the same per-connection cost at 10,000
        "rss_at_10000_mb": round(base + per_kb * 10_000 / 1024, 1),
        "meets_target": base + per_kb * 10_000 / 1024 < MEMORY_TARGET_MB,
    }


def print_connections(figures: dict[str, Any]) -> None:
    if "skipped" in figures:
        print(f"connections: skipped ({figures['skipped']})")
        return
    print(f"connections: {figures['connections']:,} watches held over loopback")
    print(
        f"  gateway resident memory  {figures['rss_base_mb']} MB idle, "
        f"{figures['rss_held_mb']} MB holding them ({figures['per_connection_kb']} KB each)"
    )
    print(
        f"  opened in {figures['opening_s']} s; one more LK answered in {figures['extra_lk_ms']} ms"
    )
    verdict = "meets" if figures["meets_target"] else "MISSES"
    print(
        f"  at 10,000: {figures['rss_at_10000_mb']} MB, target under {figures['target_mb']} MB: "
        f"{verdict}"
    )


async def pump(port: int, watches: int, seconds: float) -> dict[str, Any]:
    """Each watch: 49 UD and an LK per segment; frames count once the LK is answered."""
    rng = random.Random(13)
    acked = [0]
    counting = [False]
    stop = [False]

    async def one(number: int) -> None:
        device = f"{7_000_000_000 + number}"
        segment = b"".join(frame(device, position(rng, "UD")) for _ in range(49))
        segment += frame(device, LK.decode())
        reader, writer = await open_watch(port, device)
        while not stop[0]:
            writer.write(segment)
            await reader.readuntil(b"]")
            if counting[0]:
                acked[0] += 50
        writer.close()

    tasks = [asyncio.create_task(one(n)) for n in range(watches)]
    await asyncio.sleep(1.0)  # warm up: every connection open and sending
    counting[0] = True
    started = time.perf_counter()
    await asyncio.sleep(seconds)
    counted, elapsed = acked[0], time.perf_counter() - started
    stop[0] = True
    await asyncio.gather(*tasks, return_exceptions=True)
    return {"watches": watches, "seconds": round(elapsed, 2), "frames": counted}


def throughput_section(args: argparse.Namespace) -> dict[str, Any]:
    raise_fd_limit()
    watches, seconds = (100, 3.0) if args.quick else (200, 10.0)
    figures: dict[str, Any] = {"target_per_s": WATCH_TARGET}
    for backend in ("embedded", "nats"):
        if backend == "nats" and not nats_available():
            figures[backend] = {"skipped": "NATS is not running on 127.0.0.1:4222"}
            continue
        with GatewayProcess(backend, batching=not args.no_batching) as gateway:
            result = asyncio.run(pump(gateway.port, watches, seconds))
        result["frames_per_s"] = round(result["frames"] / result["seconds"])
        result["meets_target"] = result["frames_per_s"] >= WATCH_TARGET
        figures[backend] = result
    return figures


def print_throughput(figures: dict[str, Any]) -> None:
    print("throughput: frames/s through the watch server into the ingest log")
    for backend in ("embedded", "nats"):
        result = figures[backend]
        if "skipped" in result:
            print(f"  {backend:<9} skipped ({result['skipped']})")
            continue
        verdict = "meets" if result["meets_target"] else "MISSES"
        print(
            f"  {backend:<9} {result['frames_per_s']:>8,} frames/s  ({result['watches']} watches, "
            f"{result['frames']:,} frames in {result['seconds']} s; target "
            f"{figures['target_per_s']:,}: {verdict})"
        )


Section = tuple[Callable[[argparse.Namespace], dict[str, Any]], Callable[[dict[str, Any]], None]]
SECTIONS: dict[str, Section] = {
    "decoder": (decoder_section, print_decoder),
    "connections": (connections_section, print_connections),
    "throughput": (throughput_section, print_throughput),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=sorted(SECTIONS), help="a section")
    parser.add_argument("--quick", action="store_true", help="fewer frames and rounds")
    parser.add_argument("--serve", help=argparse.SUPPRESS)  # the gateway process: a backend
    parser.add_argument("--prefix", default="", help=argparse.SUPPRESS)
    parser.add_argument(
        "--no-batching",
        action="store_true",
        help="server sections: append each segment on its own (to compare with grouping)",
    )
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.prefix, batching=not args.no_batching)
        return
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
