"""Pairing a tracker with a family: the device number plus the code printed on the order."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carewatch.kids.tracker.models import Child, Device
from carewatch.platform.accounts.models import Family

MAX_FAILURES = 5
LOCKOUT_SECONDS = 15 * 60


class PairingError(Exception):
    """Pairing failed; the message says what to do and never whether the device exists."""


def do_pair_device(
    family: Family, identifier: str, code: str, *, who: str, child: Child | None = None
) -> Device:
    """`who` names the one asking (user and address) for the rate limit."""
    failures_key = f"pairing-failures:{who}"
    if cache.get(failures_key, 0) >= MAX_FAILURES:
        raise PairingError(_("Too many wrong codes. Wait 15 minutes, then try again."))
    with transaction.atomic():
        device = Device.objects.select_for_update().filter(identifier=identifier.strip()).first()
        if device is None or device.family_id is not None or not device.pairing_code_matches(code):
            _count_failure(failures_key)
            raise PairingError(
                _("That device number and pairing code do not match. Check both on your order.")
            )
        device.family, device.child, device.paired_at = family, child, timezone.now()
        device.save(update_fields=["family", "child", "paired_at"])
    cache.delete(failures_key)
    return device


def _count_failure(key: str) -> None:
    cache.add(key, 0, LOCKOUT_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, LOCKOUT_SECONDS)
