"""Publish to live map: how long a published position takes to reach open maps' SSE streams.

A server process (uvicorn serving the real app, as `carewatch serve` does) holds the
families and publishes positions from a thread at a steady rate through
`livefeed.publish_updates`, as ingestion does after its commit. This process opens
every map's stream over loopback HTTP, as browsers do, and measures, for each
`position` event, the time from the publish (the message's `last_seen`) to the
moment the event is read. Per bus: in-process (the embedded default), NATS, Redis.

    uv run python bench/live_bench.py                  # every bus whose server is up
    uv run python bench/live_bench.py --quick          # a few seconds per bus
    uv run python bench/live_bench.py --bus nats --families 200 --maps 3 --rate 1000

Prints readable figures and, as the last line, one JSON object.

For other benches (the pipeline bench's "frame to live-map event"): `login_cookie(user)`
(where Django is set up) gives a guardian's session cookie, `open_maps()` opens streams
past their snapshot and `read_positions()` yields (received_at, family id, position),
whose `id` and `fix_time` say which frame it was. Without HTTP, a process sharing the
bus (or, embedded, the DATA_DIR) can `pubsub.subscribe([livefeed.channel(family_id)])`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

BUSES = {"local": "local", "nats": "nats://127.0.0.1:4222", "redis": "redis://127.0.0.1:6379/6"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few seconds per bus")
    parser.add_argument("--bus", choices=[*BUSES, "all"], default="all")
    parser.add_argument("--families", type=int, help="families, each with one child's watch")
    parser.add_argument("--maps", type=int, default=2, help="open maps per family")
    parser.add_argument("--rate", type=float, help="positions published per second")
    parser.add_argument("--seconds", type=float, help="how long to publish")
    parser.add_argument("--serve", help=argparse.SUPPRESS)  # the server process: its bus URL
    args = parser.parse_args()
    quick = args.quick
    families = args.families or (10 if quick else 100)
    rate = args.rate or (100.0 if quick else 500.0)
    seconds = args.seconds or (3.0 if quick else 15.0)
    if args.serve:
        serve(args.serve, families)
        return
    buses = list(BUSES) if args.bus == "all" else [args.bus]
    results: dict[str, Any] = {}
    for bus in buses:
        if not bus_is_up(BUSES[bus]):
            results[bus] = {"skipped": f"no server at {BUSES[bus]}"}
            continue
        results[bus] = asyncio.run(run_one(BUSES[bus], families, args.maps, rate, seconds))
        print_figures(bus, results[bus])
    load = os.getloadavg()
    print(f"load average during the run: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    setup = {"families": families, "maps_per_family": args.maps, "rate": rate}
    setup |= {"seconds": seconds, "load_average": load}
    print(json.dumps({"benchmark": "live", "quick": quick, "setup": setup, "results": results}))


def bus_is_up(url: str) -> bool:
    if url == "local":
        return True
    host, port = url.split("//")[1].split("/")[0].split(":")
    try:
        with socket.create_connection((host, int(port)), timeout=1):
            return True
    except OSError:
        return False


# --- The clients (this process) ----------------------------------------------------------


async def run_one(
    bus: str, families: int, maps: int, rate: float, seconds: float
) -> dict[str, Any]:
    data_dir = Path(tempfile.mkdtemp(prefix="carewatch-live-bench-"))
    server = start_server(bus, families, data_dir)
    try:
        ready = json.loads(server.stdout.readline())  # type: ignore[union-attr]
        base, cookies = ready["base"], ready["cookies"]
        latencies: list[float] = []
        # one connection per open map: httpx's default pool (100) would queue the rest forever
        limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
        async with httpx.AsyncClient(base_url=base, timeout=None, limits=limits) as client:
            streams = await asyncio.wait_for(open_maps(client, cookies, maps), 60)
            readers = [asyncio.create_task(collect(s, latencies)) for s in streams]
            go = time.time()
            server.stdin.write(f"go {rate} {seconds}\n")  # type: ignore[union-attr]
            server.stdin.flush()  # type: ignore[union-attr]
            published = int(await asyncio.to_thread(server.stdout.readline))  # type: ignore[union-attr]
            await asyncio.sleep(1.0)  # the last ones in flight
            for reader in readers:
                reader.cancel()
            await asyncio.gather(*readers, return_exceptions=True)
        return figures(latencies, published * maps, time.time() - go)
    finally:
        server.terminate()
        server.wait(timeout=30)


def start_server(bus: str, families: int, data_dir: Path) -> subprocess.Popen[str]:
    env = os.environ | {"DATA_DIR": str(data_dir), "PUBSUB_URL": bus, "LOG_LEVEL": "WARNING"}
    env |= {"PUBSUB_PREFIX": f"bench.{os.getpid()}", "HUEY_IMMEDIATE": "True"}
    env.pop("DATABASE_URL", None)
    command = [sys.executable, __file__, "--serve", bus, "--families", str(families)]
    return subprocess.Popen(
        command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )


async def open_maps(
    client: httpx.AsyncClient, cookies: dict[str, str], maps: int
) -> list[tuple[int, AsyncIterator[tuple[float, str, dict[str, Any]]]]]:
    """`maps` open streams per family (cookies: family id -> session cookie), each past
    its snapshot: (family id, its events)."""
    streams = []
    for family_id, cookie in cookies.items():
        for _ in range(maps):
            events = read_events(client, int(family_id), cookie)
            await anext(events)  # the snapshot's position: the stream is subscribed
            streams.append((int(family_id), events))
    return streams


async def read_events(
    client: httpx.AsyncClient, family_id: int, cookie: str
) -> AsyncIterator[tuple[float, str, dict[str, Any]]]:
    """(received_at, event, data) for each event of one family's live stream."""
    url = f"/kids/tracker/family/{family_id}/live/"
    async with client.stream("GET", url, cookies={"sessionid": cookie}) as response:
        response.raise_for_status()
        event = ""
        async for line in response.aiter_lines():
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                yield time.time(), event, json.loads(line[6:])


async def read_positions(
    streams: list[tuple[int, AsyncIterator[tuple[float, str, dict[str, Any]]]]],
) -> AsyncIterator[tuple[float, int, dict[str, Any]]]:
    """(received_at, family id, position data) from every stream, as they come."""
    queue: asyncio.Queue[tuple[float, int, dict[str, Any]]] = asyncio.Queue()

    async def pump(family_id: int, events: AsyncIterator[Any]) -> None:
        async for received, event, data in events:
            if event == "position":
                queue.put_nowait((received, family_id, data))

    tasks = [asyncio.create_task(pump(*stream)) for stream in streams]
    try:
        while True:
            yield await queue.get()
    finally:
        for task in tasks:
            task.cancel()


async def collect(
    stream: tuple[int, AsyncIterator[tuple[float, str, dict[str, Any]]]], latencies: list[float]
) -> None:
    async for received, event, data in stream[1]:
        if event == "position" and data.get("last_seen"):
            sent = datetime.fromisoformat(data["last_seen"]).timestamp()
            latencies.append(received - sent)


def figures(latencies: list[float], expected: int, wall_s: float) -> dict[str, Any]:
    if not latencies:
        return {"received": 0, "expected": expected}
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000, 2)

    return {
        "received": len(ordered),
        "expected": expected,
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "max_ms": round(ordered[-1] * 1000, 2),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 2),
        "events_per_s": round(len(ordered) / wall_s, 1),
    }


def print_figures(bus: str, result: dict[str, Any]) -> None:
    if "p95_ms" not in result:
        print(f"{bus}: {result}")
        return
    print(
        f"{bus}: publish -> SSE client p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, "
        f"p99 {result['p99_ms']} ms, max {result['max_ms']} ms; "
        f"{result['received']}/{result['expected']} events, {result['events_per_s']}/s"
    )


# --- The server process ------------------------------------------------------------------


def serve(bus: str, families: int) -> None:
    """Migrate, make the families, serve the app, and publish when told `go RATE SECONDS`."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carewatch.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    settings.TRACKER_LIVE_LIFETIME_SECONDS = 3600.0
    rows, cookies = serve_maps(families)
    port = free_port()
    threading.Thread(target=run_uvicorn, args=(port,), daemon=True).start()
    wait_for_port(port)
    print(json.dumps({"base": f"http://127.0.0.1:{port}", "cookies": cookies}), flush=True)
    command = sys.stdin.readline().split()
    rate, seconds = float(command[1]), float(command[2])
    print(publish_steadily(rows, rate, seconds), flush=True)
    sys.stdin.readline()  # until the clients are done (terminate)


def serve_maps(families: int) -> tuple[list[Any], dict[int, str]]:
    """Families with one watch and one guardian each; the watches as ingestion's rows and
    each family's session cookie (logged in as its guardian)."""
    from carewatch.kids.tracker.ingestion import DeviceRow
    from carewatch.kids.tracker.models import Child, Device
    from carewatch.platform.accounts.models import Family, FamilyMembership, User

    rows, cookies = [], {}
    for n in range(families):
        family = Family.objects.create(name=f"Bench {n}")
        user = User.objects.create_user(f"guardian{n}@bench.example", None)
        FamilyMembership.objects.create(family=family, user=user, role="owner")
        child = Child.objects.create(family=family, name=f"Child {n}")
        device = Device.objects.create(
            identifier=f"86{n:013d}", family=family, child=child, lat=13.08, lon=80.27
        )
        rows.append(DeviceRow(device.pk, device.identifier, family.pk, child.pk, {}, "online"))
        cookies[family.pk] = login_cookie(user)
    return rows, cookies


def login_cookie(user: Any) -> str:
    """A session cookie for `user`, for `read_events` (call where Django is set up)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return str(client.cookies["sessionid"].value)


def publish_steadily(rows: list[Any], rate: float, seconds: float) -> int:
    """Round-robin positions at `rate` per second; last_seen is the publish time."""
    from carewatch.kids.tracker import livefeed

    start, count = time.monotonic(), 0
    while (elapsed := time.monotonic() - start) < seconds:
        due = int(elapsed * rate) + 1
        while count < due:
            row = rows[count % len(rows)]
            row.last_seen = row.last_fix_time = datetime.now(UTC)
            row.lat = 13.0 + (count % 1000) / 10_000
            livefeed.publish_updates([row], [])
            count += 1
        time.sleep(0.002)
    return count


def run_uvicorn(port: int) -> None:
    import uvicorn

    config = uvicorn.Config(
        "carewatch.asgi:application",
        host="127.0.0.1",
        port=port,
        lifespan="off",
        log_level="warning",
    )
    uvicorn.Server(config).run()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("uvicorn did not start")


if __name__ == "__main__":
    main()
