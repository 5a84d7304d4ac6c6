"""Parent pages. Every family page goes through `family_member_required` (404 for others)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carewatch.kids.gateways.setup import watch_sms
from carewatch.kids.tracker import pairing, privacy, reach
from carewatch.kids.tracker.forms import (
    AlertSettingForm,
    ChildForm,
    PairingForm,
    PlaceForm,
    RetentionForm,
)
from carewatch.kids.tracker.models import AlertSetting, Event, Place, TrackerSettings
from carewatch.platform.accounts.models import Family, FamilyRole
from carewatch.platform.accounts.permissions import (
    SignedInRequest,
    families_of,
    family_member_required,
    family_role,
)
from carewatch.platform.notify.transports import sms


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    families = families_of(request.user).prefetch_related("children__devices", "places")
    return render(request, "tracker/dashboard.html", {"families": families})


@family_member_required
def add_child(request: SignedInRequest, family: Family) -> HttpResponse:
    form = ChildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        child = form.save(commit=False)
        child.family = family
        child.save()
        messages.success(
            request, _("%(name)s is added. Now pair their watch.") % {"name": child.name}
        )
        return redirect("tracker:pair", family.pk)
    return render(request, "tracker/child_form.html", {"form": form, "family": family})


@family_member_required
def pair(request: SignedInRequest, family: Family) -> HttpResponse:
    form = PairingForm(request.POST or None, family=family)
    if request.method == "POST" and form.is_valid():
        who = f"{request.user.pk}:{request.META.get('REMOTE_ADDR', '')}"
        try:
            device = pairing.do_pair_device(
                family,
                form.cleaned_data["identifier"],
                form.cleaned_data["code"],
                who=who,
                child=form.cleaned_data["child"],
            )
        except pairing.PairingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The watch is paired with %(name)s. Now point it at CareWatch.")
                % {"name": device.child},
            )
            if reach.only_inbox(request.user):  # an SOS would wait unseen in the inbox
                return redirect("tracker:reach", family.pk)
            return redirect("devices:device", family.pk, device.pk)
    status = 400 if form.errors else 200
    config = settings.GATEWAYS
    context = {
        "form": form,
        "family": family,
        # what to text the watch so that it reports here (also on its page once paired)
        "sms": watch_sms(config.public_host, config.watch_port),
    }
    return render(request, "tracker/pair.html", context, status=status)


@family_member_required
def reach_page(request: SignedInRequest, family: Family) -> HttpResponse:
    """Where an SOS reaches this guardian, a way to add a second channel, and a test."""
    context = {
        "family": family,
        "channels": reach.working_channels(request.user).order_by("kind", "pk"),
        "only_inbox": reach.only_inbox(request.user),
        "sms_available": sms.is_configured(),
    }
    return render(request, "tracker/reach.html", context)


@family_member_required
@require_POST
def test_alert(request: SignedInRequest, family: Family) -> HttpResponse:
    child = family.children.first()
    try:
        rows = reach.do_send_test_alert(request.user, child.name if child else _("your child"))
    except reach.TooManyTests:
        messages.error(
            request,
            _("You sent several test alerts in the last hour: wait a while, then try again."),
        )
    else:
        names = ", ".join(str(row.channel) for row in rows)
        messages.success(request, _("A test alert went to: %(channels)s.") % {"channels": names})
    return redirect("tracker:reach", family.pk)


@family_member_required
def places(request: SignedInRequest, family: Family) -> HttpResponse:
    return render(request, "tracker/places.html", {"family": family, "places": family.places.all()})


@family_member_required
def edit_place(
    request: SignedInRequest, family: Family, place_id: int | None = None
) -> HttpResponse:
    place = get_object_or_404(Place, pk=place_id, family=family) if place_id else None
    form = PlaceForm(request.POST or None, instance=place)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.family = family
        saved.save()
        messages.success(request, _("%(name)s is saved.") % {"name": saved.name})
        return redirect("tracker:places", family.pk)
    context = {"family": family, "form": form, "place": place}
    return render(request, "tracker/place_form.html", context, status=400 if form.errors else 200)


@require_POST
@family_member_required
def delete_place(request: SignedInRequest, family: Family, place_id: int) -> HttpResponse:
    place = get_object_or_404(Place, pk=place_id, family=family)
    place.delete()
    messages.success(request, _("%(name)s is deleted.") % {"name": place.name})
    return redirect("tracker:places", family.pk)


@family_member_required
def events(request: SignedInRequest, family: Family) -> HttpResponse:
    feed = Event.objects.filter(family=family).select_related("child", "place", "device")[:200]
    return render(request, "tracker/events.html", {"family": family, "events": feed})


@family_member_required
def alert_settings(request: SignedInRequest, family: Family) -> HttpResponse:
    user = request.user  # logged in: family_member_required checked
    setting, _created = AlertSetting.objects.get_or_create(user=user, family=family)
    form = AlertSettingForm(request.POST or None, instance=setting)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your alert settings are saved."))
        return redirect("tracker:alert_settings", family.pk)
    return render(request, "tracker/alert_settings.html", {"family": family, "form": form})


@family_member_required
def privacy_settings(request: SignedInRequest, family: Family) -> HttpResponse:
    """Every guardian sees how long history is kept; the family's owner changes it."""
    chosen, _created = TrackerSettings.objects.get_or_create(family=family)
    may_change = family_role(request.user, family) == FamilyRole.OWNER
    form = RetentionForm((request.POST or None) if may_change else None, instance=chosen)
    if not may_change:
        form.fields["retention_days"].disabled = True
        if request.method == "POST":
            messages.error(request, _("Only the family’s owner can change this."))
    elif request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved: location history is kept for the period you chose."))
        return redirect("tracker:privacy", family.pk)
    context = {"family": family, "form": form, "may_change": may_change}
    status = 400 if form.errors else 200
    return render(request, "tracker/privacy.html", context, status=status)


@family_member_required
def export(request: SignedInRequest, family: Family) -> HttpResponse:
    response = JsonResponse(privacy.export_family(family), json_dumps_params={"indent": 1})
    response["Content-Disposition"] = f'attachment; filename="carewatch-family-{family.pk}.json"'
    return response
