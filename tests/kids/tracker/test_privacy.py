"""A family exports all its data as JSON, and deleting it leaves nothing behind."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from django.urls import reverse

from carewatch.kids.tracker.models import Child, Device, Event, Place, Position
from carewatch.platform.accounts.models import Family
from tests.kids.tracker.base import TrackerTestCase

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


class PrivacyTests(TrackerTestCase):
    def setUp(self) -> None:
        super().setUp()
        Position.objects.create(device=self.device, fix_time=T0, lat=13.08, lon=80.27)
        Event.objects.create(device=self.device, family=self.family, kind="sos", time=T0)

    def test_a_guardian_downloads_everything_as_json(self) -> None:
        self.login(self.bob)
        response = self.client.get(reverse("tracker:export", args=[self.family.pk]))
        self.assertIn("attachment", response["Content-Disposition"])
        data = json.loads(response.content)
        self.assertEqual([c["name"] for c in data["children"]], ["Asha"])
        self.assertEqual(len(data["positions"]), 1)
        self.assertEqual(data["events"][0]["kind"], "sos")
        self.assertEqual(
            {g["email"] for g in data["guardians"]}, {"alice@example.org", "bob@example.org"}
        )

    def test_an_outsider_cannot_export_or_delete(self) -> None:
        self.login(self.charlie)
        self.assertEqual(
            self.client.get(reverse("tracker:export", args=[self.family.pk])).status_code, 404
        )
        url = reverse("accounts:delete_family", args=[self.family.pk])
        self.assertEqual(self.client.post(url, {"name": "The Sharma family"}).status_code, 404)
        self.assertTrue(Family.objects.filter(pk=self.family.pk).exists())

    def test_only_the_owner_deletes_and_must_type_the_name(self) -> None:
        url = reverse("accounts:delete_family", args=[self.family.pk])
        self.login(self.bob)
        self.client.post(url, {"name": "The Sharma family"})
        self.assertTrue(Family.objects.filter(pk=self.family.pk).exists())
        self.login(self.alice)
        response = self.client.post(url, {"name": "the sharma"}, follow=True)
        self.assertContains(response, "Type the family’s name exactly as shown to confirm.")
        self.assertTrue(Family.objects.filter(pk=self.family.pk).exists())

    def test_deleting_the_family_erases_its_history_and_unpairs_its_watches(self) -> None:
        self.login(self.alice)
        url = reverse("accounts:delete_family", args=[self.family.pk])
        response = self.client.post(url, {"name": "The Sharma family"})
        self.assertRedirects(response, reverse("accounts:home"))
        self.assertFalse(Family.objects.filter(pk=self.family.pk).exists())
        self.assertFalse(Child.objects.filter(pk=self.child.pk).exists())
        self.assertFalse(Place.objects.filter(family_id=self.family.pk).exists())
        self.assertFalse(Position.objects.exists())
        self.assertFalse(Event.objects.exists())
        device = Device.objects.get(pk=self.device.pk)
        self.assertEqual((device.family, device.lat, device.state), (None, None, {}))
