"""What a first-time operator meets: `--port` reaches the links we e-mail, and production
mode serves pages without a separate `collectstatic`."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import httpx
import pytest

from carewatch import cli
from tests.conftest import free_port
from tests.platform.serving import embedded_env, running


@pytest.fixture
def no_site_url(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SITE_URL", "STAFF_MFA_REQUIRED"):
        monkeypatch.setenv(name, "")  # restored afterwards, whatever it was
        monkeypatch.delenv(name)


def start_until_django(monkeypatch: pytest.MonkeyPatch, *argv: str) -> str | None:
    """Runs the command up to Django's set-up and returns SITE_URL as Django would see it."""
    seen: dict[str, str | None] = {}

    def stop_at_setup() -> None:
        seen["url"] = os.environ.get("SITE_URL")
        raise cli.StartupError("stopped by the test")

    monkeypatch.setattr(cli, "check_port_free", lambda host, port: None)
    monkeypatch.setattr(cli, "setup_django", stop_at_setup)
    assert cli.main(list(argv)) == 2
    return seen["url"]


@pytest.mark.usefixtures("no_site_url")
def test_the_demo_port_reaches_the_links_we_send(monkeypatch: pytest.MonkeyPatch) -> None:
    assert start_until_django(monkeypatch, "demo", "--port", "8123") == "http://127.0.0.1:8123"
    monkeypatch.delenv("SITE_URL")
    url = start_until_django(monkeypatch, "serve", "--host", "0.0.0.0", "--port", "9000")
    assert url == "http://127.0.0.1:9000"


@pytest.mark.usefixtures("no_site_url")
def test_a_site_url_that_is_set_wins_over_the_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITE_URL", "https://carewatch.example")
    url = start_until_django(monkeypatch, "demo", "--port", "8123")
    assert url == "https://carewatch.example"


def test_production_serves_pages_without_a_separate_collectstatic(tmp_path: Path) -> None:
    port = free_port()
    env = embedded_env(
        tmp_path,
        PRODUCTION="True",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATA_KEY="d" * 60,
        PAYMENT_TEST_GATEWAY_IN_PRODUCTION="True",
        ALLOWED_HOSTS="127.0.0.1",
    )
    with running("serve", port, env, timeout=120):
        page = httpx.get(f"http://127.0.0.1:{port}/eyes/", follow_redirects=False)
    assert page.status_code < 500, page.text[:500]
    assert (tmp_path / "static" / "staticfiles.json").exists()
