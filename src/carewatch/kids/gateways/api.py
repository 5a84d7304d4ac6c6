"""Watch commands for apps: queue one, list a device's commands with their status."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from carewatch.kids.gateways import downlink
from carewatch.kids.gateways.commands import CommandError, CommandKind
from carewatch.kids.gateways.models import Command
from carewatch.kids.tracker.models import Device
from carewatch.platform.accounts.permissions import families_of
from carewatch.platform.lib.api_types import Text, answers

router = Router(tags=["kids"])
MAX_COMMANDS = 100


class CommandIn(Schema):
    kind: CommandKind
    seconds: int | None = None  # interval
    slot: int | None = None  # sos_number: 1-3
    phone: Text | None = None  # sos_number; empty clears the slot
    periods: list[Text] | None = None  # silence: ["08:00-12:30", ...]; empty ends it
    language: int | None = None  # language
    timezone: float | None = None  # language: hours from UTC


class CommandOut(Schema):
    id: int
    kind: str
    text: str
    status: str
    created: datetime
    expires_at: datetime
    sent_at: datetime | None
    answered_at: datetime | None
    answer: str

    @staticmethod
    def resolve_status(command: Command) -> str:
        return command.shown_status


def _device(request: HttpRequest, device_id: int) -> Device:
    return get_object_or_404(Device, pk=device_id, family__in=families_of(request.user))


@router.post(
    "/devices/{device_id}/commands",
    response=answers(201, CommandOut, changes=True),
    summary="Queue a command for a watch (sent when it is connected; expires after a day)",
)
def queue_command(request: HttpRequest, device_id: int, data: CommandIn) -> Any:
    device = _device(request, device_id)
    params = data.dict(exclude={"kind"}, exclude_none=True)
    try:
        command = downlink.queue_command(device, data.kind, params, request.user)
    except (CommandError, downlink.CommandRefused) as error:
        raise HttpError(400, str(error)) from None
    return Status(201, command)


@router.get("/devices/{device_id}/commands", response=answers(200, list[CommandOut]))
def list_commands(request: HttpRequest, device_id: int) -> Any:
    """The device's commands, newest first."""
    return Command.objects.filter(device=_device(request, device_id))[:MAX_COMMANDS]
