"""The `carewatch` command: demo, serve, worker, gateway and manage.

Everything runs in one process by default (web server and task worker); at
scale the same code runs as `carewatch serve --no-worker` behind a load
balancer plus any number of `carewatch worker` processes on Redis.
"""

from __future__ import annotations

import argparse
import errno
import os
import socket
import sys
from collections.abc import Sequence
from typing import Any, cast

from carewatch.platform.lib.env import ConfigError


class StartupError(Exception):
    """Start-up cannot go on; the message is one sentence for the operator."""


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except (ConfigError, StartupError) as error:
        print(f"carewatch: {error}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="carewatch", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, help_text, run in [
        ("demo", "set up demo data and serve everything on one machine", _demo),
        ("serve", "serve the web app and run the task worker in one process", _serve),
    ]:
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
        command.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
        command.add_argument(
            "--no-worker",
            action="store_true",
            help="do not run the task worker and the ingest worker in this process",
        )
        command.add_argument(
            "--no-gateways",
            action="store_true",
            help="do not run the device gateways in this process (run `carewatch gateway`)",
        )
        command.set_defaults(run=run)
    simulate = commands.add_parser(
        "simulate", help="drive virtual watches (TCP) and phones (OsmAnd HTTP) along routes"
    )
    simulate.add_argument("--devices", type=int, default=2, help="how many devices (2)")
    simulate.add_argument("--interval", type=float, default=5.0, help="seconds between reports")
    simulate.add_argument("--duration", type=float, default=None, help="stop after seconds")
    simulate.add_argument("--family", type=int, default=None, help="family id to use")
    simulate.add_argument(
        "--watch", default=None, help="watch gateway host:port (127.0.0.1 and WATCH_PORT)"
    )
    simulate.add_argument(
        "--osmand-url", default=None, help="OsmAnd endpoint (SITE_URL + /osmand/)"
    )
    simulate.set_defaults(run=_simulate)
    ingest = commands.add_parser("ingest", help="run an ingest worker: the log into the database")
    ingest.add_argument("--status", action="store_true", help="show lag and rates, then exit")
    ingest.add_argument("--json", action="store_true", help="with --status: one JSON object")
    ingest.add_argument("--name", default=None, help="worker name (host:pid)")
    ingest.add_argument(
        "--lease-seconds", type=float, default=10.0, help="partition takeover after (10)"
    )
    ingest.set_defaults(run=_ingest)
    worker = commands.add_parser("worker", help="run only the task worker (to scale out)")
    worker.add_argument("--threads", type=int, default=None, help="worker threads")
    worker.set_defaults(run=_worker)
    _add_gateway(commands)
    _add_assistant(commands)
    manage = commands.add_parser("manage", help="Django management commands", add_help=False)
    manage.add_argument("args", nargs=argparse.REMAINDER)
    manage.set_defaults(run=_manage)
    return parser


def _add_gateway(commands: Any) -> None:
    """`carewatch gateway` runs the device gateways alone; `gateway decode` is a support tool."""
    gateway = commands.add_parser(
        "gateway",
        help="run the device gateways alone (watch TCP, OsmAnd port, OwnTracks MQTT); "
        "`gateway decode` shows what CareWatch understands of device messages",
    )
    gateway.add_argument("--host", default=None, help="address to listen on (GATEWAY_HOST)")
    gateway.add_argument(
        "--watch-port", type=int, default=None, help="watch protocol port (WATCH_PORT, 5093)"
    )
    gateway_commands = gateway.add_subparsers(dest="gateway_command", metavar="SUBCOMMAND")
    decode = gateway_commands.add_parser(
        "decode",
        help="show what CareWatch understands of device messages (JSON lines in and out)",
        description='Reads JSON lines such as {"protocol": "watch", "input": "[3G*...]"} '
        "and writes one JSON line per input; see carewatch/kids/protocols/decode_tool.py.",
    )
    decode.add_argument("files", nargs="*", help="JSON-lines files (default: standard input)")
    decode.set_defaults(run=_gateway_decode)
    gateway.set_defaults(run=_gateway)


def _add_assistant(commands: Any) -> None:
    """`carewatch assistant ask`: what the help assistant answers, as one JSON object."""
    assistant = commands.add_parser("assistant", help="the help assistant (`assistant ask`)")
    assistant_commands = assistant.add_subparsers(
        dest="assistant_command", metavar="SUBCOMMAND", required=True
    )
    ask = assistant_commands.add_parser(
        "ask",
        help="answer one question: prints {kind, section, answer, score} as JSON",
        description="kind is answer, handover, out_of_scope, medical or emergency; section "
        "is the help article's URL path. Needs no database.",
    )
    ask.add_argument("--lang", choices=["en", "hi", "ta"], default="en", help="language (en)")
    ask.add_argument("--page", default="", help="the page the user is on, e.g. /kids/tracker/")
    ask.add_argument("question", help="the question, in quotes")
    ask.set_defaults(run=_assistant_ask)


def _assistant_ask(args: argparse.Namespace) -> int:
    """Pure: no Django, no database (the index is built from the help files in the package)."""
    import json

    from carewatch.platform.assistant import engine

    reply = engine.default().ask(args.question, args.lang, args.page)
    print(json.dumps(reply.as_json(), ensure_ascii=False))
    return 0


def _gateway_decode(args: argparse.Namespace) -> int:
    """Pure: no Django, no database, so support staff can run it anywhere."""
    import fileinput

    from carewatch.kids.protocols import decode_tool

    with fileinput.input(args.files, encoding="utf-8", errors="replace") as lines:
        decode_tool.run(lines, sys.stdout)
    return 0


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carewatch.settings")
    import django

    django.setup()


def _manage(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["carewatch manage", *args.args])
    return 0


def _worker(args: argparse.Namespace) -> int:
    setup_django()
    import logging

    from django.core.management import call_command

    logging.getLogger("huey").setLevel(logging.INFO)  # a lone worker says what it does

    options = {"workers": args.threads} if args.threads else {}
    call_command("run_huey", **options)
    return 0


def _ingest(args: argparse.Namespace) -> int:
    setup_django()
    import json
    import logging
    import signal

    from django.conf import settings

    from carewatch.kids.ingest import open_log, status
    from carewatch.kids.ingest.worker import Worker, WorkerConfig
    from carewatch.platform.lib import loops

    log = open_log()
    if args.status:
        report = status.collect(log, settings.DATA_DIR / "metrics")
        print(json.dumps(report) if args.json else status.render(report))
        return 0
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # The database thread gets the GIL back sooner after each query while the log's thread
    # decodes a flood of positions: an alarm's dozen round trips no longer wait 5 ms each.
    sys.setswitchinterval(0.0005)
    calm_garbage_collector()
    config = WorkerConfig(lease_s=args.lease_seconds, metrics_dir=settings.DATA_DIR / "metrics")
    if args.name:
        config.name = args.name
    worker = Worker(log, config)
    for signum in (signal.SIGTERM, signal.SIGINT):  # finish the batch, give the leases back
        signal.signal(signum, lambda *_: worker.stop())
    print(f"Ingest worker {config.name} on {log.name}; Ctrl+C stops.", flush=True)
    loops.run(worker.run())
    return 0


def _simulate(args: argparse.Namespace) -> int:
    setup_django()
    from django.conf import settings

    from carewatch.kids.simulator import runner
    from carewatch.platform.accounts.models import Family

    if args.family is not None:
        family = Family.objects.filter(pk=args.family).first()
        if family is None:
            raise StartupError(f"there is no family {args.family}: give an existing family id.")
    else:
        family, _ = Family.objects.get_or_create(name="Simulation")
    names = [f"Child {number + 1}" for number in range(max(1, args.devices))]
    walkers = runner.ensure_simulated_family(family, names)
    targets = _simulator_targets(
        args.watch or f"127.0.0.1:{settings.GATEWAYS.watch_port}",
        args.osmand_url or f"{settings.SITE_URL}/osmand/",
    )
    print(
        f"Simulating {len(walkers)} devices in {family.name!r} through the watch gateway at "
        f"{targets.watch_host}:{targets.watch_port} and {targets.osmand_url}; Ctrl+C stops.",
        flush=True,
    )
    try:
        sent = runner.run(walkers, targets, args.interval, args.duration)
    except KeyboardInterrupt:
        return 0
    print(f"Sent {sent} reports.")
    return 0


def _simulator_targets(watch: str, osmand_url: str) -> Any:
    from carewatch.kids.simulator.runner import Targets

    host, _, port = watch.rpartition(":")
    if not host or not port.isdigit():
        raise StartupError(f"--watch must be host:port, such as 127.0.0.1:5093, not {watch!r}.")
    return Targets(host, int(port), osmand_url)


def _gateway(args: argparse.Namespace) -> int:
    setup_django()
    import asyncio
    import contextlib
    import dataclasses
    import logging

    from django.conf import settings

    from carewatch.kids.gateways.logs import ingest_log
    from carewatch.kids.gateways.runner import describe, run, serve_forever

    config = settings.GATEWAYS
    if args.host:
        config = dataclasses.replace(config, host=args.host)
    if args.watch_port is not None:
        config = dataclasses.replace(config, watch_port=args.watch_port)
    _check_gateway_ports(config)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")

    def ready(ports: dict[str, int]) -> None:
        listening = "; ".join(describe(ports, config.host)) or "nothing (every gateway is off)"
        print(f"CareWatch gateways: {listening}. Ctrl+C stops.", flush=True)

    calm_garbage_collector()
    with contextlib.suppress(KeyboardInterrupt, asyncio.CancelledError):  # Ctrl+C, SIGTERM
        run(config, serve_forever(config, ingest_log(), ready, signals=True))
    print("CareWatch gateways stopped.", flush=True)
    return 0


def _check_gateway_ports(config: Any) -> None:
    if config.watch_port:
        check_port_free(config.host, config.watch_port, "WATCH_PORT")
    if config.osmand_own_port:
        check_port_free(config.host, config.osmand_port, "OSMAND_PORT")


def _serve(args: argparse.Namespace) -> int:
    return _run_server(args, demo=False)


def _demo(args: argparse.Namespace) -> int:
    return _run_server(args, demo=True)


def _run_server(args: argparse.Namespace, *, demo: bool) -> int:
    check_port_free(args.host, args.port)
    if demo:
        # Demo staff logins should work without an authenticator app; the banner says so.
        os.environ.setdefault("STAFF_MFA_REQUIRED", "False")
    default_site_url(args.host, args.port)
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    collect_static()
    logins = _load_demo() if demo else []
    consumer = None if args.no_worker else _start_worker()
    ingest = None if args.no_worker else _start_ingest()
    gateways = None if args.no_gateways else _start_gateways()
    simulator = _start_demo_simulator(args.host, args.port, gateways) if demo else None
    warm_assistant()
    calm_garbage_collector()  # the in-process ingest worker's alarms, as `carewatch ingest`
    _print_banner(args.host, args.port, logins, gateways)
    try:
        _serve_asgi(args.host, args.port)
    finally:
        if simulator is not None:
            simulator.set()
        if gateways is not None:
            gateways.stop()
        if ingest is not None:
            ingest.stop()
        if consumer is not None:
            consumer.stop(graceful=True)
    return 0


def default_site_url(host: str, port: int) -> None:
    """Links in e-mails point where this server listens unless SITE_URL says otherwise
    (`carewatch demo --port 8080` mailed links to port 8000)."""
    if not os.environ.get("SITE_URL"):
        os.environ["SITE_URL"] = f"http://{shown_host(host)}:{port}"


def shown_host(host: str) -> str:
    if host in {"0.0.0.0", "", "::"}:
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def collect_static() -> None:
    """Production serves static files from the manifest `collectstatic` writes: without it
    (or with one from an older version) pages answered 500. Collecting at every start is
    cheap after the first (unchanged files are skipped) and STATIC_ROOT is ours."""
    from django.conf import settings
    from django.core.management import call_command

    if settings.PRODUCTION:
        call_command("collectstatic", interactive=False, verbosity=0)


def check_port_free(host: str, port: int, setting: str = "--port") -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise StartupError(
                    f"port {port} on {host} is already in use: stop the other program "
                    f"or choose another port with {setting}."
                ) from None
            raise StartupError(f"cannot listen on {host}:{port} ({error.strerror}).") from None


def _load_demo() -> list[tuple[str, str, str]]:
    from carewatch.demo import load_demo_data

    return load_demo_data()


def _start_demo_simulator(host: str, port: int, gateways: Any) -> Any:
    """Virtual devices through the real gateways: TCP to the watch port, HTTP to /osmand/."""
    from carewatch.demo import demo_walkers
    from carewatch.kids.simulator import runner

    watch_port = gateways.ports.get("watch") if gateways is not None else None
    if not watch_port:
        print("carewatch: the watch gateway is off, so the demo's watches stay still.")
        return None
    shown = "127.0.0.1" if host in {"0.0.0.0", "", "::"} else host
    targets = runner.Targets(shown, watch_port, f"http://{shown}:{port}/osmand/")
    return runner.start_in_background(demo_walkers(), targets)


def _start_gateways() -> Any:
    """The device gateways in a thread of this process (off when every port is off)."""
    from django.conf import settings

    from carewatch.kids.gateways.logs import ingest_log
    from carewatch.kids.gateways.runner import GatewayThread

    config = settings.GATEWAYS
    _check_gateway_ports(config)
    gateways = GatewayThread(config, ingest_log())
    try:
        gateways.start()
    except RuntimeError as error:
        raise StartupError(str(error)) from None
    return gateways


def warm_assistant() -> None:
    """The help assistant's index is built in the background now, not at the first
    question (about half a second with the imports)."""
    import threading

    from carewatch.platform.assistant import engine

    threading.Thread(target=engine.default, name="assistant-index", daemon=True).start()


def calm_garbage_collector() -> None:
    """A worker holds every device's state and places, a gateway thousands of connections:
    a full collection walks all of it and stops the alarm lane with everything else (in
    the gateway, measured with gc.callbacks under load: pauses of 0.5 to 0.8 s, several a
    second, each one an SOS could wait behind). What exists after start-up is frozen out
    of the collections, and the young generation is collected less often."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def _start_ingest() -> Any:
    """The ingest worker in this process: the log's positions and alarms into the database."""
    from django.conf import settings

    from carewatch.kids.ingest import open_log
    from carewatch.kids.ingest.worker import WorkerConfig, start_in_thread

    return start_in_thread(open_log(), WorkerConfig(metrics_dir=settings.DATA_DIR / "metrics"))


def _start_worker() -> Any:
    from django.conf import settings
    from django.utils.module_loading import autodiscover_modules
    from huey.contrib.djhuey import HUEY

    autodiscover_modules("tasks")  # as djhuey's run_huey does: register every app's tasks
    options = cast(dict[str, Any], settings.HUEY["consumer"])
    consumer = HUEY.create_consumer(**options)
    consumer.start()  # threads; uvicorn installs its own signal handlers afterwards
    return consumer


def _serve_asgi(host: str, port: int) -> None:
    import uvicorn

    config = uvicorn.Config(
        "carewatch.asgi:application", host=host, port=port, lifespan="off", log_level="info"
    )
    uvicorn.Server(config).run()


def _print_banner(
    host: str, port: int, logins: list[tuple[str, str, str]], gateways: Any = None
) -> None:
    lines = ["", f"  CareWatch is running at http://{shown_host(host)}:{port}/", ""]
    if gateways is not None and gateways.ports:
        from carewatch.kids.gateways.runner import describe

        lines.append(
            "  Device gateways: " + "; ".join(describe(gateways.ports, gateways.config.host))
        )
        lines.append("")
    if logins:
        lines.append("  Demo logins (e-mail / password):")
        lines += [f"    {role:<16} {email:<28} {password}" for role, email, password in logins]
        lines.append("  (In the demo, clinic staff are not asked for a second factor.)")
        lines.append("")
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    sys.exit(main())
