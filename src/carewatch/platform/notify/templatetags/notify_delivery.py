""" "Was the patient told?": the messages about an object (a patient, a booking, an order),
with their delivery state, for the staff pages that show that object."""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models

from carewatch.platform.notify.direct import topic
from carewatch.platform.notify.models import Notification

register = template.Library()

SHOWN = 20


def about(obj: models.Model) -> Any:
    return Notification.objects.filter(topic=topic(obj)).select_related("channel")


@register.inclusion_tag("notify/_delivery_log.html")
def delivery_log(obj: models.Model) -> dict[str, Any]:
    """The latest messages about `obj`, newest first."""
    return {"rows": list(about(obj).exclude(kind="inbox")[:SHOWN])}


@register.simple_tag
def latest_delivery(obj: models.Model) -> Notification | None:
    return about(obj).exclude(kind="inbox").first()
