from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.test import override_settings
from django.utils import timezone
from django.utils.translation import gettext_lazy
from huey.contrib.djhuey import HUEY

from carewatch.platform.notify import inbox, sending, tasks
from carewatch.platform.notify.models import Attempt, Notification, Status
from carewatch.platform.notify.transports.base import TransportError
from carewatch.platform.notify.transports.webhook import WebhookTransport
from tests.notify.helpers import NotifyTestCase

HOOK = {"url": "https://hooks.example.org/carewatch", "secret": "s3cret"}


class SendingTests(NotifyTestCase):
    def test_it_writes_the_row_before_the_transport_sends(self) -> None:
        channel = self.channel("webhook", HOOK)
        seen: dict[str, object] = {}

        def observe(transport: WebhookTransport, notification: Notification) -> None:
            row = Notification.objects.get(pk=notification.pk)
            seen["status"] = row.status
            seen["attempts"] = list(row.attempts.values_list("number", "finished"))

        with mock.patch.object(WebhookTransport, "notify", observe):
            row = self.send_now(channel)
        self.assertEqual(seen, {"status": "sending", "attempts": [(1, None)]})
        self.assertEqual(row.status, Status.SENT)

    def test_it_sends_nothing_until_the_transaction_commits(self) -> None:
        channel = self.channel("webhook", HOOK)
        with mock.patch.object(WebhookTransport, "notify") as transport_notify:
            with self.captureOnCommitCallbacks(execute=False) as callbacks:
                sending.send(self.alice, "SOS", "Aarav pressed SOS.", kinds=["webhook"])
            transport_notify.assert_not_called()
            for callback in callbacks:
                callback()
        transport_notify.assert_called_once()
        self.assertEqual(channel.notifications.get().status, Status.SENT)

    def test_it_records_every_attempt_and_its_result(self) -> None:
        channel = self.channel("webhook", HOOK)
        errors = [TransportError("The server answered HTTP 503."), None]
        with mock.patch.object(WebhookTransport, "notify", side_effect=errors):
            row = self.send_now(channel)
            tasks.deliver.call_local(row.pk)
        attempts = list(row.attempts.values_list("number", "ok", "error", "permanent"))
        self.assertEqual(
            attempts, [(1, False, "The server answered HTTP 503.", False), (2, True, "", False)]
        )
        self.assertTrue(all(a.finished for a in Attempt.objects.filter(notification=row)))
        row.refresh_from_db()
        self.assertEqual(row.status, Status.SENT)
        channel.refresh_from_db()
        self.assertIsNotNone(channel.last_notified)

    def test_it_sends_to_every_enabled_channel_or_only_the_kinds_asked_for(self) -> None:
        self.channel("webhook", HOOK)
        self.channel("email", {"email": "alice@example.org"}, disabled=True)
        with (
            mock.patch.object(WebhookTransport, "notify"),
            self.captureOnCommitCallbacks(execute=True),
        ):
            everywhere = sending.send(self.alice, "Low battery", "Aarav's watch is at 10%.")
            inbox_only = sending.send(self.alice, "Low battery", "Again.", kinds=["inbox"])
        self.assertEqual(sorted(n.channel.kind for n in everywhere), ["inbox", "webhook"])
        self.assertEqual([n.channel.kind for n in inbox_only], ["inbox"])

    def test_it_writes_lazy_text_in_the_owners_language(self) -> None:
        self.alice.language = "hi"
        self.alice.save()
        with self.captureOnCommitCallbacks(execute=True):
            [row] = sending.send(
                self.alice, gettext_lazy("January"), gettext_lazy("Yes"), kinds=["inbox"]
            )
        self.assertEqual((row.subject, row.text), ("जनवरी", "हाँ"))

    def test_it_keeps_the_row_pending_when_the_queue_is_down_and_requeues_it_later(self) -> None:
        channel = self.channel("webhook", HOOK)
        with mock.patch.object(tasks, "deliver", side_effect=ConnectionError("redis down")):
            row = self.send_now(channel)
        self.assertEqual(row.status, Status.PENDING)
        Notification.objects.filter(pk=row.pk).update(next_try=row.created - sending.STUCK_AFTER)
        with mock.patch.object(WebhookTransport, "notify"):
            tasks.requeue_stuck.call_local()
        row.refresh_from_db()
        self.assertEqual(row.status, Status.SENT)

    def test_it_requeues_a_retry_that_the_queue_lost(self) -> None:
        channel = self.channel("webhook", HOOK)
        with mock.patch.object(WebhookTransport, "notify", side_effect=TransportError("HTTP 503")):
            row = self.send_now(channel)
        HUEY.flush()  # the scheduled retry is gone
        tasks.requeue_stuck.call_local()
        self.assertEqual(row.attempts.count(), 1, "not overdue yet")
        long_ago = row.created - sending.STUCK_AFTER - timedelta(hours=2)
        Notification.objects.filter(pk=row.pk).update(next_try=long_ago)
        with mock.patch.object(WebhookTransport, "notify"):
            tasks.requeue_stuck.call_local()
        row.refresh_from_db()
        self.assertEqual((row.status, row.attempts.count()), (Status.SENT, 2))

    def test_it_sends_once_more_after_a_sender_died_mid_send_and_its_claim_lapsed(self) -> None:
        channel = self.channel("webhook", HOOK)
        with self.captureOnCommitCallbacks(execute=False):
            [row] = sending.send_to([channel], "SOS", "Aarav pressed SOS.")
        self.assertIsNotNone(sending.claim(row))  # ...and the process dies here
        with mock.patch.object(WebhookTransport, "notify") as transport_notify:
            tasks.requeue_stuck.call_local()
            transport_notify.assert_not_called()  # the claim is still live
            lapsed = timezone.now() - sending.LEASE - sending.STUCK_AFTER
            Notification.objects.filter(pk=row.pk).update(next_try=lapsed)
            tasks.requeue_stuck.call_local()
            tasks.requeue_stuck.call_local()
        transport_notify.assert_called_once()
        row.refresh_from_db()
        self.assertEqual((row.status, row.attempts.count()), (Status.SENT, 2))

    def test_a_second_sender_cannot_claim_a_row_being_sent(self) -> None:
        with self.captureOnCommitCallbacks(execute=False):
            [row] = sending.send_to([self.channel("webhook", HOOK)], "SOS", "text")
        self.assertIsNotNone(sending.claim(row))
        self.assertIsNone(sending.claim(row))

    def test_it_tells_a_deactivated_user_nothing(self) -> None:
        self.alice.is_active = False
        self.alice.save()
        self.assertEqual(sending.send(self.alice, "SOS", "Aarav pressed SOS."), [])
        self.assertFalse(Notification.objects.exists())

    def test_it_does_not_send_a_notification_twice(self) -> None:
        channel = self.channel("webhook", HOOK)
        with mock.patch.object(WebhookTransport, "notify") as transport_notify:
            row = self.send_now(channel)
            tasks.deliver.call_local(row.pk)
        self.assertEqual(transport_notify.call_count, 1)

    def test_it_records_a_crashing_transport_as_a_temporary_error(self) -> None:
        channel = self.channel("webhook", HOOK)
        with (
            mock.patch.object(WebhookTransport, "notify", side_effect=KeyError("url")),
            self.assertLogs("carewatch.platform.notify.sending", "ERROR"),
        ):
            row = self.send_now(channel)
        self.assertEqual(row.status, Status.RETRYING)
        self.assertIn("Internal error", row.attempts.get().error)


@override_settings(NOTIFY_MAX_ATTEMPTS=3, NOTIFY_RETRY_DELAY=30, NOTIFY_RETRY_MAX_DELAY=3600)
class RetryTests(NotifyTestCase):
    def test_it_retries_a_temporary_error_later_and_later(self) -> None:
        channel = self.channel("webhook", HOOK)
        with mock.patch.object(WebhookTransport, "notify", side_effect=TransportError("HTTP 503")):
            row = self.send_now(channel)
            [(args, first_delay)] = self.scheduled()
            self.assertEqual(args, (row.pk,))
            self.assertAlmostEqual(first_delay, 30, delta=2)
            row.refresh_from_db()
            self.assertEqual(row.status, Status.RETRYING)

            tasks.deliver.call_local(row.pk)
            second_delay = max(delay for _, delay in self.scheduled())
            self.assertAlmostEqual(second_delay, 60, delta=2)

            tasks.deliver.call_local(row.pk)
        row.refresh_from_db()
        self.assertEqual(row.status, Status.FAILED)
        self.assertIn("Gave up after 3 attempts", row.error)
        self.assertEqual(row.attempts.count(), 3)
        channel.refresh_from_db()
        self.assertFalse(channel.disabled, "a temporary error never disables the channel")

    def test_it_caps_the_backoff(self) -> None:
        self.assertEqual([sending.retry_delay(n) for n in (1, 2, 3, 8)], [30, 60, 120, 3600])


class PermanentErrorTests(NotifyTestCase):
    def test_it_disables_the_channel_and_tells_its_owner_in_the_inbox(self) -> None:
        channel = self.channel("webhook", HOOK, name="Home server")
        error = TransportError("The server answered HTTP 404.", permanent=True)
        with mock.patch.object(WebhookTransport, "notify", side_effect=error):
            row = self.send_now(channel)
        self.assertEqual(row.status, Status.FAILED)
        self.assertEqual(self.scheduled(), [], "a permanent error is not retried")
        channel.refresh_from_db()
        self.assertTrue(channel.disabled)
        self.assertEqual(channel.disabled_reason, "The server answered HTTP 404.")
        [told] = inbox.messages(self.alice)
        self.assertIn("Home server", told.subject)
        self.assertIn("HTTP 404", told.text)
        self.assertEqual(told.url, f"/notifications/channels/{channel.pk}/")
        self.assertEqual(inbox.unread_count(self.alice), 1)

    def test_it_tells_the_owner_in_their_language(self) -> None:
        self.alice.language = "ta"
        self.alice.save()
        channel = self.channel("webhook", HOOK, name="Home server")
        gone = TransportError("gone", permanent=True)
        override = mock.patch.object(
            sending.translation, "override", wraps=sending.translation.override
        )
        with mock.patch.object(WebhookTransport, "notify", side_effect=gone), override as spy:
            self.send_now(channel)
        self.assertIn(mock.call("ta"), spy.call_args_list)

    def test_it_does_not_send_through_a_channel_disabled_meanwhile(self) -> None:
        channel = self.channel("webhook", HOOK)
        with mock.patch.object(tasks, "deliver"):
            row = self.send_now(channel)
        channel.disable("Turned off by you.")
        with mock.patch.object(WebhookTransport, "notify") as transport_notify:
            tasks.deliver.call_local(row.pk)
        transport_notify.assert_not_called()
        row.refresh_from_db()
        self.assertEqual(row.status, Status.FAILED)
