"""What every decoder returns: `Decoded`, or raises `ProtocolError` with a sentence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from carewatch.kids.tracking.frozen import quick_init
from carewatch.kids.tracking.model import Fix

# Every alarm a decoder may put in `Fix.alarms` (the tracking core acts on sos, fall and
# removed; the others are kept in history and shown).
ALARM_NAMES = frozenset(
    {
        "sos",
        "low_battery",
        "removed",
        "fall",
        "geofence_enter",
        "geofence_exit",
        "power_off",
        "low_power",
    }
)


class ProtocolError(ValueError):
    """The input is not a message of this protocol; the text says what was wrong."""


@quick_init  # one per frame: see tracking/frozen.py
@dataclass(frozen=True, slots=True)
class Decoded:
    """One decoded message.

    `device_id`: who sent it (None when the protocol does not say, e.g. OwnTracks over
    HTTP, where Basic auth names the device). `kind`: the protocol's message type
    ("UD", "LK", "location", ...). `fixes`: what goes to the ingest log (possibly
    none: a CONFIG frame carries no fix). `reply`: bytes to send back to the device,
    or None. `attributes`: anything else worth showing to support staff.
    """

    device_id: str | None
    kind: str
    fixes: tuple[Fix, ...] = ()
    reply: bytes | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
