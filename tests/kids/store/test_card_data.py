"""After a checkout the full card number and the CVC are nowhere: not in any table, not in
the session, not in the logs; with the test gateway and with Stripe (localstripe)."""

from __future__ import annotations

import logging
import re
from unittest import mock

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import override_settings

from carewatch.kids.store.orders.models import Order
from carewatch.kids.store.payments.stripe_gateway import StripeGateway
from tests.kids.store.base import CVC, GOOD_CARD, StoreTestCase
from tests.kids.store.localstripe_server import SECRET_KEY, localstripe


def every_stored_value() -> list[str]:
    """Every column of every table as text (a superset of the text columns, so it also
    works on PostgreSQL, whose column types are numeric codes)."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            values += [str(v) for row in cursor.fetchall() for v in row if v is not None]
    return values


class ListHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


class CardDataTests(StoreTestCase):
    def test_the_card_number_and_cvc_appear_nowhere_after_a_checkout(self) -> None:
        self.check_nothing_kept(declined="4000 0000 0000 0002")

    def test_nor_after_a_checkout_through_stripe(self) -> None:
        api_base = self.enterContext(localstripe())
        stripe = StripeGateway(SECRET_KEY, api_base)
        self.enterContext(
            mock.patch.dict("carewatch.kids.store.payments.gateway._instances", {"stripe": stripe})
        )
        self.enterContext(override_settings(PAYMENT_GATEWAY="stripe"))
        # The stripe library logs each request at DEBUG: the capture below includes those.
        self.check_nothing_kept(declined="4000 0000 0000 0341")
        self.assertEqual(Order.objects.get().payments.get().gateway, "stripe")

    def check_nothing_kept(self, declined: str) -> None:
        handler = ListHandler()
        root = logging.getLogger()
        old_level = root.level
        root.addHandler(handler)
        root.setLevel(logging.DEBUG)
        try:
            self.add_to_basket(self.junior)
            self.enter_details()
            self.pay(number=declined)  # a declined try first
            self.pay()
        finally:
            root.removeHandler(handler)
            root.setLevel(old_level)
        self.assertEqual(Order.objects.get().payments.get().last4, "4242")
        values = every_stored_value()
        values += [str(s.get_decoded()) for s in Session.objects.all()]
        values += [
            str(SessionStore(session_key=s.session_key).load()) for s in Session.objects.all()
        ]
        dump = "\n".join(values)
        self.assertGreater(len(values), 20)  # the dump really saw the tables
        self.assertIn("Priya Sharma", dump)
        for secret in (GOOD_CARD, declined.replace(" ", "")):
            self.assertNotIn(secret, dump)
            self.assertNotIn(secret, "\n".join(handler.lines))
        alone = rf"(?<![0-9A-Za-z]){CVC}(?![0-9A-Za-z])"
        self.assertIsNone(re.search(alone, dump))
        self.assertIsNone(re.search(alone, "\n".join(handler.lines)))
        self.assertGreater(len(handler.lines), 0)  # the logs were really captured
