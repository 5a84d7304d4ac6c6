"""A device's page: the SMS commands for a watch, the settings and QR code for the phone
apps, and watch commands queued from the page and the API with their status."""

from __future__ import annotations

import base64
import json
import re
from datetime import timedelta
from urllib.parse import parse_qs, unquote, urlsplit

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from carewatch.kids.gateways import downlink
from carewatch.kids.gateways.models import Command, CommandStatus, DeviceSecret
from carewatch.kids.tracker.models import Device, Protocol
from carewatch.platform.accounts.models import ApiToken
from carewatch.platform.notify.models import Channel
from tests.kids.tracker.base import TrackerTestCase


class DevicePageTests(TrackerTestCase):
    def page(self, device: Device) -> str:
        url = reverse("devices:device", args=[self.family.pk, device.pk])
        return self.client.get(url).content.decode()

    def test_a_watch_page_shows_the_sms_with_our_address_port_and_interval(self) -> None:
        self.login(self.alice)
        html = self.page(self.device)
        self.assertIn("pw,123456,ip,127.0.0.1,5093#", html)
        self.assertIn("pw,123456,upload,300#", html)

    def test_another_family_cannot_see_a_device_page(self) -> None:
        self.login(self.charlie)
        url = reverse("devices:device", args=[self.family.pk, self.device.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        url = reverse("devices:device", args=[self.charlies_family.pk, self.device.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_traccar_client_phone_is_added_with_a_long_identifier_and_its_settings(self) -> None:
        self.login(self.bob)
        url = reverse("devices:add_phone", args=[self.family.pk])
        response = self.client.post(url, {"protocol": "osmand", "child": self.child.pk})
        phone = Device.objects.get(protocol=Protocol.OSMAND)
        self.assertRedirects(response, reverse("devices:device", args=[self.family.pk, phone.pk]))
        self.assertEqual(
            (phone.family, phone.child, len(phone.identifier)), (self.family, self.child, 15)
        )
        html = self.page(phone)
        self.assertIn(phone.identifier, html)
        self.assertIn("http://127.0.0.1:8000/osmand/", html)

    def test_an_owntracks_phone_gets_a_password_shown_once_with_its_qr_code(self) -> None:
        self.login(self.alice)
        url = reverse("devices:add_phone", args=[self.family.pk])
        response = self.client.post(url, {"protocol": "owntracks", "child": self.child.pk})
        html = response.content.decode()
        phone = Device.objects.get(protocol=Protocol.OWNTRACKS)
        self.assertIn("no-store", response["Cache-Control"])
        self.assertIn("<svg", html)
        link = re.search(r'href="(owntracks:///config\?inline=[^"]+)"', html)
        assert link is not None
        inline = parse_qs(urlsplit(unquote(link.group(1).replace("&amp;", "&"))).query)["inline"][0]
        config = json.loads(base64.b64decode(inline))
        self.assertEqual(config["username"], phone.identifier)
        self.assertEqual(config["url"], "http://127.0.0.1:8000/owntracks/")
        self.assertTrue(phone.secret.matches(config["password"]))  # only the hash is kept
        self.assertNotIn(config["password"], phone.secret.secret_hash)
        self.assertNotIn(config["password"], self.page(phone))  # shown once

    def test_a_new_password_is_made_only_by_the_family(self) -> None:
        phone = Device.objects.create(
            identifier="555", protocol=Protocol.OWNTRACKS, family=self.family, child=self.child
        )
        first = DeviceSecret.make(phone)
        url = reverse("devices:new_secret", args=[self.family.pk, phone.pk])
        self.login(self.charlie)
        self.assertEqual(self.client.post(url).status_code, 404)
        self.assertTrue(DeviceSecret.objects.get(device=phone).matches(first))
        self.login(self.bob)
        self.assertEqual(self.client.post(url).status_code, 200)
        self.assertFalse(DeviceSecret.objects.get(device=phone).matches(first))

    def test_the_pairing_page_already_shows_the_sms_for_the_watch(self) -> None:
        self.login(self.alice)
        response = self.client.get(reverse("tracker:pair", args=[self.family.pk]))
        self.assertContains(response, "pw,123456,ip,127.0.0.1,5093#")
        self.assertContains(response, "pw,123456,upload,300#")
        self.assertContains(response, reverse("devices:add_phone", args=[self.family.pk]))

    @override_settings(SITE_URL="https://care.example.org")
    def test_pairing_a_watch_leads_to_its_setup_page(self) -> None:
        watch = Device.objects.create(identifier="4700186508")
        watch.set_pairing_code("K7Q-4ZP")
        watch.save()
        # with a second channel (without one, pairing first asks for it: test_sos_reach.py)
        Channel.objects.create(
            owner=self.alice, kind="email", value={"email": self.alice.email}, verified=True
        )
        self.login(self.alice)
        response = self.client.post(
            reverse("tracker:pair", args=[self.family.pk]),
            {"identifier": "4700186508", "code": "K7Q-4ZP", "child": self.child.pk},
            follow=True,
        )
        self.assertContains(response, "pw,123456,ip,")


class CommandTests(TrackerTestCase):
    def queue(self, **data: object) -> object:
        url = reverse("devices:queue_command", args=[self.family.pk, self.device.pk])
        return self.client.post(url, data)

    def test_a_parent_queues_a_reporting_interval_from_the_page(self) -> None:
        self.login(self.bob)
        response = self.queue(kind="interval", seconds=120)
        self.assertRedirects(
            response, reverse("devices:device", args=[self.family.pk, self.device.pk])
        )
        command = Command.objects.get()
        self.assertEqual(
            (command.text, command.status, command.created_by), ("UPLOAD,120", "queued", self.bob)
        )
        page = self.client.get(reverse("devices:device", args=[self.family.pk, self.device.pk]))
        self.assertContains(page, "Waiting for the watch to connect")

    def test_bad_parameters_are_refused_with_the_reason(self) -> None:
        self.login(self.alice)
        response = self.queue(kind="sos_number", slot=1, phone="call mum")
        self.assertContains(response, "digits", status_code=400)
        response = self.queue(kind="silence", periods="08:00-99:00")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Command.objects.exists())

    def test_an_outsider_cannot_queue_a_command(self) -> None:
        self.login(self.charlie)
        self.assertEqual(self.queue(kind="power_off").status_code, 404)
        self.assertFalse(Command.objects.exists())

    def test_a_phone_takes_no_commands(self) -> None:
        self.device.protocol = Protocol.OSMAND
        self.device.save()
        self.login(self.alice)
        self.assertEqual(self.queue(kind="locate").status_code, 400)
        self.assertFalse(Command.objects.exists())

    def test_a_command_for_an_offline_watch_expires_with_a_clear_status(self) -> None:
        command = downlink.queue_command(self.device, "find", {})
        Command.objects.filter(pk=command.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
        command.refresh_from_db()
        self.assertEqual(command.shown_status, "expired")  # even before a gateway looks
        self.assertEqual(downlink.expire_commands(), 1)
        self.assertEqual(Command.objects.get().status, CommandStatus.EXPIRED)
        self.login(self.alice)
        page = self.client.get(reverse("devices:device", args=[self.family.pk, self.device.pk]))
        self.assertContains(page, "Expired: the watch did not connect in time")

    def test_the_gateway_claims_queued_commands_once_and_records_the_answer(self) -> None:
        first = downlink.queue_command(self.device, "locate", {})
        second = downlink.queue_command(self.device, "interval", {"seconds": 60})
        self.assertEqual(
            downlink.devices_with_queued([self.device.identifier, "x"]), [self.device.identifier]
        )
        claimed = downlink.claim_pending(self.device.identifier)
        self.assertEqual(
            [(c.id, c.text) for c in claimed], [(first.pk, "CR"), (second.pk, "UPLOAD,60")]
        )
        self.assertEqual(downlink.claim_pending(self.device.identifier), [])
        downlink.record_answer(second.pk, "UPLOAD")
        second.refresh_from_db()
        self.assertEqual((second.status, second.answer), ("answered", "UPLOAD"))
        self.assertIsNotNone(second.answered_at)
        downlink.requeue(first.pk)
        self.assertEqual(Command.objects.get(pk=first.pk).status, "queued")

    def test_a_flood_of_commands_is_capped(self) -> None:
        for _ in range(downlink.MAX_QUEUED_PER_DEVICE):
            downlink.queue_command(self.device, "find", {})
        with self.assertRaises(downlink.CommandRefused):
            downlink.queue_command(self.device, "find", {})


class CommandApiTests(TrackerTestCase):
    def setUp(self) -> None:
        super().setUp()
        _token, key = ApiToken.issue(self.alice, "tests")
        self.headers = {"Authorization": f"Bearer {key}"}

    def url(self, device: Device | None = None) -> str:
        return f"/api/kids/devices/{(device or self.device).pk}/commands"

    def test_an_app_queues_a_command_and_reads_its_status(self) -> None:
        response = self.client.post(
            self.url(),
            {"kind": "language", "language": 0, "timezone": 5.5},
            content_type="application/json",
            headers=self.headers,
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(
            (response.json()["text"], response.json()["status"]), ("LZ,0,5.5", "queued")
        )
        listed = self.client.get(self.url(), headers=self.headers).json()
        self.assertEqual([c["text"] for c in listed], ["LZ,0,5.5"])

    def test_bad_parameters_get_400_with_the_reason(self) -> None:
        response = self.client.post(
            self.url(),
            {"kind": "interval", "seconds": 1},
            content_type="application/json",
            headers=self.headers,
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("interval", response.json()["detail"])

    def test_another_family_s_device_is_404(self) -> None:
        theirs = Device.objects.create(identifier="999", family=self.charlies_family)
        response = self.client.post(
            self.url(theirs),
            {"kind": "locate"},
            content_type="application/json",
            headers=self.headers,
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.client.get(self.url(theirs), headers=self.headers).status_code, 404)
