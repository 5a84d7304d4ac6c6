"""The API answers bad input with a JSON 4xx that says what is wrong, never a 500, and
documents every status code it can answer in its OpenAPI schema."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from carewatch.kids.tracker.models import Place
from carewatch.platform.accounts.models import ApiToken
from tests.kids.tracker.base import TrackerTestCase


class ApiInputTests(TrackerTestCase):
    def setUp(self) -> None:
        super().setUp()
        _token, key = ApiToken.issue(self.alice, "phone")
        self.api = Client(headers={"Authorization": f"Bearer {key}"}, raise_request_exception=False)

    def post_place(self, **changes: Any) -> Any:
        body = {
            "family_id": self.family.pk,
            "name": "Park",
            "lat": 13.1,
            "lon": 80.3,
            "radius_m": 100,
        } | changes
        return self.api.post("/api/kids/places", json.dumps(body), content_type="application/json")

    def assert_json(self, response: Any, status: int) -> dict[str, Any]:
        self.assertEqual(response.status_code, status, response.content[:300])
        self.assertTrue(response["Content-Type"].startswith("application/json"))
        return dict(response.json())

    def test_active_days_are_weekdays_0_to_6_each_once(self) -> None:
        for days in ([7], [-1], [0, 0], list(range(7)) * 100, ["monday"]):
            self.assert_json(self.post_place(active_days=days), 422)
        created = self.assert_json(self.post_place(active_days=[0, 6]), 201)
        self.assertEqual(created["active_days"], [0, 6])
        self.assertEqual(Place.objects.filter(name="Park").count(), 1)

    def test_times_with_a_zone_are_refused_with_422(self) -> None:
        for value in ("08:00:00+05:30", "08:00Z"):
            body = self.assert_json(self.post_place(active_from=value), 422)
            self.assertIn("without a time zone", json.dumps(body))
        self.assert_json(self.post_place(active_from="08:00", active_until="16:00"), 201)

    def test_history_times_at_the_ends_of_the_calendar_are_refused(self) -> None:
        url = f"/api/kids/devices/{self.device.pk}/positions"
        for start, end in [
            ("0001-01-01T00:00:00", "0001-01-02T00:00:00"),
            ("9999-12-30T00:00:00", "9999-12-31T23:59:59"),
            ("0001-01-01T00:00:00-12:00", "2026-01-01T00:00:00Z"),
        ]:
            self.assert_json(self.api.get(url, {"start": start, "end": end}), 422)
        events = self.api.get("/api/kids/events", {"since": "0001-01-01T00:00:00+14:00"})
        self.assert_json(events, 422)

    def test_unknown_addresses_and_methods_answer_in_json(self) -> None:
        self.assert_json(self.api.get("/api/kids/nothing-here"), 404)
        self.assert_json(self.api.get("/api/"), 404)
        self.assert_json(self.api.patch("/api/kids/places"), 405)
        self.assert_json(self.api.get("/api/kids/places/999999"), 404)

    def test_no_credentials_is_401_not_a_csrf_403(self) -> None:
        anonymous = Client(enforce_csrf_checks=True)
        response = anonymous.post("/api/kids/places", "{}", content_type="application/json")
        self.assert_json(response, 401)
        self.assert_json(anonymous.get("/api/kids/children"), 401)

    def test_a_browser_session_still_needs_the_csrf_token_to_change_anything(self) -> None:
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(self.alice)
        response = browser.post("/api/kids/places", "{}", content_type="application/json")
        self.assert_json(response, 403)

    def test_the_schema_documents_every_status_an_operation_can_answer(self) -> None:
        schema = Client().get("/api/openapi.json").json()
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                codes = set(operation["responses"])
                self.assertLessEqual({"401", "422"}, codes, f"{method} {path}")
                if "{" in path:
                    self.assertIn("404", codes, f"{method} {path}")
