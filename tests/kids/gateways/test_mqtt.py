"""OwnTracks over MQTT on the real Mosquitto broker (127.0.0.1:1883): locations and
events of paired phones reach the log; others are dropped; a message is acknowledged to
the broker only once the log has it, so a failed append is delivered again."""

from __future__ import annotations

import asyncio
import secrets

import aiomqtt

from carewatch.kids.gateways.mqtt import MqttSubscriber, device_of
from tests.conftest import port_open, require
from tests.kids.gateways.helpers import FakeDevices, MemoryLog, eventually

LOCATION = (
    b'{"_type":"location","acc":15,"alt":440,"batt":46,"conn":"w","lat":46.0681247,'
    b'"lon":11.1512805,"t":"u","tid":"5t","tst":1551874878,"vac":2,"vel":0}'
)
TRANSITION = (
    b'{"_type":"transition","desc":"School","event":"enter","lat":48.87069,"lon":2.34916,'
    b'"rid":"f7676c","tid":"j1","tst":1707057574,"wtst":1610104395}'
)
BROKER = "mqtt://127.0.0.1:1883"


def test_the_device_is_the_topic_s_user() -> None:
    assert device_of("owntracks/asha/phone") == "asha"
    assert device_of("owntracks/asha/phone/event") == "asha"
    for topic in ["owntracks/asha", "owntracks/asha/phone/cmd", "other/asha/phone", "owntracks//p"]:
        assert device_of(topic) is None


async def publish(prefix: str, *messages: tuple[str, bytes]) -> None:
    async with aiomqtt.Client("127.0.0.1", 1883, identifier=f"pub-{prefix}") as client:
        for topic, payload in messages:
            await client.publish(f"{prefix}/{topic}", payload, qos=1)


async def start(log: MemoryLog, prefix: str) -> tuple[MqttSubscriber, asyncio.Task[None]]:
    subscriber = MqttSubscriber(
        BROKER, log, FakeDevices(asha="owntracks", ravi="watch"), prefix=prefix, client_id=prefix
    )
    task = asyncio.create_task(subscriber.run_forever())
    await asyncio.wait_for(subscriber.subscribed.wait(), 10)
    return subscriber, task


def test_paired_phones_reach_the_log_and_strangers_do_not() -> None:
    require(port_open("127.0.0.1", 1883), "Mosquitto on 127.0.0.1:1883")

    async def scenario() -> None:
        prefix = f"owntracks-test-{secrets.token_hex(4)}"
        log = MemoryLog()
        _subscriber, task = await start(log, prefix)
        await publish(
            prefix,
            ("asha/phone", LOCATION),
            ("asha/phone/event", TRANSITION),
            ("stranger/phone", LOCATION),  # not paired
            ("ravi/phone", LOCATION),  # a watch, not an OwnTracks phone
            ("asha/phone", b""),  # OwnTracks clears retained messages this way
        )
        assert await eventually(lambda: len(log.fixes) == 2, 10)
        await asyncio.sleep(0.3)
        assert [fix.device_id for fix in log.fixes] == ["asha", "asha"]
        assert log.fixes[0].battery == 46
        task.cancel()

    asyncio.run(scenario())


def test_a_message_the_log_could_not_take_is_delivered_again() -> None:
    require(port_open("127.0.0.1", 1883), "Mosquitto on 127.0.0.1:1883")

    async def scenario() -> None:
        prefix = f"owntracks-test-{secrets.token_hex(4)}"
        log = MemoryLog()
        log.fail = True
        _subscriber, task = await start(log, prefix)
        await publish(prefix, ("asha/phone", LOCATION))
        await asyncio.sleep(0.5)  # the append fails; the message stays unacknowledged
        assert log.fixes == []
        log.fail = False
        assert await eventually(lambda: len(log.fixes) == 1, 10)  # after the reconnect
        task.cancel()

    asyncio.run(scenario())
