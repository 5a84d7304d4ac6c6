"""OsmAnd (`/osmand/`) and OwnTracks (`/owntracks/`) over real HTTP on a live server:
paired devices are stored after the log has them; unknown, unpaired or wrong-protocol
devices get a 4xx, are counted, and nothing is stored."""

from __future__ import annotations

import json

import httpx
from django.test import LiveServerTestCase

from carewatch.kids.gateways.directory import DEVICES
from carewatch.kids.gateways.limits import STATS
from carewatch.kids.gateways.logs import use_log
from carewatch.kids.gateways.models import DeviceSecret
from carewatch.kids.tracker.models import Child, Device, Protocol
from carewatch.platform.accounts.models import Family
from tests.kids.gateways.helpers import MemoryLog

LOCATION = (
    b'{"_type":"location","acc":15,"alt":440,"batt":46,"conn":"w","lat":46.0681247,'
    b'"lon":11.1512805,"t":"u","tid":"5t","tst":1551874878,"vac":2,"vel":0}'
)
TRANSITION = (
    b'{"_type":"transition","desc":"School","event":"enter","lat":48.87069,"lon":2.34916,'
    b'"rid":"f7676c","tid":"j1","tst":1707057574,"wtst":1610104395}'
)


class HttpGatewayTests(LiveServerTestCase):
    def setUp(self) -> None:
        super().setUp()
        DEVICES.clear()
        STATS.clear()
        self.log = MemoryLog()
        use_log(self.log)
        self.addCleanup(use_log, None)
        family = Family.objects.create(name="The Sharma family")
        child = Child.objects.create(family=family, name="Asha")
        paired = {"family": family, "child": child}
        self.phone = Device.objects.create(identifier="123456", protocol=Protocol.OSMAND, **paired)
        self.owntracks_phone = Device.objects.create(
            identifier="555000111", protocol=Protocol.OWNTRACKS, **paired
        )
        self.password = DeviceSecret.make(self.owntracks_phone)
        Device.objects.create(identifier="4700186508", protocol=Protocol.WATCH, **paired)
        Device.objects.create(identifier="777", protocol=Protocol.OSMAND)  # sold, not paired
        self.http = httpx.Client(base_url=self.live_server_url, timeout=10)
        self.addCleanup(self.http.close)

    # --- OsmAnd ----------------------------------------------------------------------

    def test_a_paired_phone_s_get_is_stored_then_answered_200(self) -> None:
        response = self.http.get(
            "/osmand/?id=123456&timestamp=1377177267&lat=60.0&lon=30.0&speed=1.0&batt=87"
        )
        self.assertEqual(response.status_code, 200)
        (fix,) = self.log.fixes
        self.assertEqual((fix.device_id, fix.lat, fix.lon, fix.battery), ("123456", 60.0, 30.0, 87))
        self.assertAlmostEqual(fix.speed_kmh or 0, 1.852)  # knots in the query form

    def test_a_form_post_and_the_json_form_are_stored_too(self) -> None:
        form = self.http.post(
            "/osmand/", data={"id": "123456", "lat": "1.5", "lon": "2.5", "timestamp": "1700000000"}
        )
        body = {
            "device_id": "123456",
            "location": {
                "timestamp": "2026-12-07T08:00:00Z",
                "coords": {"latitude": 3.5, "longitude": 4.5, "speed": 2.0, "accuracy": 8},
                "battery": {"level": 0.5},
            },
        }
        posted = self.http.post("/osmand/", json=body)
        self.assertEqual((form.status_code, posted.status_code), (200, 200))
        self.assertEqual([(f.lat, f.lon) for f in self.log.fixes], [(1.5, 2.5), (3.5, 4.5)])
        self.assertEqual(self.log.fixes[1].battery, 50)

    def test_an_sos_from_the_app_carries_the_alarm(self) -> None:
        self.http.get("/osmand/?id=123456&lat=60.0&lon=30.0&timestamp=1377177267&alarm=sos")
        self.assertIn("sos", self.log.fixes[0].alarms)

    def test_unknown_unpaired_and_other_protocol_devices_are_refused_and_counted(self) -> None:
        for identifier in ["999", "777", "4700186508", "555000111"]:
            response = self.http.get(f"/osmand/?id={identifier}&lat=1&lon=2&timestamp=1700000000")
            self.assertEqual(response.status_code, 403, identifier)
        self.assertEqual(self.log.fixes, [])
        self.assertEqual(STATS["osmand_unknown_device"], 4)

    def test_malformed_and_oversized_requests_are_refused(self) -> None:
        self.assertEqual(self.http.get("/osmand/?lat=1&lon=2").status_code, 400)  # no id
        big = self.http.post("/osmand/", content=b"x" * 70_000)
        self.assertEqual(big.status_code, 413)
        self.assertEqual(self.http.put("/osmand/?id=123456").status_code, 405)
        self.assertEqual(self.log.fixes, [])

    # --- OwnTracks ---------------------------------------------------------------------

    def post_owntracks(
        self, body: bytes, user: str = "555000111", password: str = ""
    ) -> httpx.Response:
        return self.http.post(
            "/owntracks/",
            content=body,
            auth=(user, password or self.password),
            headers={"Content-Type": "application/json", "X-Limit-U": user, "X-Limit-D": "phone"},
        )

    def test_owntracks_with_the_device_password_is_stored_and_answered_an_empty_list(self) -> None:
        response = self.post_owntracks(LOCATION)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), [])
        (fix,) = self.log.fixes
        self.assertEqual((fix.device_id, fix.battery, fix.accuracy_m), ("555000111", 46, 15))

    def test_owntracks_enter_and_leave_events_are_kept_as_attributes(self) -> None:
        self.post_owntracks(TRANSITION)
        (fix,) = self.log.fixes
        self.assertIn("enter", json.dumps(dict(fix.attributes)))

    def test_an_empty_owntracks_body_is_ignored(self) -> None:
        response = self.post_owntracks(b"")
        self.assertEqual((response.status_code, response.json(), self.log.fixes), (200, [], []))

    def test_a_wrong_password_another_device_or_no_credentials_get_401(self) -> None:
        wrong = self.post_owntracks(LOCATION, password="guess")
        other = self.post_owntracks(LOCATION, user="123456", password=self.password)
        bare = self.http.post("/owntracks/", content=LOCATION)
        for response in (wrong, other, bare):
            self.assertEqual(response.status_code, 401)
            self.assertIn("Basic", response.headers["WWW-Authenticate"])
        self.assertEqual(self.log.fixes, [])

    def test_a_new_password_replaces_the_old_one(self) -> None:
        old = self.password
        self.password = DeviceSecret.make(self.owntracks_phone)
        self.assertEqual(self.post_owntracks(LOCATION, password=old).status_code, 401)
        self.assertEqual(self.post_owntracks(LOCATION).status_code, 200)

    def test_a_broken_owntracks_body_gets_400_and_nothing_is_stored(self) -> None:
        response = self.post_owntracks(b"{not json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.log.fixes, [])
