"""`carewatch gateway decode`: JSON lines in, what CareWatch understands out."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from typing import Any

import pytest

from carewatch.kids.protocols.decode_tool import decode_line, run

from .samples import (
    OSMAND_SAMPLES,
    OWNTRACKS_LOCATION,
    OWNTRACKS_TRANSITION,
    RECEIVED,
    WATCH_AL_LTE_SOS,
    WATCH_LK,
    WATCH_UD,
    WATCH_UD2,
)

KEYS = [
    "device_id",
    "time",
    "valid",
    "lat",
    "lon",
    "speed_kmh",
    "course",
    "altitude",
    "accuracy_m",
    "battery",
    "alarms",
    "attributes",
]


def decode(**request: Any) -> dict[str, Any]:
    result = decode_line(json.dumps(request), RECEIVED)
    assert list(result) == ["messages", "reply", "error"]
    json.dumps(result)  # every value is plain JSON
    return result


def test_the_watch_samples_decode_to_their_positions_and_alarms() -> None:
    lk, ud, ud2, sos = (
        decode(protocol="watch", input=frame.decode())
        for frame in (WATCH_LK, WATCH_UD, WATCH_UD2, WATCH_AL_LTE_SOS)
    )
    assert lk["reply"] == "[3G*4700186508*0002*LK]" and lk["error"] is None
    assert lk["messages"][0]["battery"] == 100 and lk["messages"][0]["valid"] is False
    (position,) = ud["messages"]
    assert list(position) == KEYS
    assert position["time"] == "2014-04-22T13:46:52Z"
    assert (position["valid"], position["lat"], position["lon"]) == (True, 22.571707, 113.8613968)
    assert position["attributes"]["type"] == "UD" and position["attributes"]["manufacturer"] == "SG"
    assert len(position["attributes"]["cells"]) == 4 and ud["reply"] is None
    assert ud2["messages"][0]["time"] == "2022-03-22T05:51:05Z" and ud2["reply"] is None
    (alarm,) = sos["messages"]
    assert (alarm["alarms"], alarm["valid"], alarm["battery"]) == (["sos"], False, 22)
    assert sos["reply"] == "[3G*6907919734*0002*AL]"


def test_hex_input_is_the_same_as_text() -> None:
    assert decode(protocol="watch", input_hex=WATCH_UD2.hex()) == decode(
        protocol="watch", input=WATCH_UD2.decode()
    )


def test_several_frames_give_every_message_and_every_reply() -> None:
    result = decode(protocol="watch", input=(WATCH_LK + WATCH_AL_LTE_SOS + WATCH_LK).decode())
    assert len(result["messages"]) == 3
    assert (
        result["reply"] == "[3G*4700186508*0002*LK][3G*6907919734*0002*AL][3G*4700186508*0002*LK]"
    )


def test_a_frame_without_a_fix_gives_its_reply_only() -> None:
    result = decode(protocol="watch", input="[3G*1234567890*0004*INIT]")
    assert result == {"messages": [], "reply": "[3G*1234567890*0006*INIT,1]", "error": None}


def test_messages_without_a_time_take_the_given_received_time() -> None:
    result = decode(protocol="watch", input=WATCH_LK.decode(), received="2026-02-03T04:05:06Z")
    assert result["messages"][0]["time"] == "2026-02-03T04:05:06Z"


def test_the_osmand_samples_decode() -> None:
    first, second, third = (
        decode(protocol="osmand", method="GET", uri=uri) for uri in OSMAND_SAMPLES
    )
    assert first["messages"][0]["time"] == "2013-08-22T13:14:27Z"
    assert (first["messages"][0]["lat"], first["messages"][0]["lon"]) == (60.0, 30.0)
    assert second["messages"][0]["time"] == "2016-01-27T18:55:47Z"
    assert third["messages"][0]["battery"] == 87
    assert all(r["reply"] is None and r["messages"][0]["valid"] for r in (first, second, third))


def test_an_osmand_post_with_a_content_type() -> None:
    body = json.dumps(
        {
            "device_id": "p",
            "location": {
                "coords": {"latitude": 1, "longitude": 2, "speed": 10},
                "timestamp": 1700000000,
            },
        }
    )
    result = decode(
        protocol="osmand", method="POST", uri="/", content_type="application/json", input=body
    )
    assert result["messages"][0]["speed_kmh"] == 36.0


def test_an_osmand_sos_without_a_position() -> None:
    result = decode(protocol="osmand", uri="/?id=7&alarm=sos&batt=30")
    (message,) = result["messages"]
    assert (message["alarms"], message["valid"], message["battery"]) == (["sos"], False, 30)


def test_the_owntracks_samples_decode() -> None:
    location = decode(protocol="owntracks", input=OWNTRACKS_LOCATION.decode(), device_id="a")
    transition = decode(protocol="owntracks", input=OWNTRACKS_TRANSITION.decode())
    assert location["messages"][0]["device_id"] == "a"
    assert location["messages"][0]["accuracy_m"] == 15.0
    (event,) = transition["messages"]
    assert event["device_id"] == "unknown" and event["alarms"] == []
    assert event["attributes"]["transition"] == "enter"


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("not json", "not JSON"),
        ("[1]", "JSON object"),
        ('{"protocol": "gt06", "input": "x"}', "protocol must be"),
        ('{"protocol": "watch", "input_hex": "zz"}', "hex"),
        ('{"protocol": "watch", "input": 5}', "input must be text"),
        ('{"protocol": "watch", "input": "[3G*1*0002*LK"}', "complete"),
        ('{"protocol": "watch", "input": ""}', "complete"),
        ('{"protocol": "watch", "input": "hello"}', "not the watch protocol"),
        ('{"protocol": "osmand", "uri": "/?lat=1"}', "id="),
        ('{"protocol": "osmand", "uri": 5}', "uri must be text"),
        ('{"protocol": "owntracks", "input": "{"}', "JSON object"),
        ('{"protocol": "watch", "input": "[3G*1*0002*LK]", "received": "soon"}', "received"),
    ],
)
def test_a_wrong_line_gives_an_error_sentence(line: str, error: str) -> None:
    result = decode_line(line, RECEIVED)
    assert result["messages"] == [] and result["reply"] is None
    assert error in result["error"]


def test_run_writes_one_line_per_input_line_and_counts_errors() -> None:
    out = io.StringIO()
    lines = [json.dumps({"protocol": "watch", "input": WATCH_LK.decode()}), "\n", "junk\n"]
    assert run(lines, out, RECEIVED) == 1
    written = out.getvalue().splitlines()
    assert len(written) == 2 and json.loads(written[1])["error"]


def test_the_command_runs_without_django_or_a_database() -> None:
    code = (
        "import sys, io\n"
        "from carewatch import cli\n"
        "sys.stdin = io.StringIO(sys.argv[1])\n"
        "rc = cli.main(['gateway', 'decode'])\n"
        "print('DJANGO' if any(m.startswith('django') for m in sys.modules) else 'PURE', rc)\n"
    )
    line = json.dumps({"protocol": "watch", "input": WATCH_AL_LTE_SOS.decode()})
    done = subprocess.run(
        [sys.executable, "-c", code, line + "\n"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    output, verdict = done.stdout.strip().rsplit("\n", 1)
    assert verdict == "PURE 0"
    assert json.loads(output)["messages"][0]["alarms"] == ["sos"]


def test_gateway_help_names_the_decode_sub_command() -> None:
    # `carewatch gateway` alone runs the device gateways (tests/kids/gateways).
    done = subprocess.run(
        [sys.executable, "-m", "carewatch.cli", "gateway", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and "decode" in done.stdout
