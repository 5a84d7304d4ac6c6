"""A doctor's signed report: each version frozen once saved; a correction is a new version."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from carewatch.eyes.screening.models import AppendOnly, Visit


class SignedReportImmutable(AppendOnly):
    """A signed version is a medical record: it is amended by a new version, never edited."""


class SignedReportQuerySet(models.QuerySet["SignedReport"]):
    def update(self, **kwargs: Any) -> int:
        raise SignedReportImmutable("Signed reports cannot be changed: amend them instead.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise SignedReportImmutable("Signed reports cannot be deleted.")

    def latest_for(self, visit: Visit) -> SignedReport | None:
        return self.filter(visit=visit).order_by("-version").first()


class SignedReport(models.Model):
    """One signed version of a visit's report; never changed once saved."""

    visit = models.ForeignKey(Visit, models.PROTECT, related_name="signed_reports")
    version = models.PositiveSmallIntegerField()  # 1, 2, ... per visit
    content = models.JSONField()  # the frozen report: see snapshot.py for its schema
    outcome = models.PositiveSmallIntegerField()  # screening.recommend.Outcome value
    referable = models.BooleanField()
    follow_up_months = models.PositiveSmallIntegerField(null=True)  # 12 for "rescreen in 12"
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    # Kept as text too: the report names its signer as they were called when they signed.
    signer_name = models.CharField(max_length=150)
    signed_at = models.DateTimeField()
    amendment_reason = models.TextField(blank=True)  # empty for version 1

    objects = SignedReportQuerySet.as_manager()

    class Meta:
        ordering = ["visit", "-version"]
        constraints = [
            # Two doctors (or two clicks) signing at once: the database lets only one win.
            models.UniqueConstraint(fields=["visit", "version"], name="one_signed_version"),
        ]

    def __str__(self) -> str:
        return f"signed report v{self.version} of visit {self.visit_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise SignedReportImmutable("Signed reports cannot be changed: amend them instead.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise SignedReportImmutable("Signed reports cannot be deleted.")

    @property
    def is_amendment(self) -> bool:
        return self.version > 1
