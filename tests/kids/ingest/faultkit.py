"""The child processes of the fault tests: `python -m tests.kids.ingest.faultkit COMMAND`.

Settings come from the environment (DATA_DIR, DATABASE_URL, NATS_URL, INGEST_STREAM), as
for `carewatch`. Fix number i is device F<i mod devices> at base + (i div devices) x 50 ms,
so every process can work out which fixes exist.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime, timedelta

STEP = timedelta(milliseconds=50)


def fix_of(i: int, devices: int, base: float) -> tuple[str, datetime]:
    return f"F{i % devices:05d}", datetime.fromtimestamp(base, UTC) + (i // devices) * STEP


def setup(devices: int) -> None:
    from carewatch.kids.tracker.models import Child, Device, Place
    from carewatch.platform.accounts.models import Family, FamilyMembership, User

    family = Family.objects.create(name="Faults")
    guardian = User.objects.create_user("guardian@faults.example", "x")
    FamilyMembership.objects.create(family=family, user=guardian, role="owner")
    children = Child.objects.bulk_create(Child(family=family, name=f"C{n}") for n in range(devices))
    Device.objects.bulk_create(
        Device(identifier=f"F{n:05d}", family=family, child=children[n]) for n in range(devices)
    )
    Place.objects.create(family=family, name="Home", kind="home", lat=12.9, lon=80.1, radius_m=100)


def append(args: argparse.Namespace) -> None:
    """Appends in bursts; after each one is acknowledged prints `acked <last fix number>`."""
    from carewatch.kids.ingest import open_log
    from carewatch.kids.tracking import Fix

    log = open_log()
    for device in args.sos:
        when = datetime.fromtimestamp(args.base, UTC) - timedelta(seconds=1)
        log.append_sync([Fix(f"F{device:05d}", when, 12.8, 80.1, alarms=frozenset({"sos"}))])
    print("acked sos", flush=True)
    for start in range(0, args.count, args.burst):
        fixes = []
        for i in range(start, min(args.count, start + args.burst)):
            device, when = fix_of(i, args.devices, args.base)
            fixes.append(Fix(device, when, 12.9 + i * 1e-6, 80.1, accuracy_m=10, battery=90))
        log.append_sync(fixes)
        print(f"acked {fixes[-1].device_id} {i}", flush=True)
        if args.pause:
            time.sleep(args.pause)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["setup", "append"])
    parser.add_argument("--devices", type=int, default=20)
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--burst", type=int, default=50)
    parser.add_argument("--base", type=float, default=time.time() - 60)
    parser.add_argument("--pause", type=float, default=0.0)
    parser.add_argument("--sos", type=int, nargs="*", default=[])
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carewatch.settings")
    import django

    django.setup()
    if args.command == "setup":
        setup(args.devices)
    else:
        append(args)
    sys.stdout.flush()
    os._exit(0)  # the log's threads are daemons; nothing else to wait for


if __name__ == "__main__":
    main()
