"""Small bookkeeping the gateways share: log-once-per-interval, counters. Plain Python."""

from __future__ import annotations

from collections import Counter, OrderedDict


class OncePerInterval:
    """`due(key, now)` is True the first time a key is seen in each interval.

    Bounded: a flood of made-up device ids can cost at most `max_keys` entries; the
    oldest are forgotten first (they are then logged again, which is harmless).
    """

    def __init__(self, interval_s: float, max_keys: int = 10_000) -> None:
        self.interval_s = interval_s
        self.max_keys = max_keys
        self._last: OrderedDict[str, float] = OrderedDict()

    def due(self, key: str, now: float) -> bool:
        last = self._last.get(key)
        if last is not None and now - last < self.interval_s:
            return False
        self._last[key] = now
        self._last.move_to_end(key)
        while len(self._last) > self.max_keys:
            self._last.popitem(last=False)
        return True


class Stats(Counter[str]):
    """What the gateways count (unknown devices, malformed input, cut connections...)."""

    def line(self) -> str:
        return ", ".join(f"{name} {count}" for name, count in sorted(self.items())) or "nothing"


STATS = Stats()  # one per process: the servers, the views and the MQTT subscriber add to it
