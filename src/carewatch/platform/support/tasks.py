"""Huey tasks: keeping the privacy promise about the assistant's conversations."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from carewatch.platform.support import actions


@db_periodic_task(crontab(hour="3", minute="41"))
def forget_old_handovers() -> None:
    actions.forget_old_handovers()
