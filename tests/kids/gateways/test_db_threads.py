"""The gateways' database calls keep their thread's connection from one call to the next
(a new one per watch that connected cost minutes of CPU after a restart), and one the
server closed meanwhile is replaced without the call failing."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection
from django.db.backends.signals import connection_created
from django.test import TransactionTestCase

from carewatch.kids.gateways.dbthread import in_thread
from carewatch.kids.gateways.directory import load_device
from carewatch.kids.tracker.models import Device
from carewatch.platform.accounts.models import Family


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def _terminate(pid: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


class GatewayDatabaseThreadTests(TransactionTestCase):
    def setUp(self) -> None:
        family = Family.objects.create(name="The Rao family")
        Device.objects.create(identifier="4700186508", family=family)

    def run_in_one_thread(self, *calls: Any) -> list[Any]:
        """Each call awaited in turn on a loop whose executor has one thread."""

        async def scenario() -> list[Any]:
            loop = asyncio.get_running_loop()
            loop.set_default_executor(ThreadPoolExecutor(max_workers=1))
            return [await in_thread(function)(*args) for function, *args in calls]

        return asyncio.run(scenario())

    def test_lookups_in_a_thread_share_one_connection(self) -> None:
        opened: list[Any] = []

        def count(sender: Any, connection: Any, **kwargs: Any) -> None:
            opened.append(connection)

        connection_created.connect(count)
        try:
            found = self.run_in_one_thread(*[(load_device, "4700186508")] * 20)
        finally:
            connection_created.disconnect(count)
        self.assertTrue(all(info is not None and info.identifier == "4700186508" for info in found))
        self.assertEqual(len(opened), 1)

    def test_a_connection_the_server_closed_is_replaced_and_the_lookup_answers(self) -> None:
        if connection.vendor != "postgresql":
            pytest.skip("PostgreSQL only: an embedded database has no server to close it")

        async def scenario() -> tuple[int, Any, int]:
            loop = asyncio.get_running_loop()
            loop.set_default_executor(ThreadPoolExecutor(max_workers=1))
            pid = await in_thread(_backend_pid)()
            with ThreadPoolExecutor(max_workers=1) as other:  # as a restart would
                await loop.run_in_executor(other, _terminate, pid)
            info = await in_thread(load_device)("4700186508")  # the same thread, a dead link
            return pid, info, await in_thread(_backend_pid)()

        pid, info, new_pid = asyncio.run(scenario())
        self.assertIsNotNone(info)
        self.assertNotEqual(pid, new_pid)
