"""Our scripts never hand text to an HTML parser: no innerHTML and friends, and Leaflet's
tooltips, popups and icons (which parse strings as HTML) get DOM elements only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src/carewatch"
HTML_SINKS = re.compile(
    r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\.html\s*\(|srcdoc|DOMParser"
)
# Leaflet methods whose string argument becomes HTML: the argument must be an element
# built by one of these helpers.
LEAFLET_SINKS = re.compile(
    r"\.(bindTooltip|bindPopup|setContent|setTooltipContent|setPopupContent)\(\s*([^)]*)"
)
DOM_BUILDERS = ("text(", "CareMaps.text(", "popup(")
DIVICON_STRING = re.compile(r"html\s*:\s*['\"`]")


def our_scripts() -> list[Path]:
    return sorted(p for p in SRC.rglob("static/**/*.js") if "vendor" not in p.parts)


@pytest.mark.parametrize("path", our_scripts(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_script_parses_text_as_html(path: Path) -> None:
    source = path.read_text()
    assert not HTML_SINKS.search(source)
    assert not DIVICON_STRING.search(source)
    for method, argument in LEAFLET_SINKS.findall(source):
        assert argument.startswith(DOM_BUILDERS), f"{method}({argument}...) must get an element"


def test_the_check_catches_a_name_handed_to_a_tooltip() -> None:
    assert LEAFLET_SINKS.findall("layer.bindTooltip(place.name);") == [
        ("bindTooltip", "place.name")
    ]
    assert not "place.name".startswith(DOM_BUILDERS)
