"""Doctor review pages. Every view goes through `clinic_role_required` and looks visits and
reports up within the `clinic` it hands the view, so another centre's ids give 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from carewatch.eyes.review import queue, signing
from carewatch.eyes.review.current import eyes_of
from carewatch.eyes.review.forms import AmendForm, EyeForm, SignForm
from carewatch.eyes.review.models import SignedReport
from carewatch.eyes.review.snapshot import EyeDecision, decide, result, snapshot
from carewatch.eyes.screening import audit
from carewatch.eyes.screening.audit import Action, by_staff
from carewatch.eyes.screening.models import Eye
from carewatch.eyes.screening.views import get_visit
from carewatch.eyes.wording import (
    DISCLAIMER,
    DME_RISKS,
    RECOMMENDATIONS,
    STAGES,
    URGENT,
    reason_words,
)
from carewatch.platform.accounts.models import Clinic, ClinicRole
from carewatch.platform.accounts.permissions import (
    ANY_STAFF,
    SignedInRequest,
    clinic_role,
    clinic_role_required,
)

EYE_LABELS = dict(Eye.choices)


def is_doctor(request: SignedInRequest, clinic: Clinic) -> bool:
    return clinic_role(request.user, clinic) == ClinicRole.DOCTOR


def get_report(clinic: Clinic, report_id: int) -> SignedReport:
    here = SignedReport.objects.filter(visit__patient__clinic=clinic)
    return get_object_or_404(here.select_related("visit__patient"), pk=report_id)


@require_GET
@clinic_role_required(*ANY_STAFF)
def queue_page(request: SignedInRequest, clinic: Clinic) -> HttpResponse:
    items = queue.build(clinic, timezone.localdate())
    audit.record(by_staff(request, clinic), Action.REVIEW_QUEUE)
    context = {"items": items, "can_sign": is_doctor(request, clinic), "now": timezone.now()}
    return render(request, "review/queue.html", context | {"follow_up": follow_up_words()})


def follow_up_words() -> dict[int, str]:
    return {int(outcome): str(words[1]) for outcome, words in RECOMMENDATIONS.items()}


def eye_forms(
    data: Any, eyes: list[dict[str, Any]], amending: bool = False
) -> list[tuple[dict[str, Any], EyeForm]]:
    return [
        (eye | described(eye), EyeForm(data, prefix=eye["eye"], eye=eye, amending=amending))
        for eye in eyes
    ]


def described(eye: dict[str, Any]) -> dict[str, Any]:
    """Words for an eye's numbers, for display only (the stored content keeps the numbers)."""
    words: dict[str, Any] = {
        "label": EYE_LABELS[eye["eye"]],
        "reason_words": reason_words(eye["reason"], eye.get("quality")),
        # Reports signed before the flag have neither: the grades decide, as they did then.
        "urgent": result(eye).is_urgent,
        "ai_urgent": eye.get("ai_urgent"),
        "urgent_words": URGENT,
    }
    for key, scale in (("grade", STAGES), ("ai_grade", STAGES)):
        words[f"{key}_words"] = scale[eye[key]] if eye[key] is not None else ""
    for key in ("dme_risk", "ai_dme_risk"):
        words[f"{key}_words"] = DME_RISKS[eye[key]] if eye[key] is not None else ""
    return words


def current_result(eyes: list[dict[str, Any]]) -> dict[str, Any]:
    """What the eyes mean for the patient as they stand, before this review's changes."""
    decision = decide(snapshot(eyes, {}))
    recommendation, follow_up = RECOMMENDATIONS[decision.outcome]
    return {
        "referable": decision.referable,
        "urgent": any(result(eye).is_urgent for eye in eyes),
        "recommendation": recommendation,
        "follow_up": follow_up,
    }


def decisions_of(forms: list[tuple[dict[str, Any], EyeForm]]) -> dict[str, EyeDecision]:
    return {eye["eye"]: form.decision() for eye, form in forms}


@clinic_role_required(*ANY_STAFF)
def review(request: SignedInRequest, clinic: Clinic, visit_id: int) -> HttpResponse:
    visit = get_visit(clinic, visit_id)
    latest = SignedReport.objects.latest_for(visit)
    posted = request.method == "POST"
    if posted and not is_doctor(request, clinic):
        raise PermissionDenied("Only a doctor signs a report.")
    if latest:
        if posted:
            signed_meanwhile(request, latest)
        return redirect("documents:report", clinic.slug, latest.pk)
    if visit.status not in signing.REVIEWABLE:
        messages.info(request, _("This visit is not graded yet: it can be reviewed once it is."))
        return redirect("screening:visit", clinic.slug, visit.pk)
    data = request.POST if posted else None
    eyes = eyes_of(visit)
    forms = eye_forms(data, eyes)
    form = SignForm(data, initial={"seen_version": 0})
    if posted and form.is_valid() and all(f.is_valid() for _e, f in forms):
        try:
            report = signing.do_sign(
                by_staff(request, clinic),
                visit,
                decisions_of(forms),
                form.cleaned_data["doctor_note"],
                seen_version=form.cleaned_data["seen_version"],
                heatmap_for_patient=form.cleaned_data["heatmap_for_patient"],
            )
        except signing.SignedMeanwhile as error:
            signed_meanwhile(request, error.latest)
            return redirect("documents:report", clinic.slug, error.latest.pk)
        messages.success(request, _("The report is signed."))
        return redirect("documents:report", clinic.slug, report.pk)
    audit.record(by_staff(request, clinic), Action.REVIEW_VIEW, visit.patient, visit.pk, visit)
    context = {
        "visit": visit,
        "patient": visit.patient,
        "forms": forms,
        "form": form,
        "result": current_result(eyes),
        "can_sign": is_doctor(request, clinic),
        "disclaimer": DISCLAIMER,
    }
    return render(request, "review/review.html", context)


def signed_meanwhile(request: HttpRequest, latest: SignedReport) -> None:
    messages.warning(
        request,
        _(
            "This report was already signed (version %(version)s, by %(name)s at %(time)s), so "
            "nothing was added. Read it below; to change it, amend it."
        )
        % {
            "version": latest.version,
            "name": latest.signer_name,
            "time": date_format(timezone.localtime(latest.signed_at), "DATETIME_FORMAT"),
        },
    )


@clinic_role_required(ClinicRole.DOCTOR)
def amend(request: SignedInRequest, clinic: Clinic, report_id: int) -> HttpResponse:
    report = get_report(clinic, report_id)
    visit = report.visit
    latest = SignedReport.objects.latest_for(visit)
    assert latest is not None  # `report` itself is one
    posted = request.method == "POST"
    data = request.POST if posted else None
    forms = eye_forms(data, latest.content["eyes"], amending=True)
    initial = {"seen_version": latest.version, "doctor_note": latest.content["doctor_note"]}
    form = AmendForm(data, initial=initial)
    if posted and form.is_valid() and all(f.is_valid() for _e, f in forms):
        try:
            amended = signing.do_sign(
                by_staff(request, clinic),
                visit,
                decisions_of(forms),
                form.cleaned_data["doctor_note"],
                seen_version=form.cleaned_data["seen_version"],
                amendment_reason=form.cleaned_data["amendment_reason"],
                heatmap_for_patient=form.cleaned_data["heatmap_for_patient"],
            )
        except signing.SignedMeanwhile as error:
            signed_meanwhile(request, error.latest)
            return redirect("documents:report", clinic.slug, error.latest.pk)
        messages.success(
            request,
            _("The amended report is signed as version %(version)s.")
            % {"version": amended.version},
        )
        return redirect("documents:report", clinic.slug, amended.pk)
    audit.record(by_staff(request, clinic), Action.REVIEW_VIEW, visit.patient, visit.pk, latest)
    context = {
        "visit": visit,
        "patient": visit.patient,
        "forms": forms,
        "form": form,
        "result": current_result(latest.content["eyes"]),
        "can_sign": True,
        "amending": latest,
        "disclaimer": DISCLAIMER,
    }
    return render(request, "review/review.html", context)
