"""An SOS pressed on a watch with no GPS fix (`V`) reaches the guardians: from the watch
socket through the real watch server, the embedded ingest log and the ingest worker,
to each guardian's inbox and e-mail, with the last known position and its age."""

from __future__ import annotations

import asyncio
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.test import TransactionTestCase

from carewatch.kids.gateways.config import GatewayConfig
from carewatch.kids.gateways.directory import DEVICES
from carewatch.kids.gateways.downlink import DatabaseChannel
from carewatch.kids.gateways.limits import Stats
from carewatch.kids.gateways.watch_server import WatchServer
from carewatch.kids.ingest.embedded import SqliteLog
from carewatch.kids.ingest.processing import drain
from carewatch.kids.tracker.models import Child, Device, Event, Position
from carewatch.platform.accounts.models import Family, FamilyMembership, FamilyRole
from carewatch.platform.notify.models import Channel, Notification
from tests.base import make_user
from tests.kids.gateways.helpers import Watch
from tests.mailbox import smtp_server

WATCH_ID = "6907919734"


def frame(content: str) -> bytes:
    body = content.encode()
    return b"[3G*%s*%04X*%s]" % (WATCH_ID.encode(), len(body), body)


class SosEndToEndTests(TransactionTestCase):
    def setUp(self) -> None:
        super().setUp()
        DEVICES.clear()
        self.parent = make_user("priya@example.org", "Priya")
        family = Family.objects.create(name="The Sharma family")
        FamilyMembership.objects.create(family=family, user=self.parent, role=FamilyRole.OWNER)
        Channel.objects.create(owner=self.parent, kind="email", value={"email": self.parent.email})
        child = Child.objects.create(family=family, name="Asha")
        self.device = Device.objects.create(identifier=WATCH_ID, family=family, child=child)
        self.log = SqliteLog(Path(tempfile.mkdtemp()) / "log.sqlite3", partitions=4)

    def send_over_tcp(self, *frames: bytes) -> list[bytes]:
        async def scenario() -> list[bytes]:
            server = WatchServer(self.log, DEVICES, GatewayConfig(), DatabaseChannel(), Stats())
            port = await server.start("127.0.0.1", 0)
            watch = await Watch.connect(port)
            await watch.send(b"".join(frames))
            reply = await watch.read_frame(timeout=10)
            await watch.close()
            await server.close()
            return [reply]

        return asyncio.run(scenario())

    def test_an_sos_without_gps_reaches_the_inbox_and_the_mailbox(self) -> None:
        now = datetime.now(UTC).replace(microsecond=0)
        earlier = now - timedelta(minutes=12)
        located = frame(
            f"UD,{earlier:%d%m%y},{earlier:%H%M%S},A,13.082700,N,80.270700,E,0,0,0,9,100,80,0,0,"
            "00000000,0,0"
        )
        sos = frame(f"AL_LTE,{now:%d%m%y},{now:%H%M%S},V,0,N,0,E,0,0,0,0,0,79,0,0,00010000,0,0,0")
        heartbeat = frame("LK,0,0,80")
        self.assertEqual(self.send_over_tcp(located, heartbeat), [b"[3G*6907919734*0002*LK]"])
        drain(self.log)  # where Asha was 12 minutes ago is known
        # the AL reply is written only after the log has the frame
        self.assertEqual(self.send_over_tcp(sos), [b"[3G*6907919734*0002*AL]"])
        with smtp_server() as mailbox:
            self.assertEqual(drain(self.log), 1)
        event = Event.objects.get(kind="sos")
        self.assertEqual((event.lat, event.lon), (13.0827, 80.2707))  # the last known position
        self.assertEqual(event.position_age_minutes(), 12)
        self.assertEqual(Position.objects.filter(device=self.device, valid=True).count(), 1)
        inbox = Notification.objects.get(channel__kind="inbox", channel__owner=self.parent)
        self.assertIn("SOS from Asha", inbox.text)
        self.assertIn("12 min", inbox.text)
        self.assertEqual(len(mailbox.messages), 1)
        self.assertEqual(mailbox.messages[0]["To"], self.parent.email)
        self.assertIn("SOS from Asha", mailbox.texts()[0])

    def test_an_sos_from_a_watch_never_located_still_reaches_the_guardian(self) -> None:
        now = datetime.now(UTC).replace(microsecond=0)
        sos = frame(f"AL,{now:%d%m%y},{now:%H%M%S},V,0,N,0,E,0,0,0,0,0,79,0,0,00010001,0,0,0")
        self.send_over_tcp(sos)
        with smtp_server():
            drain(self.log)
        event = Event.objects.get(kind="sos")
        self.assertIsNone(event.position_age_minutes())
        inbox = Notification.objects.get(channel__kind="inbox", channel__owner=self.parent)
        self.assertIn("no earlier position", inbox.text)
