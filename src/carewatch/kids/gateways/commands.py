"""Downlink commands for watches: what a parent asks for, as the text the watch reads.

Plain Python, no Django. `command_text` checks the parameters and returns the text that
`protocols.watch.encode_command` frames; `answer_word` is the word the watch echoes when
it answers (`[3G*ID*0006*UPLOAD]` answers `UPLOAD,300`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Any


class CommandKind(StrEnum):
    LOCATE = "locate"
    INTERVAL = "interval"
    SOS_NUMBER = "sos_number"
    SILENCE = "silence"
    LANGUAGE = "language"
    FIND = "find"
    POWER_OFF = "power_off"
    RESET = "reset"


class CommandError(ValueError):
    """The parameters cannot make this command; the text says what to change."""


MIN_INTERVAL_S, MAX_INTERVAL_S = 10, 86_400
MAX_SILENCE_PERIODS = 4  # what the watches accept
_PHONE = re.compile(r"\+?[0-9]{3,20}")
_PERIOD = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])-([01]?[0-9]|2[0-3]):([0-5][0-9])")


def command_text(kind: CommandKind | str, params: Mapping[str, Any] | None = None) -> str:
    """The text sent to the watch, e.g. `UPLOAD,300`; raises CommandError with a sentence."""
    params = params or {}
    kind = _kind(kind)
    if kind is CommandKind.LOCATE:
        return "CR"
    if kind is CommandKind.FIND:
        return "FIND"
    if kind is CommandKind.POWER_OFF:
        return "POWEROFF"
    if kind is CommandKind.RESET:
        return "RESET"
    if kind is CommandKind.INTERVAL:
        seconds = _whole(params.get("seconds"), "seconds")
        if not MIN_INTERVAL_S <= seconds <= MAX_INTERVAL_S:
            raise CommandError(
                f"The reporting interval must be {MIN_INTERVAL_S} to {MAX_INTERVAL_S} seconds."
            )
        return f"UPLOAD,{seconds}"
    if kind is CommandKind.SOS_NUMBER:
        slot = _whole(params.get("slot"), "slot")
        if slot not in (1, 2, 3):
            raise CommandError("The SOS number slot must be 1, 2 or 3.")
        phone = re.sub(r"[\s().-]", "", str(params.get("phone") or ""))
        if phone and not _PHONE.fullmatch(phone):
            raise CommandError("Enter the phone number with digits only, e.g. +919812345678.")
        return f"SOS{slot},{phone}"  # an empty number clears the slot
    if kind is CommandKind.SILENCE:
        periods = _periods(params.get("periods"))
        return "SILENCETIME," + ",".join(periods)
    if kind is CommandKind.LANGUAGE:
        language = _whole(params.get("language"), "language")
        if not 0 <= language <= 99:
            raise CommandError("The language code must be 0 to 99 (0 is English on most watches).")
        offset = _timezone(params.get("timezone"))
        return f"LZ,{language},{offset}"
    raise CommandError(f"Unknown command {kind!r}.")  # pragma: no cover - the enum is closed


def answer_word(text: str) -> str:
    """The word the watch's answer starts with: the command's own first word."""
    return text.split(",", 1)[0].upper()


def _kind(kind: CommandKind | str) -> CommandKind:
    try:
        return CommandKind(kind)
    except ValueError:
        raise CommandError(f"Unknown command {kind!r}.") from None


def _whole(value: Any, name: str) -> int:
    if isinstance(value, bool):
        raise CommandError(f"{name} must be a whole number.")
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise CommandError(f"{name} must be a whole number.") from None


def _periods(value: Any) -> list[str]:
    """ "08:00-12:00, 13:00-15:00" or a list of such periods; none clears the silence."""
    if value is None or value == "":
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    periods = [str(item).strip() for item in items if str(item).strip()]
    if len(periods) > MAX_SILENCE_PERIODS:
        raise CommandError(f"A watch keeps at most {MAX_SILENCE_PERIODS} silent periods.")
    for period in periods:
        if not _PERIOD.fullmatch(period):
            raise CommandError(
                f"Write each silent period as start-end in 24-hour time, e.g. 08:00-12:30, "
                f"not {period!r}."
            )
    return periods


def _timezone(value: Any) -> str:
    """Hours from UTC as the watch wants them: 5.5, -3, 0; quarter hours at most."""
    try:
        hours = float(str(value).strip())
    except (TypeError, ValueError):
        raise CommandError("The time zone must be hours from UTC, e.g. 5.5 or -3.") from None
    if not -12 <= hours <= 14 or (hours * 4) % 1:
        raise CommandError("The time zone must be -12 to 14 hours from UTC, in quarter hours.")
    return f"{hours:g}"
