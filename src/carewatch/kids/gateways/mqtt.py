"""OwnTracks over MQTT: subscribe to `owntracks/+/+` and `owntracks/+/+/event`.

The topic is `owntracks/<user>/<device>`; the user is the device's identifier in
CareWatch (the broker authenticates it: see docs/devices.md for the ACL). Messages are
acknowledged to the broker (QoS 1, manual acks) only after the ingest log has them, and
the session is persistent, so what arrives while the gateway is down waits at the broker.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import ssl
import time
from datetime import UTC, datetime

import aiomqtt

from carewatch.kids.gateways.config import parse_mqtt_url
from carewatch.kids.gateways.limits import STATS, OncePerInterval
from carewatch.kids.gateways.watch_server import DeviceLookup
from carewatch.kids.ingest.log import IngestLog
from carewatch.kids.protocols.messages import ProtocolError

log = logging.getLogger(__name__)
OWNTRACKS = "owntracks"
RETRY_MAX_S = 30.0


def device_of(topic: str, prefix: str = "owntracks") -> str | None:
    """`owntracks/<user>/<device>[/event]` -> user; None for any other topic."""
    parts = topic.split("/")
    if parts[0] != prefix or len(parts) not in (3, 4) or (len(parts) == 4 and parts[3] != "event"):
        return None
    return parts[1] or None


class _Reconnect(Exception):
    """A message could not be stored: reconnect, and the broker delivers it again."""


class MqttSubscriber:
    def __init__(
        self,
        url: str,
        log: IngestLog,
        devices: DeviceLookup,
        *,
        prefix: str = "owntracks",
        client_id: str | None = None,
    ) -> None:
        self.target = parse_mqtt_url(url)
        self.log = log
        self.devices = devices
        self.prefix = prefix
        self.client_id = client_id or f"carewatch-{socket.gethostname()}"
        self.unknown = OncePerInterval(300.0)
        self.subscribed = asyncio.Event()  # tests wait on it

    async def run_forever(self) -> None:
        """Connects, and reconnects with a growing pause when the broker goes away."""
        pause = 1.0
        while True:
            try:
                await self.run_once()
            except (aiomqtt.MqttError, _Reconnect) as error:
                self.subscribed.clear()
                log.warning("MQTT broker unreachable (%s); retrying in %.0f s", error, pause)
                await asyncio.sleep(pause)
                pause = min(pause * 2, RETRY_MAX_S)

    async def run_once(self) -> None:
        target = self.target
        client = aiomqtt.Client(
            target.host,
            target.port,
            username=target.username,
            password=target.password,
            identifier=self.client_id,
            clean_session=False,
            tls_context=ssl.create_default_context() if target.tls else None,
        )
        # Acknowledge each message only once it is in the log (paho's manual acks).
        client._client.manual_ack_set(True)
        async with client:
            for pattern in (f"{self.prefix}/+/+", f"{self.prefix}/+/+/event"):
                await client.subscribe(pattern, qos=1)
            self.subscribed.set()
            async for message in client.messages:
                payload = message.payload
                body = payload if isinstance(payload, bytes) else str(payload or "").encode()
                if not await self.handle(str(message.topic), body):
                    raise _Reconnect("a message could not be stored")
                if message.qos > 0:
                    client._client.ack(message.mid, message.qos)

    async def handle(self, topic: str, body: bytes) -> bool:
        """True when the message may be acknowledged (stored, or worthless and dropped)."""
        identifier = device_of(topic, self.prefix)
        if identifier is None or not body.strip():
            return True
        device = await self.devices.alookup(identifier)
        if device is None or device.protocol != OWNTRACKS:
            STATS["mqtt_unknown_device"] += 1
            if self.unknown.due(identifier, time.monotonic()):
                log.warning("Unknown or unpaired OwnTracks device %r on MQTT", identifier[:40])
            return True
        from carewatch.kids.protocols import owntracks

        try:
            decoded = owntracks.decode(body, identifier, datetime.now(UTC))
        except ProtocolError as error:
            STATS["mqtt_bad_message"] += 1
            log.info("OwnTracks message from %r not understood: %s", identifier[:40], error)
            return True
        if decoded.fixes:
            try:
                await self.log.append(decoded.fixes)
            except Exception:
                log.exception(
                    "OwnTracks fix from %r not stored; the broker will resend", identifier
                )
                return False
        STATS["mqtt_messages"] += 1
        return True
