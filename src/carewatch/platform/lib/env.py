"""Strict parsing of configuration from environment variables.

Plain Python (no Django) so it can be tested directly and used before Django
starts. Every error is a ConfigError whose message is one sentence naming the
variable and what to set, because that is all an operator sees at start-up.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


class ConfigError(Exception):
    """A configuration value is missing or malformed."""


# True or False only, in any case (as healthchecks' envbool): "1", "yes" or "on" are refused
# rather than guessed, so the README, the error message and the parser say the same thing.
TRUE_WORDS = {"true"}
FALSE_WORDS = {"false"}


def env_bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if raw.lower() in TRUE_WORDS:
        return True
    if raw.lower() in FALSE_WORDS:
        return False
    raise ConfigError(f"{name} must be True or False, not {raw!r}: set it to True or False.")


def env_list(env: Mapping[str, str], name: str, default: list[str]) -> list[str]:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}.") from None


def read_secret(env: Mapping[str, str], name: str, data_dir: Path, *, production: bool) -> str:
    """NAME, else the file named by NAME_FILE, else (embedded mode only) a kept generated one.
    In production, SECRET_KEY must be as strong as Django's deploy check asks."""
    value = env.get(name, "").strip()
    path = env.get(f"{name}_FILE", "").strip()
    if not value and path:
        value = _read_secret_file(name, Path(path))
    if value:
        if production and name == "SECRET_KEY":
            _refuse_weak_secret_key(value)
        return value
    if production:
        raise ConfigError(
            f"{name} is not set: production mode needs {name} or {name}_FILE "
            "(a long random string, e.g. from `python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'`)."
        )
    return _kept_generated_secret(data_dir / f"{name.lower()}.txt")


# Django's deploy check (security.W009): signed cookies and tokens are only as strong as this.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT = 5


def _refuse_weak_secret_key(value: str) -> None:
    if (
        len(value) < SECRET_KEY_MIN_LENGTH
        or len(set(value)) < SECRET_KEY_MIN_DISTINCT
        or value.startswith("django-insecure-")
    ):
        raise ConfigError(
            f"SECRET_KEY is too weak for production mode (at least {SECRET_KEY_MIN_LENGTH} "
            "random characters): set it from `python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'`."
        )


def _read_secret_file(name: str, path: Path) -> str:
    try:
        value = path.read_text().strip()
    except OSError as error:
        raise ConfigError(
            f"{name}_FILE points to {path}, which cannot be read ({error.strerror}): "
            "set it to a readable file that holds the secret."
        ) from None
    if not value:
        raise ConfigError(f"{name}_FILE points to {path}, which is empty: put the secret in it.")
    return value


def _kept_generated_secret(path: Path) -> str:
    if path.exists():
        return private_file(path).read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(50)
    # Created 0600 from the start: writing first and tightening after leaves a moment in
    # which the operator's umask (often 022) lets anyone read the key.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(value)
    return value


# --- File modes ---------------------------------------------------------------


def private_file(path: Path) -> Path:
    """Creates `path` empty if missing (an empty file is a valid empty SQLite database),
    readable and writable by its owner only; an existing file loses group and other
    rights. SQLite gives its -wal and -shm files the database file's mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
    return path


def private_directory(path: Path) -> Path:
    """A directory created here is the owner's alone (the data directory); one that exists
    keeps its mode: the operator may share it on purpose (a static files volume)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


# --- DATABASE_URL -------------------------------------------------------------

POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}


def parse_database_url(raw: str | None, data_dir: Path) -> dict[str, Any]:
    """A Django DATABASES entry: SQLite in WAL mode by default, PostgreSQL when asked."""
    if not raw or not raw.strip():
        return sqlite_database(data_dir / "carewatch.sqlite3")
    parts = urlsplit(raw.strip())
    if parts.scheme == "sqlite":
        # sqlite:///relative/or/absolute path, the dj-database-url convention.
        path = unquote(parts.path)[1:] if parts.path.startswith("//") else unquote(parts.path)
        if not path or path == "/":
            raise ConfigError(
                "DATABASE_URL names SQLite without a file: set it like sqlite:////var/lib/carewatch/db.sqlite3."
            )
        return sqlite_database(Path(path.lstrip("/") if not path.startswith("/") else path))
    if parts.scheme in POSTGRES_SCHEMES:
        return _postgres_database(raw, parts)
    raise ConfigError(
        f"DATABASE_URL has an unknown scheme {parts.scheme!r}: set it like "
        "postgres://user:password@host:5432/name, or leave it unset for the embedded SQLite."
    )


def sqlite_database(path: Path) -> dict[str, Any]:
    private_file(path)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at
            # BEGIN so concurrent writers wait (busy timeout) instead of failing mid-transaction.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


def _postgres_database(raw: str, parts: Any) -> dict[str, Any]:
    name = unquote(parts.path.lstrip("/"))
    try:
        port = parts.port
    except ValueError:
        port = None
        name = ""
    if not parts.hostname and not parse_qs(parts.query).get("host"):
        name = ""
    if not name:
        raise ConfigError(
            "DATABASE_URL is not a complete PostgreSQL URL: set it like "
            "postgres://user:password@127.0.0.1:5432/carewatch."
        )
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    host = options.pop("host", parts.hostname or "")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": options,
    }


# --- EMAIL_URL ----------------------------------------------------------------
# A dozen lines of our own: dj-email-url has not been released since 2022 and is
# lenient where we want a clear refusal.


@dataclass
class EmailConfig:
    backend: str
    host: str = "localhost"
    port: int = 25
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False
    file_path: str = ""
    from_email: str = "CareWatch <no-reply@carewatch.local>"
    extra: dict[str, str] = field(default_factory=dict)


EMAIL_EXAMPLE = "smtp://user:password@mail.example.com:587?tls=True"


def parse_email_url(raw: str | None, data_dir: Path) -> EmailConfig:
    """smtp://, smtp+tls:// (STARTTLS), smtps:// (implicit TLS), console:, file:, memory:."""
    if not raw or not raw.strip():
        return EmailConfig(backend="django.core.mail.backends.console.EmailBackend")
    parts = urlsplit(raw.strip())
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    sender = query.get("from", EmailConfig.from_email)
    if parts.scheme == "console":
        return EmailConfig("django.core.mail.backends.console.EmailBackend", from_email=sender)
    if parts.scheme == "memory":
        return EmailConfig("django.core.mail.backends.locmem.EmailBackend", from_email=sender)
    if parts.scheme == "file":
        folder = unquote(parts.path) or str(data_dir / "mail")
        return EmailConfig(
            "django.core.mail.backends.filebased.EmailBackend", file_path=folder, from_email=sender
        )
    if parts.scheme in {"smtp", "smtp+tls", "smtps"}:
        return _smtp_config(parts, query, sender)
    raise ConfigError(
        f"EMAIL_URL has an unknown scheme {parts.scheme!r}: set it like {EMAIL_EXAMPLE}, "
        "or console: to print mail."
    )


def _smtp_config(parts: Any, query: dict[str, str], sender: str) -> EmailConfig:
    try:
        port = parts.port
    except ValueError:
        raise ConfigError(
            f"EMAIL_URL has a port that is not a number: set it like {EMAIL_EXAMPLE}."
        ) from None
    if not parts.hostname:
        raise ConfigError(f"EMAIL_URL names no mail server: set it like {EMAIL_EXAMPLE}.")
    use_ssl = parts.scheme == "smtps"
    use_tls = parts.scheme == "smtp+tls" or env_bool(query, "tls", False)
    if use_ssl and use_tls:
        raise ConfigError("EMAIL_URL asks for both smtps and tls=True: choose one of them.")
    return EmailConfig(
        backend="django.core.mail.backends.smtp.EmailBackend",
        host=parts.hostname,
        port=port or (465 if use_ssl else 587 if use_tls else 25),
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=use_tls,
        use_ssl=use_ssl,
        from_email=sender,
    )


# --- REDIS_URL ----------------------------------------------------------------


def parse_redis_url(raw: str | None) -> str | None:
    if not raw or not raw.strip():
        return None
    parts = urlsplit(raw.strip())
    if parts.scheme not in {"redis", "rediss", "unix"}:
        raise ConfigError(
            f"REDIS_URL has an unknown scheme {parts.scheme!r}: set it like redis://127.0.0.1:6379/0."
        )
    try:
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        raise ConfigError(
            "REDIS_URL has a port that is not a number: set it like redis://127.0.0.1:6379/0."
        ) from None
    return raw.strip()


# --- NATS_URL and the ingest log -----------------------------------------------


def parse_nats_url(raw: str | None) -> str | None:
    """nats://host:4222 (or tls://); several servers comma-separated. None: embedded log."""
    if not raw or not raw.strip():
        return None
    for server in raw.split(","):
        parts = urlsplit(server.strip())
        try:
            port = parts.port
        except ValueError:
            port = -1
        if parts.scheme not in {"nats", "tls"} or not parts.hostname or port == -1:
            raise ConfigError(
                f"NATS_URL has a server {server.strip()!r} that is not a NATS URL: set it like "
                "nats://127.0.0.1:4222, or leave it unset for the embedded ingest log."
            )
    return raw.strip()


def env_partitions(env: Mapping[str, str], name: str, default: int) -> int:
    value = env_int(env, name, default)
    if not 1 <= value <= 4096:
        raise ConfigError(f"{name} must be between 1 and 4096, not {value}.")
    return value


def env_stream_name(env: Mapping[str, str], name: str, default: str) -> str:
    """A JetStream stream name prefix: letters, digits, '_' and '-' only."""
    value = env.get(name, "").strip() or default
    if not all(c.isalnum() or c in "_-" for c in value) or len(value) > 64:
        raise ConfigError(
            f"{name} must be letters, digits, '_' or '-' (at most 64), not {value!r}."
        )
    return value


def env_email(env: Mapping[str, str], name: str) -> str:
    """An e-mail address, or "" when unset: one '@', a dotted domain, no spaces or <>,."""
    value = env.get(name, "").strip()
    local, _at, domain = value.partition("@")
    malformed = value.count("@") != 1 or not local or "." not in domain
    if value and (malformed or any(c in value for c in " <>,")):
        raise ConfigError(f"{name} must be an e-mail address such as news@example.org.")
    return value
