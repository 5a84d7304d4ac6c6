"""The simulator's routes and devices (tests/kids/gateways/test_simulator_protocols.py
runs them through the real gateways)."""

from __future__ import annotations

from carewatch.kids.simulator import runner
from carewatch.kids.simulator.routes import HOME, SCHOOL, Leg, Walker, park_and_sos, school_run
from carewatch.kids.tracker.models import Device
from carewatch.kids.tracking.geo import distance_m
from tests.kids.tracker.base import TrackerTestCase


def test_a_walker_starts_at_home_and_reaches_school() -> None:
    walker = school_run()
    start, _ = walker.true_position(0)
    assert distance_m(*start, *HOME) < 1
    to_school = Walker(HOME, (Leg((SCHOOL,), speed_kmh=36),)).loop_seconds()
    arrived, _ = walker.true_position(walker.loop_seconds() / 2 - 60)  # during the school pause
    assert distance_m(*arrived, *SCHOOL) < 1
    assert 100 < to_school < 200  # about 1.4 km at 10 m/s


def test_reports_are_noisy_but_close_and_the_battery_drains() -> None:
    walker = park_and_sos(seed=3)
    (lat, lon), accuracy, battery_start, _ = walker.report(0)
    assert distance_m(lat, lon, *walker.start) < 4 * accuracy
    _, _, battery_later, _ = walker.report(1200)
    assert battery_later < battery_start


def test_the_park_walker_presses_sos_once_per_loop() -> None:
    walker = park_and_sos()
    pressed = [t for t in range(0, int(walker.loop_seconds()), 5) if walker.true_position(t)[1]]
    assert pressed and pressed[-1] - pressed[0] < 30


class SimulatorTests(TrackerTestCase):
    def test_it_creates_a_paired_watch_and_a_paired_phone_once(self) -> None:
        walkers = runner.ensure_simulated_family(self.family, ["Asha", "Ravi"])
        again = runner.ensure_simulated_family(self.family, ["Asha", "Ravi"])
        self.assertEqual(set(walkers), set(again))
        self.assertEqual(self.family.children.count(), 2)  # Asha already existed
        devices = runner.with_protocols(walkers)
        # the watch speaks TCP to the watch gateway, the phone OsmAnd over HTTP
        self.assertEqual(sorted(d.protocol for d in devices.values()), ["osmand", "watch"])
        for identifier in walkers:
            self.assertEqual(Device.objects.get(identifier=identifier).family, self.family)
