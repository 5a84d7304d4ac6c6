"""The protocol decoders are plain Python: no Django, nothing from carewatch but the
tracking core's model (and its helper for building frozen values fast)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import carewatch.kids.protocols as protocols

PACKAGE = Path(protocols.__file__).parent
MODULES = ["watch", "osmand", "owntracks", "decode_tool"]


def test_it_imports_without_django() -> None:
    imports = "; ".join(
        f"import carewatch.kids.protocols.{name}"
        for name in MODULES
        if (PACKAGE / f"{name}.py").exists()
    )
    code = (
        f"import sys; {imports}\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(','.join(bad))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""


TRACKING_CORE = {"carewatch.kids.tracking.model", "carewatch.kids.tracking.frozen"}


def test_its_modules_import_only_the_standard_library_and_the_tracking_model() -> None:
    allowed = set(sys.stdlib_module_names)
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed or name in TRACKING_CORE, (
                    f"{path.name} imports {name}"
                )
