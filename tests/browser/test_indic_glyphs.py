"""Hindi and Tamil pages on a machine without Indic system fonts (like this one): every
glyph of Devanagari or Tamil text comes from the vendored Noto fonts, never from a
system font that draws empty boxes. Chromium reports which fonts drew each element's
text (DevTools' CSS.getPlatformFontsForNode)."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.browser
INDIC = re.compile(r"[\u0900-\u097f\u0b80-\u0bff]")
VENDORED = {"Noto Sans Devanagari", "Noto Sans Tamil"}
# Marks each element with Devanagari or Tamil text of its own (not only in children).
MARK = """() => {
  const indic = /[\\u0900-\\u097f\\u0b80-\\u0bff]/;
  const found = [];
  document.querySelectorAll("body *").forEach((el) => {
    const texts = Array.from(el.childNodes).filter((n) => n.nodeType === 3);
    const own = texts.map((n) => n.data).join("");
    if (indic.test(own) && el.getClientRects().length) {
      el.setAttribute("data-glyph-check", found.length);
      // The fonts reported cover the descendants' text and a list item's bullet too.
      const style = getComputedStyle(el);
      const bullet = style.display === "list-item" && style.listStyleType !== "none" ? "•" : "";
      found.push(bullet + el.textContent);
    }
  });
  return found;
}"""


def fonts_drawing(page: Any, count: int) -> list[list[dict[str, Any]]]:
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    fonts = []
    for n in range(count):
        node = cdp.send(
            "DOM.querySelector", {"nodeId": root, "selector": f"[data-glyph-check='{n}']"}
        )
        fonts.append(cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"])
    return fonts


def system_glyphs_for_indic_text(page: Any) -> list[tuple[str, int, list[dict[str, Any]]]]:
    """(text, fonts) of each element where system fonts drew more glyphs than the text
    has characters outside the Indic blocks: those extra glyphs are Indic ones."""
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")
    texts = page.evaluate(MARK)
    assert texts, "no Hindi or Tamil text on the page"
    bad = []
    for text, fonts in zip(texts, fonts_drawing(page, len(texts)), strict=True):
        other = len(INDIC.sub("", " ".join(text.split())))  # a space is a glyph too
        system = sum(f["glyphCount"] for f in fonts if f["familyName"] not in VENDORED)
        if system > other:
            bad.append((repr(text), other, fonts))
    return bad


@pytest.mark.parametrize("language", ["hi", "ta"])
def test_indic_text_is_drawn_with_the_vendored_fonts(
    browser_page: Any, site: str, language: str
) -> None:
    page = browser_page
    page.context.add_cookies([{"name": "django_language", "value": language, "url": site}])
    for path in ["/", "/accounts/login/", "/kids/shop/"]:
        page.goto(site + path)
        bad = system_glyphs_for_indic_text(page)
        assert not bad, (path, bad[:2])


def test_the_language_switcher_draws_hindi_and_tamil_on_an_english_page(
    browser_page: Any, site: str
) -> None:
    page = browser_page
    page.goto(site + "/")
    bad = system_glyphs_for_indic_text(page)
    assert not bad, bad
