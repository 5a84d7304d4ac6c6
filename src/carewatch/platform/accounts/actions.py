"""State changes on families, as small functions that check, write and then tell (Zulip style)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from carewatch.platform.accounts.models import (
    Family,
    FamilyInvite,
    FamilyMembership,
    FamilyRole,
    User,
)
from carewatch.platform.notify import direct
from carewatch.platform.notify.models import Notification
from carewatch.platform.notify.sending import OPEN

# A second "invite" for the same address mails again only this long after the last mail.
RESEND_AFTER = timedelta(minutes=10)


class InviteError(Exception):
    """An invitation cannot be used; the message says why and what to do."""


def do_create_family(owner: User, name: str) -> Family:
    with transaction.atomic():
        family = Family.objects.create(name=name)
        FamilyMembership.objects.create(family=family, user=owner, role=FamilyRole.OWNER)
    return family


def do_invite_guardian(family: Family, invited_by: User, email: str) -> FamilyInvite:
    """Asking twice for the same address (a page sent again after an error) reuses the open
    invitation, and mails it again only once the last mail is not waiting or fresh."""
    email = email.strip().lower()
    if FamilyMembership.objects.filter(family=family, user__email__iexact=email).exists():
        raise InviteError(_("%(email)s is already a guardian in this family.") % {"email": email})
    with transaction.atomic():
        invite = open_invite(family, email)
        if invite is None:
            invite = FamilyInvite.objects.create(family=family, email=email, invited_by=invited_by)
        elif not invite_mail_needed(invite):
            return invite
        _queue_invite_mail(invite)
    return invite


def open_invite(family: Family, email: str) -> FamilyInvite | None:
    waiting = family.invites.filter(email__iexact=email, accepted_at=None)
    waiting = waiting.select_for_update().order_by("-created")
    return next((invite for invite in waiting if invite.is_usable()), None)


def invite_mail_needed(invite: FamilyInvite) -> bool:
    recent = timezone.now() - RESEND_AFTER
    mails = Notification.objects.filter(topic=direct.topic(invite))
    waiting = mails.filter(status__in=OPEN)
    return not (waiting.exists() or mails.filter(sent_at__gt=recent).exists())


def _queue_invite_mail(invite: FamilyInvite) -> None:
    """The link (the invitation's token) is put into the mail when it is sent."""
    with translation.override(invite.invited_by.language or None):
        subject = _invite_subject(invite)
    direct.send_email(
        invite.email,
        subject,
        about=direct.topic(invite),
        event="accounts.invite",
        compose="carewatch.platform.accounts.actions.invite_message",
        payload={"invite": invite.pk},
    )


def _invite_subject(invite: FamilyInvite) -> str:
    return _("%(name)s invites you to join %(family)s on CareWatch") % {
        "name": invite.invited_by,
        "family": invite.family,
    }


def invite_message(notification: Notification) -> direct.Message | None:
    invite = FamilyInvite.objects.filter(pk=notification.payload["invite"]).first()
    if invite is None or not invite.is_usable():
        return None
    link = settings.SITE_URL + reverse("accounts:accept_invite", args=[invite.token])
    with translation.override(invite.invited_by.language or None):
        body = render_to_string("accounts/invite_email.txt", {"invite": invite, "link": link})
        return direct.Message(_invite_subject(invite), body)


def do_accept_invite(invite: FamilyInvite, user: User) -> FamilyMembership:
    if invite.accepted_at is not None:
        raise InviteError(_("This invitation has already been used. Ask for a new one."))
    if invite.is_expired():
        raise InviteError(
            _("This invitation has expired. Ask the guardian who sent it for a new one.")
        )
    if user.email.lower() != invite.email.lower():
        raise InviteError(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invite.email}
        )
    with transaction.atomic():
        membership, _created = FamilyMembership.objects.get_or_create(
            family=invite.family, user=user, defaults={"role": FamilyRole.GUARDIAN}
        )
        invite.accepted_at = timezone.now()
        invite.save(update_fields=["accepted_at"])
    return membership


def do_delete_family(family: Family, user: User, typed_name: str) -> None:
    """Only the owner, and only when they typed the family's name: nothing of it is kept."""
    if typed_name.strip() != family.name:
        raise InviteError(_("Type the family’s name exactly as shown to confirm."))
    family.delete()  # services remove their own data in pre_delete handlers
