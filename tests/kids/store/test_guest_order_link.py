"""Guest orders: the "Follow your order" link in the order e-mails opens the order in any
browser (its own signed access), and the order joins an account once that account has
verified the order's e-mail address."""

from __future__ import annotations

import re

from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from carewatch.kids.store.orders.access import follow_path
from carewatch.kids.store.orders.models import Order
from carewatch.platform.accounts.models import User
from tests.base import PASSWORD
from tests.kids.store.base import StoreTestCase
from tests.mailbox import smtp_server

NEW_PASSWORD = "a-long-new-password-42"


class GuestOrderLinkTests(StoreTestCase):
    def buy_as_guest(self, email: str = "priya@example.org") -> tuple[Order, str]:
        """The order and the path of the "Follow your order" link in its confirmation."""
        with smtp_server() as mailbox, self.captureOnCommitCallbacks(execute=True):
            self.add_to_basket(self.junior)
            self.enter_details(email=email)
            self.pay()
        text = mailbox.texts()[0]
        link = re.search(r"Follow your order here: https?://[^/\s]+(/\S+)", text)
        assert link is not None, text
        return Order.objects.get(), link.group(1)

    def test_the_link_in_the_e_mail_opens_the_guest_order_in_another_browser(self) -> None:
        order, path = self.buy_as_guest()
        phone = Client()
        page = phone.get(path, follow=True)
        self.assertContains(page, order.number)
        self.assertContains(page, order.lines.get().pairing_code)
        # The secret leaves the address bar; the browser keeps the access.
        self.assertEqual(page.redirect_chain[-1][0], order.get_absolute_url())
        self.assertEqual(phone.get(order.get_absolute_url()).status_code, 200)

    def test_a_changed_or_borrowed_token_opens_nothing(self) -> None:
        order, path = self.buy_as_guest()
        token = path.rstrip("/").rsplit("/", 1)[1]
        for hostile in [token[:-2] + "xx", "", "a" * 500, "../../admin", token.upper()]:
            with self.subTest(hostile=hostile):
                url = f"/kids/shop/orders/{order.number}/follow/{hostile}/"
                self.assertEqual(Client().get(url).status_code, 404)
        other = Order.objects.create(
            **{
                f.name: getattr(order, f.name)
                for f in Order._meta.concrete_fields
                if f.name not in ("id", "number", "checkout_key")
            },
            number="CW-OTHER1",
            checkout_key="other",
        )
        borrowed = f"/kids/shop/orders/{other.number}/follow/{token}/"
        self.assertEqual(Client().get(borrowed).status_code, 404)

    def test_the_link_of_an_order_with_an_account_asks_to_log_in(self) -> None:
        self.login(self.alice)
        with self.captureOnCommitCallbacks(execute=True):
            self.add_to_basket(self.junior)
            self.enter_details(email=self.alice.email)
            self.pay()
        order = Order.objects.get()
        page = Client().get(follow_path(order))
        self.assertEqual(page.status_code, 302)
        self.assertIn(reverse("account_login"), page["Location"])

    def test_signing_up_elsewhere_attaches_the_order_once_the_e_mail_is_verified(self) -> None:
        order, _path = self.buy_as_guest("newparent@example.org")
        laptop = Client()
        # the confirmation mail is a stored row sent after the commit (platform/notify)
        with smtp_server() as mailbox, self.captureOnCommitCallbacks(execute=True):
            laptop.post(
                reverse("account_signup"),
                {
                    "email": "newparent@example.org",
                    "password1": NEW_PASSWORD,
                    "password2": NEW_PASSWORD,
                },
            )
        order.refresh_from_db()
        self.assertIsNone(order.owner, "not before the address is verified")
        confirm = re.search(r"https?://[^/\s]+(/\S+)", mailbox.texts()[-1])
        assert confirm is not None
        laptop.post(confirm.group(1))
        order.refresh_from_db()
        self.assertEqual(order.owner, User.objects.get(email="newparent@example.org"))
        self.assertContains(laptop.get("/kids/shop/orders/"), order.number)

    def test_logging_in_elsewhere_with_a_verified_address_attaches_the_order(self) -> None:
        order, _path = self.buy_as_guest(self.alice.email.upper())
        laptop = Client()
        laptop.post(reverse("account_login"), {"login": self.alice.email, "password": PASSWORD})
        order.refresh_from_db()
        self.assertEqual(order.owner, self.alice)

    def test_an_unverified_address_never_takes_a_guest_order(self) -> None:
        order, _path = self.buy_as_guest(self.charlie.email)
        EmailAddress.objects.filter(user=self.charlie).update(verified=False)
        laptop = Client()
        laptop.force_login(self.charlie)  # fires user_logged_in like a real login
        order.refresh_from_db()
        self.assertIsNone(order.owner)
