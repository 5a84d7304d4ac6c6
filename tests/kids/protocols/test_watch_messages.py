"""The watch protocol's message types: what each decodes to, and the reply it gets."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from carewatch.kids.protocols.messages import ProtocolError
from carewatch.kids.protocols.watch import decode

from .samples import (
    RECEIVED,
    WATCH_AL_LTE_SOS,
    WATCH_LK,
    WATCH_UD,
    WATCH_UD2,
    ud,
    watch_frame,
)


def test_the_lk_sample_is_a_heartbeat_with_battery_and_steps_answered_lk() -> None:
    message = decode(WATCH_LK, RECEIVED)
    assert (message.device_id, message.kind) == ("4700186508", "LK")
    assert message.reply == b"[3G*4700186508*0002*LK]"
    assert message.attributes["manufacturer"] == "3G"
    (fix,) = message.fixes
    assert (fix.valid, fix.located, fix.battery, fix.fix_time) == (False, False, 100, RECEIVED)
    assert fix.attributes["steps"] == 0 and fix.attributes["tumbles"] == 10


def test_a_bare_lk_is_a_heartbeat_too() -> None:
    message = decode(b"[CS*1234567890*0002*LK]", RECEIVED)
    assert message.reply == b"[CS*1234567890*0002*LK]"
    assert [fix.battery for fix in message.fixes] == [None]


def test_the_ud_sample_is_a_position_with_its_cell_towers_and_no_reply() -> None:
    message = decode(WATCH_UD, RECEIVED)
    assert (message.device_id, message.kind, message.reply) == ("8800000015", "UD", None)
    assert message.attributes["manufacturer"] == "SG"
    (fix,) = message.fixes
    assert fix.located
    assert fix.fix_time == datetime(2014, 4, 22, 13, 46, 52, tzinfo=UTC)
    assert (fix.lat, fix.lon) == (22.571707, 113.8613968)
    assert (fix.speed_kmh, fix.course, fix.altitude, fix.battery) == (0.1, 0.0, 100.0, 90)
    assert fix.attributes["satellites"] == 7 and fix.attributes["steps"] == 1000
    assert fix.attributes["cells"][0] == {
        "mcc": 460,
        "mnc": 0,
        "lac": 9360,
        "cid": 4082,
        "rssi": 131,
    }
    assert len(fix.attributes["cells"]) == 4
    assert fix.alarms == frozenset()


def test_the_ud2_sample_is_a_position_without_a_reply() -> None:
    message = decode(WATCH_UD2, RECEIVED)
    (fix,) = message.fixes
    assert (message.kind, message.reply) == ("UD2", None)
    assert fix.fix_time == datetime(2022, 3, 22, 5, 51, 5, tzinfo=UTC)
    assert (fix.lat, fix.lon, fix.battery, fix.located) == (22.761162, 114.360192, 64, True)


def test_the_al_lte_sample_is_an_sos_without_a_position_answered_al() -> None:
    message = decode(WATCH_AL_LTE_SOS, RECEIVED)
    (fix,) = message.fixes
    assert message.reply == b"[3G*6907919734*0002*AL]"
    assert fix.alarms == {"sos"}
    assert (fix.valid, fix.located, fix.battery) == (False, False, 22)
    assert fix.fix_time == datetime(2025, 5, 17, 21, 41, 18, tzinfo=UTC)


@pytest.mark.parametrize("kind", ["UD", "UD2", "UD3", "UD_LTE", "UD_WCDMA", "WT", "UD_5G"])
def test_position_reports_get_no_reply(kind: str) -> None:
    message = decode(ud(kind=kind), RECEIVED)
    assert message.kind == kind and message.reply is None
    assert [fix.located for fix in message.fixes] == [True]


@pytest.mark.parametrize("kind", ["AL", "AL_LTE", "AL_WCDMA"])
def test_alarm_reports_are_answered_al(kind: str) -> None:
    message = decode(ud(kind=kind, status="00010000"), RECEIVED)
    assert message.reply == b"[3G*1234567890*0002*AL]"
    assert message.fixes[0].alarms == {"sos"}


def test_southern_and_western_positions_are_negative() -> None:
    frame = watch_frame("UD,220322,055105,A,33.86,S,151.2,W,0,0,0,5,50,80,0,0,00000000,0,0")
    (fix,) = decode(frame, RECEIVED).fixes
    assert (fix.lat, fix.lon) == (-33.86, -151.2)


def test_init_is_answered_init_1() -> None:
    message = decode(watch_frame("INIT,13800138000,1,123456"), RECEIVED)
    assert (message.kind, message.fixes) == ("INIT", ())
    assert message.reply == b"[3G*1234567890*0006*INIT,1]"


@pytest.mark.parametrize("kind", ["TKQ", "TKQ2"])
def test_tkq_is_echoed(kind: str) -> None:
    message = decode(watch_frame(kind), RECEIVED)
    assert message.reply == b"[3G*1234567890*%04X*%s]" % (len(kind), kind.encode())
    assert message.fixes == ()


def test_config_is_answered_and_its_settings_kept() -> None:
    message = decode(watch_frame("CONFIG,TY:g36a,UL:180,SY:0"), RECEIVED)
    assert message.reply == b"[3G*1234567890*0008*CONFIG,1]"
    assert message.attributes["config"] == {"TY": "g36a", "UL": "180", "SY": "0"}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("heart,72", {"heart_rate": 72.0}),
        ("hrtstart,80", {"heart_rate": 80.0}),
        (
            "bphrt,120,79,72",
            {"blood_pressure_high": 120.0, "blood_pressure_low": 79.0, "heart_rate": 72.0},
        ),
        ("blood,118,76", {"blood_pressure_high": 118.0, "blood_pressure_low": 76.0}),
        ("oxygen,98", {"blood_oxygen": 98.0}),
        ("btemp2,1,36.6", {"temperature_c": 36.6}),
        ("TEMP,37.1", {"temperature_c": 37.1}),
    ],
)
def test_health_reports_become_readings_without_a_position(
    content: str, expected: dict[str, float]
) -> None:
    message = decode(watch_frame(content), RECEIVED)
    (fix,) = message.fixes
    assert message.reply is None and not fix.located and fix.fix_time == RECEIVED
    assert dict(fix.attributes) == expected


@pytest.mark.parametrize("content", ["btemp2,0,0", "hrtstart", "heart,x", "oxygen"])
def test_a_health_report_without_a_reading_gives_no_fix(content: str) -> None:
    message = decode(watch_frame(content), RECEIVED)
    assert (message.fixes, message.reply) == ((), None)


def test_a_voice_message_is_recognised_and_acknowledged() -> None:
    message = decode(b"[3G*1234567890*0008*TK,#!AMR}01\x00\xff]", RECEIVED)
    assert message.reply == b"[3G*1234567890*0004*TK,1]"
    assert message.attributes["media"] == "voice"
    assert message.attributes["media_bytes"] == 8  # }01 is one byte


def test_the_watch_answering_our_voice_message_gets_no_reply() -> None:
    message = decode(watch_frame("TK,1"), RECEIVED)
    assert message.reply is None and message.attributes["command_ack"] is True


def test_a_voice_message_in_parts_is_answered_per_part() -> None:
    message = decode(watch_frame("JXTK,1,1,2,3,#!AMR\x01\x02"), RECEIVED)
    assert message.reply == b"[3G*1234567890*0007*JXTKR,1]"
    assert (message.attributes["part"], message.attributes["parts"]) == (2, 3)


def test_an_image_is_recognised() -> None:
    message = decode(b"[3G*1234567890*0020*img,5,220322055105,\xff\xd8\xff}02}03\xd9]", RECEIVED)
    assert message.attributes["media"] == "image"
    assert message.attributes["media_bytes"] == 6


@pytest.mark.parametrize("kind", ["CR", "UPLOAD", "SOS1", "SILENCETIME", "LZ", "FIND", "RESET"])
def test_a_watch_echoing_a_command_marks_it_acknowledged(kind: str) -> None:
    message = decode(watch_frame(kind), RECEIVED)
    assert message.attributes["command_ack"] is True
    assert (message.reply, message.fixes) == (None, ())


def test_an_unknown_type_is_kept_without_a_reply() -> None:
    message = decode(watch_frame("WHATEVER,1,2"), RECEIVED)
    assert (message.kind, message.reply, message.fixes) == ("WHATEVER", None, ())
    assert message.attributes["unknown_type"] is True


def test_a_wrong_length_field_is_tolerated_and_noted() -> None:
    message = decode(b"[3G*1234567890*0099*LK,1,2,50]", RECEIVED)
    assert message.fixes[0].battery == 50
    assert message.attributes["length_mismatch"] is True
    assert "length_mismatch" not in decode(WATCH_LK, RECEIVED).attributes


def test_a_length_field_that_is_not_hex_is_tolerated() -> None:
    assert decode(b"[3G*1234567890*zz*LK]", RECEIVED).kind == "LK"


def test_the_reply_length_is_hex_of_the_reply_content() -> None:
    message = decode(watch_frame("INIT"), RECEIVED)
    assert message.reply is not None and message.reply.split(b"*")[2] == b"0006"


def test_the_zj_variant_carries_an_index_that_the_reply_repeats() -> None:
    message = decode(b"[ZJ*123456789012345*0043*000B*LK,0,10,100]", RECEIVED)
    assert message.device_id == "123456789012345"
    assert message.attributes["index"] == "0043"
    assert message.reply == b"[ZJ*123456789012345*0043*0002*LK]"
    assert message.fixes[0].battery == 100


def test_the_zj_variant_decodes_positions() -> None:
    frame = b"[ZJ*123456*0001*0000*" + ud(kind="UD_LTE").split(b"*", 3)[3]
    (fix,) = decode(frame, RECEIVED).fixes
    assert fix.located and (fix.lat, fix.lon) == (22.5, 114.1)


def test_the_manufacturer_is_repeated_as_sent() -> None:
    message = decode(b"[3g*1234567890*0002*LK]", RECEIVED)
    assert message.attributes["manufacturer"] == "3g"
    assert message.reply == b"[3g*1234567890*0002*LK]"


def test_wifi_access_points_are_kept_with_escaped_names() -> None:
    tail = "1,1,460,0,9360,4082,131,2,home}04wifi,1c:fa:68:13:a5:b4,-61,cafe,bc:46:99:0:1:2,-75"
    (fix,) = decode(ud(tail=tail), RECEIVED).fixes
    assert fix.attributes["cells"] == [
        {"mcc": 460, "mnc": 0, "lac": 9360, "cid": 4082, "rssi": 131}
    ]
    assert fix.attributes["wifi"] == [
        {"name": "home,wifi", "mac": "1c:fa:68:13:a5:b4", "rssi": -61},
        {"name": "cafe", "mac": "bc:46:99:0:1:2", "rssi": -75},
    ]


def test_escapes_as_raw_bytes_are_undone_too() -> None:
    tail = "0,0,1,a\x01b\x05,1c:fa:68:13:a5:b4,-61".replace("\x01", "}\x01").replace(
        "\x05", "}\x05"
    )
    (fix,) = decode(ud(tail=tail), RECEIVED).fixes
    assert fix.attributes["wifi"][0]["name"] == "a}b*"


def test_a_network_list_that_does_not_add_up_is_kept_raw() -> None:
    (fix,) = decode(ud(tail="3,1,460,0,9360,x"), RECEIVED).fixes
    assert "cells" not in fix.attributes
    assert fix.attributes["network"] == "3,1,460,0,9360,x"
    assert fix.located


def test_an_unreadable_date_takes_the_time_of_receipt() -> None:
    frame = watch_frame("UD,000000,000000,A,22.5,N,114.1,E,0,0,0,5,50,80,0,0,00000000,0,0")
    (fix,) = decode(frame, RECEIVED).fixes
    assert fix.fix_time == RECEIVED and fix.attributes["time_unreadable"] is True


def test_a_short_position_body_keeps_what_it_has() -> None:
    (fix,) = decode(watch_frame("UD,220322,055105,A,22.5,N"), RECEIVED).fixes
    assert not fix.located and fix.fix_time == datetime(2022, 3, 22, 5, 51, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    "frame",
    [
        b"",
        b"[]",
        b"LK",
        b"[3G*1234567890*0002*LK",
        b"[3G*1234567890*LK]",
        b"[3G*1234567890*0002*]",
        b"[3G*1234567890*0002*,1,2]",
        b"[3G**0002*LK]",
        b"[*1234567890*0002*LK]",
        b"[3G*12 34*0002*LK]",
        b"[3G*\xff\xfe*0002*LK]",
        b"[TOOLONG*1234567890*0002*LK]",
        b"[3G*" + b"1" * 40 + b"*0002*LK]",
    ],
)
def test_broken_frames_raise_protocol_error(frame: bytes) -> None:
    with pytest.raises(ProtocolError):
        decode(frame, RECEIVED)
