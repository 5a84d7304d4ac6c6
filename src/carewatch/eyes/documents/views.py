"""The signed report for staff: its page, its PDF and referral letter, its FHIR export; audited."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from carewatch.eyes.documents.fhir_export import diagnostic_report
from carewatch.eyes.documents.pdf import referral_letter_pdf, report_pdf
from carewatch.eyes.documents.report import document_for
from carewatch.eyes.review.models import SignedReport
from carewatch.eyes.review.snapshot import heatmap_for_patient
from carewatch.eyes.screening import audit
from carewatch.eyes.screening.audit import Action, by_staff
from carewatch.platform.accounts.models import Clinic, ClinicRole
from carewatch.platform.accounts.permissions import (
    ANY_STAFF,
    SignedInRequest,
    clinic_role,
    clinic_role_required,
)


def get_report(clinic: Clinic, report_id: int) -> SignedReport:
    """Scoped to the centre in the URL: another centre's report id is a 404."""
    reports = SignedReport.objects.select_related("visit__patient__clinic")
    return get_object_or_404(reports.filter(visit__patient__clinic=clinic), pk=report_id)


def language_for(request: HttpRequest, report: SignedReport) -> str:
    """?lang= when given, else the language the patient reads."""
    return request.GET.get("lang") or report.visit.patient.language or get_language() or "en"


def referral_language_for(request: HttpRequest, report: SignedReport) -> str:
    """?lang= when given, else the receiving eye department's (the centre's setting):
    the letter is read by its doctors, not by the patient."""
    centre = getattr(report.visit.patient.clinic, "centre", None)
    return request.GET.get("lang") or getattr(centre, "referral_language", "") or "en"


def pdf_response(
    request: HttpRequest,
    report: SignedReport,
    make: Callable[[SignedReport, str], bytes],
    name: str,
    action: Action,
    language: str,
) -> HttpResponse:
    if language not in dict(settings.LANGUAGES):
        codes = ", ".join(code for code, _name in settings.LANGUAGES)
        return HttpResponseBadRequest(
            _("Unknown language “%(code)s”: choose one of %(codes)s.")
            % {"code": language, "codes": codes}
        )
    data = make(report, language)
    staff = by_staff(request, report.visit.patient.clinic)
    audit.record(staff, action, report.visit.patient, report.visit_id, report)
    response = HttpResponse(data, content_type="application/pdf")
    # The visit number and version name the file: never the patient's name.
    filename = f"{name}-visit{report.visit_id}-v{report.version}-{language}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@clinic_role_required(*ANY_STAFF)
def report_download(request: SignedInRequest, clinic: Clinic, report_id: int) -> HttpResponse:
    report = get_report(clinic, report_id)
    language = language_for(request, report)
    return pdf_response(request, report, report_pdf, "eye-report", Action.REPORT_DOWNLOAD, language)


@clinic_role_required(*ANY_STAFF)
def referral_download(request: SignedInRequest, clinic: Clinic, report_id: int) -> HttpResponse:
    report = get_report(clinic, report_id)
    if not report.referable:
        return HttpResponseBadRequest(
            _(
                "This report does not refer the patient, so there is no referral letter: "
                "download the report instead."
            )
        )
    language = referral_language_for(request, report)
    return pdf_response(
        request, report, referral_letter_pdf, "referral", Action.REFERRAL_DOWNLOAD, language
    )


@require_GET
@clinic_role_required(*ANY_STAFF)
def report_page(request: SignedInRequest, clinic: Clinic, report_id: int) -> HttpResponse:
    report = get_report(clinic, report_id)
    versions = list(SignedReport.objects.filter(visit=report.visit).order_by("-version"))
    staff = by_staff(request, clinic)
    audit.record(staff, Action.REPORT_VIEW_SIGNED, report.visit.patient, report.visit_id, report)
    is_doctor = clinic_role(request.user, clinic) == ClinicRole.DOCTOR
    context = {
        "report": report,
        "visit": report.visit,
        "patient": report.visit.patient,
        "latest": versions[0],
        "versions": versions,
        # The same document the PDF is made from, so the page and the download agree.
        "doc": document_for(report),
        "can_amend": is_doctor,
        "heatmap_for_patient": heatmap_for_patient(report.content),
    }
    return render(request, "documents/report.html", context)


@require_GET
@clinic_role_required(*ANY_STAFF)
def fhir_export(request: SignedInRequest, clinic: Clinic, report_id: int) -> HttpResponse:
    report = get_report(clinic, report_id)
    resource = diagnostic_report(report, clinic)
    staff = by_staff(request, clinic)
    audit.record(staff, Action.REPORT_EXPORT_FHIR, report.visit.patient, report.visit_id, report)
    response = HttpResponse(json.dumps(resource, indent=2), content_type="application/fhir+json")
    name = f"report-{report.visit.patient.number}-v{report.version}.fhir.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
