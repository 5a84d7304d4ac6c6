"""State changes on families, as small functions that check, write and then tell (Zulip style)."""

from __future__ import annotations

from django.core.mail import send_mail
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


class InviteError(Exception):
    """An invitation cannot be used; the message says why and what to do."""


def do_create_family(owner: User, name: str) -> Family:
    with transaction.atomic():
        family = Family.objects.create(name=name)
        FamilyMembership.objects.create(family=family, user=owner, role=FamilyRole.OWNER)
    return family


def do_invite_guardian(family: Family, invited_by: User, email: str, site_url: str) -> FamilyInvite:
    email = email.strip().lower()
    if FamilyMembership.objects.filter(family=family, user__email__iexact=email).exists():
        raise InviteError(_("%(email)s is already a guardian in this family.") % {"email": email})
    invite = FamilyInvite.objects.create(family=family, email=email, invited_by=invited_by)
    link = site_url + reverse("accounts:accept_invite", args=[invite.token])
    context = {"invite": invite, "link": link}
    transaction.on_commit(lambda: _send_invite_mail(invite, context))
    return invite


def _send_invite_mail(invite: FamilyInvite, context: dict[str, object]) -> None:
    with translation.override(invite.invited_by.language or None):
        subject = _("%(name)s invites you to join %(family)s on CareWatch") % {
            "name": invite.invited_by,
            "family": invite.family,
        }
        body = render_to_string("accounts/invite_email.txt", context)
    send_mail(subject, body, None, [invite.email])


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
