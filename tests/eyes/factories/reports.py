"""Signed reports as the review app stores them: the one builder every Eyes test uses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from carewatch.eyes.review.current import eyes_of
from carewatch.eyes.review.models import SignedReport
from carewatch.eyes.review.snapshot import EyeDecision, decide, eye_from_grading, snapshot
from carewatch.eyes.screening.models import Visit
from carewatch.platform.accounts.models import User

MODEL_VERSION = "retina-test-1.0.0"
SIGNED_AT = timezone.make_aware(datetime(2026, 11, 20, 10, 30))


def graded_eye(
    side: str, grade: int, dme_risk: int = 0, urgent: bool | None = None
) -> dict[str, Any]:
    """One eye as the grader left it, without a stored photo (urgent: the model's flag)."""
    return eye_from_grading(
        side,
        None,
        gradable=True,
        grade=grade,
        dme_risk=dme_risk,
        model_version=MODEL_VERSION,
        model_urgent=urgent,
    )


def signed_report(
    visit: Visit,
    doctor: User,
    decisions: dict[str, EyeDecision] | None = None,
    note: str = "",
    version: int = 1,
    amendment_reason: str = "",
    *,
    eyes: list[dict[str, Any]] | None = None,
    signed_at: datetime = SIGNED_AT,
    follow_up_months: int | None = None,
) -> SignedReport:
    """A signed version of the visit: from its current photos and gradings as the review app
    reads them (or from `eyes`, for a visit without photos), with the doctor's decisions;
    the outcome, referral and follow-up come from the clinical rules (`follow_up_months`
    sets another interval, for the reminder tests)."""
    content = snapshot(eyes if eyes is not None else eyes_of(visit), decisions or {}, note)
    decision = decide(content)
    return SignedReport.objects.create(
        visit=visit,
        version=version,
        content=content,
        outcome=decision.outcome,
        referable=decision.referable,
        follow_up_months=follow_up_months or decision.follow_up_months,
        signed_by=doctor,
        signer_name="Dr Kavya Rao",
        signed_at=signed_at,
        amendment_reason=amendment_reason,
    )
