"""Maps with no tile server (the default): places carry their names, each child's track
has its own colour, and the place editor shows graph paper and the place's outline."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.inprocess import log_in_as

pytestmark = pytest.mark.browser
SCHOOL = (13.0827, 80.2707)


def family_with_two_walking_children() -> dict[str, Any]:
    from carewatch.kids.tracker.ingestion import ingest_fixes
    from carewatch.kids.tracker.models import Child, Device, Place
    from carewatch.kids.tracking import Fix
    from carewatch.platform.accounts.actions import do_create_family
    from tests.base import make_user

    parent = make_user("maps.parent@example.org")
    family = do_create_family(parent, "The Map family")
    school = Place.objects.create(
        family=family, name="School", kind="school", lat=SCHOOL[0], lon=SCHOOL[1], radius_m=150
    )
    now = timezone.now().replace(microsecond=0)
    for n, name in enumerate(["Asha", "Ravi"]):
        child = Child.objects.create(family=family, name=name, birth_year=2017)
        imei = f"86000000000010{n}"
        Device.objects.create(identifier=imei, family=family, child=child)
        fixes = [
            Fix(imei, now - timedelta(minutes=10 - m), SCHOOL[0] + 0.001 * m, SCHOOL[1] + 0.002 * n)
            for m in range(5)
        ]
        ingest_fixes(fixes, now=now)
    return {"parent": parent, "family": family, "school": school}


def test_the_live_map_labels_places_and_colours_each_childs_track(
    browser_page: Any,
    site: str,
    settings: Any,
) -> None:
    # The live server waits for open streams when it stops: keep the map's short.
    settings.TRACKER_LIVE_LIFETIME_SECONDS = 1
    page, made = browser_page, family_with_two_walking_children()
    log_in_as(page, site, made["parent"])
    page.goto(f"{site}/kids/tracker/family/{made['family'].pk}/map/")
    label = page.wait_for_selector(".leaflet-tooltip.place-label")
    assert label.inner_text() == "School" and label.is_visible()
    page.wait_for_function("document.querySelectorAll('path.cw-track').length === 2")
    colours = page.eval_on_selector_all(
        "path.cw-track", "els => els.map(e => e.getAttribute('stroke'))"
    )
    assert len(set(colours)) == 2, colours
    swatches = page.eval_on_selector_all(
        "[data-field=swatch]", "els => els.map(e => getComputedStyle(e).backgroundColor)"
    )
    assert len(set(swatches)) == 2, swatches


def test_the_place_editor_draws_graph_paper_and_the_place_outline(
    browser_page: Any,
    site: str,
) -> None:
    page, made = browser_page, family_with_two_walking_children()
    log_in_as(page, site, made["parent"])
    page.goto(f"{site}/kids/tracker/family/{made['family'].pk}/places/{made['school'].pk}/")
    page.wait_for_selector(".cw-grid canvas")
    outline = page.wait_for_selector(".leaflet-overlay-pane path")
    box = outline.bounding_box()
    assert box is not None and box["width"] > 20 and box["height"] > 20, box
    # A new place opens near the children, not on an empty map of India.
    page.goto(f"{site}/kids/tracker/family/{made['family'].pk}/places/new/")
    page.wait_for_selector(".cw-grid canvas")
    assert page.evaluate("document.querySelector('.leaflet-tooltip.place-label') !== null")
