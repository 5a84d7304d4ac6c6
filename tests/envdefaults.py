"""Loaded with `-p tests.envdefaults` before pytest-django reads the settings: every test
run gets its own data directory, runs tasks in-process (huey immediate mode) and pays
through the test gateway."""

import os
import tempfile

os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="carewatch-test-"))
os.environ.setdefault("HUEY_IMMEDIATE", "True")
# The suite's payments go through the TEST gateway unless a test says otherwise, whatever
# a developer's shell has set; the Stripe tests switch to localstripe themselves.
os.environ["PAYMENT_GATEWAY"] = "test"
# Live updates stay in-process unless a test picks a bus (tests/platform/test_pubsub_*.py).
os.environ["PUBSUB_URL"] = "local"
