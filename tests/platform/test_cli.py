"""The `carewatch` command starts, serves, and explains what is wrong when it cannot."""

from __future__ import annotations

import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest
from django.utils import translation

from tests.conftest import free_port
from tests.platform.serving import CAREWATCH, embedded_env, running

HEADLINE = "Safer children, healthier eyes"


def translated(text: str, language: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def run_carewatch(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CAREWATCH, *args], env=env, capture_output=True, text=True, timeout=60)


def test_it_reports_a_port_already_in_use(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_carewatch("serve", "--port", str(port), env=embedded_env(tmp_path))
    assert result.returncode == 2
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("DATABASE_URL", "mysql://root@127.0.0.1/db", "DATABASE_URL has an unknown scheme"),
        ("EMAIL_URL", "smtp://", "EMAIL_URL names no mail server"),
        ("PRODUCTION", "True", "SECRET_KEY is not set: production mode needs SECRET_KEY"),
        ("DEBUG", "sometimes", "DEBUG must be True or False"),
    ],
)
def test_it_stops_with_one_sentence_on_bad_configuration(
    variable: str, value: str, expected: str, tmp_path: Path
) -> None:
    result = run_carewatch("manage", "check", env=embedded_env(tmp_path, **{variable: value}))
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_it_passes_management_commands_through_to_django(tmp_path: Path) -> None:
    result = run_carewatch("manage", "check", env=embedded_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_demo_serves_the_landing_page_in_three_languages(tmp_path: Path) -> None:
    port = free_port()
    with running("demo", port, embedded_env(tmp_path)) as process:
        pages = {
            language: httpx.get(
                f"http://127.0.0.1:{port}/", headers={"Accept-Language": language}
            ).text
            for language in ["en", "hi", "ta"]
        }
        static = httpx.get(f"http://127.0.0.1:{port}/static/vendor/htmx.min.js")
    output = process.stdout.read() if process.stdout else ""
    for language, page in pages.items():
        assert f'lang="{language}"' in page
        assert translated(HEADLINE, language) in page
    assert translated(HEADLINE, "hi") != HEADLINE != translated(HEADLINE, "ta")
    assert static.status_code == 200 and "htmx" in static.text
    assert f"http://127.0.0.1:{port}/" in output
    assert "parent@example.com" in output


def test_production_mode_starts_when_given_a_secret_and_hosts(tmp_path: Path) -> None:
    env = embedded_env(
        tmp_path,
        PRODUCTION="True",
        SECRET_KEY="s3cret-" * 10,
        DATA_KEY="d" * 60,
        ALLOWED_HOSTS="carewatch.example",
        PAYMENT_GATEWAY="stripe",
        STRIPE_SECRET_KEY="sk_test_x",
        STRIPE_WEBHOOK_SECRET="whsec_x",
    )
    result = run_carewatch("manage", "check", env=env)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "secret_key.txt").exists()
    assert not (tmp_path / "data_key.txt").exists()


def test_production_mode_refuses_to_take_payments_through_the_test_gateway(
    tmp_path: Path,
) -> None:
    env = embedded_env(
        tmp_path,
        PRODUCTION="True",
        SECRET_KEY="s3cret-" * 10,
        DATA_KEY="d" * 60,
        PAYMENT_GATEWAY="test",
    )
    result = run_carewatch("manage", "check", env=env)
    assert result.returncode == 2
    assert "the TEST gateway approves any card" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_worker_runs_until_asked_to_stop(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [CAREWATCH, "worker", "--threads", "1"],
        env=embedded_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    watchdog = threading.Timer(60, process.kill)  # never hang the suite
    watchdog.start()
    started = False
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if "consumer started" in line:
                started = True
                break
        time.sleep(1)  # huey installs its signal handlers just after saying it started
    finally:
        process.send_signal(signal.SIGTERM)
    assert started, "the worker never said it started"
    assert process.wait(timeout=20) == 0
    watchdog.cancel()
    assert (tmp_path / "tasks.sqlite3").exists()
