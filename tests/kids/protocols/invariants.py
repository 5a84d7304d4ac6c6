"""What every decoded message must satisfy, whatever came in (the property tests' oracle)."""

from __future__ import annotations

import json
import math

from carewatch.kids.protocols.messages import ALARM_NAMES, Decoded
from carewatch.kids.protocols.watch import WatchFramer


def check(decoded: Decoded) -> None:
    assert isinstance(decoded, Decoded)
    assert isinstance(decoded.kind, str) and decoded.kind
    json.dumps(decoded.attributes)
    for fix in decoded.fixes:
        assert fix.fix_time.utcoffset() is not None
        assert fix.device_id == decoded.device_id
        assert fix.alarms <= ALARM_NAMES
        assert fix.battery is None or 0 <= fix.battery <= 100
        for value in (fix.lat, fix.lon):
            assert math.isfinite(value)
        for optional in (fix.speed_kmh, fix.course, fix.altitude, fix.accuracy_m):
            assert optional is None or math.isfinite(optional)
        if fix.valid:
            assert fix.located  # a decoder never calls a 0,0 or out-of-range fix valid
        json.dumps(dict(fix.attributes))
    if decoded.reply is not None:
        assert WatchFramer().feed(decoded.reply) == [decoded.reply]
