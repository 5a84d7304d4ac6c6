"""Downlink commands in the database: queued by the UI and the API, sent by the watch server.

`queue_command` is what the pages and the API call; `DatabaseChannel` is the watch
server's side (claims queued commands as sent, records answers, expires old ones).
A queued command tells the gateways through pub/sub at once; the gateways also look for
queued commands every few seconds, so none waits on a lost message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from carewatch.kids.gateways.commands import CommandKind, command_text
from carewatch.kids.gateways.dbthread import in_thread
from carewatch.kids.gateways.models import Command, CommandStatus
from carewatch.kids.gateways.watch_server import PendingCommand
from carewatch.kids.tracker.models import Device, Protocol
from carewatch.platform import pubsub

CHANNEL = "gateway.commands"
MAX_QUEUED_PER_DEVICE = 20  # a parent pressing a button twenty times gets one watch ringing


class CommandRefused(Exception):
    """The command cannot be queued; the text says why, for the parent."""


def queue_command(
    device: Device, kind: CommandKind | str, params: Mapping[str, Any] | None, user: Any = None
) -> Command:
    """Checks and queues a command; raises CommandError (bad parameters) or CommandRefused."""
    from django.utils.translation import gettext as _

    if device.protocol != Protocol.WATCH:
        raise CommandRefused(_("Only watches take commands; phone apps are set up on the phone."))
    text = command_text(kind, params)
    waiting = Command.objects.filter(device=device, status=CommandStatus.QUEUED)
    if waiting.filter(expires_at__gt=timezone.now()).count() >= MAX_QUEUED_PER_DEVICE:
        raise CommandRefused(
            _("Too many commands are already waiting for this watch. Wait until it connects.")
        )
    ttl = dt.timedelta(seconds=settings.GATEWAYS.command_ttl_s)
    command = Command.objects.create(
        device=device,
        kind=str(CommandKind(kind)),
        text=text,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        expires_at=timezone.now() + ttl,
    )
    identifier = device.identifier
    transaction.on_commit(lambda: pubsub.publish(CHANNEL, {"device": identifier}))
    return command


def expire_commands(now: dt.datetime | None = None) -> int:
    return Command.objects.filter(
        status=CommandStatus.QUEUED, expires_at__lte=now or timezone.now()
    ).update(status=CommandStatus.EXPIRED)


def claim_pending(identifier: str) -> list[PendingCommand]:
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            Command.objects.select_for_update()
            .filter(
                device__identifier=identifier,
                status=CommandStatus.QUEUED,
                expires_at__gt=now,
            )
            .order_by("created", "pk")
            .values_list("pk", "text")
        )
        if rows:
            Command.objects.filter(pk__in=[pk for pk, _ in rows]).update(
                status=CommandStatus.SENT, sent_at=now
            )
    return [PendingCommand(pk, text) for pk, text in rows]


def devices_with_queued(identifiers: Sequence[str]) -> list[str]:
    """Which of these (connected) devices have commands waiting, expiring old ones first.

    Asks for the few devices with queued commands rather than sending the thousands
    connected to the database, and intersects here.
    """
    expire_commands()
    queued = set(
        Command.objects.filter(status=CommandStatus.QUEUED)
        .order_by()  # the model's ordering would make DISTINCT see one row per command
        .values_list("device__identifier", flat=True)
        .distinct()
    )
    return [identifier for identifier in identifiers if identifier in queued]


def record_answer(command_id: int, answer: str) -> None:
    Command.objects.filter(pk=command_id, status=CommandStatus.SENT).update(
        status=CommandStatus.ANSWERED, answered_at=timezone.now(), answer=answer[:500]
    )


def requeue(command_id: int) -> None:
    Command.objects.filter(pk=command_id, status=CommandStatus.SENT).update(
        status=CommandStatus.QUEUED, sent_at=None
    )


class DatabaseChannel:
    """The watch server's CommandChannel on the ORM (each call in a worker thread)."""

    async def pending(self, identifier: str) -> list[PendingCommand]:
        result: list[PendingCommand] = await in_thread(claim_pending)(identifier)
        return result

    async def unsent(self, identifiers: Sequence[str]) -> list[str]:
        result: list[str] = await in_thread(devices_with_queued)(identifiers)
        return result

    async def answered(self, command_id: int, answer: str) -> None:
        await in_thread(record_answer)(command_id, answer)

    async def requeue(self, command_id: int) -> None:
        await in_thread(requeue)(command_id)
