"""Loaded with `-p tests.envdefaults` before pytest-django reads the settings: every test
run gets its own data directory and runs tasks in-process (huey immediate mode)."""

import os
import tempfile

os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="carewatch-test-"))
os.environ.setdefault("HUEY_IMMEDIATE", "True")
