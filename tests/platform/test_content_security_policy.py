"""Every page carries a Content-Security-Policy that allows scripts and styles only from
our own static files (vendored, no CDN), and no template relies on inline code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from carewatch.platform.web.csp import policy

SRC = Path(__file__).resolve().parents[2] / "src/carewatch"
# Mails and the PDF's HTML are not served as pages: mail clients need inline styles.
NOT_PAGES = ("/email/", "/messages/")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE = re.compile(r"\sstyle\s*=|<style", re.I)


def directives(header: str) -> dict[str, list[str]]:
    parts = (p.strip().split() for p in header.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/accounts/login/",
        "/admin/login/",
        "/eyes/centres/",
        "/kids/shop/",
        "/api/docs",
        "/no-such-page/",
    ],
)
def test_every_page_forbids_inline_and_foreign_scripts(client: Client, url: str) -> None:
    header = client.get(url)["Content-Security-Policy"]
    found = directives(header)
    assert found["script-src"] == ["'self'"]
    assert found["style-src"] == ["'self'"]
    assert found["default-src"] == ["'self'"]
    assert found["object-src"] == ["'none'"]
    assert found["frame-ancestors"] == ["'none'"]
    assert found["base-uri"] == ["'self'"]


def test_the_api_docs_come_from_the_installed_package_not_a_cdn(client: Client) -> None:
    page = client.get("/api/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources, "the page loads no script or style at all"
    assert [url for url in sources if "//" in url] == []  # nothing from another site
    assert "/static/ninja/swagger-ui-bundle" in page


def test_the_tile_server_is_the_only_foreign_image_source() -> None:
    found = policy("https://{s}.tile.example.org/{z}/{x}/{y}.png")
    assert found["img-src"] == ["'self'", "data:", "blob:", "https://*.tile.example.org"]
    assert policy("")["img-src"] == ["'self'", "data:", "blob:"]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "not a url", "https://a b/{z}"])
def test_a_strange_tile_url_adds_no_source(url: str) -> None:
    assert policy(url)["img-src"] == ["'self'", "data:", "blob:"]


def page_templates() -> list[Path]:
    found = sorted(SRC.rglob("templates/**/*.html"))
    return [p for p in found if not any(part in str(p) for part in NOT_PAGES)]


@pytest.mark.parametrize("path", page_templates(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_template_has_inline_script_handlers_or_styles(path: Path) -> None:
    text = path.read_text()
    assert not INLINE_SCRIPT.search(text), "move the script to a static file"
    assert not HANDLER.search(text), "attach the handler from a static script"
    assert not STYLE.search(text), "use a class from a static stylesheet"
