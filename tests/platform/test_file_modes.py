"""In embedded mode the data directory holds the database, the task queue and the keys:
only the account that runs CareWatch may read them (the encrypted photos are no secret
if data_key.txt beside them is world-readable)."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from carewatch.platform.lib.env import private_directory, private_file, read_secret
from tests.platform.serving import embedded_env
from tests.platform.test_cli import run_carewatch


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def open_umask() -> object:
    """The usual umask (022) leaves new files readable by everyone: the code must not rely
    on the operator's umask."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_generated_secret_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    read_secret({}, "DATA_KEY", tmp_path, production=False)
    assert mode(tmp_path / "data_key.txt") == 0o600


def test_a_secret_file_left_readable_by_an_older_version_is_tightened(tmp_path: Path) -> None:
    (tmp_path / "data_key.txt").write_text("kept-key")
    (tmp_path / "data_key.txt").chmod(0o644)
    assert read_secret({}, "DATA_KEY", tmp_path, production=False) == "kept-key"
    assert mode(tmp_path / "data_key.txt") == 0o600


def test_the_database_and_its_wal_file_are_private(tmp_path: Path) -> None:
    database = private_file(tmp_path / "carewatch.sqlite3")
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE t (x)")
        connection.execute("INSERT INTO t VALUES (1)")
        assert mode(tmp_path / "carewatch.sqlite3-wal") == 0o600
    assert mode(database) == 0o600


def test_an_existing_world_readable_database_is_tightened(tmp_path: Path) -> None:
    (tmp_path / "old.sqlite3").write_bytes(b"")
    (tmp_path / "old.sqlite3").chmod(0o666)
    private_file(tmp_path / "old.sqlite3")
    assert mode(tmp_path / "old.sqlite3") == 0o600


def test_a_new_data_directory_is_private(tmp_path: Path) -> None:
    assert mode(private_directory(tmp_path / "data")) == 0o700


def test_carewatch_starts_with_private_files_in_a_fresh_data_directory(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run_carewatch("manage", "check", env=embedded_env(data)).returncode == 0
    assert mode(data) == 0o700
    for name in ("data_key.txt", "secret_key.txt", "carewatch.sqlite3", "tasks.sqlite3"):
        assert mode(data / name) == 0o600, name
