"""Sign and amend: check, write one version, and announce it only after the commit."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from carewatch.eyes.review.current import eyes_of
from carewatch.eyes.review.models import SignedReport
from carewatch.eyes.review.signals import report_signed
from carewatch.eyes.review.snapshot import EyeDecision, decide, snapshot
from carewatch.eyes.screening.audit import Action, Actor, record
from carewatch.eyes.screening.models import Visit, VisitStatus
from carewatch.platform.accounts.models import User

REVIEWABLE = (VisitStatus.GRADED, VisitStatus.RETAKE)
# The audit notes of the heatmap agreement: at signing, and on each patient access it allows.
HEATMAP_AGREED = "heatmaps shown on the patient's copy (the doctor agreed)"
HEATMAP_SHOWN = "with heatmaps (the signing doctor agreed)"


class SignedMeanwhile(Exception):
    """Someone signed a version after the doctor opened the page (or this is a second click)."""

    def __init__(self, latest: SignedReport) -> None:
        super().__init__(f"visit {latest.visit_id} is already at version {latest.version}")
        self.latest = latest


def signer_name(user: User) -> str:
    return (user.get_full_name() or user.email)[:150]


def sign(
    visit: Visit,
    decisions: dict[str, EyeDecision],
    doctor_note: str,
    by: User,
    *,
    seen_version: int = 0,
    amendment_reason: str = "",
    heatmap_for_patient: bool = False,
) -> SignedReport:
    """Version `seen_version + 1`: from the gradings for a first signature, else from the
    latest version. Raises SignedMeanwhile when the visit has moved past `seen_version`.
    heatmap_for_patient: the doctor agreed to show the heatmaps on the patient's copy."""
    with transaction.atomic():
        # Signers of one visit queue up here (PostgreSQL); the unique constraint backs it.
        Visit.objects.select_for_update().filter(pk=visit.pk).first()
        latest = SignedReport.objects.latest_for(visit)
        if (latest.version if latest else 0) != seen_version:
            assert latest is not None
            raise SignedMeanwhile(latest)
        base: list[dict[str, Any]] = latest.content["eyes"] if latest else eyes_of(visit)
        content = snapshot(base, decisions, doctor_note, heatmap_for_patient)
        report = create(visit, seen_version + 1, content, by, amendment_reason)
        transaction.on_commit(lambda: report_signed.send(sender=SignedReport, report=report))
    return report


def do_sign(
    actor: Actor,
    visit: Visit,
    decisions: dict[str, EyeDecision],
    doctor_note: str,
    *,
    seen_version: int = 0,
    amendment_reason: str = "",
    heatmap_for_patient: bool = False,
) -> SignedReport:
    """sign() by the acting doctor, with its audit entry in the same transaction (its note
    says when the doctor agreed to show the patient the heatmaps)."""
    assert actor.user is not None, "a doctor signs"
    with transaction.atomic():
        report = sign(
            visit,
            decisions,
            doctor_note,
            actor.user,
            seen_version=seen_version,
            amendment_reason=amendment_reason,
            heatmap_for_patient=heatmap_for_patient,
        )
        action = Action.REPORT_AMEND if report.version > 1 else Action.REPORT_SIGN
        note = HEATMAP_AGREED if heatmap_for_patient else ""
        record(actor, action, visit.patient, visit.pk, report, note)
    return report


def create(
    visit: Visit, version: int, content: dict[str, Any], by: User, reason: str
) -> SignedReport:
    decision = decide(content)
    try:
        with transaction.atomic():
            return SignedReport.objects.create(
                visit=visit,
                version=version,
                content=content,
                outcome=int(decision.outcome),
                referable=decision.referable,
                follow_up_months=decision.follow_up_months,
                signed_by=by,
                signer_name=signer_name(by),
                signed_at=timezone.now(),
                amendment_reason=reason.strip(),
            )
    except IntegrityError:
        latest = SignedReport.objects.latest_for(visit)
        if latest is None:
            raise
        raise SignedMeanwhile(latest) from None
