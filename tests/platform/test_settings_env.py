"""Configuration is read strictly from the environment (pure functions, no Django)."""

from __future__ import annotations

from pathlib import Path

import pytest

from carewatch.platform.lib.env import (
    ConfigError,
    env_bool,
    env_email,
    parse_database_url,
    parse_email_url,
    parse_redis_url,
    read_secret,
)


def test_it_defaults_to_sqlite_in_wal_mode_in_the_data_directory(tmp_path: Path) -> None:
    db = parse_database_url(None, tmp_path)
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(tmp_path / "carewatch.sqlite3")
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]


def test_it_reads_a_postgres_url(tmp_path: Path) -> None:
    db = parse_database_url("postgres://cw:s%40cret@127.0.0.1:5432/carewatch", tmp_path)
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "carewatch",
        "cw",
        "s@cret",
        "127.0.0.1",
        "5432",
    )


@pytest.mark.parametrize(
    "url",
    ["mysql://x@host/db", "postgres://127.0.0.1:5432/", "postgres://host:notaport/db", "nonsense"],
)
def test_it_refuses_a_malformed_database_url_with_one_sentence(url: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_database_url(url, tmp_path)
    message = str(caught.value)
    assert message.startswith("DATABASE_URL")
    assert "set it like" in message
    assert "\n" not in message


def test_it_reads_smtp_urls_with_starttls_and_implicit_tls(tmp_path: Path) -> None:
    plain = parse_email_url("smtp://127.0.0.1:2525", tmp_path)
    assert (plain.host, plain.port, plain.use_tls, plain.use_ssl) == (
        "127.0.0.1",
        2525,
        False,
        False,
    )
    starttls = parse_email_url("smtp://u:p%21@mail.example.com?tls=True&from=a%40b.c", tmp_path)
    assert (starttls.port, starttls.use_tls, starttls.password, starttls.from_email) == (
        587,
        True,
        "p!",
        "a@b.c",
    )
    assert parse_email_url("smtps://mail.example.com", tmp_path).port == 465


def test_it_prints_mail_to_the_console_when_email_url_is_unset(tmp_path: Path) -> None:
    assert parse_email_url("", tmp_path).backend.endswith("console.EmailBackend")


@pytest.mark.parametrize(
    "url", ["smtp://", "smtp://host:port", "gopher://x", "smtps://h?tls=True", "smtp://h?tls=maybe"]
)
def test_it_refuses_a_malformed_email_url(url: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_email_url(url, tmp_path)
    assert "EMAIL_URL" in str(caught.value) or "tls" in str(caught.value)


def test_it_refuses_a_redis_url_with_a_wrong_scheme() -> None:
    assert parse_redis_url("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"
    assert parse_redis_url("") is None
    with pytest.raises(ConfigError, match="REDIS_URL"):
        parse_redis_url("http://127.0.0.1:6379")


def test_it_accepts_only_clear_true_or_false_words() -> None:
    assert env_bool({"DEBUG": "True"}, "DEBUG", False) is True
    assert env_bool({"DEBUG": "false"}, "DEBUG", True) is False
    assert env_bool({}, "DEBUG", True) is True
    with pytest.raises(ConfigError, match="DEBUG must be True or False"):
        env_bool({"DEBUG": "yes please"}, "DEBUG", False)


@pytest.mark.parametrize("word", ["1", "0", "yes", "no", "on", "off"])
def test_it_refuses_other_words_for_true_and_false_as_its_message_says(word: str) -> None:
    with pytest.raises(ConfigError, match="set it to True or False"):
        env_bool({"DEBUG": word}, "DEBUG", False)


def test_it_generates_and_keeps_a_secret_in_embedded_mode(tmp_path: Path) -> None:
    first = read_secret({}, "SECRET_KEY", tmp_path, production=False)
    second = read_secret({}, "SECRET_KEY", tmp_path, production=False)
    assert first == second and len(first) >= 50
    assert (tmp_path / "secret_key.txt").stat().st_mode & 0o077 == 0


def test_it_refuses_to_start_in_production_without_a_secret(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY is not set: production mode needs"):
        read_secret({}, "SECRET_KEY", tmp_path, production=True)


def test_it_reads_the_secret_from_a_file(tmp_path: Path) -> None:
    secret = "from-a-file-" + "k3y" * 20  # production wants 50 random characters
    (tmp_path / "key").write_text(secret + "\n")
    env = {"SECRET_KEY_FILE": str(tmp_path / "key")}
    assert read_secret(env, "SECRET_KEY", tmp_path, production=True) == secret
    with pytest.raises(ConfigError, match="cannot be read"):
        read_secret(
            {"SECRET_KEY_FILE": str(tmp_path / "missing")}, "SECRET_KEY", tmp_path, production=True
        )


@pytest.mark.parametrize("value", ["news", "a@b", "a b@example.org", "<x@example.org>", "a@@b.org"])
def test_it_refuses_a_malformed_unsubscribe_mailbox_with_one_sentence(value: str) -> None:
    with pytest.raises(ConfigError, match="STORE_UNSUBSCRIBE_MAILTO must be an e-mail address"):
        env_email({"STORE_UNSUBSCRIBE_MAILTO": value}, "STORE_UNSUBSCRIBE_MAILTO")


def test_it_reads_an_unsubscribe_mailbox_or_nothing() -> None:
    assert env_email({"X": " news@example.org "}, "X") == "news@example.org"
    assert env_email({}, "X") == ""
