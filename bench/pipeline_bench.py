"""The device-to-parent pipeline under load: the ingest log, the workers, the database.

10,000 paired devices in 2,500 families with 10,000 places (a home and a school circle
and two polygons per family), and 1,000 more watches in the first family for SOS. A
load generator in a second process sends rounds of fixes as watches do: one TCP
connection per device, UD frames in the watch protocol, to a `carewatch gateway` process
that appends them to the ingest log (`--load-via log`: concurrent appends of 1,000 fixes
through the log's own client instead, without the gateway; `--rate N` paces it), while
`carewatch ingest` workers (separate processes) run the rules and write. Meanwhile this
process sends an SOS every 100 ms (an AL frame from a connected watch, or an append) and
waits for the guardian's Notification row. Measured:

- positions/s from the first append to the last row committed, rules applied;
- append-to-committed latency p50/p99 of ordinary messages and of alarms (from the
  workers' own records);
- SOS append to the guardian's Notification rows, p50/p99, while the load runs;
- append to the live-map message (pubsub publish) of events, p95;
- the same rows written with a raw COPY (PostgreSQL) or multi-row INSERT (SQLite) in the
  same run, and the pipeline's ratio to it.

    uv run python bench/pipeline_bench.py                 # embedded, then PostgreSQL + NATS
    uv run python bench/pipeline_bench.py --quick         # a small run: does it work
    uv run python bench/pipeline_bench.py --backend postgres --workers 2
    uv run python bench/pipeline_bench.py --load-via log  # from the log on, no gateway

PostgreSQL: a throwaway database on 127.0.0.1:5432 (trust), dropped afterwards; NATS
JetStream on 127.0.0.1:4222, streams of their own, deleted afterwards. The last line
is one JSON object (keys like `postgres.positions_per_s`, `embedded.sos_p99_ms`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FAMILIES, SOS_DEVICES, APPEND = 2_500, 1_000, 1_000
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
NATS_URL = "nats://127.0.0.1:4222"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 devices, 4 rounds")
    parser.add_argument("--backend", choices=["embedded", "postgres", "both"], default="both")
    parser.add_argument("--workers", type=int, default=0, help="ingest workers (1 / 2)")
    parser.add_argument(
        "--rate",
        type=int,
        default=0,
        help="fixes/s the load generator sends at (0: as fast as it can, for the throughput); "
        "a rate the machine keeps up with measures SOS latency while positions flow",
    )
    parser.add_argument(
        "--load-via",
        choices=["watch", "log"],
        default="watch",
        help="watch: frames over loopback TCP to a `carewatch gateway` process, one "
        "connection per device, SOS as AL frames (default); log: the ingest log's own client",
    )
    parser.add_argument(
        "--state-write-s",
        type=int,
        default=None,
        help="INGEST_STATE_WRITE_S for the workers (0: every device row with every batch)",
    )
    parser.add_argument("--run", help=argparse.SUPPRESS)  # one backend per process
    parser.add_argument("--load", help=argparse.SUPPRESS)  # the load generator
    args = parser.parse_args()
    if args.load:
        print(json.dumps(generate_load(json.loads(args.load))), flush=True)
        return
    if args.run:
        os.environ["BENCH_RATE"] = str(args.rate)
        if args.state_write_s is not None:
            os.environ["INGEST_STATE_WRITE_S"] = str(args.state_write_s)
        print(
            json.dumps(run_backend(args.run, args.quick, args.workers, args.load_via)), flush=True
        )
        return
    backends = ["embedded", "postgres"] if args.backend == "both" else [args.backend]
    results = {backend: in_subprocess(backend, args) for backend in backends}
    flat: dict[str, Any] = {"benchmark": "pipeline", "quick": args.quick, "load": load_average()}
    for backend, figures in results.items():
        print(f"\n{backend}")
        for key, value in figures.items():
            print(f"  {key:<36} {value}")
            flat[f"{backend}.{key}"] = value
    print(json.dumps(flat))


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def in_subprocess(backend: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, __file__, "--run", backend, "--workers", str(args.workers)]
    command += ["--load-via", args.load_via, "--rate", str(args.rate)]
    if args.state_write_s is not None:
        command += ["--state-write-s", str(args.state_write_s)]
    done = subprocess.run(command + (["--quick"] if args.quick else []), capture_output=True,
                          text=True, timeout=1800)  # fmt: skip
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"error": (done.stderr or done.stdout).strip().splitlines()[-3:]}
    return dict(json.loads(lines[-1]))


# --- one backend, in its own process -----------------------------------------------


def run_backend(backend: str, quick: bool, workers: int, via: str = "watch") -> dict[str, Any]:
    tag = f"{os.getpid()}"
    env = os.environ | {
        "DATA_DIR": tempfile.mkdtemp(prefix="carewatch-pipeline-"),
        "LOG_LEVEL": "WARNING",
        "HUEY_IMMEDIATE": "False",
        "DJANGO_SETTINGS_MODULE": "carewatch.settings",
        "PYTHONPATH": str(ROOT),
    }
    for name in ("DATABASE_URL", "NATS_URL", "REDIS_URL"):
        env.pop(name, None)
    database = f"pipeline_bench_{tag}"
    if backend == "postgres":
        admin(f"CREATE DATABASE {database}")
        env |= {
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
            "NATS_URL": NATS_URL,
            "INGEST_STREAM": f"BENCH{tag}",
        }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    try:
        return measure(backend, quick, workers or (2 if backend == "postgres" else 1), env, via)
    finally:
        from django.db import connections

        connections.close_all()
        if backend == "postgres":
            admin(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
            from carewatch.kids.ingest import open_log

            asyncio.run(open_log().delete_streams())  # type: ignore[attr-defined]


def admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
        conn.execute(statement.encode())


def measure(
    backend: str, quick: bool, workers: int, env: dict[str, str], via: str
) -> dict[str, Any]:
    # 36 rounds 5 s apart: three minutes of the devices' time, so places are confirmed
    # (two clear fixes two minutes apart) and alerted during the run, and enough SOS
    # samples for a p99
    devices, rounds = (2_000, 4) if quick else (10_000, 36)
    sos_devices = populate(devices)
    started_workers = start_workers(workers, env)
    port = 0
    if via == "watch":
        port = free_port()
        started_workers.append(start_gateway(env, port))
    try:
        wait_for_leases()
        # A running worker has its devices and places in memory: warm it up with one
        # round first, as after its first minute in service, then measure the others.
        load(env, devices, rounds, first=0, count=1, port=port).wait()
        wait_for_positions(devices, timeout=900)
        total = devices * (rounds - 1)
        sos = SosProbe(sos_devices, port)
        if port:
            sos.connect_all()
        sos.start()
        cpu = CpuMeter(
            {
                "gateway": [p.pid for p in started_workers[workers:]],
                "workers": [p.pid for p in started_workers[:workers]],
                "bench_and_sos_probe": [os.getpid()],
            }
        )
        loader = load(env, devices, rounds, first=1, count=rounds - 1, port=port)
        finished = wait_for_positions(devices * rounds, timeout=900)
        cpu_used = cpu.used()
        sos.stop()
        loaded = json.loads(loader.communicate(timeout=60)[0].strip().splitlines()[-1])
        cpu_used["load_generator"] = round(loaded["cpu_s"], 1)
        load_avg = load_average()
    finally:
        stop_workers(started_workers)
    load_started = loaded["started"]
    rate = total / (finished - load_started)
    floor = raw_copy_rate(devices, rounds)
    latency = worker_latency(Path(env["DATA_DIR"]) / "metrics")
    print(f"worker logs in {env['DATA_DIR']}", file=sys.stderr)
    return {
        "devices": devices,
        "places": 4 * FAMILIES,
        "positions": total,
        "workers": workers,
        "load_via": "watch protocol over TCP, a gateway process"
        if via == "watch"
        else "log client",
        "load_rate_limit": int(os.environ.get("BENCH_RATE") or 0),  # fixes/s, 0: none
        "positions_per_s": round(rate),
        "append_per_s": round(total / (loaded["finished"] - loaded["started"])),
        "raw_copy_per_s": round(floor),
        "ratio_to_raw_copy": round(rate / floor, 3),
        "stored_p50_ms": latency.get("stored_p50_ms"),
        "stored_p99_ms": latency.get("stored_p99_ms"),
        "alarm_stored_p99_ms": latency.get("alarm_stored_p99_ms"),
        # where an alarm's time went in the worker: read from the log, queued, its transaction
        "alarm_read_p99_ms": latency.get("alarm_read_p99_ms"),
        "alarm_queued_p99_ms": latency.get("alarm_queued_p99_ms"),
        "alarm_ran_p50_ms": latency.get("alarm_ran_p50_ms"),
        "alarm_ran_p99_ms": latency.get("alarm_ran_p99_ms"),
        # part of alarm_ran: waiting for a batch of positions holding the same device
        "alarm_device_wait_p95_ms": latency.get("alarm_device_wait_p95_ms"),
        "alarm_device_wait_p99_ms": latency.get("alarm_device_wait_p99_ms"),
        "sos_samples": len(sos.latencies),
        "sos_p50_ms": round(percentile(sos.latencies, 50), 1),
        "sos_p99_ms": round(percentile(sos.latencies, 99), 1),
        "sos_append_p99_ms": round(percentile(sos.appends, 99), 1),
        "event_publish_p95_ms": latency.get("event_published_p95_ms"),
        "load_average": load_avg,
        # CPU seconds each part used while the measured positions flowed, and per position
        "cpu_s": cpu_used,
        "cpu_us_per_position": {
            part: round(seconds / total * 1e6, 1) for part, seconds in cpu_used.items()
        },
        "state_write_s": int(os.environ.get("INGEST_STATE_WRITE_S", "10")),
        "events": events_written(),
        "device_updates_in_place": device_updates_in_place(),
    }


def device_updates_in_place() -> float | None:
    """PostgreSQL: the share of device row updates that were HOT (no index written)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables "
            "WHERE relname = 'tracker_device'"
        )
        updated, hot = cursor.fetchone()
    return round(hot / updated, 3) if updated else None


class CpuMeter:
    """CPU seconds (user + system) used by processes from now on: these by pid, and every
    PostgreSQL and NATS server process by name (this machine's own servers: nothing else
    uses them during a run)."""

    SERVERS = {"postgres": "postgres", "nats": "nats-server"}

    def __init__(self, parts: dict[str, list[int]]) -> None:
        self.parts = parts
        self.before = self._read()

    def used(self) -> dict[str, float]:
        after = self._read()
        return {
            part: round(sum(now - self.before[part].get(pid, 0) for pid, now in seconds.items()), 1)
            for part, seconds in after.items()
        }

    def _read(self) -> dict[str, dict[int, float]]:
        found = {part: {pid: cpu_seconds(pid) for pid in pids} for part, pids in self.parts.items()}
        for part, name in self.SERVERS.items():
            found[part] = {pid: cpu_seconds(pid) for pid in pids_named(name)}
        return found


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # gone, or not Linux
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def pids_named(name: str) -> list[int]:
    found = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        with contextlib.suppress(OSError):
            if comm.read_text().strip() == name:
                found.append(int(comm.parent.name))
    return found


def events_written() -> dict[str, int]:
    from django.db.models import Count

    from carewatch.kids.tracker.models import Event

    return dict(Event.objects.values_list("kind").annotate(n=Count("id")).order_by("kind"))


def load(
    env: dict[str, str], devices: int, rounds: int, first: int, count: int, port: int = 0
) -> Any:
    spec = json.dumps(
        {
            "devices": devices,
            "rounds": rounds,
            "first": first,
            "count": count,
            "port": port,
            "rate": int(os.environ.get("BENCH_RATE") or 0) if first else 0,
        }  # fmt: skip
    )
    return subprocess.Popen(
        [sys.executable, __file__, "--load", spec], env=env, stdout=subprocess.PIPE, text=True
    )


def populate(devices: int) -> list[str]:
    from django.db import transaction

    from carewatch.kids.tracker.models import Child, Device, Place
    from carewatch.platform.accounts.models import Family, FamilyMembership, User

    with transaction.atomic():
        families = Family.objects.bulk_create(Family(name=f"F{n}") for n in range(FAMILIES))
        count = devices + SOS_DEVICES
        children = Child.objects.bulk_create(
            Child(family=families[n % FAMILIES if n < devices else 0], name=f"C{n}")
            for n in range(count)
        )
        Device.objects.bulk_create(
            Device(identifier=device_id(n), family=children[n].family, child=children[n])
            for n in range(count)
        )
        Place.objects.bulk_create(places_for(families))
        guardian = User.objects.create_user("guardian@bench.example", "x")
        FamilyMembership.objects.create(family=families[0], user=guardian, role="owner")
    return [device_id(n) for n in range(devices, devices + SOS_DEVICES)]


def device_id(n: int) -> str:
    return f"B{n:07d}"


def places_for(families: list[Any]) -> list[Any]:
    from carewatch.kids.tracker.models import Place

    places: list[Any] = []
    for n, family in enumerate(families):
        lat, lon = 12.9 + (n % 50) * 0.01, 80.1 + (n // 50) * 0.01
        square = [[lat - 0.002, lon + 0.003], [lat - 0.002, lon + 0.005], [lat, lon + 0.005],
                  [lat, lon + 0.003]]  # fmt: skip
        places += [
            Place(family=family, name="Home", kind="home", lat=lat, lon=lon, radius_m=100),
            Place(
                family=family, name="School", kind="school", lat=lat + 0.004, lon=lon, radius_m=150
            ),  # fmt: skip
            Place(family=family, name="Park", kind="other", polygon=square),
            Place(
                family=family,
                name="Club",
                kind="other",
                polygon=[[a + 0.004, b] for a, b in square],
            ),  # fmt: skip
        ]
    return places


def start_workers(count: int, env: dict[str, str]) -> list[subprocess.Popen[bytes]]:
    return [
        subprocess.Popen(
            [sys.executable, "-m", "carewatch.cli", "ingest", "--name", f"bench-{n}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(Path(env["DATA_DIR"]) / f"worker-{n}.log", "w"),  # noqa: SIM115
        )
        for n in range(count)
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_gateway(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    """`carewatch gateway`: the watch server alone on loopback; one address holds every
    device's connection here, so the per-address cap is lifted."""
    gateway = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "carewatch.cli",
            "gateway",
            "--host",
            "127.0.0.1",
            "--watch-port",
            str(port),
        ],  # fmt: skip
        env=env | {"GATEWAY_MAX_PER_ADDRESS": "20000", "LOG_LEVEL": "WARNING"},
        stdout=subprocess.DEVNULL,
        stderr=open(Path(env["DATA_DIR"]) / "gateway.log", "w"),  # noqa: SIM115
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return gateway
        except OSError:
            time.sleep(0.2)
    gateway.kill()
    raise RuntimeError("the watch gateway did not start")


def stop_workers(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()


def wait_for_leases(timeout: float = 60.0) -> None:
    from django.conf import settings

    from carewatch.kids.ingest import open_log
    from carewatch.kids.ingest.models import Lease

    name, deadline = open_log().name, time.monotonic() + timeout
    while time.monotonic() < deadline:
        owned = Lease.objects.filter(log=name, expires__gt=time.time()).exclude(owner="")
        if owned.count() >= settings.INGEST_PARTITIONS:
            return
        time.sleep(0.2)
    raise RuntimeError("the ingest workers did not start")


def wait_for_positions(total: int, timeout: float) -> float:
    """The time of the commit that completed the load (offsets count fixes processed)."""
    from django.db.models import Max, Sum

    from carewatch.kids.ingest import open_log
    from carewatch.kids.ingest.log import NORMAL
    from carewatch.kids.ingest.models import Offset

    name, deadline = open_log().name, time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = Offset.objects.filter(log=name, lane=NORMAL).aggregate(
            n=Sum("fixes"), t=Max("updated")
        )
        if (done["n"] or 0) >= total:
            return float(done["t"])
        time.sleep(0.2)
    raise RuntimeError(f"the workers did not store {total} positions in time")


class SosProbe(threading.Thread):
    """An SOS every 100 ms, each from a watch that has not pressed it in the last minute."""

    def __init__(self, devices: list[str], port: int = 0) -> None:
        super().__init__(daemon=True)
        self.port = port  # the watch gateway's, or 0: the log's own client
        self.sockets: dict[str, socket.socket] = {}
        self.devices, self.latencies, self.halt = devices, list[float](), threading.Event()
        self.appends = list[float]()  # of which the append itself (durable in the log)

    def stop(self) -> None:
        self.halt.set()
        self.join()

    def run(self) -> None:
        from django.db import connection

        from carewatch.kids.ingest import open_log
        from carewatch.kids.tracking import Fix
        from carewatch.platform.notify.models import Notification

        log, number = open_log(), 0
        # A plain statement, asked every 2 ms: through the ORM, this probe's own queries
        # cost the machine several per cent of the CPU the pipeline is measured on.
        count_sos = (
            f"SELECT count(*) FROM {Notification._meta.db_table} WHERE event = 'tracker.sos'"
        )
        cursor = connection.cursor()

        def sos_count() -> int:
            cursor.execute(count_sos)
            return int(cursor.fetchone()[0])

        while not self.halt.is_set():
            device = self.devices[number % len(self.devices)]
            number += 1
            before = sos_count()
            started = time.perf_counter()
            when = datetime.now(UTC)
            if self.port:
                self.press_sos(device, when)
            else:
                log.append_sync(
                    [Fix(device, when, 12.9, 80.1, accuracy_m=10, alarms=frozenset({"sos"}))]
                )
            self.appends.append((time.perf_counter() - started) * 1000)
            while sos_count() == before and time.perf_counter() - started < 10:
                time.sleep(0.002)
            if sos_count() > before:
                self.latencies.append((time.perf_counter() - started) * 1000)
            self.halt.wait(0.1)
        cursor.close()
        connection.close()
        for sock in self.sockets.values():
            sock.close()

    def connect_all(self) -> None:
        """Every SOS watch connected and known to the gateway before the load starts (an
        LK link frame each, answered), as watches stay connected: an SOS then measures
        the alarm's path, not a first connection."""
        from carewatch.kids.simulator.devices import watch_frame

        for device in self.devices:
            sock = self.sockets[device] = socket.create_connection(("127.0.0.1", self.port))
            sock.sendall(watch_frame("3G", device, "LK"))
            self.read_reply(sock)
        # one SOS first, not measured: the gateway's first alarm opens its way to the log
        spare = self.devices.pop()
        started = time.perf_counter()
        self.press_sos(spare, datetime.now(UTC))
        print(f"first SOS through the gateway: {time.perf_counter() - started:.3f} s",
              file=sys.stderr)  # fmt: skip

    @staticmethod
    def read_reply(sock: socket.socket) -> None:
        reply = b""
        while not reply.endswith(b"]"):
            chunk = sock.recv(4096)
            if not chunk:
                raise RuntimeError("the gateway closed a watch's connection")
            reply += chunk

    def press_sos(self, device: str, when: datetime) -> None:
        """An AL frame with the SOS bit from the watch's own connection; the gateway's
        reply comes once the frame is durable in the log."""
        from carewatch.kids.simulator.devices import Report, position_frame

        sock = self.sockets[device]
        sock.sendall(position_frame(device, Report(when, 12.9, 80.1, 10.0, 90, True)))
        self.read_reply(sock)


def worker_latency(folder: Path) -> dict[str, Any]:
    """The worst of the workers' own percentiles (each worker records its batches)."""
    merged: dict[str, Any] = {}
    for path in folder.glob("ingest-*.json"):
        for key, value in json.loads(path.read_text()).get("latency", {}).items():
            if value is not None:
                merged[key] = max(value, merged.get(key) or 0)
    return merged


def raw_copy_rate(devices: int, rounds: int) -> float:
    """The same number of rows, written with nothing but COPY / multi-row INSERT."""
    from django.db import connection, transaction

    from carewatch.kids.tracker import sql
    from carewatch.kids.tracker.models import Device

    ids = list(Device.objects.values_list("pk", flat=True)[:devices])
    base = datetime(2020, 1, 1, tzinfo=UTC)
    rows: list[tuple[Any, ...]] = [
        (
            pk,
            base + timedelta(seconds=5 * r),
            base,
            12.9,
            80.1,
            10.0,
            None,
            None,
            None,
            90,
            True,
            False,
            {},
        )  # fmt: skip
        for r in range(rounds)
        for pk in ids
    ]
    started = time.perf_counter()
    for start in range(0, len(rows), APPEND):
        chunk = rows[start : start + APPEND]
        with transaction.atomic():
            if connection.vendor == "postgresql":
                columns = ", ".join(sql.POSITION_COLUMNS)
                with connection.cursor() as cursor:
                    # binary, as the workers write (tracker/sql.py)
                    copy = f"COPY tracker_position ({columns}) FROM STDIN (FORMAT BINARY)"
                    with cursor.cursor.copy(copy) as writer:
                        writer.set_types(sql.POSITION_TYPES)
                        for row in chunk:
                            writer.write_row(row)
            else:
                sql.insert_positions(chunk, skip_existing=False)
    return len(rows) / (time.perf_counter() - started)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


# --- the load generator (a second process) -----------------------------------------


def generate_load(spec: dict[str, int]) -> dict[str, float]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carewatch.settings")
    import django

    django.setup()
    from carewatch.kids.ingest import open_log
    from carewatch.kids.tracking import Fix

    devices, rounds, rng = spec["devices"], spec["rounds"], random.Random(spec["first"])
    start_time = datetime.now(UTC) - timedelta(seconds=5 * rounds + 5)
    log = open_log()

    def one_round(number: int) -> list[Any]:
        when = start_time + timedelta(seconds=5 * number)
        fixes = []
        for n in range(devices):
            family = n % FAMILIES
            lat = 12.9 + (family % 50) * 0.01 + rng.uniform(-0.003, 0.006)
            lon = 80.1 + (family // 50) * 0.01 + rng.uniform(-0.002, 0.006)
            fixes.append(
                Fix(device_id(n), when, lat, lon, accuracy_m=rng.uniform(5, 40), battery=90)
            )
        rng.shuffle(fixes)  # arrival order, not device order
        return fixes

    async def run() -> tuple[float, float, float]:
        started, cpu_started = time.time(), time.process_time()
        for number in range(spec["first"], spec["first"] + spec["count"]):
            fixes = one_round(number)
            chunks = [fixes[i : i + APPEND] for i in range(0, len(fixes), APPEND)]
            await asyncio.gather(*(log.append(chunk) for chunk in chunks))  # as many gateways
        return started, time.time(), time.process_time() - cpu_started

    if spec.get("port"):
        import uvloop  # sockets written at a fraction of asyncio's cost: the load's own

        started, finished, cpu_s = uvloop.run(
            send_frames(
                spec["port"], devices, spec["first"], spec["count"], one_round, spec["rate"]
            )
        )
    else:
        started, finished, cpu_s = asyncio.run(run())
    return {"started": started, "finished": finished, "cpu_s": cpu_s}


async def send_frames(
    port: int, devices: int, first: int, count: int, one_round: Any, rate: int = 0
) -> tuple[float, float, float]:
    """Each device on its own connection to the watch gateway, as real watches are: a UD
    frame per fix (UD has no reply). Every frame is in the kernel's buffers before the
    connections close."""
    from carewatch.kids.simulator.devices import Report, position_frame, watch_frame

    writers: dict[str, asyncio.StreamWriter] = {}

    async def connect(device: str) -> None:
        """Connected and known to the gateway (an LK frame, answered) before the clock
        starts, as watches in service are: the load measures frames, not first contacts."""
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(watch_frame("3G", device, "LK"))
        await reader.readuntil(b"]")
        writers[device] = writer

    def encoded(number: int) -> list[tuple[str, bytes]]:
        frames = []
        for fix in one_round(number):
            report = Report(fix.fix_time, fix.lat, fix.lon, fix.accuracy_m, 90, False)
            frames.append((fix.device_id, position_frame(fix.device_id, report)))
        return frames

    # Encoded before the clock starts: the watches' own work is not the product's.
    rounds = [encoded(number) for number in range(first, first + count)]
    for start in range(0, devices, 500):
        await asyncio.gather(
            *(connect(device_id(n)) for n in range(start, min(devices, start + 500)))
        )
    started, cpu_started = time.time(), time.process_time()
    sent = 0
    for frames in rounds:
        for device, frame in frames:
            writers[device].write(frame)
            sent += 1
            if rate and sent % 100 == 0:  # paced: 100 frames at a time
                await asyncio.sleep(max(0.0, started + sent / rate - time.time()))
        # Only connections with frames still in this process wait (a task each): a gather
        # over all 10,000 every round cost the load generator more CPU than its writes.
        await asyncio.gather(
            *(
                writer.drain()
                for writer in writers.values()
                if writer.transport.get_write_buffer_size()
            )
        )
    # drain() returns below the high-water mark: wait until every frame is in the kernel
    # (what is still in this process's buffers when it exits is never sent)
    while any(writer.transport.get_write_buffer_size() for writer in writers.values()):
        await asyncio.sleep(0.05)
    finished, cpu_used = time.time(), time.process_time() - cpu_started
    await asyncio.sleep(3)
    for writer in writers.values():
        writer.close()
    return started, finished, cpu_used


if __name__ == "__main__":
    main()
