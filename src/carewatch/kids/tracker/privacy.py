"""A family's own data: everything as JSON, and nothing left behind when it is deleted."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone

from carewatch.kids.tracker.models import PLACE_FIELDS, AlertSetting, Device, Event, Place, Position
from carewatch.platform.accounts.models import Family


def export_family(family: Family) -> dict[str, Any]:
    devices = list(Device.objects.filter(family=family))
    return {
        "exported_at": timezone.now().isoformat(),
        "family": {"name": family.name, "created": family.created.isoformat()},
        "guardians": [
            {"name": str(m.user), "email": m.user.email, "role": m.role}
            for m in family.memberships.select_related("user")
        ],
        "children": list(family.children.values("id", "name", "birth_year")),
        "devices": [
            {"id": d.pk, "identifier": d.identifier, "name": d.name, "child_id": d.child_id}
            for d in devices
        ],
        "places": list(Place.objects.filter(family=family).values("id", *PLACE_FIELDS)),
        "positions": list(
            Position.objects.filter(device__in=devices)
            .order_by("device_id", "fix_time")
            .values("device_id", "fix_time", "lat", "lon", "accuracy", "speed", "battery", "valid")
        ),
        "events": list(
            Event.objects.filter(family=family).values("kind", "time", "device_id", "place_id")
        ),
        "alert_settings": list(
            AlertSetting.objects.filter(family=family).values(
                "user__email", "kinds", "channel_kinds", "quiet_from", "quiet_until"
            )
        ),
    }


@receiver(pre_delete, sender=Family)
def forget_family_devices(sender: Any, instance: Family, **kwargs: Any) -> None:
    """Deleting a family erases its location history and unpairs its watches."""
    devices = Device.objects.filter(family=instance)
    Position.objects.filter(device__in=devices).delete()
    devices.update(
        family=None,
        child=None,
        paired_at=None,
        state={},
        status="unknown",
        last_seen=None,
        last_fix_time=None,
        lat=None,
        lon=None,
        accuracy=None,
        battery=None,
    )
