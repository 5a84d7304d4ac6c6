"""Map data for pages whose views are not map views: the place editor and the dashboard."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from carewatch.kids.tracker.live import map_config, place_json
from carewatch.kids.tracker.models import Device
from carewatch.kids.tracking.model import DeviceState, Presence

register = template.Library()


@register.simple_tag
def place_editor_data(family: Any, place: Any = None) -> dict[str, Any]:
    """The family's other places, drawn faintly around the one being edited."""
    others = [p for p in family.places.all() if place is None or p.pk != place.pk]
    return map_config() | {"others": [place_json(p) for p in others], "near": near(family)}


def near(family: Any) -> list[float] | None:
    """Where a new place probably goes: the last position of one of the family's watches
    (without tiles, an empty map of India gives a parent nothing to start from)."""
    device = family.devices.filter(lat__isnull=False).order_by("-last_seen").first()
    return [device.lat, device.lon] if device else None


@register.simple_tag
def place_editor_strings() -> dict[str, Any]:
    """The drawing tools' labels (Leaflet-Geoman's own words are English only)."""
    return {
        "buttonTitles": {
            "drawCircleButton": _("Draw a circle"),
            "drawPolyButton": _("Draw an area"),
            "editButton": _("Move the corners or the edge"),
            "dragButton": _("Move the whole place"),
            "deleteButton": _("Remove the drawing"),
        },
        "tooltips": {
            "startCircle": _("Tap the centre of the place"),
            "finishCircle": _("Tap again to set the size"),
            "firstVertex": _("Tap the first corner"),
            "continueLine": _("Tap the next corner"),
            "finishPoly": _("Tap the first corner again to finish"),
        },
        "actions": {"finish": _("Finish"), "cancel": _("Cancel"), "removeLastVertex": _("Undo")},
    }


@register.filter
def current_places(device: Device, family: Any) -> dict[str, list[str]]:
    """Names of the places the rules hold the device inside ("at"), and of those it seems
    to have left while the rules wait to confirm it ("leaving"). No query: prefetched."""
    places = DeviceState.from_json(device.state).places
    inside = {pid for pid, track in places.items() if track.presence == Presence.INSIDE}
    leaving = {pid for pid, track in places.items() if track.leaving}
    named = [(place.pk, place.name) for place in family.places.all()]
    return {
        "at": [name for pk, name in named if pk in inside - leaving],
        "leaving": [name for pk, name in named if pk in leaving],
    }
