"""New-product e-mails: opt-in never pre-ticked, double opt-in, one e-mail per subscriber
and product in their language even when the task runs twice, RFC 8058 one-click
unsubscribe, and tokens nobody can forge to unsubscribe someone else."""

from __future__ import annotations

import re
import time
from typing import Any
from unittest import mock

from django.core import mail, signing
from django.test import Client

from carewatch.kids.store.catalogue.models import Product
from carewatch.kids.store.catalogue.signals import do_publish
from carewatch.kids.store.mailing import subscriptions, tasks
from carewatch.kids.store.mailing.models import ProductMail, Subscriber, SubscriberStatus
from carewatch.platform.notify.models import Notification
from tests.kids.store.base import StoreTestCase


def subscriber(email: str, status: str = "confirmed", language: str = "en") -> Subscriber:
    return Subscriber.objects.create(email=email, status=status, language=language)


def link_in(message: Any, path: str) -> str:
    found = re.search(rf"https?://[^/\s]+({re.escape(path)}[^\s>]+)", message.body)
    assert found is not None, message.body
    return found.group(1)


class NewProductEmailTests(StoreTestCase):
    def new_product(self) -> Product:
        product = Product.objects.get(pk=self.strap.pk)
        product.pk, product.slug, product.name = None, "glow-strap", "Glow Strap"
        product.is_active = False
        product.save()
        return product

    def publish(self, product: Product) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            do_publish(product)

    def test_the_checkout_box_is_not_ticked_and_ticking_it_asks_for_a_confirmation(self) -> None:
        self.add_to_basket(self.junior)
        page = self.client.get("/kids/shop/checkout/")
        box = re.search(r"<input[^>]*name=\"news\"[^>]*>", page.content.decode())
        assert box is not None
        self.assertNotIn("checked", box.group(0))
        with self.captureOnCommitCallbacks(execute=True):
            self.enter_details(news="on")
            self.pay()
        waiting = Subscriber.objects.get()
        self.assertEqual((waiting.email, waiting.status), ("priya@example.org", "pending"))
        row = Notification.objects.get(event="store.news_confirm")
        self.assertEqual((row.status, row.text), ("sent", ""))  # the link is never stored
        [confirmation] = [m for m in mail.outbox if "Confirm" in m.subject]
        self.assertIn("/kids/shop/news/confirm/", confirmation.body)
        mail.outbox.clear()
        self.publish(self.new_product())
        self.assertEqual(mail.outbox, [])  # nothing before the address is confirmed

    def test_a_buyer_who_leaves_the_box_alone_is_not_subscribed(self) -> None:
        self.add_to_basket(self.junior)
        self.enter_details()
        self.pay()
        self.assertFalse(Subscriber.objects.exists())

    def test_the_confirmation_link_shows_a_button_and_only_its_post_confirms(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            subscriptions.do_subscribe("meera@example.org", language="en")
        path = link_in(mail.outbox[0], "/kids/shop/news/confirm/")
        outsider = Client(enforce_csrf_checks=False)
        page = outsider.get(path)
        self.assertContains(page, "Yes, send me new-product e-mails")
        self.assertEqual(Subscriber.objects.get().status, "pending")
        self.assertContains(outsider.post(path), "You are subscribed")
        self.assertEqual(Subscriber.objects.get().status, "confirmed")

    def test_a_forged_or_expired_confirmation_link_confirms_nothing(self) -> None:
        meera = subscriber("meera@example.org", status="pending")
        forged = subscriptions.make_token(meera, subscriptions.UNSUBSCRIBE_SALT)
        old = signing.TimestampSigner(salt=subscriptions.CONFIRM_SALT)
        with mock.patch("time.time", return_value=time.time() - 8 * 24 * 3600):
            expired = signing.dumps({"s": meera.pk, "e": meera.email}, salt=old.salt)
        for token in (forged, expired, "nonsense"):
            response = self.client.post(f"/kids/shop/news/confirm/{token}/")
            self.assertContains(response, "This link is not valid", status_code=400)
        self.assertEqual(Subscriber.objects.get().status, "pending")

    def test_asking_again_and_again_sends_one_confirmation_an_hour(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            for _ in range(5):
                subscriptions.do_subscribe("victim@example.org")
        self.assertEqual(len(mail.outbox), 1)

    def test_publishing_mails_each_confirmed_subscriber_once_in_their_language(self) -> None:
        subscriber("asha@example.org")
        subscriber("kavin@example.org", language="ta")
        subscriber("pending@example.org", status="pending")
        subscriber("gone@example.org", status="unsubscribed")
        product = self.new_product()
        self.publish(product)
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), ["asha@example.org", "kavin@example.org"]
        )
        html = {m.to[0]: str(getattr(m, "alternatives", [("", "")])[0][0]) for m in mail.outbox}
        self.assertIn('<html lang="ta">', html["kavin@example.org"])
        self.assertIn('<html lang="en">', html["asha@example.org"])
        self.assertEqual(Notification.objects.filter(event="store.new_product").count(), 2)
        self.assertTrue(Product.objects.get(pk=product.pk).is_active)

    def test_an_account_holder_gets_it_in_the_accounts_language_of_today(self) -> None:
        Subscriber.objects.create(email="alice@example.org", user=self.alice, status="confirmed")
        type(self.alice).objects.filter(pk=self.alice.pk).update(language="hi")
        self.publish(self.new_product())
        [message] = mail.outbox
        self.assertIn('<html lang="hi">', str(getattr(message, "alternatives", [("", "")])[0][0]))

    def test_the_task_running_twice_mails_each_recipient_once(self) -> None:
        people = [subscriber(f"p{n}@example.org") for n in range(5)]
        product = self.new_product()
        self.publish(product)
        with self.captureOnCommitCallbacks(execute=True):
            tasks.announce(product.pk)
            tasks.send_batch(product.pk, [p.pk for p in people])
            do_publish(product)
        self.assertEqual(len(mail.outbox), 5)
        self.assertEqual(ProductMail.objects.count(), 5)
        self.assertEqual(Notification.objects.filter(event="store.new_product").count(), 5)

    def test_the_mail_has_the_one_click_unsubscribe_headers(self) -> None:
        subscriber("asha@example.org")
        self.publish(self.new_product())
        [message] = mail.outbox
        headers = message.message()
        unsubscribe = str(headers["List-Unsubscribe"])
        self.assertRegex(
            unsubscribe,
            r"^<https?://[^>]+/kids/shop/news/unsubscribe/[^>]+/>, "
            r"<mailto:[^>]+\?subject=unsubscribe%20[^>]+>$",
        )
        self.assertEqual(headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        self.assertIn("/kids/shop/news/unsubscribe/", message.body)
        row = Notification.objects.get(event="store.new_product")
        self.assertEqual(row.headers, {})  # made when sending: no token waits in the row

    def test_one_click_unsubscribes_without_a_login_or_a_csrf_token(self) -> None:
        asha = subscriber("asha@example.org")
        self.publish(self.new_product())
        path = re.search(
            r"<https?://[^/>]+([^>]+)>", str(mail.outbox[0].message()["List-Unsubscribe"])
        )
        assert path is not None
        mail_client = Client(enforce_csrf_checks=True)
        page = mail_client.get(path.group(1))
        self.assertContains(page, "Stop sending e-mails about new products to asha@example.org")
        self.assertIn("no-store", page["Cache-Control"])
        self.assertEqual(Subscriber.objects.get(pk=asha.pk).status, "confirmed")
        response = mail_client.post(
            path.group(1),
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        self.assertContains(response, "You are unsubscribed")
        self.assertEqual(Subscriber.objects.get(pk=asha.pk).status, SubscriberStatus.UNSUBSCRIBED)
        mail.outbox.clear()
        product = Product.objects.create(
            slug="new-charger",
            name="Charger 2",
            category=self.strap.category,
            summary="s",
            price=299,
            is_active=False,
        )
        self.publish(product)
        self.assertEqual(mail.outbox, [])

    def test_unsubscribe_tokens_cannot_be_forged_or_borrowed(self) -> None:
        asha = subscriber("asha@example.org")
        ravi = subscriber("ravi@example.org")
        genuine = subscriptions.make_token(asha, subscriptions.UNSUBSCRIBE_SALT)
        forged = [
            genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB"),  # changed signature
            signing.dumps({"s": ravi.pk, "e": ravi.email}, salt="somebody-guessed", compress=True),
            signing.dumps(
                {"s": ravi.pk, "e": ravi.email},
                key="not-our-secret-key-at-all",
                salt=subscriptions.UNSUBSCRIBE_SALT,
                compress=True,
            ),
            subscriptions.make_token(ravi, subscriptions.CONFIRM_SALT),  # another purpose
            "1",
            genuine.replace(":", "", 1),
        ]
        client = Client(enforce_csrf_checks=True)
        for token in forged:
            with self.subTest(token=token):
                response = client.post(f"/kids/shop/news/unsubscribe/{token}/")
                self.assertContains(response, "This link is not valid", status_code=400)
        self.assertEqual(Subscriber.objects.get(pk=ravi.pk).status, "confirmed")
        # A subscriber whose address changed since the token was made: the token is dead.
        Subscriber.objects.filter(pk=asha.pk).update(email="asha.new@example.org")
        self.assertEqual(client.post(f"/kids/shop/news/unsubscribe/{genuine}/").status_code, 400)

    def test_the_profile_checkbox_subscribes_with_a_confirmation_and_unsubscribes(self) -> None:
        self.login(self.alice)
        home = self.client.get("/home/")
        box = re.search(r"<input[^>]*name=\"news\"[^>]*>", home.content.decode())
        assert box is not None
        self.assertNotIn("checked", box.group(0))
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post("/kids/shop/news/preference/", {"news": "on"}, follow=True)
        self.assertContains(response, "We sent a link to alice@example.org")
        self.assertEqual(Subscriber.objects.get().status, "pending")
        self.assertEqual(mail.outbox[0].to, ["alice@example.org"])
        self.client.post("/kids/shop/news/preference/", {})
        self.assertEqual(Subscriber.objects.get().status, "unsubscribed")

    def test_an_anonymous_visitor_cannot_change_anyones_choice(self) -> None:
        response = self.client.post("/kids/shop/news/preference/", {"news": "on"})
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])
        self.assertFalse(Subscriber.objects.exists())
