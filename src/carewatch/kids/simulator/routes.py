"""Where a simulated child is: routes, walking speed, GPS noise, a draining battery.

Plain Python, no Django: tested directly.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from carewatch.kids.tracking.geo import distance_m

LatLon = tuple[float, float]


@dataclass(frozen=True)
class Leg:
    """Walk from the last point through `points` at `speed_kmh`, then wait `pause_s`."""

    points: tuple[LatLon, ...]
    speed_kmh: float
    pause_s: float = 0.0
    sos_at_end: bool = False


@dataclass
class Walker:
    """One virtual watch following legs in a loop."""

    start: LatLon
    legs: tuple[Leg, ...]
    battery: float = 100.0
    drain_per_hour: float = 8.0
    accuracy_m: float = 12.0
    seed: int = 0
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def loop_seconds(self) -> float:
        total, here = 0.0, self.start
        for leg in self.legs:
            total += _leg_seconds(here, leg) + leg.pause_s
            here = leg.points[-1]
        return total

    def report(self, t: float) -> tuple[LatLon, float, int, bool]:
        """(noisy position, accuracy, battery %, SOS pressed now) at second `t` of the run."""
        true, sos = self.true_position(t % self.loop_seconds())
        noisy = _jitter(true, self._rng.gauss(0, self.accuracy_m / 2), self._rng.uniform(0, 360))
        # A nightly charge, compressed: the battery is full again every 45 minutes.
        battery = max(1, round(self.battery - self.drain_per_hour * (t % 2700) / 3600))
        return noisy, self.accuracy_m, battery, sos

    def true_position(self, t: float) -> tuple[LatLon, bool]:
        here = self.start
        for leg in self.legs:
            walking = _leg_seconds(here, leg)
            if t < walking:
                return _along(here, leg, t), False
            t -= walking
            if t < leg.pause_s:
                return leg.points[-1], leg.sos_at_end and t < 30  # pressed for one tick or two
            t -= leg.pause_s
            here = leg.points[-1]
        return here, False


def _leg_seconds(start: LatLon, leg: Leg) -> float:
    return _path_length((start, *leg.points)) / (leg.speed_kmh / 3.6)


def _path_length(points: tuple[LatLon, ...]) -> float:
    return sum(distance_m(a[0], a[1], b[0], b[1]) for a, b in zip(points, points[1:], strict=False))


def _along(start: LatLon, leg: Leg, t: float) -> LatLon:
    remaining = t * leg.speed_kmh / 3.6
    points = (start, *leg.points)
    for a, b in zip(points, points[1:], strict=False):
        step = distance_m(a[0], a[1], b[0], b[1])
        if remaining <= step and step > 0:
            share = remaining / step
            return a[0] + (b[0] - a[0]) * share, a[1] + (b[1] - a[1]) * share
        remaining -= step
    return points[-1]


def _jitter(point: LatLon, metres: float, bearing_deg: float) -> LatLon:
    north = metres * math.cos(math.radians(bearing_deg))
    east = metres * math.sin(math.radians(bearing_deg))
    lat = point[0] + north / 111_320
    lon = point[1] + east / (111_320 * math.cos(math.radians(point[0])))
    return lat, lon


# --- The demo city: a home, a school and a park in Chennai ---------------------------

HOME: LatLon = (13.0604, 80.2496)
SCHOOL: LatLon = (13.0674, 80.2376)
PARK: LatLon = (13.0545, 80.2420)
BUS_ROUTE = ((13.0620, 80.2470), (13.0655, 80.2420))


def school_run(seed: int = 1) -> Walker:
    """Home to school by bus, a school day (shortened), back home, a pause."""
    return Walker(
        start=HOME,
        legs=(
            Leg((*BUS_ROUTE, SCHOOL), speed_kmh=25, pause_s=240),
            Leg((*reversed(BUS_ROUTE), HOME), speed_kmh=25, pause_s=180),
        ),
        seed=seed,
    )


def park_and_sos(seed: int = 2) -> Walker:
    """Leaves school for the park on foot, presses SOS there, walks home; the battery dies."""
    return Walker(
        start=SCHOOL,
        legs=(
            Leg((SCHOOL,), speed_kmh=5, pause_s=120),
            Leg(((13.0620, 80.2400), PARK), speed_kmh=6, pause_s=150, sos_at_end=True),
            Leg((HOME,), speed_kmh=5, pause_s=120),
            Leg((SCHOOL,), speed_kmh=20, pause_s=60),
        ),
        battery=35,
        drain_per_hour=60,
        seed=seed,
    )
