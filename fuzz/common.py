"""Shared by the fuzz harnesses: seeds, running for a bounded time, the output oracle."""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

SEEDS = Path(__file__).resolve().parent / "seeds"
# The property tests' oracle, so that fuzzing and the tests judge output alike.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.kids.protocols.invariants import check  # noqa: E402,F401


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
