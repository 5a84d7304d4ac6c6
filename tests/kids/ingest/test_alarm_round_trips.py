"""An alarm's latency on a busy machine is its round trips to the database: an SOS is
written, told to every guardian (inbox delivered) and its offset advanced in a handful
of statements, sent in PostgreSQL's pipeline mode so that it waits for only a few
answers, and nothing is left to run after its commit."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from unittest import skipUnless

from django.db import connection
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext

from carewatch.kids.ingest.log import URGENT, LogMessage
from carewatch.kids.ingest.processing import BatchProcessor, drain
from carewatch.kids.tracker.models import Child, Device, Event, Position
from carewatch.kids.tracker.sql import FEW_ROWS
from carewatch.platform.accounts.models import Family, FamilyMembership, FamilyRole
from carewatch.platform.notify.models import Notification, Status
from tests.base import make_user
from tests.kids.ingest.test_worker import DEVICE, fix, new_log

# 10 on PostgreSQL, BEGIN and COMMIT included, however many guardians the family has
MOST_STATEMENTS = 10
# Answers it waits for on PostgreSQL: BEGIN, the event's id (the offsets, position and
# device updates go with it), the guardians, the notifications' ids, the pipeline's end
# (the attempts and the channel's update go with it), COMMIT.
MOST_ROUND_TRIPS = 6
LINK_DELAY_S = 0.1


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
        processor, messages = self._an_sos_to_process()
        with CaptureQueriesContext(connection) as statements:
            self.assertTrue(processor.process(messages).ok)
        self.assertLessEqual(len(statements), MOST_STATEMENTS, _listed(statements))
        last = statements.captured_queries[-1]["sql"]
        self.assertIn("COMMIT", last.upper(), "nothing runs after the alarm's commit")
        told = Notification.objects.filter(event="tracker.sos")
        self.assertEqual(told.count(), 2)
        self.assertEqual(set(told.values_list("status", flat=True)), {Status.SENT})

    @skipUnless(connection.vendor == "postgresql", "SQLite runs in the process: no round trips")
    def test_an_sos_waits_for_a_few_answers_from_a_distant_database(self) -> None:
        processor, messages = self._an_sos_to_process()
        with _slow_link_to_the_database(LINK_DELAY_S):
            processor.process(messages[:0])  # connects through the link before timing
            connection.ensure_connection()
            started = time.monotonic()
            self.assertTrue(processor.process(messages).ok)
            took = time.monotonic() - started
        # 10 statements one after the other would take at least 1 s
        self.assertLess(took, (MOST_ROUND_TRIPS + 0.8) * LINK_DELAY_S)
        self.assertEqual(Notification.objects.filter(event="tracker.sos").count(), 2)

    @skipUnless(connection.vendor == "postgresql", "an embedded database has no server")
    def test_an_sos_whose_connection_the_server_cut_fails_then_goes_through_once(self) -> None:
        processor, messages = self._an_sos_to_process()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        cutter = threading.Thread(target=_terminate, args=(pid,))  # as a restart would
        cutter.start()
        cutter.join()
        self.assertFalse(processor.process(messages).ok)  # the pipeline's error, handled
        self.assertTrue(processor.process(messages).ok)  # a new connection, the same SOS
        told = Notification.objects.filter(event="tracker.sos")
        self.assertEqual(told.count(), 2)

    @skipUnless(connection.vendor == "postgresql", "pipelines are PostgreSQL's")
    def test_an_error_in_a_statement_nobody_waited_for_still_rolls_the_alarm_back(self) -> None:
        processor, messages = self._an_sos_to_process()
        with _refusing_channel_updates():  # the last statement, its answer read at the end
            self.assertFalse(processor.process(messages).ok)
        self.assertFalse(Event.objects.filter(kind="sos").exists())
        self.assertFalse(Notification.objects.filter(event="tracker.sos").exists())
        self.assertTrue(processor.process(messages).ok)
        self.assertEqual(Notification.objects.filter(event="tracker.sos").count(), 2)

    def test_an_sos_past_the_pipeline_size_is_stored_and_told_all_the_same(self) -> None:
        log = new_log()
        log.append_sync([fix(300)])
        processor = BatchProcessor(log.name, 4)
        drain(log, processor)
        # more fixes than one statement carries: its positions go by COPY, unpipelined
        log.append_sync([fix(250 - i, alarms=frozenset({"sos"})) for i in range(FEW_ROWS + 5)])
        after = {p: processor.committed[(p, URGENT)] for p in range(4)}
        self.assertTrue(processor.process(log.read_sync(URGENT, after, 100)).ok)
        self.assertEqual(Position.objects.count(), FEW_ROWS + 6)
        self.assertGreaterEqual(Notification.objects.filter(event="tracker.sos").count(), 2)

    def _an_sos_to_process(self) -> tuple[BatchProcessor, list[LogMessage]]:
        log = new_log()
        log.append_sync([fix(30)])
        processor = BatchProcessor(log.name, 4)
        processor.warm_up()  # as the worker does when it starts
        drain(log, processor)  # the device is known, as in service
        log.append_sync([fix(20, alarms=frozenset({"sos"}))])
        after = {p: processor.committed[(p, URGENT)] for p in range(4)}
        return processor, log.read_sync(URGENT, after, 100)


@contextlib.contextmanager
def _refusing_channel_updates() -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION cw_test_refuse() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER cw_test_refuse BEFORE UPDATE ON notify_channel "
            "FOR EACH ROW EXECUTE FUNCTION cw_test_refuse()"
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER cw_test_refuse ON notify_channel")
            cursor.execute("DROP FUNCTION cw_test_refuse()")


def _terminate(pid: int) -> None:
    try:
        with connection.cursor() as cursor:  # this thread's own connection
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        connection.close()


@contextlib.contextmanager
def _slow_link_to_the_database(delay_s: float) -> Iterator[None]:
    """Django's connection goes through a loopback relay that holds every answer from
    the server for `delay_s`, as a distant database (or a busy machine) would."""
    settings = connection.settings_dict
    target = settings.get("HOST") or "127.0.0.1", int(settings.get("PORT") or 5432)
    relay = _DelayingRelay(*target, delay_s)
    saved = settings["HOST"], settings["PORT"]
    connection.close()
    settings["HOST"], settings["PORT"] = "127.0.0.1", str(relay.port)
    try:
        yield
    finally:
        connection.close()
        settings["HOST"], settings["PORT"] = saved
        relay.close()


class _DelayingRelay:
    def __init__(self, host: str, port: int, delay_s: float) -> None:
        self.target, self.delay_s = (host, port), delay_s
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = [self.listener]
        self.pumps: list[threading.Thread] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        """After the client has closed: the server hears its goodbye and ends the session."""
        for pump in self.pumps:
            pump.join(timeout=5)
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.close()

    def _accept(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                client, _ = self.listener.accept()
                server = socket.create_connection(self.target)
                for sock in (client, server):  # as libpq does: no Nagle delay on small writes
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self.sockets += [client, server]
                for source, sink, delay_s in (
                    (client, server, 0.0),
                    (server, client, self.delay_s),
                ):
                    pump = threading.Thread(target=_pump, args=(source, sink, delay_s), daemon=True)
                    pump.start()
                    self.pumps.append(pump)


def _pump(source: socket.socket, sink: socket.socket, delay_s: float) -> None:
    """Each chunk leaves `delay_s` after it came, in order (a link's latency)."""
    chunks: list[tuple[float, bytes]] = []
    ready = threading.Condition()

    def send() -> None:
        with contextlib.suppress(OSError):
            while True:
                with ready:
                    ready.wait_for(lambda: bool(chunks))
                    due, data = chunks.pop(0)
                if not data:
                    sink.shutdown(socket.SHUT_WR)
                    return
                time.sleep(max(0.0, due - time.monotonic()))
                sink.sendall(data)

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    with contextlib.suppress(OSError):
        while data := source.recv(65536):
            with ready:
                chunks.append((time.monotonic() + delay_s, data))
                ready.notify()
    with ready:
        chunks.append((0.0, b""))
        ready.notify()
    sender.join(timeout=5)


def _listed(statements: CaptureQueriesContext) -> str:
    return "\n".join(query["sql"][:100] for query in statements.captured_queries)
