"""The embedded default: this process at once, and the other processes of this machine that
share DATA_DIR through Unix datagram sockets, with no server to run.

`carewatch serve` usually does everything in one process, but `carewatch simulate`,
a separate `carewatch worker` or a gateway write positions from other processes, and
the open maps must still move. Each process that has subscribers binds
`DATA_DIR/live/<pid>.sock`; a publish is delivered in-process and sent as one
datagram to every other socket there. A full receiver drops (and logs), a dead one's
socket is removed by the next publisher that finds it refusing.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import threading
from pathlib import Path

from carewatch.platform.pubsub.bus import LocalBackend, Throttled
from carewatch.platform.pubsub.hub import Hub

logger = logging.getLogger("carewatch.pubsub")
MAX_DATAGRAM = 60_000  # well under Linux's default limit for Unix datagrams
MAX_PATH = 100  # sun_path holds 108 bytes


class MachineBackend(LocalBackend):
    name = "local"

    def __init__(self, hub: Hub, directory: Path) -> None:
        super().__init__(hub)
        self.directory = directory
        self.path: str | None = None  # our socket, bound with the first subscription
        self.log = Throttled()
        self._out = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._out.setblocking(False)
        self._in: socket.socket | None = None
        self._lock = threading.Lock()
        self._peers: tuple[int, list[str]] = (-1, [])

    def publish(self, channel: str, data: bytes) -> None:
        super().publish(channel, data)
        datagram = channel.encode() + b"\n" + data
        if len(datagram) > MAX_DATAGRAM:
            self.log.warn("size", "Live message on %s too large for other processes.", channel)
            return
        for path in self.peers():
            if path != self.path:
                self._send(path, datagram)

    def want(self, channel: str, generation: int) -> None:
        self._listen()
        super().want(channel, generation)

    def close(self, timeout: float) -> None:
        with self._lock:
            sock, path, self._in, self.path = self._in, self.path, None, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.close()
        if path is not None:
            with contextlib.suppress(OSError):
                os.unlink(path)
        self._out.close()

    def peers(self) -> list[str]:
        """The sockets in the directory, listed again only when it changes."""
        try:
            version = os.stat(self.directory).st_mtime_ns
        except OSError:
            return []
        if version != self._peers[0]:
            with os.scandir(self.directory) as entries:
                found = [entry.path for entry in entries if entry.name.endswith(".sock")]
            self._peers = (version, found)
        return self._peers[1]

    def _send(self, path: str, datagram: bytes) -> None:
        try:
            self._out.sendto(datagram, path)
        except ConnectionRefusedError:  # its process is gone without cleaning up
            with contextlib.suppress(OSError):
                os.unlink(path)
        except FileNotFoundError:
            pass
        except BlockingIOError:
            self.log.warn("full", "A live reader (%s) is behind: message dropped.", path)
        except OSError as error:
            self.log.warn("send", "Live message not passed to %s: %s", path, error)

    def _listen(self) -> None:
        with self._lock:
            if self._in is not None:
                return
            path = str(self.directory / f"{os.getpid()}.sock")
            if len(path.encode()) > MAX_PATH:
                self.log.warn("path", "DATA_DIR is too long a path: live updates stay in process.")
                return
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)  # left by an earlier process with our pid
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            sock.bind(path)
            sock.settimeout(0.5)  # a blocked recv does not notice close(): look up now and then
            self._in, self.path = sock, path
        reader = threading.Thread(target=self._receive, args=(sock,), daemon=True)
        reader.name = "pubsub-local"
        reader.start()

    def _receive(self, sock: socket.socket) -> None:
        while self._in is sock:
            try:
                datagram = sock.recv(MAX_DATAGRAM + 1)
            except TimeoutError:
                continue
            except OSError:
                return  # closed
            channel, _, data = datagram.partition(b"\n")
            try:
                message = json.loads(data)
                name = channel.decode()
            except ValueError:
                continue
            if isinstance(message, dict):
                self.hub.deliver(name, message)
