"""Every sentence Eyes shows for a code of its pure layer, in the reader's language.

The pure modules say what happened with a code (eyes.clinical's stages and outcomes, the
upload checks' BadUpload.code, the grader's reason codes from retina.quality and
review.snapshot); this module is the one place that turns a code into words. The clinical
sentences themselves are written once, in eyes/clinical.py; the others are written here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from carewatch.eyes import clinical
from carewatch.eyes.clinical import Outcome

# --- Clinical words (written in clinical.py, translated when shown) ------------------------

STAGES: dict[int, Promise] = {k: gettext_lazy(v) for k, v in clinical.STAGES.items()}
DME_RISKS: dict[int, Promise] = {k: gettext_lazy(v) for k, v in clinical.DME_RISKS.items()}
RECOMMENDATIONS: dict[Outcome, tuple[Promise, Promise]] = {
    outcome: (gettext_lazy(what), gettext_lazy(when))
    for outcome, (what, when) in clinical.RECOMMENDATIONS.items()
}
URGENCY: dict[Outcome, Promise] = {k: gettext_lazy(v) for k, v in clinical.URGENCY.items()}
URGENT: Promise = gettext_lazy(clinical.URGENT)
DISCLAIMER: Promise = gettext_lazy(clinical.DISCLAIMER)


def stage(grade: int | None) -> str:
    return str(STAGES[grade]) if grade is not None else ""


def dme(risk: int | None) -> str:
    return str(DME_RISKS[risk]) if risk is not None else ""


# --- Upload checks (screening/uploads.py and dicom.py raise BadUpload with these codes) ----

UPLOADS: dict[str, Promise] = {
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


def upload_error(code: str, params: Mapping[str, object]) -> str:
    return str(UPLOADS[code]) % params


# --- Why the grader could not grade a photo (retina.quality and review.snapshot codes) ----

REASONS: dict[str, str] = {
    "greyscale": gettext_noop("The photo is greyscale; retake it as a colour fundus photo."),
    "not_fundus": gettext_noop(
        "This does not look like a fundus photo; send a colour photo of the retina."
    ),
    "too_dark": gettext_noop(
        "The photo is too dark; retake it with more light or a dilated pupil."
    ),
    "blurred": gettext_noop("The photo is blurred; refocus the camera and retake it."),
    "no_photo": gettext_noop("No photo of this eye was taken."),
}
TOO_SMALL = gettext_noop("The photo is too small (%(px)s px); send a larger one.")
# Gradings and signed reports made before the codes stored the English sentence itself.
LEGACY = {english: code for code, english in REASONS.items()}
LEGACY_TOO_SMALL = re.compile(r"^The photo is too small \((\d+) px\)")


def reason_words(reason: str, quality: Mapping[str, Any] | None = None) -> str:
    """The grader's reason in the active language; anything else (a screener's warning, an
    invalid-file message) is shown as stored."""
    code = LEGACY.get(reason, reason)
    if code in REASONS:
        return gettext(REASONS[code])
    small = LEGACY_TOO_SMALL.match(reason)
    if code == "too_small" or small:
        px = small[1] if small else int((quality or {}).get("min_side", 0))
        return gettext(TOO_SMALL) % {"px": px}
    return reason
