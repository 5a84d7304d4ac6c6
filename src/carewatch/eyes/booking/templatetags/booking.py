from __future__ import annotations

from typing import Any

from django import template

from carewatch.eyes.booking.models import WEEKDAYS, Centre

register = template.Library()


@register.inclusion_tag("booking/_hours.html")
def opening_hours(centre: Centre) -> dict[str, Any]:
    """Every weekday in order, closed ones included, so "closed" is said, not implied."""
    rows = {row.weekday: row for row in centre.hours.all()}
    return {"centre_hours": [(day, label, rows.get(day)) for day, label in WEEKDAYS]}
