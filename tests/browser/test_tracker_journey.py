"""A parent watches the live map while the simulator walks their child out of School."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.browser.conftest import log_in
from tests.browser.test_signup_journey import screenshot
from tests.browser.tracker_scenario import PARENT, PASSWORD
from tests.conftest import free_port
from tests.mailbox import Mailbox
from tests.platform.serving import embedded_env, running

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parents[2]
EXIT_ALERT = "Asha left School"


def scenario(step: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.browser.tracker_scenario", step],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(predicate: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.25)
    raise AssertionError(f"{what} did not happen within {seconds} s")


def marker_transform(page: Any) -> str:
    return str(
        page.eval_on_selector(".leaflet-marker-pane .leaflet-marker-icon", "e => e.style.transform")
    )


def test_a_parent_sees_the_child_leave_school_live_and_is_told(
    browser_page: Any, artifacts: Path, tmp_path: Path
) -> None:
    page, mailbox = browser_page, Mailbox()
    smtp_port, web_port = free_port(), free_port()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    env = embedded_env(tmp_path, EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}")
    base = f"http://127.0.0.1:{web_port}"
    try:
        with running("serve", web_port, env):
            setup = scenario("setup", env)
            out, _ = setup.communicate(timeout=60)
            ids = json.loads(out.strip().splitlines()[-1])
            log_in(page, base, PARENT, PASSWORD)
            page.goto(f"{base}/kids/tracker/family/{ids['family']}/map/")
            page.wait_for_selector("#family-map")

            walker = scenario("walk", env)
            page.wait_for_selector(".leaflet-marker-pane .leaflet-marker-icon", timeout=30_000)
            first = marker_transform(page)
            wait_for(lambda: marker_transform(page) != first, 30, "the child moving on the map")
            page.wait_for_selector("#live-alerts .live-alert:has-text('School')", timeout=40_000)
            screenshot(page, artifacts / "tracker-live-map.png")
            assert walker.wait(timeout=60) == 0, walker.stdout.read() if walker.stdout else ""

            page.goto(base + "/notifications/")
            assert EXIT_ALERT in page.content()
            wait_for(
                lambda: any(
                    EXIT_ALERT in m["Subject"] or EXIT_ALERT in t
                    for m, t in zip(mailbox.messages, mailbox.texts(), strict=False)
                ),
                30,
                "the exit e-mail",
            )

            page.goto(f"{base}/kids/tracker/family/{ids['family']}/history/?device={ids['device']}")
            assert "School" in page.inner_text("main")
            assert page.locator("#playback").count() == 1
            screenshot(page, artifacts / "tracker-history.png")
    finally:
        smtp.stop()
