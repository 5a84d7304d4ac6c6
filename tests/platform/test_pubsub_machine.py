"""The embedded default between processes of one machine: Unix datagram sockets in DATA_DIR."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from carewatch.platform import pubsub
from carewatch.platform.pubsub.hub import Hub
from carewatch.platform.pubsub.machine import MachineBackend
from tests.platform.test_pubsub import in_a_loop, next_item


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[MachineBackend]:
    hub = Hub()
    machine = MachineBackend(hub, tmp_path / "live")
    hub.attach(machine)
    yield machine
    machine.close(1)


@pytest.fixture
def other(tmp_path: Path) -> Iterator[MachineBackend]:
    """A second process's backend, as far as the sockets can tell."""
    hub = Hub()
    machine = MachineBackend(hub, tmp_path / "live")
    hub.attach(machine)
    yield machine
    machine.close(1)


def test_a_process_without_subscribers_binds_nothing(backend: MachineBackend) -> None:
    backend.publish("family.1", b'{"n": 1}')
    assert backend.path is None
    assert backend.peers() == []


@in_a_loop
async def test_a_publish_reaches_the_other_processes_subscribers(
    backend: MachineBackend, other: MachineBackend
) -> None:
    other.path = str(other.directory / "other.sock")  # two backends of one pid in a test
    async with pubsub.Subscription(backend.hub, ["family.1"]) as sub:
        assert await sub.ready()
        assert backend.path and Path(backend.path).exists()
        other.publish("family.1", b'{"n": 1}')
        other.publish("family.2", b'{"n": 2}')
        assert await next_item(sub) == ("family.1", {"n": 1})
        with pytest.raises(TimeoutError):
            await next_item(sub, 0.3)


@in_a_loop
async def test_a_process_does_not_hear_its_own_messages_twice(backend: MachineBackend) -> None:
    async with pubsub.Subscription(backend.hub, ["family.1"]) as sub:
        await sub.ready()
        backend.publish("family.1", b'{"n": 1}')
        assert await next_item(sub) == ("family.1", {"n": 1})
        with pytest.raises(TimeoutError):
            await next_item(sub, 0.3)


def test_a_dead_process_s_socket_is_removed_by_the_next_publisher(
    backend: MachineBackend, tmp_path: Path
) -> None:
    (tmp_path / "live").mkdir()
    dead = tmp_path / "live" / "999999.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(dead))
    sock.close()  # killed: the file stays, nobody reads it
    backend.publish("family.1", b'{"n": 1}')
    assert not dead.exists()


@in_a_loop
async def test_garbage_on_the_socket_is_ignored(backend: MachineBackend) -> None:
    async with pubsub.Subscription(backend.hub, ["family.1"]) as sub:
        await sub.ready()
        assert backend.path
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sender:
            for junk in [b"", b"family.1", b"family.1\nnot json", b"family.1\n[1]", b"\xff\n{}"]:
                sender.sendto(junk, backend.path)
            sender.sendto(b'family.1\n{"n": 1}', backend.path)
        assert await next_item(sub) == ("family.1", {"n": 1})


@in_a_loop
async def test_closing_removes_its_socket(backend: MachineBackend) -> None:
    async with pubsub.Subscription(backend.hub, ["family.1"]) as sub:
        await sub.ready()
    path = backend.path
    assert path
    backend.close(1)
    assert not Path(path).exists()
    await asyncio.sleep(0)
