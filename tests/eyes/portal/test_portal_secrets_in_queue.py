"""A queued message holds no secret: the task queue gets ids, and the private link's token
and the one-time code are made when the message is sent. Whoever reads the queue's file
(or Redis) while a message waits learns nothing that opens the portal."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from huey.contrib.djhuey import HUEY

from carewatch.eyes.portal import links
from tests.eyes.helpers import make_visit
from tests.eyes.portal.helpers import PortalTestCase, sign
from tests.mailbox import body_text, smtp_server


@contextmanager
def queued_bytes() -> Iterator[list[bytes]]:
    """Every task as the queue would store it (immediate mode runs them without storing)."""
    seen: list[bytes] = []
    enqueue = HUEY.enqueue

    def record(task: Any) -> Any:
        seen.append(HUEY.serialize_task(task))
        return enqueue(task)

    with mock.patch.object(HUEY, "enqueue", record):
        yield seen


class SecretsInQueueTests(PortalTestCase):
    def test_the_report_link_is_made_when_sent_not_when_queued(self) -> None:
        report = sign(make_visit(self.patient, self.screener), self.doctor)
        with queued_bytes() as queued:
            [message] = self.announce(report)
        token = re.search(r"/eyes/my/r/([\w-]+)/", body_text(message))
        assert token is not None and queued
        self.assertIsNotNone(links.link_for_token(token.group(1)))
        for data in queued:
            self.assertNotIn(token.group(1).encode(), data)

    def test_the_one_time_code_is_made_when_sent_not_when_queued(self) -> None:
        self.open_link()
        with queued_bytes() as queued:
            code = self.request_code()
        assert queued
        for data in queued:
            self.assertNotIn(code.encode(), data)
        self.assertEqual(self.client.post("/eyes/my/", {"code": code}).status_code, 302)

    def test_a_staff_resend_queues_no_link_either(self) -> None:
        self.signed_visit()
        self.login(self.doctor)
        url = f"/eyes/my/staff/demo-centre/patients/{self.patient.pk}/link/"
        with (
            queued_bytes() as queued,
            smtp_server() as mailbox,
            self.captureOnCommitCallbacks(execute=True),
        ):
            self.client.post(url)
        token = re.search(r"/eyes/my/r/([\w-]+)/", mailbox.texts()[-1])
        assert token is not None and queued
        for data in queued:
            self.assertNotIn(token.group(1).encode(), data)
