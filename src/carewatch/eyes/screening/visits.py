"""Visits and their photos: check, encrypt, store, queue for grading."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carewatch.eyes.screening import crypto
from carewatch.eyes.screening.models import Eye, Image, ImageStatus, Visit
from carewatch.eyes.screening.uploads import BadUpload, CheckedPhoto, check_photo

UPLOAD_MESSAGES = {
    "empty": gettext_lazy("The file is empty: choose the photo again."),
    "too_big": gettext_lazy(
        "The file is larger than the %(mb)d MB we accept: export the photo as JPEG."
    ),
    "pdf": gettext_lazy("This file is a PDF document, not a photo: upload the JPEG or PNG photo."),
    "dicom_no_image": gettext_lazy(
        "This DICOM file holds no photo: export the fundus photo from the camera."
    ),
    "dicom_frames": gettext_lazy(
        "This DICOM file holds several photos: export each eye's photo on its own."
    ),
    "dicom_unreadable": gettext_lazy(
        "This DICOM file cannot be read (it may be damaged, or compressed in a way we do not "
        "support): export the photo from the camera again, or as JPEG."
    ),
    "format": gettext_lazy("This file is a %(format)s image: upload the photo as JPEG or PNG."),
    "bomb": gettext_lazy(
        "The image is too large to open safely: upload the camera's original photo."
    ),
    "unreadable": gettext_lazy(
        "This file is not a readable JPEG or PNG photo (it may be damaged or cut short): "
        "export it from the camera again and upload it."
    ),
    "too_small": gettext_lazy(
        "The image is only %(width)dx%(height)d pixels, too small to grade: "
        "upload a photo at least %(min)d pixels on each side."
    ),
}


def upload_error(error: BadUpload) -> str:
    return str(UPLOAD_MESSAGES[error.code]) % error.params


def read_upload(upload: UploadedFile) -> CheckedPhoto:
    """The checked photo; raises BadUpload. Too big a file is refused before it is read."""
    limit = settings.EYES_MAX_UPLOAD_BYTES
    if upload.size and upload.size > limit:
        raise BadUpload("too_big", "too big", mb=limit // 2**20)
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


def add_image(visit: Visit, eye: str, photo: CheckedPhoto, by: Any) -> Image:
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
