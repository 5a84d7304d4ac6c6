"""What the patient side keeps: link and code hashes, reminders, feedback, testimonials."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carewatch.eyes.portal import access
from carewatch.eyes.screening.models import Patient, Visit
from carewatch.platform.accounts.models import Clinic


class LinkQuerySet(models.QuerySet["PatientLink"]):
    def usable(self, now: dt.datetime | None = None) -> LinkQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class PatientLink(models.Model):
    """A private link to a patient's reports. Only the token's hash is kept."""

    patient = models.ForeignKey(Patient, models.CASCADE, related_name="portal_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    # A newer link replaces this one: only the latest message's link opens anything.
    revoked_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = LinkQuerySet.as_manager()

    def __str__(self) -> str:
        return f"link {self.pk} of patient {self.patient_id}"


class OneTimeCode(models.Model):
    link = models.ForeignKey(PatientLink, models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)
    created = models.DateTimeField(default=timezone.now)
    failures = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"code {self.pk} for link {self.link_id}"


class Contact(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class Preferences(models.Model):
    """How the patient wants to hear from us (their language is Patient.language)."""

    patient = models.OneToOneField(Patient, models.CASCADE, related_name="portal_preferences")
    contact_by = models.CharField(_("contact me by"), max_length=5, choices=Contact.choices)
    reminders = models.BooleanField(_("remind me when it is time to be screened again"))
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"preferences of patient {self.patient_id}"


def preferences_of(patient: Patient) -> Preferences:
    """Unsaved defaults until the patient chooses: SMS when there is a phone, reminders on."""
    found = Preferences.objects.filter(patient=patient).first()
    if found is not None:
        return found
    default = Contact.SMS if patient.phone or not patient.email else Contact.EMAIL
    return Preferences(patient=patient, contact_by=default, reminders=True)


class Reminder(models.Model):
    """A rescreen reminder, planned from a signed report's follow-up interval."""

    patient = models.ForeignKey(Patient, models.CASCADE, related_name="portal_reminders")
    # The visit that set the interval; the report version that set it (an amendment re-plans).
    visit = models.ForeignKey(Visit, models.CASCADE, related_name="+")
    report_version = models.PositiveSmallIntegerField()
    months = models.PositiveSmallIntegerField()
    due_on = models.DateField(db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=80, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"reminder for patient {self.patient_id} on {self.due_on}"


class Feedback(models.Model):
    patient = models.ForeignKey(Patient, models.CASCADE, related_name="portal_feedback")
    clinic = models.ForeignKey(Clinic, models.CASCADE, related_name="+")
    satisfaction = models.PositiveSmallIntegerField(
        _("how satisfied are you with your screening?"),
        choices=[(n, str(n)) for n in range(1, 6)],
    )
    comment = models.TextField(_("anything you would like to tell us (optional)"), blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"feedback {self.satisfaction}/5 from patient {self.patient_id}"


class TestimonialQuerySet(models.QuerySet["Testimonial"]):
    def published(self) -> TestimonialQuerySet:
        return self.filter(consent=True, withdrawn_at__isnull=True, approved_at__isnull=False)


class Testimonial(models.Model):
    """Shown only with the patient's consent, after staff approve, until consent is withdrawn."""

    patient = models.ForeignKey(Patient, models.CASCADE, related_name="portal_testimonials")
    clinic = models.ForeignKey(Clinic, models.CASCADE, related_name="+")
    text = models.TextField(_("your words"), max_length=600)
    first_name = models.CharField(max_length=60)  # the only part of the name ever shown
    consent = models.BooleanField(_("I agree that these words may be published"))
    created = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = TestimonialQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"testimonial {self.pk} by {self.first_name}"


class Invitation(models.Model):
    """The patient's referral code: random, so it tells nobody who shared it."""

    patient = models.OneToOneField(Patient, models.CASCADE, related_name="portal_invitation")
    code = models.CharField(max_length=12, unique=True)
    created = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.code


def link_expiry(now: dt.datetime) -> dt.datetime:
    return now + access.LINK_LIFETIME
