"""Centre staff pages. Every view goes through `clinic_role_required`: 404 for everyone else,
and every patient lookup is scoped to the `clinic` it hands the view, so another centre's ids
give 404 too. Changes go through the do_* actions (actions.py), which write the audit entry."""

from __future__ import annotations

import tempfile
from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carewatch.eyes import wording
from carewatch.eyes.screening import (
    actions,
    audit,
    crypto,
    research,
    research_export,
    results,
    signals,
    visits,
)
from carewatch.eyes.screening.audit import Action, Actor, by_staff
from carewatch.eyes.screening.forms import (
    AuditFilterForm,
    ConsentForm,
    EraseForm,
    PatientForm,
    SearchForm,
    UploadForm,
)
from carewatch.eyes.screening.models import (
    AuditEntry,
    ConsentKind,
    Eye,
    Grading,
    Image,
    ImageStatus,
    Patient,
    Visit,
    consent_wording,
)
from carewatch.eyes.screening.upload_errors import BadUpload
from carewatch.eyes.screening.uploads import CheckedPhoto
from carewatch.platform.accounts.models import Clinic, ClinicRole
from carewatch.platform.accounts.permissions import (
    ANY_STAFF,
    SignedInRequest,
    clinic_role,
    clinic_role_required,
)


def get_patient(clinic: Clinic, patient_id: int) -> Patient:
    return get_object_or_404(Patient.objects.filter(clinic=clinic), pk=patient_id)


@clinic_role_required(*ANY_STAFF)
def patient_list(request: SignedInRequest, clinic: Clinic) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    patients = Patient.objects.filter(clinic=clinic)
    if query:
        patients = patients.filter(Q(name__icontains=query) | Q(number__iexact=query))
        audit.record(by_staff(request, clinic), Action.PATIENT_SEARCH)
    is_admin = clinic_role(request.user, clinic) == ClinicRole.ADMIN
    return render(
        request,
        "screening/patient_list.html",
        {"form": form, "query": query, "patients": patients[:50], "is_admin": is_admin},
    )


@clinic_role_required(*ANY_STAFF)
def register(request: SignedInRequest, clinic: Clinic) -> HttpResponse:
    # A booking being checked in fills the form in (booking answers this signal).
    initial = signals.merged(signals.registration_opened, request=request, clinic=clinic)
    form = PatientForm(request.POST or None, clinic=clinic, initial=initial)
    if request.method == "POST" and form.is_valid():
        research = form.cleaned_data["consent_research"]
        with transaction.atomic():
            patient = actions.do_register_patient(
                by_staff(request, clinic), form.save(commit=False), research
            )
            signals.patient_registered.send(sender=None, request=request, patient=patient)
        messages.success(request, _("%(name)s is registered.") % {"name": patient.name})
        return redirect("screening:patient", clinic.slug, patient.pk)
    return render(request, "screening/patient_form.html", {"form": form})


@clinic_role_required(*ANY_STAFF)
def patient_detail(request: SignedInRequest, clinic: Clinic, patient_id: int) -> HttpResponse:
    patient = get_patient(clinic, patient_id)
    audit.record(by_staff(request, clinic), Action.PATIENT_VIEW, patient, obj=patient)
    context = {
        "patient": patient,
        "consents": patient.consents.select_related("recorded_by"),
        "consent_form": ConsentForm(),
        "consent_texts": [
            (label, consent_wording(patient, kind)) for kind, label in ConsentKind.choices
        ],
        "patient_language": patient.language or request.LANGUAGE_CODE,
        "can_screen": patient.has_consent(ConsentKind.SCREENING),
        "is_admin": clinic_role(request.user, clinic) == ClinicRole.ADMIN,
        "visits": patient.visits.all(),
    }
    return render(request, "screening/patient_detail.html", context)


@require_POST
@clinic_role_required(*ANY_STAFF)
def add_consent(request: SignedInRequest, clinic: Clinic, patient_id: int) -> HttpResponse:
    patient = get_patient(clinic, patient_id)
    form = ConsentForm(request.POST)
    if form.is_valid():
        kind, given = form.cleaned_data["kind"], form.cleaned_data["given"]
        actions.do_record_consent(by_staff(request, clinic), patient, kind, given)
        messages.success(request, _("The patient's decision is recorded."))
    else:
        messages.error(request, _("Choose what the consent is for and the patient's decision."))
    return redirect("screening:patient", clinic.slug, patient.pk)


@clinic_role_required(ClinicRole.ADMIN)
def erase_patient(request: SignedInRequest, clinic: Clinic, patient_id: int) -> HttpResponse:
    patient = get_patient(clinic, patient_id)
    form = EraseForm(request.POST or None, patient=patient)
    if request.method == "POST" and form.is_valid():
        number = patient.number
        actions.do_erase_patient(by_staff(request, clinic), patient, form.cleaned_data["reason"])
        messages.success(
            request,
            _("Patient %(number)s is erased. The audit log keeps the number and the reason.")
            % {"number": number},
        )
        return redirect("screening:patients", clinic.slug)
    audit.record(by_staff(request, clinic), Action.PATIENT_VIEW, patient, obj=patient)
    context = {
        "patient": patient,
        "form": form,
        "visits": patient.visits.count(),
        "photos": Image.objects.filter(visit__patient=patient).count(),
    }
    return render(request, "screening/patient_erase.html", context)


@clinic_role_required(ClinicRole.ADMIN)
def research_page(request: SignedInRequest, clinic: Clinic) -> HttpResponse:
    """The de-identified export: a page saying what it holds; POST downloads it."""
    if request.method == "POST":
        # On disk: a big centre's photos would not fit in memory. FileResponse closes it.
        out = tempfile.TemporaryFile()  # noqa: SIM115
        photos, patients = research_export.write_export(clinic, out)
        if not photos:
            out.close()
            messages.error(
                request,
                _("There is nothing to export yet: no consenting patient has a gradable photo."),
            )
            return redirect("screening:research", clinic.slug)
        out.seek(0)
        note = f"{photos} photos of {patients} patients"
        audit.record(by_staff(request, clinic), Action.RESEARCH_EXPORT, note=note)
        response = FileResponse(
            out, as_attachment=True, filename="research-export.zip", content_type="application/zip"
        )
        return cast(HttpResponse, response)  # streamed; the decorators only need a response
    context = {
        "patients": research_export.consenting_patients(clinic).filter(research=True).count(),
        "photos": len(research_export.photos_for(clinic)),
        "columns": research.COLUMNS,
    }
    return render(request, "screening/research.html", context)


@clinic_role_required(ClinicRole.ADMIN)
def audit_log(request: SignedInRequest, clinic: Clinic) -> HttpResponse:
    entries: QuerySet[AuditEntry] = AuditEntry.objects.filter(clinic=clinic)
    actions = sorted(entries.order_by().values_list("action", flat=True).distinct())
    form = AuditFilterForm(request.GET, actions=actions)
    # A bad filter shows its error and no entries, never the whole log as if it matched.
    valid = form.is_valid()
    entries = filter_entries(entries, form.cleaned_data) if valid else entries.none()
    # Recorded before paging: the page counts its rows first and reads them later.
    audit.record(by_staff(request, clinic), Action.AUDIT_VIEW, note=request.GET.urlencode()[:500])
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "screening/audit_log.html", {"form": form, "page": page})


AUDIT_PAGE_SIZE = 50


def filter_entries(entries: QuerySet[AuditEntry], data: dict[str, Any]) -> QuerySet[AuditEntry]:
    if data.get("patient"):
        entries = entries.filter(patient_number=data["patient"].strip())
    if data.get("action"):
        entries = entries.filter(action=data["action"])
    if data.get("since"):
        entries = entries.filter(at__date__gte=data["since"])
    if data.get("until"):
        entries = entries.filter(at__date__lte=data["until"])
    return entries


def get_visit(clinic: Clinic, visit_id: int) -> Visit:
    visits_here = Visit.objects.filter(patient__clinic=clinic)
    return get_object_or_404(visits_here.select_related("patient"), pk=visit_id)


@require_POST
@clinic_role_required(*ANY_STAFF)
def new_visit(request: SignedInRequest, clinic: Clinic, patient_id: int) -> HttpResponse:
    patient = get_patient(clinic, patient_id)
    try:
        visit = actions.do_start_visit(by_staff(request, clinic), patient)
    except actions.NoConsent:
        messages.error(request, _("Record the patient's consent to screening first."))
        return redirect("screening:patient", clinic.slug, patient.pk)
    return redirect("screening:visit", clinic.slug, visit.pk)


def photos_by_eye(visit: Visit) -> list[tuple[str, object, Image | None]]:
    """(eye, label, current photo) for the visit page; review.current.eyes_of is the
    review's view of the same photos, as snapshot dictionaries."""
    current = visit.current_images()
    return [(eye, label, current[eye]) for eye, label in Eye.choices]


def visit_context(visit: Visit) -> dict[str, object]:
    eyes = photos_by_eye(visit)
    waiting = any(image and image.status == ImageStatus.QUEUED for _, _, image in eyes)
    return {"visit": visit, "patient": visit.patient, "eyes": eyes, "waiting": waiting}


@clinic_role_required(*ANY_STAFF)
def visit_detail(request: SignedInRequest, clinic: Clinic, visit_id: int) -> HttpResponse:
    visit = get_visit(clinic, visit_id)
    posted = request.method == "POST"
    form = UploadForm(request.POST, request.FILES) if posted else UploadForm()
    if posted and form.is_valid():
        saved = save_photos(by_staff(request, clinic), visit, form)
        if saved and not form.errors:
            messages.success(request, _("Photos received: grading has started."))
            return redirect("screening:visit", clinic.slug, visit.pk)
    audit.record(by_staff(request, clinic), Action.VISIT_VIEW, visit.patient, visit.pk, visit)
    context = visit_context(visit) | {"form": form}
    return render(request, "screening/visit_detail.html", context)


def save_photos(actor: Actor, visit: Visit, form: UploadForm) -> list[Image]:
    """Each eye on its own: a bad file is reported, the good one is still kept."""
    checked: dict[str, CheckedPhoto] = {}
    for eye in Eye.values:
        chosen = form.chosen(eye)
        if len(chosen) > 1:
            form.add_error(
                eye, _("Choose a file or take a photo for this eye, not both: send one of them.")
            )
            continue
        if not chosen:
            continue
        try:
            photo = visits.read_upload(chosen[0])
        except BadUpload as error:
            form.add_error(eye, wording.upload_error(error.code, error.params))
            continue
        earlier = visits.duplicate_of(visit, eye, photo.sha256)
        wrong_eye = visits.wrong_eye_message(eye, photo)
        if wrong_eye:
            form.add_error(eye, wrong_eye)
        elif earlier:
            form.add_error(eye, visits.duplicate_message(earlier))
        elif any(p.sha256 == photo.sha256 for p in checked.values()):
            form.add_error(
                eye, _("The same photo was chosen for both eyes: choose the photo of this eye.")
            )
        else:
            checked[eye] = photo
    return [actions.do_add_photo(actor, visit, eye, photo) for eye, photo in checked.items()]


@clinic_role_required(*ANY_STAFF)
def visit_progress(request: SignedInRequest, clinic: Clinic, visit_id: int) -> HttpResponse:
    """The per-eye results, polled by the visit page while a photo is being graded."""
    visit = get_visit(clinic, visit_id)
    context = visit_context(visit)
    if not context["waiting"]:  # the results are now on screen: that is a view of them
        staff = by_staff(request, clinic)
        audit.record(staff, Action.VISIT_RESULTS, visit.patient, visit.pk, visit)
    return render(request, "screening/_visit_progress.html", context)


IMAGE_KINDS = {
    "photo": Action.IMAGE_VIEW,
    "thumbnail": Action.IMAGE_THUMBNAIL,
    "heatmap": Action.IMAGE_HEATMAP,
}


@clinic_role_required(*ANY_STAFF)
def image_file(request: SignedInRequest, clinic: Clinic, image_id: int, kind: str) -> HttpResponse:
    images_here = Image.objects.filter(visit__patient__clinic=clinic)
    image = get_object_or_404(images_here.select_related("visit__patient"), pk=image_id)
    if kind == "heatmap":
        grading = Grading.objects.filter(image=image).first()
        if not grading or not grading.heatmap:
            raise Http404("No heatmap.")
        data, content_type = crypto.read(grading.heatmap), "image/png"
    elif kind == "thumbnail":
        data, content_type = crypto.read(image.thumbnail), "image/jpeg"
    else:
        data, content_type = crypto.read(image.photo), image.content_type
    staff = by_staff(request, clinic)
    audit.record(staff, IMAGE_KINDS[kind], image.visit.patient, image.visit_id, image)
    # Not cached anywhere (platform/web/private.py): a photo outlives the session otherwise.
    return HttpResponse(data, content_type=content_type)


@clinic_role_required(*ANY_STAFF)
def visit_report(request: SignedInRequest, clinic: Clinic, visit_id: int) -> HttpResponse:
    visit = get_visit(clinic, visit_id)
    audit.record(by_staff(request, clinic), Action.REPORT_VIEW, visit.patient, visit.pk, visit)
    context = {"visit": visit, "patient": visit.patient, "report": results.build(visit)}
    return render(request, "screening/visit_report.html", context)
