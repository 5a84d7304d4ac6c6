"""The gateways' logic is plain Python: the watch server, its limits, commands, grouped
appends, setup texts and the virtual devices import no Django (the ORM shell is apart)."""

from __future__ import annotations

import subprocess
import sys

PURE = [
    "carewatch.kids.gateways.config",
    "carewatch.kids.gateways.commands",
    "carewatch.kids.gateways.limits",
    "carewatch.kids.gateways.setup",
    "carewatch.kids.gateways.batching",
    "carewatch.kids.gateways.watch_server",
    "carewatch.kids.simulator.devices",
]


def test_the_pure_modules_import_without_django() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {name}\n" for name in PURE)
        + "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'django')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""
