"""What the other Eyes apps add to screening, without screening importing them.

Screening is the bottom of Eyes: booking and review build on it, so it asks them through
these signals instead of calling them (the arrows point down; a contract checks).

registration_opened(request, clinic): a receiver returns starting values for the registration
    form (booking: the details of the booking being checked in), or {}.
patient_registered(request, patient): sent inside the registration's transaction
    (booking: the booking has arrived, or a walk-in joins today's list).
final_grades(visit_ids): a receiver returns {image id: the eye's final findings} (review:
    the doctor's grades from each visit's latest signed report), for the research export.
"""

from __future__ import annotations

from typing import Any, cast

from django.dispatch import Signal

registration_opened = Signal()
patient_registered = Signal()
final_grades = Signal()


def merged(signal: Signal, **kwargs: Any) -> dict[Any, Any]:
    """The receivers' dictionaries, merged: for the signals that ask a question."""
    answer: dict[Any, Any] = {}
    for _receiver, response in signal.send(sender=None, **kwargs):
        answer.update(cast("dict[Any, Any]", response) or {})
    return answer
