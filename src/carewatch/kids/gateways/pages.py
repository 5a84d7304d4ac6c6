"""A device's page: how to point it at CareWatch, and (watches) its commands.

Every view goes through `family_member_required`; a device of another family is a 404.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carewatch.kids.gateways import downlink, setup
from carewatch.kids.gateways.commands import CommandError
from carewatch.kids.gateways.forms import CommandForm, PhoneForm
from carewatch.kids.gateways.models import DeviceSecret
from carewatch.kids.tracker.models import Device, Protocol
from carewatch.platform.accounts.models import Family
from carewatch.platform.accounts.permissions import SignedInRequest, family_member_required

RECENT_COMMANDS = 20


def _device(family: Family, device_id: int) -> Device:
    return get_object_or_404(Device, pk=device_id, family=family)


def device_context(request: HttpRequest, device: Device, **extra: Any) -> dict[str, Any]:
    config = settings.GATEWAYS
    site = settings.SITE_URL
    context: dict[str, Any] = {
        "family": device.family,
        "device": device,
        "host": config.public_host,
        "watch_port": config.watch_port,
        "interval": setup.DEFAULT_INTERVAL_S,
    }
    if device.protocol == Protocol.WATCH:
        context["sms"] = setup.watch_sms(config.public_host, config.watch_port)
        context["commands"] = device.commands.all()[:RECENT_COMMANDS]
        context.setdefault("command_form", CommandForm())
    elif device.protocol == Protocol.OSMAND:
        context["osmand_url"] = (
            f"http://{config.public_host}:{config.osmand_port}"
            if config.osmand_own_port
            else f"{site}/osmand/"
        )
    else:
        context["owntracks_url"] = f"{site}/owntracks/"
        context["has_secret"] = DeviceSecret.objects.filter(device=device).exists()
    return context | extra


@family_member_required
def device_page(request: SignedInRequest, family: Family, device_id: int) -> HttpResponse:
    device = _device(family, device_id)
    return render(request, "gateways/device.html", device_context(request, device))


@require_POST
@family_member_required
def queue_command(request: SignedInRequest, family: Family, device_id: int) -> HttpResponse:
    device = _device(family, device_id)
    form = CommandForm(request.POST)
    if form.is_valid():
        try:
            command = downlink.queue_command(
                device, form.cleaned_data["kind"], form.params(), request.user
            )
        except (CommandError, downlink.CommandRefused) as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("“%(command)s” is on its way. It waits until the watch connects.")
                % {"command": command.get_kind_display()},
            )
            return redirect("devices:device", family.pk, device.pk)
    context = device_context(request, device, command_form=form)
    return render(request, "gateways/device.html", context, status=400)


@family_member_required
def add_phone(request: SignedInRequest, family: Family) -> HttpResponse:
    form = PhoneForm(request.POST or None, family=family)
    if request.method == "POST" and form.is_valid():
        child = form.cleaned_data["child"]
        device = Device.objects.create(
            # The identifier is the only secret the Traccar Client sends: make it long.
            identifier=new_phone_identifier(),
            protocol=form.cleaned_data["protocol"],
            name=_("%(name)s’s phone") % {"name": child.name},
            family=family,
            child=child,
            paired_at=timezone.now(),
        )
        if device.protocol == Protocol.OWNTRACKS:
            return _show_secret(request, device)
        messages.success(request, _("The phone is added. Now set up the app on it."))
        return redirect("devices:device", family.pk, device.pk)
    status = 400 if form.errors else 200
    return render(
        request, "gateways/add_phone.html", {"form": form, "family": family}, status=status
    )


@require_POST
@family_member_required
def new_secret(request: SignedInRequest, family: Family, device_id: int) -> HttpResponse:
    device = _device(family, device_id)
    if device.protocol != Protocol.OWNTRACKS:
        return redirect("devices:device", family.pk, device.pk)
    return _show_secret(request, device)


def _show_secret(request: HttpRequest, device: Device) -> HttpResponse:
    """The password is shown once, on this response (with its QR code); only a hash stays."""
    password = DeviceSecret.make(device)
    url = settings.SITE_URL + reverse("gateways:owntracks")
    tracker_id = "".join(word[:1] for word in str(device.child or device).split()[:2]).upper()
    config = setup.owntracks_config(url, device.identifier, password, "phone", tracker_id)
    link = setup.owntracks_link(config)
    context = device_context(
        request,
        device,
        password=password,
        owntracks_url=url,
        owntracks_link=link,
        qr=setup.qr_svg(link, _("OwnTracks settings for CareWatch")),
    )
    response = render(request, "gateways/device.html", context)
    response["Cache-Control"] = "no-store"  # the page holds a password
    return response


def new_phone_identifier() -> str:
    while True:
        identifier = "".join(secrets.choice("0123456789") for _ in range(15))
        if not Device.objects.filter(identifier=identifier).exists():
            return identifier
