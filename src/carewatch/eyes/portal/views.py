"""The patient's pages. No account: a private link, then a one-time code, opens a session of
30 minutes limited to that patient. Every lookup is scoped to that patient, so another
patient's report is a 404, and an unknown link looks exactly like an expired one."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carewatch.eyes.portal import access, actions, invitation, links
from carewatch.eyes.portal.forms import CodeForm, FeedbackForm, PreferencesForm, TestimonialForm
from carewatch.eyes.portal.models import (
    Invitation,
    Testimonial,
    preferences_of,
)
from carewatch.eyes.portal.reminders import CENTRE_FINDER
from carewatch.eyes.review.models import SignedReport
from carewatch.eyes.review.signing import HEATMAP_SHOWN
from carewatch.eyes.review.snapshot import heatmap_for_patient
from carewatch.eyes.screening import audit
from carewatch.eyes.screening.audit import Action, by_patient
from carewatch.eyes.screening.models import Patient, Visit

PatientView = Callable[..., HttpResponse]


def patient_required(view: PatientView) -> PatientView:
    """Without a live patient session, back to the page that asks for the code."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        patient = links.session_patient(request)
        if patient is None:
            return redirect("portal:start")
        return view(request, patient, *args, **kwargs)

    return wrapper


def open_link(request: HttpRequest, token: str) -> HttpResponse:
    link = links.link_for_token(token)
    if link is None:
        # The same page for a link that never existed and one that expired or was replaced.
        return render(request, "portal/link_invalid.html", status=404)
    if request.session.get(links.SESSION_LINK) != link.pk:
        links.close_session(request)
        request.session[links.SESSION_LINK] = link.pk
    return redirect("portal:start")  # the token leaves the address bar and the history


def start(request: HttpRequest) -> HttpResponse:
    if links.session_patient(request) is not None:
        return redirect("portal:reports")
    link = links.session_link(request)
    if link is None:
        return render(request, "portal/no_link.html")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verdict, left = links.try_code(link, form.cleaned_data["code"])
        if verdict == access.Check.RIGHT:
            links.open_session(request, link)
            audit.record(by_patient(request, link.patient), Action.PORTAL_LOGIN, link.patient)
            return redirect("portal:reports")
        form.add_error("code", code_error(verdict, left))
    return render(request, "portal/code.html", {"form": form, "has_code": link.codes.exists()})


def code_error(verdict: access.Check, left: int) -> str:
    if verdict == access.Check.EXPIRED:
        return _(
            "This code has expired (codes work for 10 minutes): "
            "press “Send me a code” for a new one."
        )
    if verdict == access.Check.WRONG and left:
        return _("That code is not right: check it and try again (%(left)s tries left).") % {
            "left": left
        }
    if verdict == access.Check.WRONG:
        return _(
            "That code is not right and that was the last try: "
            "press “Send me a code” for a new one."
        )
    return _("This code can no longer be used: press “Send me a code” for a new one.")


@require_POST
def send_code(request: HttpRequest) -> HttpResponse:
    link = links.session_link(request)
    if link is None:
        return redirect("portal:start")
    if not links.may_send_code(link):
        messages.error(
            request,
            _(
                "You have asked for %(n)s codes in the last hour: wait an hour, "
                "or ask your screening centre for help."
            )
            % {"n": access.CODES_PER_HOUR},
        )
        return redirect("portal:start")
    where = links.send_code(link)
    if where is None:
        messages.error(
            request,
            _("Your centre has no mobile number or e-mail address for you: ask them to add one."),
        )
    else:
        messages.success(
            request,
            _("We sent a 6-digit code to %(where)s. It works for 10 minutes.") % {"where": where},
        )
    return redirect("portal:start")


@require_POST
def log_out(request: HttpRequest) -> HttpResponse:
    links.close_session(request)
    messages.success(request, _("You have left your private pages."))
    return redirect("portal:start")


def latest_reports(patient: Patient) -> list[SignedReport]:
    """The latest signed version of each visit, newest visit first."""
    latest: dict[int, SignedReport] = {}
    reports = SignedReport.objects.filter(visit__patient=patient).select_related("visit")
    for report in reports.order_by("-visit__date", "-visit_id", "-version"):
        latest.setdefault(report.visit_id, report)
    return list(latest.values())


def patient_report(patient: Patient, visit_id: int) -> SignedReport:
    visit = get_object_or_404(Visit, pk=visit_id, patient=patient)
    signed = SignedReport.objects.latest_for(visit)
    if signed is None:
        raise Http404("No signed report for this visit.")
    return signed


@patient_required
def reports(request: HttpRequest, patient: Patient) -> HttpResponse:
    return render(
        request, "portal/reports.html", {"patient": patient, "reports": latest_reports(patient)}
    )


@patient_required
def report(request: HttpRequest, patient: Patient, visit_id: int) -> HttpResponse:
    from carewatch.eyes.documents.report import document_for

    signed = patient_report(patient, visit_id)
    doc = document_for(signed, for_patient=True)
    actor = by_patient(request, patient)
    audit.record(actor, Action.PORTAL_VIEW, patient, visit_id, signed, heatmap_note(signed))
    context = {"patient": patient, "report": signed, "doc": doc}
    return render(request, "portal/report.html", context)


@patient_required
def report_pdf(request: HttpRequest, patient: Patient, visit_id: int) -> HttpResponse:
    from carewatch.eyes.documents.pdf import report_pdf as make_pdf

    signed = patient_report(patient, visit_id)
    pdf = make_pdf(signed, patient.language or "en", for_patient=True)
    actor = by_patient(request, patient)
    audit.record(actor, Action.PORTAL_DOWNLOAD, patient, visit_id, signed, heatmap_note(signed))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"eye-screening-report-{signed.visit.date.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def heatmap_note(signed: SignedReport) -> str:
    """The audit says when the patient was shown heatmaps (the signing doctor agreed)."""
    return HEATMAP_SHOWN if heatmap_for_patient(signed.content) else ""


@patient_required
def feedback(request: HttpRequest, patient: Patient) -> HttpResponse:
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.patient, form.instance.clinic = patient, patient.clinic
        form.save()
        messages.success(request, _("Thank you: your centre will read what you wrote."))
        return redirect("portal:reports")
    return render(request, "portal/feedback.html", {"form": form})


@patient_required
def preferences(request: HttpRequest, patient: Patient) -> HttpResponse:
    current = preferences_of(patient)
    initial = {
        "contact_by": current.contact_by,
        "language": patient.language,
        "reminders": current.reminders,
    }
    form = PreferencesForm(request.POST or None, initial=initial, patient=patient)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.do_set_preferences(
            by_patient(request, patient),
            patient,
            data["contact_by"],
            data["reminders"],
            data["language"],
        )
        messages.success(request, _("Your choices are saved."))
        return redirect("portal:reports")
    return render(request, "portal/preferences.html", {"form": form})


@patient_required
def testimonial(request: HttpRequest, patient: Patient) -> HttpResponse:
    form = TestimonialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.patient, form.instance.clinic = patient, patient.clinic
        form.instance.first_name = first_name(patient.name)
        form.save()
        messages.success(
            request, _("Thank you. Your centre will check your words before they are published.")
        )
        return redirect("portal:testimonial")
    mine = Testimonial.objects.filter(patient=patient)
    return render(request, "portal/testimonial.html", {"form": form, "testimonials": mine})


def first_name(name: str) -> str:
    return (name.split() or [""])[0][:60]


@require_POST
@patient_required
def withdraw_testimonial(
    request: HttpRequest, patient: Patient, testimonial_id: int
) -> HttpResponse:
    found = get_object_or_404(Testimonial, pk=testimonial_id, patient=patient)
    if found.withdrawn_at is None:
        found.withdrawn_at = timezone.now()
        found.save(update_fields=["withdrawn_at"])
    messages.success(request, _("Your words are no longer published."))
    return redirect("portal:testimonial")


@patient_required
def invite(request: HttpRequest, patient: Patient) -> HttpResponse:
    code = invitation_for(patient).code
    url = invitation.invitation_url(settings.SITE_URL, CENTRE_FINDER, code)
    text = invitation_text()
    context = {"text": text, "url": url, "links": invitation.share_links(text, url)}
    return render(request, "portal/invite.html", context)


def invitation_for(patient: Patient) -> Invitation:
    found = Invitation.objects.filter(patient=patient).first()
    while found is None:
        code = invitation.new_referral_code()
        if not Invitation.objects.filter(code=code).exists():
            found = Invitation.objects.create(patient=patient, code=code)
    return found


def invitation_text() -> str:
    """The same words for everyone: nothing about the sender, their eyes or their health."""
    return _(
        "Do you or someone in your family have diabetes? A quick, painless photo of the "
        "eyes can find problems early and protect your sight. Find a screening centre near you:"
    )
