"""Huey tasks: conversations older than ASSISTANT_RETENTION_DAYS go every night."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from carewatch.platform.assistant import conversations


@db_periodic_task(crontab(hour="3", minute="41"))
def forget_old_conversations() -> None:
    conversations.delete_expired()
