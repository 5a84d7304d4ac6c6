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

from carewatch.kids.protocols import watch


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


def command_text(kind: CommandKind | str, params: Mapping[str, Any] | None = None) -> str:
    """The text sent to the watch, e.g. `UPLOAD,300`; raises CommandError with a sentence.

    The wire texts are the protocol package's (`protocols.watch`); this turns a form's or
    an API call's values into their arguments.
    """
    params = params or {}
    kind = _kind(kind)
    try:
        if kind is CommandKind.LOCATE:
            return watch.locate_now()
        if kind is CommandKind.FIND:
            return watch.find_watch()
        if kind is CommandKind.POWER_OFF:
            return watch.power_off()
        if kind is CommandKind.RESET:
            return watch.reset()
        if kind is CommandKind.INTERVAL:
            return watch.upload_interval(_whole(params.get("seconds"), "seconds"))
        if kind is CommandKind.SOS_NUMBER:
            phone = re.sub(r"[\s().-]", "", str(params.get("phone") or ""))
            return watch.sos_number(_whole(params.get("slot"), "slot"), phone)
        if kind is CommandKind.SILENCE:
            return watch.silence_time(_periods(params.get("periods")))
        if kind is CommandKind.LANGUAGE:
            language = _whole(params.get("language"), "language")
            return watch.language_timezone(language, _timezone(params.get("timezone")))
    except ValueError as error:
        if isinstance(error, CommandError):
            raise
        raise CommandError(str(error)) from None
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
    return periods


def _timezone(value: Any) -> float:
    """Hours from UTC as the watch wants them: 5.5, -3, 0; quarter hours at most."""
    try:
        hours = float(str(value).strip())
    except (TypeError, ValueError):
        raise CommandError("The time zone must be hours from UTC, e.g. 5.5 or -3.") from None
    if not -12 <= hours <= 14 or (hours * 4) % 1:
        raise CommandError("The time zone must be -12 to 14 hours from UTC, in quarter hours.")
    return hours
