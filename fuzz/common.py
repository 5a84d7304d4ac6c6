"""Shared by the fuzz harnesses: seeds, running for a bounded time, the output oracle."""

from __future__ import annotations

import json
import math
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

SEEDS = Path(__file__).resolve().parent / "seeds"
ALARMS = {
    "sos",
    "low_battery",
    "removed",
    "fall",
    "geofence_enter",
    "geofence_exit",
    "power_off",
    "low_power",
}


def check(decoded: Any) -> None:
    """Every decoded message is well formed, whatever the input (raises AssertionError)."""
    assert decoded.kind
    json.dumps(decoded.attributes)
    for fix in decoded.fixes:
        assert fix.fix_time.utcoffset() is not None
        assert fix.alarms <= ALARMS, fix.alarms
        assert fix.battery is None or 0 <= fix.battery <= 100
        assert math.isfinite(fix.lat) and math.isfinite(fix.lon)
        for value in (fix.speed_kmh, fix.course, fix.altitude, fix.accuracy_m):
            assert value is None or math.isfinite(value)
        assert not fix.valid or fix.located
        json.dumps(dict(fix.attributes))


def main(name: str, test_one_input: Callable[[bytes], None]) -> None:
    """Run libFuzzer over `test_one_input`; with no corpus folder given, start from a
    copy of fuzz/seeds/<name> (new inputs never land in the repository)."""
    import atheris

    argv = list(sys.argv)
    if not any(not arg.startswith("-") for arg in argv[1:]):
        corpus = Path(tempfile.mkdtemp(prefix=f"fuzz-{name}-"))
        for seed in (SEEDS / name).iterdir():
            shutil.copy(seed, corpus / seed.name)
        argv.append(str(corpus))
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()
