"""Pairing a watch: the device number plus the code from the order, nothing else."""

from __future__ import annotations

from django.http import HttpResponseBase
from django.urls import reverse

from carewatch.kids.tracker.models import Device
from tests.kids.tracker.base import TrackerTestCase

MISMATCH = "That device number and pairing code do not match. Check both on your order."


class PairingTests(TrackerTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.unpaired = Device.objects.create(identifier="860000000000099")
        self.unpaired.set_pairing_code("K7Q-4ZP")
        self.unpaired.save()
        self.url = reverse("tracker:pair", args=[self.family.pk])

    def pair(self, identifier: str, code: str) -> HttpResponseBase:
        data = {"identifier": identifier, "code": code, "child": self.child.pk}
        return self.client.post(self.url, data)

    def test_it_pairs_a_watch_with_the_right_code(self) -> None:
        self.login(self.bob)
        response = self.pair("860000000000099", "k7q-4zp")
        # Bob has only the inbox: he is asked to add a second channel (test_sos_reach.py).
        self.assertRedirects(response, reverse("tracker:reach", args=[self.family.pk]))
        self.unpaired.refresh_from_db()
        self.assertEqual((self.unpaired.family, self.unpaired.child), (self.family, self.child))

    def test_it_gives_the_same_answer_for_a_wrong_code_and_an_unknown_device(self) -> None:
        self.login(self.alice)
        wrong_code = self.pair("860000000000099", "WRONG")
        unknown = self.pair("999999999999999", "K7Q-4ZP")
        for response in (wrong_code, unknown):
            self.assertContains(response, MISMATCH, status_code=400)
        self.unpaired.refresh_from_db()
        self.assertIsNone(self.unpaired.family)

    def test_it_refuses_a_watch_already_paired_with_another_family(self) -> None:
        self.device.set_pairing_code("ABC")
        self.device.save()
        self.login(self.charlie)
        url = reverse("tracker:pair", args=[self.charlies_family.pk])
        response = self.client.post(url, {"identifier": self.device.identifier, "code": "ABC"})
        self.assertEqual(response.status_code, 400)
        self.device.refresh_from_db()
        self.assertEqual(self.device.family, self.family)

    def test_it_slows_down_repeated_wrong_codes(self) -> None:
        self.login(self.alice)
        for _ in range(5):
            self.pair("860000000000099", "WRONG")
        response = self.pair("860000000000099", "K7Q-4ZP")  # even the right code waits now
        self.assertContains(response, "Too many wrong codes. Wait 15 minutes", status_code=400)
        self.unpaired.refresh_from_db()
        self.assertIsNone(self.unpaired.family)

    def test_it_never_stores_the_code_itself(self) -> None:
        self.assertNotIn("K7Q", self.unpaired.pairing_code_hash)
        self.assertEqual(len(self.unpaired.pairing_code_hash), 64)
