"""Visits and their photos: check, encrypt, store, queue for grading."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from carewatch.eyes.screening import crypto
from carewatch.eyes.screening.models import Eye, Image, ImageStatus, Visit
from carewatch.eyes.screening.upload_errors import BadUpload
from carewatch.eyes.screening.uploads import CheckedPhoto, check_photo
from carewatch.platform.accounts.models import User


def read_upload(upload: UploadedFile) -> CheckedPhoto:
    """The checked photo; raises BadUpload. Too big a file is refused before it is read."""
    limit = settings.EYES_MAX_UPLOAD_BYTES
    if upload.size and upload.size > limit:
        raise BadUpload("too_big", mb=limit // 2**20)
    return check_photo(upload.read(), limit)


def duplicate_of(visit: Visit, eye: str, sha256: str) -> Image | None:
    """The same bytes uploaded before at this centre, except a failed try of this very eye."""
    retry = Q(visit=visit, eye=eye, status=ImageStatus.FAILED)
    same = Image.objects.filter(visit__patient__clinic=visit.patient.clinic, sha256=sha256)
    return same.exclude(retry).select_related("visit__patient").first()


def duplicate_message(image: Image) -> str:
    return _(
        "This exact photo was already uploaded as the %(eye)s of %(patient)s on %(date)s: "
        "choose the right file, or take a new photo."
    ) % {
        "eye": image.get_eye_display().lower(),
        "patient": image.visit.patient.number,
        "date": image.visit.date,
    }


def wrong_eye_message(eye: str, photo: CheckedPhoto) -> str | None:
    """DICOM files name their eye: a file chosen for the other eye is refused."""
    tagged = photo.dicom.laterality
    if not tagged or tagged == eye:
        return None
    return _(
        "This DICOM file says it shows the %(tagged)s, but it was chosen for the %(eye)s: "
        "upload it as the %(tagged)s, or choose the other file."
    ) % {"tagged": Eye(tagged).label.lower(), "eye": Eye(eye).label.lower()}


def other_patient_warning(visit: Visit, photo: CheckedPhoto) -> str:
    """The camera's patient id differs from ours: kept, but the screener should look."""
    found = photo.dicom.patient_id
    if not found or found == visit.patient.number:
        return ""
    return _(
        "The DICOM file names patient %(name)s (ID %(id)s), not %(number)s: check that this is "
        "this patient's photo before relying on the result."
    ) % {"name": photo.dicom.patient_name or "?", "id": found, "number": visit.patient.number}


def add_image(visit: Visit, eye: str, photo: CheckedPhoto, by: User) -> Image:
    image = Image(
        visit=visit,
        eye=eye,
        warning=other_patient_warning(visit, photo),
        content_type=photo.content_type,
        width=photo.width,
        height=photo.height,
        sha256=photo.sha256,
        uploaded_by=by,
    )
    image.photo.save("photo.bin", crypto.encrypted_file(photo.data), save=False)
    image.thumbnail.save("thumb.bin", crypto.encrypted_file(photo.thumbnail), save=False)
    with transaction.atomic():
        image.save()
        visit.refresh_status()
        transaction.on_commit(lambda: queue_grading(image.pk))
    return image


def queue_grading(image_id: int) -> None:
    from carewatch.eyes.screening.tasks import grade_image

    grade_image(image_id)
