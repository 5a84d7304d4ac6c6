"""The JSON API: token auth, and an outsider can never read or change another family's data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.test import Client

from carewatch.kids.tracker.models import Event, Place, Position
from carewatch.platform.accounts.models import ApiToken, User
from tests.kids.tracker.base import TrackerTestCase

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


class ApiTests(TrackerTestCase):
    def setUp(self) -> None:
        super().setUp()
        for minute in range(30):
            Position.objects.create(
                device=self.device,
                fix_time=T0 + timedelta(minutes=minute),
                lat=13.08 + minute / 1000,
                lon=80.27,
                accuracy=10,
                battery=90,
            )
        Event.objects.create(
            device=self.device, family=self.family, child=self.child, kind="sos", time=T0
        )

    def client_for(self, user: User) -> Client:
        _token, key = ApiToken.issue(user, "test phone")
        return Client(headers={"Authorization": f"Bearer {key}"})

    def every_endpoint(self) -> list[tuple[str, str, dict[str, Any] | None]]:
        place_body = {
            "family_id": self.family.pk,
            "name": "Park",
            "lat": 13.1,
            "lon": 80.3,
            "radius_m": 100,
        }
        end = T0 + timedelta(hours=1)
        history = f"/api/kids/devices/{self.device.pk}/positions?start={T0:%Y-%m-%dT%H:%M:%SZ}"
        history += f"&end={end:%Y-%m-%dT%H:%M:%SZ}"
        return [
            ("get", "/api/kids/children", None),
            ("get", "/api/kids/devices", None),
            ("get", history, None),
            ("get", "/api/kids/places", None),
            ("post", "/api/kids/places", place_body),
            ("get", f"/api/kids/places/{self.school.pk}", None),
            ("put", f"/api/kids/places/{self.school.pk}", place_body),
            ("delete", f"/api/kids/places/{self.school.pk}", None),
            ("get", "/api/kids/events", None),
        ]

    def call(self, client: Client, method: str, url: str, body: dict[str, Any] | None) -> Any:
        if body is None:
            return getattr(client, method)(url)
        return getattr(client, method)(url, body, content_type="application/json")

    def test_a_guardian_reads_the_family_with_a_token(self) -> None:
        client = self.client_for(self.bob)
        children = client.get("/api/kids/children").json()
        self.assertEqual([c["name"] for c in children], ["Asha"])
        devices = client.get("/api/kids/devices").json()
        self.assertEqual(devices[0]["identifier"], "860000000000001")
        self.assertEqual(client.get("/api/kids/events").json()[0]["kind"], "sos")

    def test_an_outsider_gets_nothing_from_any_endpoint(self) -> None:
        client = self.client_for(self.charlie)
        for method, url, body in self.every_endpoint():
            response = self.call(client, method, url, body)
            if method == "get" and response.status_code == 200:
                self.assertEqual(response.json(), [], url)  # lists: empty, never others' rows
            else:
                self.assertEqual(response.status_code, 404, f"{method} {url}")
        self.school.refresh_from_db()
        self.assertEqual(self.school.name, "School")
        self.assertFalse(Place.objects.filter(name="Park").exists())

    def test_it_refuses_requests_without_a_valid_token(self) -> None:
        for headers in ({}, {"Authorization": "Bearer nonsense"}):
            response = Client(headers=headers).get("/api/kids/children")
            self.assertEqual(response.status_code, 401)

    def test_a_revoked_token_stops_working(self) -> None:
        token, key = ApiToken.issue(self.alice, "old phone")
        token.delete()
        response = Client(headers={"Authorization": f"Bearer {key}"}).get("/api/kids/children")
        self.assertEqual(response.status_code, 401)

    def test_history_is_paged_in_fix_time_order(self) -> None:
        client = self.client_for(self.alice)
        url = f"/api/kids/devices/{self.device.pk}/positions"
        params = {"start": T0.isoformat(), "end": (T0 + timedelta(hours=1)).isoformat()}
        first = client.get(url, params | {"limit": 10}).json()
        second = client.get(url, params | {"limit": 10, "offset": 10}).json()
        self.assertEqual(len(first), 10)
        self.assertLess(first[-1]["fix_time"], second[0]["fix_time"])

    def test_history_explains_bad_ranges(self) -> None:
        client = self.client_for(self.alice)
        url = f"/api/kids/devices/{self.device.pk}/positions"
        backwards = client.get(
            url, {"start": T0.isoformat(), "end": (T0 - timedelta(hours=1)).isoformat()}
        )
        self.assertEqual(backwards.status_code, 400)
        self.assertIn("end must be after start", backwards.json()["detail"])
        huge = client.get(url, {"start": T0.isoformat(), "end": T0.isoformat(), "limit": 5000})
        self.assertEqual(huge.status_code, 400)

    def test_a_guardian_creates_and_changes_places(self) -> None:
        client = self.client_for(self.alice)
        body = {
            "family_id": self.family.pk,
            "name": "Park",
            "lat": 13.1,
            "lon": 80.3,
            "radius_m": 100,
        }
        created = client.post("/api/kids/places", body, content_type="application/json")
        self.assertEqual(created.status_code, 201)
        bad = client.post(
            "/api/kids/places", body | {"radius_m": 1}, content_type="application/json"
        )
        self.assertEqual(bad.status_code, 422)

    def test_the_openapi_documentation_is_served(self) -> None:
        self.assertEqual(self.client.get("/api/docs").status_code, 200)
        schema = self.client.get("/api/openapi.json").json()
        self.assertIn("/api/kids/places", schema["paths"])
