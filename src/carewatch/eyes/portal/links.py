"""Issuing private links and one-time codes, and opening a patient session with them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from carewatch.eyes.portal import access, contact
from carewatch.eyes.portal.models import OneTimeCode, PatientLink, link_expiry
from carewatch.eyes.screening.models import Patient
from carewatch.platform.accounts.models import User

SESSION_LINK = "portal.link"
SESSION_PATIENT = "portal.patient"
SESSION_UNTIL = "portal.until"


def issue_link(patient: Patient, by: Any = None, now: dt.datetime | None = None) -> str:
    """A new link replaces every earlier one; returns the token (never stored)."""
    now = now or timezone.now()
    token = access.new_token()
    with transaction.atomic():
        PatientLink.objects.filter(patient=patient).usable(now).update(revoked_at=now)
        PatientLink.objects.create(
            patient=patient,
            token_hash=access.hash_token(token),
            created=now,
            expires_at=link_expiry(now),
            issued_by=by if by is not None and by.is_authenticated else None,
        )
    return token


def send_link(patient: Patient, by: Any = None) -> str | None:
    """Queues the patient's new private link after commit; returns where it will go,
    masked, or None when there is no way to reach them. The queue gets ids only: the
    token is made by `deliver_link`, when the message goes out."""
    from carewatch.eyes.portal import tasks

    found = contact.where(patient)
    if found is not None:
        by_id = by.pk if by is not None and by.is_authenticated else None
        transaction.on_commit(lambda: tasks.send_portal_link(patient.pk, by_id))
    return found


def deliver_link(patient_id: int, by_id: int | None) -> None:
    """Names the centre and nothing else: no result, no health data (it may show on a
    lock screen)."""
    patient = Patient.objects.select_related("clinic").filter(pk=patient_id).first()
    if patient is None:  # erased while the message waited
        return
    by = User.objects.filter(pk=by_id).first() if by_id else None
    url = settings.SITE_URL + reverse("portal:open", args=[issue_link(patient, by)])
    with contact.in_language(patient):
        subject = _("Your eye screening report from %(centre)s is ready") % {
            "centre": patient.clinic.name
        }
        text = _(
            "%(subject)s. Open your private link: %(url)s We will send you a one-time code "
            "to open it. The link works for 90 days."
        ) % {"subject": subject, "url": url}
        contact.tell_now(patient, subject, text)


def link_for_token(token: str, now: dt.datetime | None = None) -> PatientLink | None:
    return PatientLink.objects.usable(now).filter(token_hash=access.hash_token(token)).first()


def session_link(request: HttpRequest) -> PatientLink | None:
    link_id = request.session.get(SESSION_LINK)
    if link_id is None:
        return None
    return PatientLink.objects.usable().select_related("patient").filter(pk=link_id).first()


def send_code(link: PatientLink, now: dt.datetime | None = None) -> str | None:
    """Returns where the code will go (masked), or None when the patient cannot be reached.
    The caller checks `may_send_code` first. The row counts against the ration now; the
    code itself is made by `deliver_code`, when the message goes out."""
    from carewatch.eyes.portal import tasks

    found = contact.where(link.patient)
    if found is not None:
        row = OneTimeCode.objects.create(link=link, code_hash="", created=now or timezone.now())
        transaction.on_commit(lambda: tasks.send_portal_code(row.pk))
    return found


def deliver_code(code_id: int) -> None:
    """A new code for the row (a retried send makes another: only the latest works)."""
    row = OneTimeCode.objects.select_related("link__patient__clinic").filter(pk=code_id).first()
    if row is None or row.used_at is not None:
        return
    code = access.new_code()
    OneTimeCode.objects.filter(pk=row.pk).update(
        code_hash=access.hash_code(code, settings.SECRET_KEY)
    )
    patient = row.link.patient
    with contact.in_language(patient):
        text = _("Your CareWatch code is %(code)s. It works for 10 minutes. Do not share it.") % {
            "code": code
        }
        contact.tell_now(patient, _("Your CareWatch code"), text)


def may_send_code(link: PatientLink, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    recent = link.codes.filter(created__gt=now - dt.timedelta(hours=1))
    return access.may_send_code(recent.values_list("created", flat=True), now)


def try_code(
    link: PatientLink, typed: str, now: dt.datetime | None = None
) -> tuple[access.Check, int]:
    """Judges the latest code; returns the verdict and the tries left after it."""
    now = now or timezone.now()
    code = link.codes.first()
    if code is None:
        return access.Check.USED_UP, 0
    verdict = access.check_code(
        typed,
        code.code_hash,
        settings.SECRET_KEY,
        code.created,
        code.failures,
        code.used_at is not None,
        now,
    )
    if verdict == access.Check.WRONG:
        OneTimeCode.objects.filter(pk=code.pk).update(failures=F("failures") + 1)
        return verdict, max(0, access.CODE_TRIES - code.failures - 1)
    if verdict == access.Check.RIGHT:
        # A conditional update: two tabs submitting the same code open one session.
        claimed = OneTimeCode.objects.filter(pk=code.pk, used_at__isnull=True).update(used_at=now)
        if not claimed:
            return access.Check.USED_UP, 0
    return verdict, 0


def open_session(request: HttpRequest, link: PatientLink, now: dt.datetime | None = None) -> None:
    request.session.cycle_key()  # a fresh session id once the patient is who they say
    until = (now or timezone.now()) + access.SESSION_LIFETIME
    request.session[SESSION_LINK] = link.pk
    request.session[SESSION_PATIENT] = link.patient_id
    request.session[SESSION_UNTIL] = until.isoformat()


def close_session(request: HttpRequest) -> None:
    for key in (SESSION_PATIENT, SESSION_UNTIL):
        request.session.pop(key, None)


def session_patient(request: HttpRequest) -> Patient | None:
    """The patient this browser proved to be, while the session and its link still hold."""
    until = request.session.get(SESSION_UNTIL)
    if until is None or dt.datetime.fromisoformat(until) <= timezone.now():
        return None
    link = session_link(request)
    if link is None or link.patient_id != request.session.get(SESSION_PATIENT):
        return None
    return link.patient
