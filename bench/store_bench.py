"""The store's product list and product page against django-oscar 4.x's catalogue.

Requests/s and latency of each page served the way production serves it (`carewatch
serve`: uvicorn, one process, PRODUCTION=True, DEBUG off, SQLite in a temporary
DATA_DIR, static files collected, the demo catalogue loaded), loaded over loopback,
side by side in the same run with:

- django-oscar 4.x's catalogue list and a product page, holding the same catalogue
  (same categories, products, prices and stock; no images on either side), under
  the same uvicorn with the same worker count and the same SQLite options. Oscar
  lives only in a throwaway virtualenv made on first use under
  $XDG_CACHE_HOME/carewatch-bench (else /tmp/carewatch-bench) and reused later: it
  is never a project dependency. Its shop is the few plain files in bench/store/.
- a bare Django view (no middleware, no database, no template) in the same server
  setup: the ceiling, to which each page's requests/s is compared.

Our pages are loaded twice: as an anonymous visitor gets them (from the page cache, see
carewatch/kids/store/catalogue/pagecache.py) and as a visitor with a session cookie
gets them (rendered every time), which shows what a cache miss costs.

Targets are loaded one after another, never at once, each by a bounded asyncio load
generator (raw HTTP/1.1 keep-alive connections, a fixed number of seconds, a short
warm-up that is not counted), counting non-2xx answers and connection errors. SQL
queries per page come from a separate in-process check with Django's test client.

    uv run python bench/store_bench.py --quick     # under a minute once oscar is installed
    uv run python bench/store_bench.py             # longer runs, a few minutes

Prints a table, the ratios to oscar and to the bare view, and as its last line one
JSON object with every figure. Everything binds 127.0.0.1; servers are stopped at the
end, also on error.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import hashlib
import html
import importlib.metadata
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
HERE = Path(__file__).resolve().parent
STORE_DIR = HERE / "store"
OSCAR_REQUIREMENT = "django-oscar>=4,<5"
CONNECTIONS = 4
REQUEST_TIMEOUT_S = 30.0
# Targets from the issue: times oscar's requests/s, at equal or lower p99, no errors.
LIST_TARGET, PRODUCT_TARGET = 10.0, 4.0
OURS_LIST, OURS_PRODUCT = "/kids/shop/", "/kids/shop/products/carewatch-swim-4g/"
PRODUCT_SLUG = "carewatch-swim-4g"
# A visitor with a session gets no stored page: every request renders (the cost of a miss).
RENDERED_COOKIE = "sessionid=store-bench-no-such-session"


class BenchError(Exception):
    """A step of the benchmark failed; the message says which and why."""


@dataclass
class Load:
    """What one target answered during the measured window."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    connection_errors: int = 0

    def figures(self) -> dict[str, object]:
        ok = sum(n for status, n in self.statuses.items() if 200 <= status < 300)
        errors = sum(self.statuses.values()) - ok + self.connection_errors
        return {
            "requests": len(self.latencies),
            "requests_per_s": round(len(self.latencies) / self.seconds, 1) if self.seconds else 0,
            "p50_ms": round(percentile(self.latencies, 50) * 1000, 2),
            "p99_ms": round(percentile(self.latencies, 99) * 1000, 2),
            "errors": errors,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "connection_errors": self.connection_errors,
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter loads, under a minute")
    parser.add_argument("--seconds", type=float, help="measured seconds per page (2.5 or 10)")
    parser.add_argument("--no-oscar", action="store_true", help="measure ours and the bare view")
    args = parser.parse_args()
    seconds = args.seconds or (2.5 if args.quick else 10.0)
    warmup = 1.0 if args.quick else 2.0
    started = time.perf_counter()
    result: dict[str, object] = {
        "benchmark": "store",
        "quick": args.quick,
        "seconds_per_page": seconds,
        "connections": CONNECTIONS,
        "cpus": os.cpu_count(),
        "load_average": round(os.getloadavg()[0], 2),
    }
    with tempfile.TemporaryDirectory(prefix="carewatch-store-bench-") as tmp:
        work = Path(tmp)
        catalogue, ours_env = prepare_ours(work / "ours")
        result["catalogue"] = {
            "products": len(catalogue["products"]),
            "categories": len(catalogue["categories"]),
        }
        oscar: OscarShop | None = None
        if args.no_oscar:
            result["oscar"] = {"skipped": "--no-oscar"}
        else:
            try:
                oscar = OscarShop.prepare(work / "oscar", catalogue)
            except BenchError as error:
                print(f"oscar: not measured: {error}", flush=True)
                result["oscar"] = {"error": str(error)}
        result["queries"] = count_queries(ours_env, oscar)
        # Both shops must show the whole catalogue on the list and the product on its page.
        names = [p["name"] for p in catalogue["products"]]
        swim = next(p for p in catalogue["products"] if p["slug"] == PRODUCT_SLUG)
        expect = {"list": names, "product": [swim["name"]]}

        bare_command = [sys.executable, *uvicorn_args("bare:application")]

        def bare() -> dict[str, Any]:
            return measure_server(
                "bare view",
                bare_command,
                bare_env(),
                {"ceiling": "/"},
                seconds,
                warmup,
                STORE_DIR,
                work,
            )["ceiling"]

        # The ceiling is measured first and last: on a shared machine a neighbour's burst
        # during one of them would otherwise inflate every page's share of it.
        bare_first = bare()
        if oscar is not None:
            try:
                result["oscar"] = measure_server(
                    "oscar",
                    [str(oscar.python), *uvicorn_args("oscar_asgi:application")],
                    oscar.env,
                    {"list": "/catalogue/", "product": oscar.product_path},
                    seconds,
                    warmup,
                    STORE_DIR,
                    work,
                    expect=expect,
                ) | {"version": oscar.version}
            except BenchError as error:  # still measure ours against the bare view
                print(f"oscar: not measured: {error}", flush=True)
                result["oscar"] = {"error": str(error)}
        result["ours"] = measure_server(
            "carewatch",
            [str(Path(sys.executable).parent / "carewatch"), "serve", "--host", HOST, "--port"],
            ours_env,
            {
                "list": OURS_LIST,
                "product": OURS_PRODUCT,
                "list_rendered": OURS_LIST,
                "product_rendered": OURS_PRODUCT,
            },
            seconds,
            warmup,
            work,
            work,
            port_last=True,
            expect=expect,
        )
        bare_last = bare()
        result["bare"] = max(bare_first, bare_last, key=lambda f: f["requests_per_s"]) | {
            "requests_per_s_first_and_last": [
                bare_first["requests_per_s"],
                bare_last["requests_per_s"],
            ]
        }
    result["comparison"] = compare(result)
    result["wall_s"] = round(time.perf_counter() - started, 1)
    print_table(result)
    print(json.dumps(result))
    return 0


# --- CareWatch ------------------------------------------------------------------


def prepare_ours(data_dir: Path) -> tuple[dict, dict[str, str]]:
    """Production settings in a temporary DATA_DIR: migrated, static collected, demo catalogue."""
    data_dir.mkdir(parents=True)
    env = os.environ.copy()
    for name in ("DATABASE_URL", "REDIS_URL", "DEBUG", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    env |= {
        "DATA_DIR": str(data_dir),
        "PRODUCTION": "True",
        # The bench reads the catalogue and takes no payment: the opt-in is honest here.
        "PAYMENT_TEST_GATEWAY_IN_PRODUCTION": "True",
        # Plain HTTP on loopback: no TLS proxy in front, so no redirect to https.
        "SECURE_SSL_REDIRECT": "False",
        "DEBUG": "False",
        "SECRET_KEY": base64.urlsafe_b64encode(os.urandom(48)).decode(),
        "DATA_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "ALLOWED_HOSTS": HOST,
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "carewatch.settings",
    }
    done = run([sys.executable, str(STORE_DIR / "prepare_ours.py")], env, "CareWatch setup")
    return json.loads(done.stdout.strip().splitlines()[-1]), env


def bare_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return env | {"PYTHONPATH": str(STORE_DIR), "DJANGO_SETTINGS_MODULE": "bare"}


def uvicorn_args(app: str) -> list[str]:
    """As carewatch.cli._serve_asgi configures uvicorn: one process, lifespan off, info log."""
    return ["-m", "uvicorn", app, "--lifespan", "off", "--log-level", "info", "--host", HOST]


# --- Oscar ----------------------------------------------------------------------


@dataclass
class OscarShop:
    python: Path
    env: dict[str, str]
    product_path: str
    version: str

    @classmethod
    def prepare(cls, data_dir: Path, catalogue: dict) -> OscarShop:
        python = ensure_oscar_venv()
        data_dir.mkdir(parents=True)
        env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "DATA_DIR")}
        env |= {
            "PYTHONPATH": str(STORE_DIR),
            "DJANGO_SETTINGS_MODULE": "oscar_settings",
            "OSCAR_BENCH_DATA_DIR": str(data_dir),
            "PYTHONWARNINGS": "ignore",
            "PYTHONUNBUFFERED": "1",
        }
        version = run(
            [str(python), "-c", "import oscar; print(oscar.get_version())"], env, "oscar version"
        ).stdout.strip()
        template, urls = oscar_database(python, env, catalogue, version)
        shutil.copytree(template, data_dir, dirs_exist_ok=True)
        return cls(python, env, urls[PRODUCT_SLUG], version)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or ""
    return Path(base) / "carewatch-bench" if base else Path("/tmp/carewatch-bench")


def ensure_oscar_venv() -> Path:
    """A throwaway virtualenv with oscar and the same uvicorn as ours; made once, then reused."""
    venv = cache_dir() / "oscar-venv"
    python = venv / "bin" / "python"
    uvicorn_version = importlib.metadata.version("uvicorn")
    wanted = (
        f"{OSCAR_REQUIREMENT} sorl-thumbnail whoosh-reloaded uvicorn[standard]=={uvicorn_version}"
    )
    marker = venv / "carewatch-bench-ready"
    if marker.exists() and marker.read_text() == wanted and python.exists():
        return python
    uv = shutil.which("uv")
    if uv is None:
        raise BenchError("uv is not on PATH, so the oscar virtualenv cannot be made")
    print(f"oscar: making the throwaway virtualenv {venv} (once) ...", flush=True)
    venv.parent.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    run([uv, "venv", "--quiet", "--allow-existing", "-p", "3.11", str(venv)], env, "uv venv")
    run(
        [uv, "pip", "install", "--quiet", "--python", str(python), *wanted.split()],
        env,
        f"installing {wanted}",
        timeout=600,
    )
    marker.write_text(wanted)
    return python


def oscar_database(
    python: Path, env: dict[str, str], catalogue: dict, version: str
) -> tuple[Path, dict[str, str]]:
    """Oscar's migrations take a while: its migrated, loaded and indexed data directory
    (SQLite and the Whoosh search index) is kept per catalogue and copied for each run."""
    payload = json.dumps(catalogue, sort_keys=True)
    source = b"".join(p.read_bytes() for p in sorted(STORE_DIR.glob("oscar_*.py")))
    key = hashlib.sha256(payload.encode() + source + version.encode()).hexdigest()[:16]
    template = cache_dir() / f"oscar-data-{key}"
    meta = template / "urls.json"
    if meta.exists():
        return template, json.loads(meta.read_text())
    build = Path(tempfile.mkdtemp(prefix="oscar-build-", dir=cache_dir()))
    try:
        build_env = env | {"OSCAR_BENCH_DATA_DIR": str(build)}
        print("oscar: migrating and loading the catalogue (once per catalogue) ...", flush=True)
        run([str(python), "-m", "django", "migrate", "-v0"], build_env, "oscar migrate", 600)
        loaded = run(
            [str(python), str(STORE_DIR / "oscar_load.py")],
            build_env,
            "oscar catalogue load",
            input_text=payload,
        )
        run([str(python), "-m", "django", "update_index", "-v0"], build_env, "oscar index")
        (build / "urls.json").write_text(json.dumps(loaded_urls(loaded.stdout)))
        shutil.rmtree(template, ignore_errors=True)
        build.rename(template)
        return template, json.loads(meta.read_text())
    finally:
        shutil.rmtree(build, ignore_errors=True)


def loaded_urls(stdout: str) -> dict[str, str]:
    return dict(json.loads(stdout.strip().splitlines()[-1])["urls"])


# --- Query counts ---------------------------------------------------------------


def count_queries(ours_env: dict[str, str], oscar: OscarShop | None) -> dict[str, object]:
    """SQL per page, counted in-process by Django's test client with DEBUG off."""
    counter = str(STORE_DIR / "count_queries.py")
    figures: dict[str, object] = {}
    done = run([sys.executable, counter, OURS_LIST, OURS_PRODUCT], ours_env, "counting queries")
    ours = json.loads(done.stdout.strip().splitlines()[-1])
    figures["ours"] = {"list": ours[OURS_LIST], "product": ours[OURS_PRODUCT]}
    if oscar is not None:
        try:
            done = run(
                [str(oscar.python), counter, "/catalogue/", oscar.product_path],
                oscar.env,
                "counting oscar's queries",
            )
        except BenchError as error:
            figures["oscar"] = {"error": str(error)}
            return figures
        theirs = json.loads(done.stdout.strip().splitlines()[-1])
        figures["oscar"] = {"list": theirs["/catalogue/"], "product": theirs[oscar.product_path]}
    return figures


# --- Servers --------------------------------------------------------------------


def measure_server(
    name: str,
    command: list[str],
    env: dict[str, str],
    pages: dict[str, str],
    seconds: float,
    warmup: float,
    cwd: Path,
    logs: Path,
    port_last: bool = False,
    expect: dict[str, list[str]] | None = None,
) -> dict[str, dict[str, object]]:
    expect = expect or {}
    port = free_port()
    full = [*command, str(port)] if port_last else [*command, "--port", str(port)]
    with serving(full, env, cwd, logs / f"{name.replace(' ', '-')}.log", port, name):
        figures: dict[str, dict[str, object]] = {}
        for page, path in pages.items():
            check_page(port, path, expect.get(page, []), name)
            cookie = RENDERED_COOKIE if page.endswith("_rendered") else ""
            print(f"loading {name} {page} {path} for {seconds:g} s ...", flush=True)
            asyncio.run(generate_load(port, path, warmup, CONNECTIONS, cookie))  # not counted
            load = asyncio.run(generate_load(port, path, seconds, CONNECTIONS, cookie))
            figures[page] = load.figures() | {"path": path}
    return figures


@contextlib.contextmanager
def serving(
    command: list[str], env: dict[str, str], cwd: Path, log: Path, port: int, name: str
) -> Iterator[None]:
    with log.open("wb") as out:
        server = subprocess.Popen(
            command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            wait_until_listening(server, port, name, log)
            yield
        finally:
            stop(server)


def check_page(port: int, path: str, texts: list[str], name: str) -> None:
    """A page that answers fast because it shows nothing would make the figures meaningless."""
    with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=30) as response:
        page = response.read().decode()
    missing = [text for text in texts if html.escape(text) not in page]
    if missing:
        raise BenchError(f"{name} {path} does not show {', '.join(missing)}")


def wait_until_listening(server: subprocess.Popen, port: int, name: str, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            tail = log.read_text(errors="replace").strip().splitlines()[-5:]
            raise BenchError(f"{name} stopped at start-up: {' | '.join(tail)}")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.5):
            return
        time.sleep(0.2)
    raise BenchError(f"{name} did not listen on {HOST}:{port} within 90 s")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGINT)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=5)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def run(
    command: list[str],
    env: dict[str, str],
    what: str,
    timeout: float = 300,
    input_text: str | None = None,
) -> subprocess.CompletedProcess[str]:
    try:
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=timeout, input=input_text
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BenchError(f"{what} failed: {error}") from None
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise BenchError(f"{what} failed (exit {done.returncode}): {' | '.join(tail)}")
    return done


# --- Load generator -------------------------------------------------------------


async def generate_load(
    port: int, path: str, seconds: float, connections: int, cookie: str = ""
) -> Load:
    """`connections` keep-alive clients, each sending its next request when the last is answered."""
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nUser-Agent: store-bench\r\n"
        "Accept: text/html\r\nAccept-Language: en\r\n"
        + (f"Cookie: {cookie}\r\n" if cookie else "")
        + "\r\n"
    ).encode()
    load = Load()
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(*(client(port, request, deadline, load) for _ in range(connections)))
    load.seconds = time.perf_counter() - started
    return load


async def client(port: int, request: bytes, deadline: float, load: Load) -> None:
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    while time.perf_counter() < deadline:
        if writer is None:
            try:
                reader, writer = await asyncio.open_connection(HOST, port)
            except OSError:
                load.connection_errors += 1
                await asyncio.sleep(0.05)
                continue
        assert reader is not None
        sent = time.perf_counter()
        try:
            writer.write(request)
            status, keep_alive = await asyncio.wait_for(read_response(reader), REQUEST_TIMEOUT_S)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            load.connection_errors += 1
            writer.close()
            writer = None
            continue
        load.latencies.append(time.perf_counter() - sent)
        load.statuses[status] += 1
        if not keep_alive:
            writer.close()
            writer = None
    if writer is not None:
        writer.close()


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip().lower()
    if headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers.get("connection") != "close"


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


# --- Report ---------------------------------------------------------------------


def compare(result: dict) -> dict[str, object]:
    bare_rps = result["bare"]["requests_per_s"] or 1
    ours, oscar = result["ours"], result.get("oscar", {})
    comparison: dict[str, object] = {}
    for page, target in (("list", LIST_TARGET), ("product", PRODUCT_TARGET)):
        row: dict[str, object] = {
            "ours_share_of_bare_view": round(ours[page]["requests_per_s"] / bare_rps, 3)
        }
        if page in oscar:
            theirs = oscar[page]
            times = ours[page]["requests_per_s"] / max(theirs["requests_per_s"], 0.001)
            row |= {
                "oscar_share_of_bare_view": round(theirs["requests_per_s"] / bare_rps, 3),
                "times_oscar_requests_per_s": round(times, 1),
                "target_times": target,
                "p99_not_above_oscar": ours[page]["p99_ms"] <= theirs["p99_ms"],
                "no_errors": ours[page]["errors"] == 0,
            }
            row["target_met"] = bool(
                times >= target and row["p99_not_above_oscar"] and row["no_errors"]
            )
        rendered = ours.get(f"{page}_rendered")
        if rendered and page in oscar:
            row["rendered_every_time_times_oscar"] = round(
                rendered["requests_per_s"] / max(oscar[page]["requests_per_s"], 0.001), 1
            )
        comparison[page] = row
    return comparison


def print_table(result: dict) -> None:
    queries = result.get("queries", {})
    rows: list[tuple[str, dict, str | None]] = [("bare Django view", result["bare"], None)]
    for side, label in (("oscar", "oscar"), ("ours", "CareWatch")):
        for page in ("list", "product", "list_rendered", "product_rendered"):
            figures = result.get(side, {}).get(page)
            if figures:
                counted = queries.get(side, {}).get(page.removesuffix("_rendered"), {})
                sql = f"{counted['queries']}/{counted['queries_first_visit']}" if counted else None
                if counted and page.endswith("_rendered"):  # plus the session lookup
                    sql = f"{counted['queries_first_visit']}+1"
                rows.append((f"{label} {page.replace('_rendered', ' rendered')}", figures, sql))
    bare_rps = result["bare"]["requests_per_s"] or 1
    print()
    header = ("req/s", "p50 ms", "p99 ms", "errors", "SQL", "of bare")
    print(
        "SQL: queries a page once cached / on the first visit (in-process count); "
        "'rendered': a visitor with a session cookie, who never gets a stored page"
    )
    print(f"{'page':<26} " + " ".join(f"{h:>8}" for h in header))
    for label, f, sql in rows:
        share = f"{f['requests_per_s'] / bare_rps:.1%}"
        print(
            f"{label:<26} {f['requests_per_s']:>8} {f['p50_ms']:>8} {f['p99_ms']:>8} "
            f"{f['errors']:>8} {sql if sql is not None else '-':>8} {share:>8}"
        )
    oscar = result.get("oscar", {})
    if "error" in oscar or "skipped" in oscar:
        print(f"oscar not measured: {oscar.get('error') or oscar.get('skipped')}")
    for page, row in result["comparison"].items():
        if "times_oscar_requests_per_s" in row:
            verdict = "met" if row["target_met"] else "NOT met"
            print(
                f"{page}: {row['times_oscar_requests_per_s']}x oscar's requests/s "
                f"(target {row['target_times']:g}x), p99 not above oscar's: "
                f"{row['p99_not_above_oscar']}, no errors: {row['no_errors']} -> target {verdict}"
            )
        if "rendered_every_time_times_oscar" in row:
            print(
                f"{page} rendered every time (no stored page): "
                f"{row['rendered_every_time_times_oscar']}x oscar's requests/s"
            )
    first, last = result["bare"]["requests_per_s_first_and_last"]
    print(f"bare view measured first and last: {first} and {last} requests/s; the higher is used")
    print(
        f"{result['connections']} connections, {result['seconds_per_page']:g} s per page, "
        f"{result['cpus']} CPUs, load average {result['load_average']} at start"
    )


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as failure:
        print(f"store_bench: {failure}", file=sys.stderr)
        sys.exit(1)
