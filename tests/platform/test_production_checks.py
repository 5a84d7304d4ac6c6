"""Production mode is what `manage check --deploy` asks for: HTTPS only (redirect, HSTS),
a strong SECRET_KEY, and no test host name outside the tests."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from django.test import Client, override_settings

from carewatch.platform.lib.env import ConfigError, read_secret
from tests.platform.serving import embedded_env
from tests.platform.test_cli import run_carewatch

STRONG = secrets.token_urlsafe(50)


def production_env(data_dir: Path, **extra: str) -> dict[str, str]:
    return (
        embedded_env(
            data_dir,
            PRODUCTION="True",
            SECRET_KEY=STRONG,
            DATA_KEY=secrets.token_urlsafe(32),
            ALLOWED_HOSTS="carewatch.example",
            PAYMENT_GATEWAY="stripe",
            STRIPE_SECRET_KEY="sk_live_x",
            STRIPE_WEBHOOK_SECRET="whsec_x",
        )
        | extra
    )


def test_check_deploy_finds_nothing_in_production_mode(tmp_path: Path) -> None:
    result = run_carewatch(
        "manage", "check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "key", ["short-key", "a" * 80, "django-insecure-" + secrets.token_urlsafe(50)]
)
def test_production_refuses_a_weak_secret_key(key: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY is too weak") as error:
        read_secret({"SECRET_KEY": key}, "SECRET_KEY", tmp_path, production=True)
    assert "secrets.token_urlsafe(50)" in str(error.value)


def test_production_refuses_a_weak_secret_key_at_start(tmp_path: Path) -> None:
    result = run_carewatch("manage", "check", env=production_env(tmp_path, SECRET_KEY="x" * 20))
    assert result.returncode == 2
    assert "SECRET_KEY is too weak" in result.stderr


def test_the_embedded_mode_still_takes_a_developers_short_key(tmp_path: Path) -> None:
    assert read_secret({"SECRET_KEY": "dev"}, "SECRET_KEY", tmp_path, production=False) == "dev"


def test_testserver_is_not_a_host_outside_the_tests(tmp_path: Path) -> None:
    show = "from django.conf import settings; print(settings.ALLOWED_HOSTS)"
    result = run_carewatch("manage", "shell", "-c", show, env=embedded_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "127.0.0.1" in result.stdout and "testserver" not in result.stdout


@override_settings(SECURE_SSL_REDIRECT=True)
@pytest.mark.django_db
def test_http_is_redirected_to_https_except_the_load_balancers_health_check() -> None:
    client = Client()
    landing = client.get("/")
    assert landing.status_code == 301 and landing["Location"].startswith("https://")
    assert client.get("/healthz").status_code == 200
