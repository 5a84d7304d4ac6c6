"""`serve`/`demo` run the gateways in a thread: the watch server, OsmAnd on its own port
and the OwnTracks MQTT subscriber, all on the configured ports, with the real device
directory; a position sent to each reaches the log."""

from __future__ import annotations

import socket
import time
from dataclasses import replace

import httpx
from django.test import TransactionTestCase

from carewatch.kids.gateways import downlink
from carewatch.kids.gateways.config import GatewayConfig
from carewatch.kids.gateways.directory import DEVICES
from carewatch.kids.gateways.models import CommandStatus
from carewatch.kids.gateways.runner import GatewayThread
from carewatch.kids.tracker.models import Child, Device, Protocol
from carewatch.platform.accounts.models import Family
from tests.conftest import free_port, port_open, require
from tests.kids.gateways.helpers import MemoryLog


class GatewayThreadTests(TransactionTestCase):
    def test_every_gateway_listens_and_reaches_the_log(self) -> None:
        require(port_open("127.0.0.1", 1883), "Mosquitto on 127.0.0.1:1883")
        DEVICES.clear()
        family = Family.objects.create(name="Sharma")
        child = Child.objects.create(family=family, name="Asha")
        Device.objects.create(identifier="4700186508", family=family, child=child)
        Device.objects.create(
            identifier="123456", protocol=Protocol.OSMAND, family=family, child=child
        )
        config = replace(
            GatewayConfig(),
            watch_port=free_port(),
            osmand_own_port=True,
            osmand_port=free_port(),
            mqtt_url="mqtt://127.0.0.1:1883",
        )
        log = MemoryLog()
        gateways = GatewayThread(config, log)
        ports = gateways.start()
        try:
            self.assertEqual(set(ports), {"watch", "osmand", "mqtt"})
            with socket.create_connection(("127.0.0.1", ports["watch"]), timeout=5) as watch:
                watch.sendall(b"[3G*4700186508*000B*LK,0,10,100]")
                self.assertEqual(watch.recv(100), b"[3G*4700186508*0002*LK]")
            url = f"http://127.0.0.1:{ports['osmand']}/?id=123456&lat=1.5&lon=2.5&timestamp=1700000000"
            self.assertEqual(httpx.get(url, timeout=5).status_code, 200)
            stranger = httpx.get(url.replace("123456", "999"), timeout=5)
            self.assertEqual(stranger.status_code, 403)
        finally:
            gateways.stop()
        self.assertEqual(sorted(f.device_id for f in log.fixes), ["123456", "4700186508"])
        self.assertFalse(gateways.thread.is_alive())

    def test_a_command_queued_on_the_page_reaches_the_connected_watch_and_is_answered(
        self,
    ) -> None:
        DEVICES.clear()
        family = Family.objects.create(name="Sharma")
        device = Device.objects.create(identifier="4700186508", family=family)
        # no sweep during the test: the test database (SQLite in memory, shared cache)
        # refuses a write while another thread reads the same table
        config = replace(GatewayConfig(), watch_port=free_port(), sweep_every_s=600)
        gateways = GatewayThread(config, MemoryLog())
        ports = gateways.start()
        try:
            with socket.create_connection(("127.0.0.1", ports["watch"]), timeout=5) as watch:
                watch.sendall(b"[3G*4700186508*000B*LK,0,10,100]")
                self.assertEqual(watch.recv(100), b"[3G*4700186508*0002*LK]")
                time.sleep(0.3)  # the look for commands on connecting is over (same reason)
                started = time.monotonic()
                command = downlink.queue_command(device, "locate", {})  # as the page does
                self.assertEqual(watch.recv(100), b"[3G*4700186508*0002*CR]")
                self.assertLess(time.monotonic() - started, 2.0)  # woken, not polled
                command.refresh_from_db()
                self.assertEqual(command.status, CommandStatus.SENT)
                watch.sendall(b"[3G*4700186508*0002*CR]")
                deadline = time.monotonic() + 5
                while command.status != CommandStatus.ANSWERED and time.monotonic() < deadline:
                    time.sleep(0.05)
                    command.refresh_from_db()
                self.assertEqual((command.status, command.answer), ("answered", "CR"))
        finally:
            gateways.stop()

    def test_a_port_in_use_stops_start_up_with_a_sentence(self) -> None:
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            gateways = GatewayThread(replace(GatewayConfig(), watch_port=port), MemoryLog())
            with self.assertRaisesRegex(RuntimeError, "did not start"):
                gateways.start()


def test_the_gateways_run_on_uvloop_unless_told_not_to() -> None:
    import uvloop

    from carewatch.kids.gateways.config import GatewayConfig
    from carewatch.kids.gateways.runner import new_event_loop

    on, off = new_event_loop(GatewayConfig()), new_event_loop(GatewayConfig(uvloop=False))
    try:
        assert isinstance(on, uvloop.Loop) and not isinstance(off, uvloop.Loop)
    finally:
        on.close()
        off.close()
