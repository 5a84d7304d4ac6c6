"""Downlink command texts: what each parent's request becomes on the wire. Pure."""

from __future__ import annotations

import pytest

from carewatch.kids.gateways.commands import CommandError, CommandKind, answer_word, command_text


@pytest.mark.parametrize(
    ("kind", "params", "text"),
    [
        (CommandKind.LOCATE, {}, "CR"),
        (CommandKind.INTERVAL, {"seconds": 300}, "UPLOAD,300"),
        (CommandKind.INTERVAL, {"seconds": "60"}, "UPLOAD,60"),
        (CommandKind.SOS_NUMBER, {"slot": 1, "phone": "+91 98123 45678"}, "SOS1,+919812345678"),
        (CommandKind.SOS_NUMBER, {"slot": 3, "phone": ""}, "SOS3,"),
        (
            CommandKind.SILENCE,
            {"periods": "08:00-12:30, 13:30-15:00"},
            "SILENCETIME,08:00-12:30,13:30-15:00,00:00-00:00,00:00-00:00",
        ),
        (
            CommandKind.SILENCE,
            {"periods": ["8:00-9:00"]},
            "SILENCETIME,8:00-9:00" + ",00:00-00:00" * 3,
        ),
        (CommandKind.SILENCE, {}, "SILENCETIME" + ",00:00-00:00" * 4),
        (CommandKind.LANGUAGE, {"language": 0, "timezone": 5.5}, "LZ,0,5.5"),
        (CommandKind.LANGUAGE, {"language": "1", "timezone": "-3"}, "LZ,1,-3"),
        (CommandKind.FIND, {}, "FIND"),
        (CommandKind.POWER_OFF, {}, "POWEROFF"),
        (CommandKind.RESET, {}, "RESET"),
        ("locate", None, "CR"),
    ],
)
def test_each_command_becomes_the_text_the_watch_reads(kind: str, params: dict, text: str) -> None:
    assert command_text(kind, params) == text


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        (CommandKind.INTERVAL, {"seconds": 5}),
        (CommandKind.INTERVAL, {"seconds": 100_000}),
        (CommandKind.INTERVAL, {"seconds": "soon"}),
        (CommandKind.INTERVAL, {"seconds": True}),
        (CommandKind.INTERVAL, {}),
        (CommandKind.SOS_NUMBER, {"slot": 4, "phone": "123456"}),
        (CommandKind.SOS_NUMBER, {"slot": 1, "phone": "12,RESET"}),
        (CommandKind.SOS_NUMBER, {"slot": 1, "phone": "]*["}),
        (CommandKind.SILENCE, {"periods": "25:00-26:00"}),
        (CommandKind.SILENCE, {"periods": "08:00-09:00,]"}),
        (CommandKind.SILENCE, {"periods": ["1:00-2:00"] * 5}),
        (CommandKind.LANGUAGE, {"language": 100, "timezone": 0}),
        (CommandKind.LANGUAGE, {"language": 0, "timezone": 5.3}),
        (CommandKind.LANGUAGE, {"language": 0, "timezone": 15}),
        (CommandKind.LANGUAGE, {"language": 0, "timezone": "nan"}),
        ("format_disk", {}),
    ],
)
def test_bad_parameters_are_refused_with_a_sentence(kind: str, params: dict) -> None:
    with pytest.raises(CommandError) as raised:
        command_text(kind, params)
    assert str(raised.value).endswith(".")


def test_no_parameter_can_smuggle_frame_characters_onto_the_wire() -> None:
    for phone in ["1]", "[1", "1*2", "1,2"]:
        with pytest.raises(CommandError):
            command_text(CommandKind.SOS_NUMBER, {"slot": 1, "phone": phone})


def test_the_answer_word_is_the_command_s_first_word() -> None:
    assert answer_word("UPLOAD,300") == "UPLOAD"
    assert answer_word("CR") == "CR"
    assert answer_word("sos1,123") == "SOS1"
