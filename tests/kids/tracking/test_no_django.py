"""The tracking core is plain Python: no Django, nothing else from carewatch."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import carewatch.kids.tracking as tracking

PACKAGE = Path(tracking.__file__).parent


def test_it_imports_without_django() -> None:
    code = (
        "import sys, carewatch.kids.tracking\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')\n"
        "    or (m.startswith('carewatch.') and not m.startswith('carewatch.kids.tracking')\n"
        "        and m != 'carewatch.kids'))\n"
        "print(','.join(bad))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""


def test_its_modules_import_only_the_standard_library_shapely_numpy_and_themselves() -> None:
    allowed = set(sys.stdlib_module_names) | {"shapely", "numpy"}
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed, f"{path.name} imports {name}"
