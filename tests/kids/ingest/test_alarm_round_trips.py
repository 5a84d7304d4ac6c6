"""An alarm's latency on a busy machine is its round trips to the database: an SOS is
written, told to every guardian (inbox delivered) and its offset advanced in a handful
of statements, and nothing is left to run after its commit."""

from __future__ import annotations

from django.db import connection
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext

from carewatch.kids.ingest.log import URGENT
from carewatch.kids.ingest.processing import BatchProcessor, drain
from carewatch.kids.tracker.models import Child, Device
from carewatch.platform.accounts.models import Family, FamilyMembership, FamilyRole
from carewatch.platform.notify.models import Notification, Status
from tests.base import make_user
from tests.kids.ingest.test_worker import DEVICE, fix, new_log

# 13 on PostgreSQL, BEGIN and COMMIT included, however many guardians the family has
MOST_STATEMENTS = 14


class AlarmRoundTripTests(TransactionTestCase):
    def setUp(self) -> None:
        family = Family.objects.create(name="The Sharma family")
        for email, role in (("alice@example.org", FamilyRole.OWNER),
                            ("bob@example.org", FamilyRole.GUARDIAN)):  # fmt: skip
            user = make_user(email, email.split("@")[0].title())
            FamilyMembership.objects.create(family=family, user=user, role=role)
        child = Child.objects.create(family=family, name="Asha")
        Device.objects.create(identifier=DEVICE, family=family, child=child)

    def test_an_sos_takes_a_handful_of_statements_and_nothing_after_its_commit(self) -> None:
        log = new_log()
        log.append_sync([fix(30)])
        processor = BatchProcessor(log.name, 4)
        drain(log, processor)  # the device is known, as in service
        log.append_sync([fix(20, alarms=frozenset({"sos"}))])
        after = {p: processor.committed[(p, URGENT)] for p in range(4)}
        messages = log.read_sync(URGENT, after, 100)
        with CaptureQueriesContext(connection) as statements:
            self.assertTrue(processor.process(messages).ok)
        self.assertLessEqual(len(statements), MOST_STATEMENTS, _listed(statements))
        last = statements.captured_queries[-1]["sql"]
        self.assertIn("COMMIT", last.upper(), "nothing runs after the alarm's commit")
        told = Notification.objects.filter(event="tracker.sos")
        self.assertEqual(told.count(), 2)
        self.assertEqual(set(told.values_list("status", flat=True)), {Status.SENT})


def _listed(statements: CaptureQueriesContext) -> str:
    return "\n".join(query["sql"][:100] for query in statements.captured_queries)
