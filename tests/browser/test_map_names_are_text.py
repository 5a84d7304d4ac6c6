"""Names typed by users (places, children) reach the maps as text, never as HTML: a place
called `<img src=x onerror=...>` shows those characters in its tooltip and runs nothing.

The tracker's real scripts (vendored Leaflet and maps.js) run in Chromium on a blank page,
with no server, so the test exercises exactly what every map page uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser
STATIC = Path(__file__).resolve().parents[2] / "src/carewatch/kids/tracker/static"
HOSTILE = '<img src=x onerror="window.__pwned=1">'


def load_maps(page: Any) -> None:
    page.set_content('<html lang="en"><body><div id="m" style="height:300px"></div></body></html>')
    page.add_style_tag(path=str(STATIC / "vendor/leaflet/leaflet.css"))
    page.add_script_tag(path=str(STATIC / "vendor/leaflet/leaflet.js"))
    page.add_script_tag(path=str(STATIC / "tracker/maps.js"))


def test_a_place_name_is_shown_as_text_in_its_tooltip(browser_page: Any) -> None:
    page = browser_page
    load_maps(page)
    page.evaluate(
        """name => {
            const map = CareMaps.create(document.getElementById("m"), {});
            map.setView([12.97, 77.59], 15);
            const layer = CareMaps.placeLayer(
                {name: name, kind: "other", lat: 12.97, lon: 77.59, radius_m: 100}).addTo(map);
            layer.openTooltip();
        }""",
        HOSTILE,
    )
    page.wait_for_selector(".leaflet-tooltip")
    page.wait_for_timeout(300)  # an injected <img> would have errored and run by now
    assert page.inner_text(".leaflet-tooltip") == HOSTILE
    assert page.query_selector(".leaflet-tooltip img") is None
    assert page.evaluate("window.__pwned") is None


def test_a_child_name_is_shown_as_text_on_its_pin(browser_page: Any) -> None:
    page = browser_page
    load_maps(page)
    initial = page.evaluate(
        "name => CareMaps.childIcon(name, 'online').options.html.textContent", "<b>x</b>"
    )
    assert initial == "<"
