"""The `carewatch` command: demo, serve, worker and manage.

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
            "--no-worker", action="store_true", help="do not run the task worker in this process"
        )
        command.set_defaults(run=run)
    simulate = commands.add_parser("simulate", help="drive virtual watches along routes")
    simulate.add_argument("--devices", type=int, default=2, help="how many watches (2)")
    simulate.add_argument("--interval", type=float, default=5.0, help="seconds between reports")
    simulate.add_argument("--duration", type=float, default=None, help="stop after seconds")
    simulate.add_argument("--family", type=int, default=None, help="family id to use")
    simulate.set_defaults(run=_simulate)
    worker = commands.add_parser("worker", help="run only the task worker (to scale out)")
    worker.add_argument("--threads", type=int, default=None, help="worker threads")
    worker.set_defaults(run=_worker)
    manage = commands.add_parser("manage", help="Django management commands", add_help=False)
    manage.add_argument("args", nargs=argparse.REMAINDER)
    manage.set_defaults(run=_manage)
    return parser


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


def _simulate(args: argparse.Namespace) -> int:
    setup_django()
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
    print(f"Simulating {len(walkers)} watches in {family.name!r}; Ctrl+C stops.", flush=True)
    try:
        ticks = runner.run(walkers, args.interval, args.duration)
    except KeyboardInterrupt:
        return 0
    print(f"Sent {ticks} rounds of reports.")
    return 0


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
    simulator = _start_demo_simulator() if demo else None
    _print_banner(args.host, args.port, logins)
    try:
        _serve_asgi(args.host, args.port)
    finally:
        if simulator is not None:
            simulator.set()
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


def check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise StartupError(
                    f"port {port} on {host} is already in use: stop the other program "
                    f"or choose another port with --port."
                ) from None
            raise StartupError(f"cannot listen on {host}:{port} ({error.strerror}).") from None


def _load_demo() -> list[tuple[str, str, str]]:
    from carewatch.demo import load_demo_data

    return load_demo_data()


def _start_demo_simulator() -> Any:
    from carewatch.demo import demo_walkers
    from carewatch.kids.simulator import runner

    return runner.start_in_background(demo_walkers())


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


def _print_banner(host: str, port: int, logins: list[tuple[str, str, str]]) -> None:
    lines = ["", f"  CareWatch is running at http://{shown_host(host)}:{port}/", ""]
    if logins:
        lines.append("  Demo logins (e-mail / password):")
        lines += [f"    {role:<16} {email:<28} {password}" for role, email, password in logins]
        lines.append("  (In the demo, clinic staff are not asked for a second factor.)")
        lines.append("")
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    sys.exit(main())
