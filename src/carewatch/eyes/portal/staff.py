"""Centre staff pages of the patient side: a new private link, feedback and testimonials.
Every view goes through `clinic_role_required` and scopes its lookups to the `clinic` it
hands the view."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carewatch.eyes.portal import actions
from carewatch.eyes.portal.models import Feedback, Testimonial
from carewatch.eyes.portal.summary import summarise
from carewatch.eyes.screening.audit import by_staff
from carewatch.eyes.screening.models import Patient
from carewatch.platform.accounts.models import Clinic, User
from carewatch.platform.accounts.permissions import (
    ANY_STAFF,
    SignedInRequest,
    clinic_role_required,
)


@require_POST
@clinic_role_required(*ANY_STAFF)
def reissue_link(request: SignedInRequest, clinic: Clinic, patient_id: int) -> HttpResponse:
    patient = get_object_or_404(Patient, pk=patient_id, clinic=clinic)
    where = actions.do_send_link(by_staff(request, clinic), patient)
    if where is None:
        messages.error(
            request,
            _("The patient has no mobile number or e-mail address: add one, then send again."),
        )
    else:
        messages.success(
            request,
            _("A new private link was sent to %(where)s. Earlier links no longer work.")
            % {"where": where},
        )
    return redirect("screening:patient", clinic.slug, patient.pk)


@clinic_role_required(*ANY_STAFF)
def feedback_summary(request: SignedInRequest, clinic: Clinic) -> HttpResponse:
    answers = Feedback.objects.filter(clinic=clinic)
    summary = summarise(answers.values_list("satisfaction", flat=True))
    context = {
        "summary": summary,
        "bars": [(score, summary.counts[score], summary.share(score)) for score in range(5, 0, -1)],
        "comments": answers.exclude(comment="")[:30],
        "testimonials": Testimonial.objects.filter(clinic=clinic, withdrawn_at__isnull=True),
    }
    return render(request, "portal/staff_feedback.html", context)


@require_POST
@clinic_role_required(*ANY_STAFF)
def moderate(request: SignedInRequest, clinic: Clinic, testimonial_id: int) -> HttpResponse:
    found = get_object_or_404(Testimonial, pk=testimonial_id, clinic=clinic)
    if request.POST.get("decision") == "approve" and found.withdrawn_at is None:
        found.approved_at, found.approved_by = timezone.now(), cast(User, request.user)
        messages.success(request, _("The testimonial is published on the Eyes page."))
    else:
        found.approved_at, found.approved_by = None, None
        messages.success(request, _("The testimonial is not published."))
    found.save(update_fields=["approved_at", "approved_by"])
    return redirect("portal:staff_feedback", clinic.slug)
