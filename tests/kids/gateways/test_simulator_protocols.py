"""The simulator speaks the real protocols: its watch over TCP to the watch server, its
phone over HTTP to the OsmAnd endpoint, both into the ingest log; it answers commands."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import pytest

from carewatch.kids.gateways.osmand_server import OsmandApp, osmand_server
from carewatch.kids.gateways.watch_server import PendingCommand
from carewatch.kids.protocols import osmand, watch
from carewatch.kids.simulator.devices import Report, VirtualPhone, osmand_query, position_frame
from carewatch.kids.simulator.routes import park_and_sos, school_run
from carewatch.kids.simulator.runner import Simulated, Targets, simulate
from tests.conftest import free_port
from tests.kids.gateways.helpers import (
    FakeCommands,
    FakeDevices,
    MemoryLog,
    eventually,
    running_watch_server,
)

WHEN = datetime(2026, 12, 7, 8, 30, 5, tzinfo=UTC)


def test_a_simulated_sos_frame_decodes_to_the_position_and_the_alarm() -> None:
    report = Report(WHEN, 13.0827, 80.2707, 12.0, 77, sos=True)
    decoded = watch.decode(position_frame("SIM000010000", report), WHEN)
    (fix,) = decoded.fixes
    assert (fix.device_id, fix.fix_time, fix.battery, fix.alarms) == (
        "SIM000010000",
        WHEN,
        77,
        frozenset({"sos"}),
    )
    assert (round(fix.lat, 6), round(fix.lon, 6)) == (13.0827, 80.2707) and fix.valid
    assert decoded.reply == b"[3G*SIM000010000*0002*AL]"


def test_a_simulated_phone_request_decodes_to_the_same_report() -> None:
    report = Report(WHEN, -33.5, -70.25, 9.0, 40, sos=True)
    decoded = osmand.decode("GET", "/osmand/?" + osmand_query("555", report), b"", "", WHEN)
    (fix,) = decoded.fixes
    assert (fix.device_id, fix.fix_time, fix.lat, fix.lon, fix.battery) == (
        "555",
        WHEN,
        -33.5,
        -70.25,
        40,
    )
    assert "sos" in fix.alarms


def test_the_simulator_reaches_the_log_through_both_gateways_and_answers_commands() -> None:
    async def scenario() -> None:
        log = MemoryLog()
        devices = FakeDevices(SIMWATCH="watch", SIMPHONE="osmand")
        commands = FakeCommands(queued={"SIMWATCH": [PendingCommand(1, "CR")]})
        port = free_port()
        http = osmand_server(OsmandApp(log, devices), "127.0.0.1", port)
        serving = asyncio.create_task(http.serve())
        async with running_watch_server(log, devices, commands) as (_server, watch_port):
            assert await eventually(lambda: http.started)
            targets = Targets("127.0.0.1", watch_port, f"http://127.0.0.1:{port}/")
            stop = asyncio.Event()
            running = asyncio.create_task(
                simulate(
                    {
                        "SIMWATCH": Simulated(school_run(seed=1), "watch"),
                        "SIMPHONE": Simulated(park_and_sos(seed=2), "osmand"),
                    },
                    targets,
                    interval_s=0.2,
                    stop=stop,
                )
            )
            senders = lambda: {fix.device_id for fix in log.fixes}  # noqa: E731
            assert await eventually(lambda: senders() == {"SIMWATCH", "SIMPHONE"}, 10)
            await asyncio.wait_for(commands.answered_event.wait(), 5)
            assert commands.answers == [(1, "CR")]  # the virtual watch answered "locate now"
            stop.set()
            await running
        http.should_exit = True
        await serving

    asyncio.run(scenario())


def test_a_phone_whose_server_is_still_starting_says_nothing_on_the_demos_first_screen(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The demo starts its virtual phone a moment before uvicorn listens: the first failed
    # report is not news (it looked like an error on the first screen a newcomer sees).
    url = f"http://127.0.0.1:{free_port()}/osmand/"
    phone = VirtualPhone("SIM000010001", school_run(seed=1), url, started=0.0)

    async def run_briefly() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(phone.run(5.0, stop))
        await asyncio.sleep(1.5)
        stop.set()
        await task

    with caplog.at_level(logging.INFO, logger="carewatch.kids.simulator"):
        asyncio.run(run_briefly())
    assert phone.sent == 0
    assert [r for r in caplog.records if r.levelno >= logging.INFO] == []
