"""What a screening centre keeps: only the data screening needs, photos encrypted at rest."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from carewatch.eyes import wording
from carewatch.platform.accounts.models import Clinic, User


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


class DiabetesType(models.TextChoices):
    TYPE_1 = "type1", _("Type 1")
    TYPE_2 = "type2", _("Type 2")
    GESTATIONAL = "gestational", _("Gestational")
    OTHER = "other", _("Other or not known")


class Patient(models.Model):
    clinic = models.ForeignKey(Clinic, models.CASCADE, related_name="patients")
    number = models.CharField(_("patient number"), max_length=32)
    name = models.CharField(_("name"), max_length=120)
    date_of_birth = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    diabetes_type = models.CharField(
        _("diabetes type"), max_length=12, choices=DiabetesType.choices
    )
    # The year, not a duration: a duration typed today would be wrong next year.
    diabetes_since = models.PositiveSmallIntegerField(_("diabetes diagnosed in (year)"))
    # The language the patient reads: their report, letters and messages are written in it.
    language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "number"], name="one_number_per_clinic")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"

    @property
    def diabetes_years(self) -> int:
        return max(0, date.today().year - self.diabetes_since)

    def consent(self, kind: str) -> Consent | None:
        """The latest decision of this kind (a later record replaces an earlier one)."""
        return self.consents.filter(kind=kind).order_by("-recorded_at", "-id").first()

    def has_consent(self, kind: str) -> bool:
        latest = self.consent(kind)
        return bool(latest and latest.given)


def new_patient_number(clinic: Clinic) -> str:
    while True:
        number = f"P{secrets.randbelow(10**6):06d}"
        if not Patient.objects.filter(clinic=clinic, number=number).exists():
            return number


class ConsentKind(models.TextChoices):
    SCREENING = "screening", _("Screening")
    RESEARCH = "research", _("Research use of de-identified photos and results")


CONSENT_WORDING: dict[str, Any] = {
    ConsentKind.SCREENING: _(
        "I agree to photographs of my eyes being taken and graded by software, and to a "
        "doctor reviewing the result, for diabetic eye screening."
    ),
    ConsentKind.RESEARCH: _(
        "I agree that my photographs and results, with my name and dates removed, may be "
        "used for research to improve screening. Saying no does not change my care."
    ),
}


class Consent(models.Model):
    """One decision, never edited: a change of mind is a new record."""

    patient = models.ForeignKey(Patient, models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=12, choices=ConsentKind.choices)
    given = models.BooleanField()
    wording = models.TextField(help_text="What the patient was told, as shown to them.")
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {'given' if self.given else 'refused'} at {self.recorded_at}"


def consent_wording(patient: Patient, kind: str) -> str:
    """In the patient's language: it is read to them, and kept as what they were told."""
    with translation.override(patient.language or translation.get_language()):
        return str(CONSENT_WORDING[kind])


def record_consent(patient: Patient, kind: str, given: bool, by: User) -> Consent:
    told = consent_wording(patient, kind)
    return Consent.objects.create(
        patient=patient, kind=kind, given=given, wording=told, recorded_by=by
    )


class VisitStatus(models.TextChoices):
    OPEN = "open", _("Photos being taken")
    GRADED = "graded", _("Graded, waiting for the doctor")
    RETAKE = "retake", _("A photo needs to be taken again")


class Visit(models.Model):
    patient = models.ForeignKey(Patient, models.CASCADE, related_name="visits")
    date = models.DateField(_("date"), default=date.today)
    status = models.CharField(max_length=12, choices=VisitStatus.choices, default=VisitStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"visit {self.pk} on {self.date}"

    def current_image(self, eye: str) -> Image | None:
        """The latest photo of that eye; earlier ones (retakes) are kept, never replaced."""
        return self.images.filter(eye=eye).order_by("-created", "-id").first()

    def current_images(self) -> dict[str, Image | None]:
        return {eye: self.current_image(eye) for eye in Eye.values}

    def refresh_status(self) -> None:
        states = [i.status if i else None for i in self.current_images().values()]
        if any(s in RETAKE_STATES for s in states):
            self.status = VisitStatus.RETAKE
        elif all(s == ImageStatus.GRADED for s in states):
            self.status = VisitStatus.GRADED
        else:
            self.status = VisitStatus.OPEN
        self.save(update_fields=["status"])


class Eye(models.TextChoices):
    RIGHT = "right", _("Right eye")
    LEFT = "left", _("Left eye")


class ImageStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be graded")
    GRADED = "graded", _("Graded")
    UNGRADABLE = "ungradable", _("Cannot be graded: take it again")
    FAILED = "failed", _("Grading failed")


RETAKE_STATES = {ImageStatus.UNGRADABLE, ImageStatus.FAILED}


def encrypted_name(instance: Any, filename: str) -> str:
    return f"eyes/{secrets.token_hex(16)}.bin"


class Image(models.Model):
    """A fundus photo, re-encoded without metadata and stored encrypted (see crypto.py)."""

    visit = models.ForeignKey(Visit, models.CASCADE, related_name="images")
    eye = models.CharField(_("eye"), max_length=5, choices=Eye.choices)
    photo = models.FileField(upload_to=encrypted_name)
    thumbnail = models.FileField(upload_to=encrypted_name)
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)  # of the uploaded bytes
    warning = models.TextField(blank=True)
    status = models.CharField(
        max_length=12, choices=ImageStatus.choices, default=ImageStatus.QUEUED
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    # When a worker claimed it for grading: a claim older than grading.LEASE was a worker
    # that died, and the sweep hands the photo to another.
    grading_started = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.eye} eye photo {self.pk}"


class Grading(models.Model):
    """The grader's output for one photo, naming the model bundle version that made it."""

    image = models.OneToOneField(Image, models.CASCADE, related_name="grading")
    model_version = models.CharField(max_length=40)
    gradable = models.BooleanField()
    reason = models.TextField(blank=True)  # why not gradable: what to do next
    grade = models.PositiveSmallIntegerField(null=True)  # ICDR 0-4; never set when ungradable
    grade_probabilities = models.JSONField(null=True)
    referable = models.BooleanField(null=True)
    referable_probability = models.FloatField(null=True)
    dme_risk = models.PositiveSmallIntegerField(null=True)  # 0 none, 1 away from, 2 near macula
    dme_probabilities = models.JSONField(null=True)
    # Vision-threatening DR (severe NPDR, PDR or exudates near the macula): urgent referral.
    # Null for gradings by bundles before 2.0.0, which had no such flag.
    urgent = models.BooleanField(null=True)
    urgent_probability = models.FloatField(null=True)
    profile = models.CharField(max_length=40, blank=True)  # the bundle's camera profile
    quality = models.JSONField(default=dict)
    heatmap = models.FileField(upload_to=encrypted_name, blank=True)  # encrypted PNG overlay
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(gradable=True) | models.Q(grade__isnull=True),
                name="ungradable_has_no_grade",
            )
        ]

    def __str__(self) -> str:
        return f"grading of photo {self.image_id} by {self.model_version}"

    def stage(self) -> str:
        return wording.stage(self.grade)

    def dme_words(self) -> str:
        return wording.dme(self.dme_risk)

    def reason_words(self) -> str:
        return wording.reason_words(self.reason, self.quality)

    def urgent_words(self) -> str:
        return str(wording.URGENT)


class AppendOnly(Exception):
    """The audit log is append-only: entries are never changed or removed."""


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnly("Audit entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    """Who saw or did what with which patient's data, when and from where.

    Append-only in the database too (migration 0004, platform/lib/append_only.py): only
    `patient` and `user` may change, and only to NULL, when the patient is erased or the
    account deleted; `patient_number` and `who` keep naming them.
    """

    clinic = models.ForeignKey(Clinic, models.PROTECT, related_name="+")
    # Kept as text too, so the entry still names the person after their account is gone.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    who = models.CharField(max_length=254)
    action = models.CharField(max_length=40)
    patient = models.ForeignKey(Patient, models.SET_NULL, null=True, blank=True, related_name="+")
    patient_number = models.CharField(max_length=32, blank=True)
    visit_id = models.BigIntegerField(null=True, blank=True)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.BigIntegerField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # Why, where the action needs one: the request behind an erasure, what an export held.
    note = models.TextField(blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at} {self.who} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly("Audit entries cannot be deleted.")
