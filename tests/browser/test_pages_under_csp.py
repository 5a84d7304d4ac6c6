"""Public pages work under the Content-Security-Policy: Chromium reports no refused
script, style, image or connection, and the API docs draw from the vendored Swagger UI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import log_in, run_scenario
from tests.browser.tracker_scenario import PARENT, PASSWORD
from tests.conftest import free_port
from tests.platform.serving import embedded_env, running

pytestmark = pytest.mark.browser
PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/eyes/centres/",
    "/kids/shop/",
    "/admin/login/",
    "/api/docs",
]


def test_pages_run_with_no_policy_violation(browser_page: Any, tmp_path: Path) -> None:
    page, port = browser_page, free_port()
    base, env = f"http://127.0.0.1:{port}", embedded_env(tmp_path)
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    with running("serve", port, env):
        for url in PAGES:
            page.goto(base + url)
            page.wait_for_load_state("networkidle")
        page.wait_for_selector(".swagger-ui .info")  # the docs drew from local files
        family = run_scenario("tests.browser.tracker_scenario", env, "setup")["family"]
        log_in(page, base, PARENT, PASSWORD)
        for url in ("map/", "history/", "places/new/"):
            page.goto(f"{base}/kids/tracker/family/{family}/{url}")
            page.wait_for_selector(".leaflet-container")  # the map scripts ran
            page.wait_for_load_state("networkidle")
        page.wait_for_selector(".leaflet-pm-toolbar")  # and the place editor's tools
    assert refused == []
