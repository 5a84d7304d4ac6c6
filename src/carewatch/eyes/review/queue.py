"""The doctor's review queue: graded visits not yet signed, most urgent first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Max

from carewatch.eyes.clinical import Outcome
from carewatch.eyes.review.current import eyes_of, with_gradings
from carewatch.eyes.review.signing import REVIEWABLE
from carewatch.eyes.review.snapshot import Decision, decide, snapshot
from carewatch.eyes.screening.models import Visit
from carewatch.platform.accounts.models import Clinic

LIMIT = 200  # a centre's day; more than this on one page would not be read anyway


@dataclass(frozen=True)
class QueueItem:
    visit: Visit
    decision: Decision  # what the software's findings mean, before the doctor's review
    worse_eye: str | None
    waiting_since: datetime
    age: int

    @property
    def urgent(self) -> bool:
        """Vision-threatening in the software's findings: urgent referral."""
        return self.decision.outcome == Outcome.REFER_URGENT


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def queue_key(item: QueueItem) -> tuple[bool, int, datetime, int]:
    """Referable first, the more urgent outcome first among them, then the longest waiting."""
    d = item.decision
    return (not d.referable, -int(d.outcome), item.waiting_since, item.visit.pk)


def waiting(clinic: Clinic) -> list[Visit]:
    visits = Visit.objects.filter(
        patient__clinic=clinic, status__in=REVIEWABLE, signed_reports__isnull=True
    )
    visits = visits.annotate(graded_at=Max("images__grading__created"))
    visits = visits.select_related("patient").prefetch_related(with_gradings())
    return list(visits.order_by("graded_at", "pk")[:LIMIT])


def build(clinic: Clinic, today: date) -> list[QueueItem]:
    items = []
    for visit in waiting(clinic):
        content = snapshot(eyes_of(visit), {})
        items.append(
            QueueItem(
                visit=visit,
                decision=decide(content),
                worse_eye=content["worse_eye"],
                waiting_since=getattr(visit, "graded_at", None) or visit.created,
                age=age_on(visit.patient.date_of_birth, today),
            )
        )
    return sorted(items, key=queue_key)
