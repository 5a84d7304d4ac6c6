"""Staff downloads of a signed report and its referral letter, as PDF, audited."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from carewatch.eyes.documents.pdf import referral_letter_pdf, report_pdf
from carewatch.eyes.review.models import SignedReport
from carewatch.eyes.screening import audit
from carewatch.platform.accounts.permissions import ANY_STAFF, clinic_role_required


def get_report(request: HttpRequest, report_id: int) -> SignedReport:
    """Scoped to the centre in the URL: another centre's report id is a 404."""
    reports = SignedReport.objects.select_related("visit__patient__clinic")
    clinic = request.clinic  # type: ignore[attr-defined]
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
    action: str,
    language: str,
) -> HttpResponse:
    if language not in dict(settings.LANGUAGES):
        codes = ", ".join(code for code, _name in settings.LANGUAGES)
        return HttpResponseBadRequest(
            _("Unknown language “%(code)s”: choose one of %(codes)s.")
            % {"code": language, "codes": codes}
        )
    data = make(report, language)
    audit.record(request, action, report.visit.patient, report.visit_id, report)
    response = HttpResponse(data, content_type="application/pdf")
    # The visit number and version name the file: never the patient's name.
    filename = f"{name}-visit{report.visit_id}-v{report.version}-{language}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@clinic_role_required(*ANY_STAFF)
def report_download(request: HttpRequest, clinic_slug: str, report_id: int) -> HttpResponse:
    report = get_report(request, report_id)
    language = language_for(request, report)
    return pdf_response(request, report, report_pdf, "eye-report", "report.download", language)


@clinic_role_required(*ANY_STAFF)
def referral_download(request: HttpRequest, clinic_slug: str, report_id: int) -> HttpResponse:
    report = get_report(request, report_id)
    if not report.referable:
        return HttpResponseBadRequest(
            _(
                "This report does not refer the patient, so there is no referral letter: "
                "download the report instead."
            )
        )
    language = referral_language_for(request, report)
    return pdf_response(
        request, report, referral_letter_pdf, "referral", "referral.download", language
    )
